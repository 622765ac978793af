import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TokensFile, type StoreConfig, type TokenEntry, parseUntrusted } from '#contracts';

/** Reads and validates the tokens file (docs/contracts.md §Running and configuration). */
export function loadTokens(path: string): TokenEntry[] {
  let json: unknown;
  try { json = JSON.parse(readFileSync(path, 'utf8')); } catch (err) {
    throw new Error(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const r = parseUntrusted(TokensFile, json);
  if (!r.success) {
    const is = r.error.issues[0]!;
    throw new Error(`${path}: ${is.path.join('.')}: ${is.message}`);
  }
  return r.data.tokens;
}

/** Fresh random demo tokens: one per screen, plus a console, merchandiser, associate and label gateway per store. */
export function demoTokens(stores: readonly StoreConfig[], random: () => string = () => randomBytes(12).toString('base64url')): TokenEntry[] {
  const out: TokenEntry[] = [];
  for (const s of stores) {
    for (const sc of s.screens) out.push({ token: `scr_${random()}`, role: 'screen', storeId: s.storeId, subject: sc.screenId });
    out.push({ token: `con_${random()}`, role: 'console', storeId: s.storeId });
    out.push({ token: `mer_${random()}`, role: 'merchandiser', storeId: s.storeId });
    out.push({ token: `asc_${random()}`, role: 'associate', storeId: s.storeId, subject: 'assoc-1' });
    out.push({ token: `lgw_${random()}`, role: 'label-gateway', storeId: s.storeId, subject: 'labels-1' });
  }
  return out;
}
