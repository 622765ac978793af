import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventTopic, type ScreenContent } from '#contracts';
import { eventually } from '../helpers/eventually.js';
import { connectWs } from '../helpers/ws-client.js';
import type { EngineProc } from './harness/engine.js';
import { EVENTS_TOTAL } from './harness/metric-names.js';
import { posMessage, purchasePlan, type Message } from './harness/plan.js';
import { startRig } from './harness/rig.js';
import { perTestScope } from './harness/scope.js';
import { screenToken } from './harness/store.js';
import { describeDiff, metricValue, waitUntilApplied } from './harness/verify.js';

/** How long the publisher offers load, at the highest rate it can. */
const LOAD_MS = 8000;
/** At most this many presence events (bounds the broker's backlog, and so the drain, on a slow machine). */
const MAX_PRESENCE = 150_000;
/** Presence events the publisher has sent and the broker not yet acknowledged, at most. */
const OUTSTANDING = 2000;
const DEVICES = 20_000;
const PURCHASES = 300;
const CUSTOMERS = 30;
/** The budget: the engine's resident memory at rest plus this. Low enough that shedding must happen under the load. */
const BUDGET_OVER_IDLE_MB = 32;
/**
 * What the engine may go over its budget by, at most. Shedding stops growth but cannot undo what is in flight:
 * the young generation filling up (up to 32 MB), the heap's allowed growth past what is live, socket buffers.
 * Without the governor the same load took the engine 200–400 MB over its resident memory at rest.
 */
const MARGIN_MB = 64;

const OVERLOAD = 'aisle_overload';
const SHED = 'aisle_shed_total';

/** VmRSS of a process, MB (undefined once it is gone). */
function rssMb(pid: number): number | undefined {
  try { return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024; } catch { return undefined; }
}

/** Every `aisle_shed_total` series with its value. */
function shedKinds(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^aisle_shed_total\{kind="([^"]+)"\} (\S+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Samples the engine's VmRSS every 50 ms until stopped; the highest value seen. */
function watchRss(engine: EngineProc) {
  let peak = 0;
  const t = setInterval(() => { peak = Math.max(peak, rssMb(engine.pid) ?? 0); }, 50);
  return { get peak() { return peak; }, stop: () => clearInterval(t) };
}

