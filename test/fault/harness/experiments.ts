import type { Redis } from 'ioredis';
import { Profile, type ExperimentReport, type ImpressionRecord, type ScreenContent } from '#contracts';
import { assignArm } from '../../../engine/experiments/stats/assign.js';
import { createKeys } from '../../../engine/platform/keys.js';
import { eventually } from '../../helpers/eventually.js';
import type { TestWs } from '../../helpers/ws-client.js';
import type { EngineProc } from './engine.js';
import { posMessage, presenceMessage, type Message } from './plan.js';
import type { Publisher } from './publisher.js';
import { isContent, merchToken } from './rules.js';

/**
 * Experiments across failures (docs/experiments.md): a rule, a running experiment on it with two arms, consenting
 * members, their personal turns on a real screen socket confirmed with `impression` frames as a player does, their
 * purchases of what was shown, and the counters in Redis behind the report.
 */

export const EXPERIMENT = 'x-fault';
export const ARMS = [{ armId: 'treatment', name: 'Rule on', share: 0.5, rule: 'on' as const }, { armId: 'holdout', name: 'Holdout', share: 0.5, rule: 'off' as const }];
export const armOf = (customerId: string) => assignArm(EXPERIMENT, customerId, ARMS);

/** Consenting members, for `startRig`'s `seed`. */
export const members = (ids: readonly string[]): Profile[] => ids.map((customerId) => Profile.parse({ customerId, displayName: customerId, lifecycle: 'active',
  affinities: { candles: 0.7 }, consent: { personalization: true, displayName: false, associateAlerts: true }, updatedAt: 1 }));
export async function seedMembers(r: Redis, prefix: string, ids: readonly string[]): Promise<void> {
  await r.mset(...members(ids).flatMap((p) => [createKeys(prefix).profile(p.customerId), JSON.stringify(p)]));
}

export type Answer = { status: number; body: unknown; code?: string };
/** One /api/v1 call with the store's merchandiser token; never throws on a status. */
export async function api(e: EngineProc, storeId: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${e.url}/api/v1${path}`, { method, signal: AbortSignal.timeout(5000),
    headers: { authorization: `Bearer ${merchToken(storeId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json, code: (json as { error?: { code?: string } } | undefined)?.error?.code };
}

/** The rule under test (pins SKU-14 on the candles screen for members) and a running experiment on it, in the store. */
export async function startExperiment(e: EngineProc, storeId: string): Promise<void> {
  const rule = await api(e, storeId, 'POST', '/rules', { ruleId: 'r-exp', name: 'Candle of the week',
    target: { stores: [storeId], zones: ['z-candles'], tiers: ['member', 'silver', 'gold', 'platinum'] }, actions: { pin: ['SKU-14'] } });
  if (rule.status !== 201) throw new Error(`rule not created: ${rule.status} ${JSON.stringify(rule.body)}`);
  const exp = await api(e, storeId, 'POST', '/experiments', { experimentId: EXPERIMENT, name: 'Candle of the week vs holdout', ruleId: 'r-exp',
    stores: [storeId], status: 'running', arms: ARMS });
  if (exp.status !== 201) throw new Error(`experiment not created: ${exp.status} ${JSON.stringify(exp.body)}`);
}

let n = 0;
/**
 * A member walks up to the candles screen: their personal frame (after index `from`). The caller has made sure
 * nobody else stands there (`leave`), so the screen's next personal frame is theirs.
 */
export async function personalTurn(pub: Publisher, screen: TestWs, storeId: string, customerId: string, deviceId: string): Promise<ScreenContent> {
  const from = screen.frames.length;
  await pub.publish(presenceMessage(storeId, `xp-${++n}-${deviceId}`, { deviceId, customerId, zoneId: 'z-candles' }));
  return screen.next<ScreenContent>((f) => isContent(f) && f.reason === 'shopper', 10_000, from);
}
/** The member leaves the store; resolves once the screen shows something that is not a personal turn. */
export async function leave(pub: Publisher, screen: TestWs, storeId: string, deviceId: string): Promise<void> {
  const from = screen.frames.length;
  await pub.publish(presenceMessage(storeId, `xp-${++n}-${deviceId}`, { deviceId, zoneId: null }));
  await screen.next((f) => isContent(f) && f.reason !== 'shopper', 10_000, from);
}
/** The screen confirms it rendered the frame, as a player does (docs/contracts.md §WebSocket protocol). */
export function confirm(screen: TestWs, f: ScreenContent): void {
  screen.ws.send(JSON.stringify({ type: 'impression', screenId: f.screenId, decisionId: f.decisionId, skus: f.items.map((i) => i.sku), renderedAt: Date.now() }));
}

/** A purchase of one line: `sku` at `price`, with its own event id (send the same Message again for a redelivery). */
export function purchase(storeId: string, id: string, customerId: string, sku: string, price: number): Message {
  return posMessage(storeId, { id, transactionId: `T-${id}`, customerId, total: price, sku });
}

/** What Redis holds for the experiment: each member's impressions, and per arm the exposed and converted shoppers, impressions and revenue. */
export type Counters = {
  impressions: Record<string, ImpressionRecord[]>;
  arms: Record<string, { exposed: string[]; converted: string[]; impressions: number; revenue: Record<string, number> }>;
};
export async function readCounters(r: Redis, prefix: string, customers: readonly string[]): Promise<Counters> {
  const keys = createKeys(prefix);
  const out: Counters = { impressions: {}, arms: {} };
  for (const c of customers) out.impressions[c] = (await r.lrange(keys.impressions(c), 0, -1)).map((x) => JSON.parse(x) as ImpressionRecord);
  for (const a of ARMS) {
    const [exposed, converted, counts, revenue] = await Promise.all([r.smembers(keys.experimentExposed(EXPERIMENT, a.armId)),
      r.smembers(keys.experimentConverted(EXPERIMENT, a.armId)), r.hgetall(keys.experimentCounts(EXPERIMENT, a.armId)), r.hgetall(keys.experimentRevenue(EXPERIMENT, a.armId))]);
    out.arms[a.armId] = { exposed: exposed.sort(), converted: converted.sort(), impressions: Number(counts.impressions ?? 0),
      revenue: Object.fromEntries(Object.entries(revenue).map(([k, v]) => [k, Number(v)])) };
  }
  return out;
}

/** Polls the counters until `pred` holds (Redis may be restarting: reads that fail are retried). */
export const countersWhen = (r: Redis, prefix: string, customers: readonly string[], pred: (c: Counters) => boolean, timeoutMs = 10_000, what = 'counters') =>
  eventually(async () => { const c = await readCounters(r, prefix, customers); return pred(c) ? c : undefined; }, timeoutMs, 50)
    .catch(async (err: Error) => { throw new Error(`${what}: ${err.message}; last read ${JSON.stringify(await readCounters(r, prefix, customers).catch(() => 'unreadable'))}`); });

/** GET …/experiments/{id}: the report (per arm: shoppers, impressions, conversions). */
export async function report(e: EngineProc, storeId: string): Promise<ExperimentReport> {
  const a = await api(e, storeId, 'GET', `/experiments/${EXPERIMENT}`);
  if (a.status !== 200) throw new Error(`GET experiment: ${a.status} ${JSON.stringify(a.body)}`);
  return (a.body as { report: ExperimentReport }).report;
}
