import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Rule, RuleInput, RuleVersion, ScreenContent, TokenEntry } from '#contracts';
import { createKeys } from '../../../engine/platform/keys.js';
import { connectWs, type TestWs } from '../../helpers/ws-client.js';
import type { EngineProc } from './engine.js';
import type { Scope } from './scope.js';
import { faultTokens, screenToken } from './store.js';

/** A merchandiser token for every store (rules aimed at several stores, or at none: chain-wide). */
export const MERCH_ALL = 'tok-fault-merch-every-store';
export const merchToken = (storeId: string) => `tok-merch-${storeId}-xxx`;

/** A tokens file with the store's usual tokens plus MERCH_ALL, for `env: { AISLE_TOKENS }`. */
export function tokensWithMerchAll(scope: Scope, storeId: string): string {
  const file = join(scope.dir('tokens'), 'tokens.json');
  const tokens: TokenEntry[] = [...faultTokens(storeId), { token: MERCH_ALL, role: 'merchandiser', storeId: '*' }];
  writeFileSync(file, JSON.stringify({ tokens }));
  return file;
}

export type Answer = { status: number; body: unknown; code?: string };

/** One /api/v1/rules call (docs/rules-api.md) with a bearer token; never throws on a status. */
export async function rulesApi(e: EngineProc, token: string, method: string, path = '', body?: unknown): Promise<Answer> {
  const res = await fetch(`${e.url}/api/v1/rules${path}`, { method, signal: AbortSignal.timeout(5000),
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json, code: (json as { error?: { code?: string } } | undefined)?.error?.code };
}

/** A place rule: the zone's screens show `sku` first (priority 1000), with a headline. */
export const pinRule = (ruleId: string, sku: string, o: { zones?: string[]; stores?: string[] } = {}): RuleInput & { ruleId: string } => ({
  ruleId, name: `Pin ${sku}`, priority: 1000, target: { ...(o.stores ? { stores: o.stores } : {}), zones: o.zones ?? ['z-kitchen'] },
  actions: { pin: [sku], headline: `This week: ${sku}` } });

/** GET /readyz's status (0 when the engine does not answer). */
export const readyz = async (e: EngineProc): Promise<number> =>
  (await fetch(`${e.url}/readyz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined))?.status ?? 0;

/** Polls /readyz every 10 ms until it answers `status`; resolves with the moment it first did (epoch ms), or throws. */
export async function whenReadyz(e: EngineProc, status: number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if ((await readyz(e)) === status) return Date.now();
    if (Date.now() > end) throw new Error(`${e.name}: /readyz never answered ${status} within ${timeoutMs} ms\n${e.log.tail(20)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * When the engine logged its Redis connection back (pino's `time` of its last `redis connection back` line), or
 * undefined: the reconnect as the engine saw it, which a /readyz poll can only bound.
 */
export function reconnectLogged(e: EngineProc, after: number): number | undefined {
  const line = e.log.tail(600).split('\n').reverse().find((l) => l.includes('"redis connection back"'));
  let time: number | undefined;
  try { time = line ? (JSON.parse(line) as { time?: number }).time : undefined; } catch { time = undefined; }
  return time !== undefined && time >= after ? time : undefined;
}

/** A screen's WebSocket, closed with the scope. */
export async function openScreen(scope: Scope, e: EngineProc, storeId: string, screenId: string): Promise<TestWs> {
  const ws = await connectWs(e.port, { role: 'screen', token: screenToken(storeId, screenId), storeId, screenId });
  scope.defer(`screen ${screenId} on ${e.name}`, () => { ws.ws.terminate(); });
  return ws;
}

export const isContent = (f: { type: string }): f is ScreenContent => f.type === 'screen.content';
/** The next content frame (from index `from`) whose first item is `sku`. */
export const firstItem = (ws: TestWs, sku: string, from = 0, timeoutMs = 5000) =>
  ws.next<ScreenContent>((f) => isContent(f) && f.items[0]?.sku === sku, timeoutMs, from);
/** Content frames received from index `from` on. */
export const contentFrom = (ws: TestWs, from = 0): ScreenContent[] => ws.frames.slice(from).filter(isContent);

/**
 * Changes a rule directly in Redis, the way another instance's commit does (docs/rules-api.md §Change notices,
 * §Redis keys): the rule into the rules hash, a history entry onto the rule's history list, and the
 * `{origin}|{ruleId}` notice on `rules:changed`, in one MULTI (the hash and the list share the `{rules}` hash tag).
 */
export async function changeRuleDirectly(r: Redis, prefix: string, input: RuleInput & { ruleId: string }, origin = 'another-instance'): Promise<Rule> {
  const keys = createKeys(prefix);
  const head = await r.lindex(keys.ruleVersions(input.ruleId), 0);
  const version = (head ? (JSON.parse(head) as RuleVersion).version : 0) + 1;
  const rule: Rule = { enabled: true, priority: 100, target: {}, ...input, version, updatedAt: Date.now(), updatedBy: origin } as Rule;
  const entry: RuleVersion = { ruleId: input.ruleId, version, at: rule.updatedAt, by: origin, action: version === 1 ? 'create' : 'update', rule };
  await r.multi()
    .hset(keys.rules(), input.ruleId, JSON.stringify(rule))
    .lpush(keys.ruleVersions(input.ruleId), JSON.stringify(entry))
    .publish(keys.rulesChanged(), `${origin}|${input.ruleId}`)
    .exec();
  return rule;
}