describe('overload', () => {
  const scope = perTestScope();

  it('a short overload: resident memory stays near the budget, presence is shed and counted by kind, every purchase committed once, and it recovers', async () => {
    const s = scope();
    const { ids, engine, pub, r } = await startRig(s, 'ovl');

    // The budget is set from this engine's own memory at rest, so the case means the same on any machine.
    const idle = Math.max(...await Promise.all([0, 1, 2, 3, 4].map(async (i) => {
      await new Promise((res) => setTimeout(res, i * 200));
      return rssMb(engine.pid) ?? 0;
    })));
    const budgetMb = Math.ceil(idle + BUDGET_OVER_IDLE_MB);
    await engine.restart({ AISLE_RSS_BUDGET_MB: String(budgetMb) });

    // The candles screen; the load never goes to its zone, so it stays idle until the probe at the end.
    const screen = await connectWs(engine.port, { role: 'screen', token: screenToken(ids.storeId, 'scr-candles-1'), storeId: ids.storeId, screenId: 'scr-candles-1' });
    s.defer('screen', () => screen.ws.terminate());
    await screen.next((f) => f.type === 'screen.content', 15_000);

    const { purchases, expected } = purchasePlan({ tag: ids.hex, n: PURCHASES, customers: CUSTOMERS });
    const presenceBefore = metricValue(await engine.metrics(), EVENTS_TOTAL, { type: 'presence' }) ?? 0;
    const rss = watchRss(engine);
    s.defer('rss watch', () => rss.stop());

    // Presence as fast as the broker takes it, the purchases spread through it: 20,000 devices walking between
    // the entrance and the kitchen (mostly pings in place), every other one identified.
    const zoneOf = new Int8Array(DEVICES);
    let sent = 0;
    let acked = 0;
    let failed = 0;
    let nextPurchase = 0;
    const started = Date.now();
    const presence = (i: number): Message => {
      const d = i % DEVICES;
      if (i >= DEVICES && i % 50 === 0) zoneOf[d] = 1 - zoneOf[d]!;
      return { topic: eventTopic(ids.storeId, 'presence'), payload: JSON.stringify({ type: 'presence', id: `${ids.hex}-p${i}`, ts: Date.now(), storeId: ids.storeId,
        deviceId: `d-ovl-${d}`, ...(d % 2 ? {} : { customerId: `c-ovl-${d % 500}` }), zoneId: zoneOf[d] ? 'z-kitchen' : 'z-entrance', source: 'wifi' }) };
    };
    const purchaseAcks: Promise<void>[] = [];
    await new Promise<void>((done) => {
      const pump = () => {
        const elapsed = Date.now() - started;
        if (elapsed >= LOAD_MS || sent >= MAX_PRESENCE) { done(); return; }
        while (sent - acked - failed < OUTSTANDING && sent < MAX_PRESENCE) {
          const m = presence(sent++);
          pub.client.publish(m.topic, m.payload, { qos: 1 }, (err) => { if (err) failed++; else acked++; });
        }
        // The purchases, evenly over the load.
        while (nextPurchase < PURCHASES && nextPurchase <= (elapsed / LOAD_MS) * PURCHASES) purchaseAcks.push(pub.publish(posMessage(ids.storeId, purchases[nextPurchase++]!)));
        setImmediate(pump);
      };
      pump();
    });
    while (nextPurchase < PURCHASES) purchaseAcks.push(pub.publish(posMessage(ids.storeId, purchases[nextPurchase++]!)));
    await Promise.all(purchaseAcks);
    await eventually(() => (acked + failed >= sent ? true : undefined), 60_000, 20);
    const loadMs = Date.now() - started;

    // The engine takes what the broker holds for it (shed or applied, every presence event is acknowledged).
    const drained = await eventually(async () => {
      const v = metricValue(await engine.metrics().catch(() => ''), EVENTS_TOTAL, { type: 'presence' }) ?? 0;
      return v - presenceBefore >= sent ? v - presenceBefore : undefined;
    }, 120_000, 250).catch(() => undefined);
    const d = await waitUntilApplied(r, ids.prefix, expected, 90_000);
    const recovered = await eventually(async () => (metricValue(await engine.metrics().catch(() => ''), OVERLOAD) === 0 ? true : undefined), 30_000, 100).catch(() => false);
    rss.stop();
    const text = await engine.metrics();
    const shed = shedKinds(text);
    console.log(`[fault] overload: ${sent} presence (${failed} refused) and ${PURCHASES} purchases offered in ${loadMs} ms (${Math.round(sent / (loadMs / 1000))}/s); `
      + `engine at rest ${idle.toFixed(0)} MB, budget ${budgetMb} MB, peak ${rss.peak.toFixed(0)} MB; shed ${JSON.stringify(shed)}; `
      + `presence taken ${drained ?? 'not all'}; ${describeDiff(d)}; gauge back to 0: ${recovered}`);

    expect(failed, 'presence refused by the broker').toBe(0);
    // Memory: bounded near the budget.
    expect(rss.peak, `peak VmRSS, MB (budget ${budgetMb} + margin ${MARGIN_MB})`).toBeLessThanOrEqual(budgetMb + MARGIN_MB);
    // Shedding happened, is counted by kind, and is never a transactional event.
    const overloadShed = Object.entries(shed).filter(([k]) => k.startsWith('presence_overload_')).reduce((a, [, v]) => a + v, 0);
    expect(overloadShed, `presence shed under overload: ${JSON.stringify(shed)}`).toBeGreaterThan(0);
    expect(Object.keys(shed).filter((k) => /pos|purchase|identity|esl|transaction|link|browse/.test(k)), 'shed kinds naming a transactional event').toEqual([]);
    // Every presence event was taken (acknowledged) and every purchase committed exactly once.
    expect(drained, 'presence events taken by the engine').toBeGreaterThanOrEqual(sent);
    expect(d.ok, describeDiff(d)).toBe(true);
    // Recovery: the level is back to 0 by itself, and a new shopper gets a frame.
    expect(recovered, `${OVERLOAD} back to 0 after the load`).toBe(true);
    const from = screen.frames.length;
    await pub.publish({ topic: eventTopic(ids.storeId, 'presence'), payload: JSON.stringify({ type: 'presence', id: `${ids.hex}-after`, ts: Date.now(),
      storeId: ids.storeId, deviceId: 'd-ovl-after', zoneId: 'z-candles', source: 'wifi' }) });
    const frame = await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason !== 'idle', 20_000, from);
    expect(frame.reason).toBe('audience');
    expect(metricValue(text, SHED, { kind: 'presence_overload_arrival' }) ?? 0, 'new arrivals shed').toBeGreaterThan(0);
  }, 240_000);
});
