import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { ScreenContent } from '#contracts';
import { eventually } from '../helpers/eventually.js';
import { connectWs } from '../helpers/ws-client.js';
import { type EngineProc } from './harness/engine.js';
import { EVENTS_TOTAL, JOURNAL_APPENDED, JOURNAL_PENDING } from './harness/metric-names.js';
import { posMessage, presenceMessage, purchasePlan, type Expected } from './harness/plan.js';
import { startRig } from './harness/rig.js';
import { perTestScope, type Scope } from './harness/scope.js';
import { screenToken } from './harness/store.js';
import { describeDiff, diff, readApplied, waitMetric, waitUntilApplied } from './harness/verify.js';

const PURCHASES = 500;
const CUSTOMERS = 25;
const EXIT_SLACK_MS = 2000;

const readyz = async (e: EngineProc) => (await fetch(`${e.url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status;

/** Read once more at the end: nothing was applied a second time meanwhile (e.g. by a late journal replay). */
async function expectStillExact(r: Redis, prefix: string, expected: Expected): Promise<void> {
  const d = diff(expected, await readApplied(r, prefix, [...expected.keys()]));
  expect(d.ok, `at the end of the case: ${describeDiff(d)}`).toBe(true);
}

/** Broker, Redis, engine (subscribed), publisher; then Redis is SIGKILLed. */
async function withRedisDown(s: Scope, tag: string) {
  const { ids, mosq, redis, engine, pub, r } = await startRig(s, tag);
  const { purchases, expected } = purchasePlan({ tag: ids.hex, n: PURCHASES, customers: CUSTOMERS });
  return { ids, mosq, redis, engine, pub, r, purchases, expected };
}

describe('Redis outage', () => {
  const scope = perTestScope();

  it('Redis down for a while: screens keep serving, purchases are journaled, then applied exactly once', async () => {
    const s = scope();
    const { ids, redis, engine, pub, r, purchases, expected } = await withRedisDown(s, 'rdown');
    const screen = await connectWs(engine.port, { role: 'screen', token: screenToken(ids.storeId, 'scr-candles-1'), storeId: ids.storeId, screenId: 'scr-candles-1' });
    s.defer('screen', () => screen.close());
    await screen.next((f) => f.type === 'screen.content', 10_000);

    await redis.stop('SIGKILL');
    expect.soft(await eventually(async () => ((await readyz(engine)) === 503 ? true : undefined), 10_000).catch(() => false),
      '/readyz reports 503 while Redis is down').toBe(true);

    // Screens keep serving: a shopper walks in and the candles screen gets fresh content.
    const from = screen.frames.length;
    await pub.publish(presenceMessage(ids.storeId, `${ids.hex}-pres-1`, { deviceId: 'd-x', zoneId: 'z-candles' }));
    const fresh = await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason !== 'idle', 10_000, from);
    expect(fresh).toMatchObject({ screenId: 'scr-candles-1', reason: 'audience' });

    // 500 purchases while Redis is down; the broker acknowledges all of them to the publisher.
    await pub.publishAll(purchases.map((p) => posMessage(ids.storeId, p)));
    // The engine takes them into its journal (and acknowledges them).
    const journaled = await waitMetric(() => engine.metrics(), JOURNAL_APPENDED, (v) => (v ?? 0) >= PURCHASES, 10_000);
    console.log(`[fault] redis-down: ${JOURNAL_APPENDED} = ${journaled.value ?? 'absent'} with Redis down`);
    expect.soft(journaled.ok, `${JOURNAL_APPENDED} = ${journaled.value ?? 'absent'} after ${PURCHASES} purchases with Redis down; expected ≥ ${PURCHASES}`).toBe(true);

    await redis.restart();
    const d = await waitUntilApplied(r, ids.prefix, expected, 60_000);
    console.log(`[fault] redis-down: after Redis restart: ${describeDiff(d)}`);
    expect(d.ok, describeDiff(d)).toBe(true);
    const pending = await waitMetric(() => engine.metrics(), JOURNAL_PENDING, (v) => v === 0, 10_000);
    expect.soft(pending.ok, `${JOURNAL_PENDING} = ${pending.value ?? 'absent'} once Redis is back; expected 0`).toBe(true);
    await expectStillExact(r, ids.prefix, expected);
    expect.soft(await eventually(async () => ((await readyz(engine)) === 200 ? true : undefined), 10_000).catch(() => false),
      '/readyz 200 once Redis is back').toBe(true);
  });

  it.each([['SIGKILL'], ['SIGTERM']] as const)('engine %s and restarted while Redis is down: the journal is replayed, each purchase once', async (signal) => {
    const s = scope();
    const { ids, redis, engine, pub, r, purchases, expected } = await withRedisDown(s, signal === 'SIGKILL' ? 'rkill' : 'rterm');
    await redis.stop('SIGKILL');
    const accepted0 = (await waitMetric(() => engine.metrics(), EVENTS_TOTAL, () => true, 0, { type: 'pos', outcome: 'accepted' })).value ?? 0;
    await pub.publishAll(purchases.map((p) => posMessage(ids.storeId, p)));

    // Stop the engine once it has taken the purchases (journaled; or, for an engine without a journal, accepted).
    const journaled = await waitMetric(() => engine.metrics(), JOURNAL_APPENDED, (v) => (v ?? 0) >= PURCHASES, 10_000);
    if (!journaled.ok) await waitMetric(() => engine.metrics(), EVENTS_TOTAL, (v) => (v ?? 0) - accepted0 >= PURCHASES, 15_000, { type: 'pos', outcome: 'accepted' });
    expect.soft(journaled.ok, `${JOURNAL_APPENDED} = ${journaled.value ?? 'absent'} after ${PURCHASES} purchases with Redis down; expected ≥ ${PURCHASES}`).toBe(true);
    const exit = await engine.kill(signal);
    console.log(`[fault] redis-down + engine ${signal}: ${JOURNAL_APPENDED} = ${journaled.value ?? 'absent'} before the ${signal}; exit ${JSON.stringify(exit)}`);
    if (signal === 'SIGTERM') {
      expect.soft(exit, `exit after SIGTERM (${exit.ms} ms)`).toMatchObject({ code: 0, signal: null });
      expect.soft(exit.ms, 'SIGTERM to exit, ms').toBeLessThanOrEqual(engine.shutdownDeadlineMs + EXIT_SLACK_MS);
    }

    await engine.restart(); // Redis still down
    expect(redis.running()).toBe(false);
    await redis.restart();
    const d = await waitUntilApplied(r, ids.prefix, expected, 60_000);
    console.log(`[fault] redis-down + engine ${signal}: after Redis restart: ${describeDiff(d)}`);
    expect(d.ok, describeDiff(d)).toBe(true);
    const pending = await waitMetric(() => engine.metrics(), JOURNAL_PENDING, (v) => v === 0, 10_000);
    expect.soft(pending.ok, `${JOURNAL_PENDING} = ${pending.value ?? 'absent'} once Redis is back; expected 0`).toBe(true);
    await expectStillExact(r, ids.prefix, expected);
  });
});
