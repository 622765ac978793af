import { createHash } from 'node:crypto';
import type { Hello, Role, TokenEntry } from '#contracts';
import type { PushErrorCode } from './codes.js';

/** Looks up bearer tokens (docs/contracts.md §Security and privacy: every caller presents a token bound to a role and a store). */
export type TokenAuth = { verify(token: string): TokenEntry | undefined };

/** What the hub needs to know about stores; the store-config module provides it. */
export type StoreDirectory = {
  has(storeId: string): boolean;
  hasScreen(storeId: string, screenId: string): boolean;
  /** When present, `label.update` frames for labels the store does not have are refused. */
  hasLabel?(storeId: string, labelId: string): boolean;
};

/** A hello that passed every check: who this connection is and what it may receive. */
export type Binding = { role: Role; storeId: string; target?: string };

export type HelloVerdict =
  | { ok: true; binding: Binding }
  | { ok: false; code: PushErrorCode; message: string; path?: (string | number)[] };

/** SHA-256 of a token: lookups and per-token connection counts are keyed by it, never by the secret. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('base64');

/**
 * Builds the token lookup from a validated tokens file.
 * @example const auth = createTokenAuth(TokensFile.parse(json).tokens)
 */
export function createTokenAuth(tokens: readonly TokenEntry[]): TokenAuth {
  const byDigest = new Map<string, TokenEntry>();
  for (const t of tokens) byDigest.set(tokenDigest(t.token), Object.freeze({ ...t }));
  return { verify: (token) => byDigest.get(tokenDigest(token)) };
}

const deny = (code: PushErrorCode, message: string, path?: (string | number)[]): HelloVerdict =>
  path ? { ok: false, code, message, path } : { ok: false, code, message };

/**
 * Decides whether a hello may bind to a role, store and target. Pure: the token is already looked up.
 * Authorization comes before existence checks, so a caller without rights learns nothing about which stores exist.
 */
export function authorizeHello(entry: TokenEntry | undefined, hello: Hello, stores: StoreDirectory): HelloVerdict {
  if (!entry) return deny('ws.unauthorized', 'unknown token');
  if (entry.role !== hello.role) return deny('ws.forbidden', `token is not for role ${hello.role}`);
  if (entry.storeId !== '*' && entry.storeId !== hello.storeId) return deny('ws.forbidden', 'token is not for this store');

  let target: string | undefined;
  switch (hello.role) {
    case 'screen':
      // A screen token is bound to its screen.
      if (entry.subject !== undefined && hello.screenId !== undefined && entry.subject !== hello.screenId) {
        return deny('ws.forbidden', 'token is bound to another screen');
      }
      target = hello.screenId ?? entry.subject;
      break;
    case 'associate':
      if (entry.subject !== undefined && hello.associateId !== undefined && entry.subject !== hello.associateId) {
        return deny('ws.forbidden', 'token is bound to another associate');
      }
      target = hello.associateId ?? entry.subject;
      if (target === undefined) return deny('ws.invalid_frame', 'associates must name themselves', ['associateId']);
      break;
    case 'label-gateway':
      if (entry.subject !== undefined && hello.gatewayId !== undefined && entry.subject !== hello.gatewayId) {
        return deny('ws.forbidden', 'token is bound to another gateway');
      }
      target = hello.gatewayId ?? entry.subject;
      break;
    case 'console':
    case 'merchandiser':
      target = undefined; // read-only store view
      break;
  }

  if (!stores.has(hello.storeId)) return deny('ws.unknown_store', `unknown store ${hello.storeId}`);
  if (hello.role === 'screen' && (target === undefined || !stores.hasScreen(hello.storeId, target))) {
    return deny('ws.unknown_target', `unknown screen ${target ?? '(none)'}`, ['screenId']);
  }
  return { ok: true, binding: target === undefined ? { role: hello.role, storeId: hello.storeId } : { role: hello.role, storeId: hello.storeId, target } };
}
