import { describe, expect, it } from 'vitest';
import type { InboundEvent, Visit } from '#contracts';
import { ConfigError, loadConfig } from '../config.js';
import { silentLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { createOverloadGovernor } from './governor.js';
import { createOverloadPolicy, inFlightLevel, shedPresence, type OverloadSample } from './overload.js';

const MB = 1024 * 1024;
const budget = 300 * MB;
const calm = (now: number, o: Partial<OverloadSample> = {}): OverloadSample => ({ now, rss: 200 * MB, delayMs: 5, arriving: true, ...o });

describe('shedPresence: least harm first', () => {
  const ping = { known: true, changes: false, stale: false };
  const move = { known: true, changes: true, stale: false };
  const arrival = { known: false, changes: true, stale: false };
  const keepAlive = { known: true, changes: false, stale: true };

  it('sheds nothing at level 0', () => {
    for (const f of [ping, move, arrival, keepAlive]) expect(shedPresence(0, f)).toBeUndefined();
  });
  it('at level 1 sheds pings of fresh visits and new arrivals, keeps moves and keep-alive pings', () => {
    expect(shedPresence(1, ping)).toBe('presence_overload_ping');
    expect(shedPresence(1, arrival)).toBe('presence_overload_arrival');
    expect(shedPresence(1, move)).toBeUndefined();
    expect(shedPresence(1, keepAlive)).toBeUndefined();
  });
  it('at level 2 sheds moves too, but never the ping that keeps a visit from ending', () => {
    expect(shedPresence(2, ping)).toBe('presence_overload_ping');
    expect(shedPresence(2, arrival)).toBe('presence_overload_arrival');
    expect(shedPresence(2, move)).toBe('presence_overload_move');
    expect(shedPresence(2, keepAlive)).toBeUndefined();
    expect(shedPresence(2, { ...move, stale: true })).toBeUndefined();
    expect(shedPresence(2, { ...move, leaves: true }), 'a leave is never shed').toBeUndefined();
  });
});

describe('inFlightLevel: the bound on presence work in flight', () => {
  it('sheds from half the bound, hard at the bound', () => {
    expect(inFlightLevel(0, 500)).toBe(0);
    expect(inFlightLevel(249, 500)).toBe(0);
    expect(inFlightLevel(250, 500)).toBe(1);
    expect(inFlightLevel(499, 500)).toBe(1);
    expect(inFlightLevel(500, 500)).toBe(2);
  });
});

describe('createOverloadPolicy', () => {
  it('rises at once with memory, falls one step at a time after the hold, with hysteresis', () => {
    const p = createOverloadPolicy({ budgetBytes: budget, holdMs: 2000 });
    expect(p.update(calm(0)).level).toBe(0);
    expect(p.update(calm(250, { rss: 0.89 * budget })).level).toBe(0);
    expect(p.update(calm(500, { rss: 0.9 * budget })).level).toBe(1); // 90 %
    expect(p.update(calm(750, { rss: 0.97 * budget }))).toMatchObject({ level: 2, changed: true, causes: ['memory'] }); // 97 %
    // Between the staying thresholds (93 % for hard) nothing changes however long it lasts.
    expect(p.update(calm(1000, { rss: 0.94 * budget })).level).toBe(2);
    expect(p.update(calm(10_000, { rss: 0.94 * budget })).level).toBe(2);
    // Below 93 %: down to 1 only after 2 s of it.
    expect(p.update(calm(10_250, { rss: 0.9 * budget })).level).toBe(2);
    expect(p.update(calm(12_000, { rss: 0.9 * budget })).level).toBe(2);
    expect(p.update(calm(12_250, { rss: 0.9 * budget }))).toMatchObject({ level: 1, changed: true });
    // 87 % is under the entering 90 % but over the staying 85 %: stays at 1.
    expect(p.update(calm(20_000, { rss: 0.87 * budget })).level).toBe(1);
    // Calm, then a relapse within the hold restarts it.
    expect(p.update(calm(20_250)).level).toBe(1);
    expect(p.update(calm(21_000, { rss: 0.86 * budget })).level).toBe(1);
    expect(p.update(calm(22_500)).level).toBe(1);
    expect(p.update(calm(24_499)).level).toBe(1);
    expect(p.update(calm(24_500))).toMatchObject({ level: 0, changed: true, causes: [] });
  });

  it('falls once presence stops arriving, even with memory still high; rises again when it arrives', () => {
    const p = createOverloadPolicy({ budgetBytes: budget, holdMs: 2000 });
    expect(p.update(calm(0, { rss: budget })).level).toBe(2);
    expect(p.update(calm(1000, { rss: budget, arriving: false })).level).toBe(2);
    expect(p.update(calm(3000, { rss: budget, arriving: false })).level).toBe(1);
    expect(p.update(calm(5000, { rss: budget, arriving: false }))).toMatchObject({ level: 0, causes: [] });
    expect(p.update(calm(5250, { rss: budget })).level).toBe(2);
  });

  it('from 2 to 0 takes two holds', () => {
    const p = createOverloadPolicy({ budgetBytes: budget, holdMs: 1000 });
    expect(p.update(calm(0, { rss: budget })).level).toBe(2);
    expect(p.update(calm(100)).level).toBe(2);
    expect(p.update(calm(1100)).level).toBe(1);
    expect(p.update(calm(1900)).level).toBe(1);
    expect(p.update(calm(2100)).level).toBe(0);
  });

  it('delay counts only when it lasts: two samples in a row', () => {
    const p = createOverloadPolicy({ budgetBytes: budget, maxDelayMs: 250 });
    expect(p.update(calm(0, { delayMs: 600 })).level).toBe(0); // one long pause (a collection, a big flush)
    expect(p.update(calm(250, { delayMs: 5 })).level).toBe(0);
    expect(p.update(calm(500, { delayMs: 300 })).level).toBe(0);
    expect(p.update(calm(750, { delayMs: 300 }))).toMatchObject({ level: 1, causes: ['delay'] });
    expect(p.update(calm(1000, { delayMs: 300 })).level).toBe(1); // the loop delay alone never makes it hard
  });

  it('asks for a full collection while memory is high, less often while they do not help', () => {
    const p = createOverloadPolicy({ budgetBytes: budget, gcEveryMs: 1000, gcMaxEveryMs: 4000 });
    const at = (now: number, rss: number) => p.update(calm(now, { rss })).collect;
    expect(p.update(calm(0, { rss: 0.59 * budget })).heap).toBe('free');
    expect(p.update(calm(0, { rss: 0.6 * budget })).heap).toBe('limited');
    expect(p.update(calm(0, { rss: 0.85 * budget, arriving: false }))).toMatchObject({ level: 0, heap: 'tight', collect: true });
    expect(p.update(calm(0, { rss: 0.84 * budget }))).toMatchObject({ heap: 'limited', collect: false });
    expect(at(0, 0.5 * budget)).toBe(false);
    expect(at(100, 0.86 * budget)).toBe(true);
    expect(at(600, 0.86 * budget)).toBe(false);
    expect(at(1100, 0.86 * budget)).toBe(true); // 1 s
    expect(at(2100, 0.86 * budget)).toBe(false);
    expect(at(3100, 0.86 * budget)).toBe(true); // 2 s: what stayed is live, ask less often
    expect(at(6100, 0.86 * budget)).toBe(false);
    expect(at(7100, 0.86 * budget)).toBe(true); // 4 s: the longest interval
    expect(at(11_100, 0.86 * budget)).toBe(true);
    // Below the lower threshold the interval starts over.
    expect(at(11_200, 0.5 * budget)).toBe(false);
    expect(at(14_200, 0.9 * budget)).toBe(true);
    expect(at(15_100, 0.9 * budget)).toBe(false);
    expect(at(15_200, 0.9 * budget)).toBe(true);
  });
});

describe('createOverloadGovernor', () => {
  const visit = (deviceId: string, zoneId: string, lastSeenAt: number, customerId?: string): Visit => ({
    storeId: 's', deviceId, customerId, enteredAt: 0, lastSeenAt, lastEventTs: 0, zoneId, zoneEnteredAt: 0, dwellMs: {}, zonesVisited: [zoneId], eslSkus: [], eslCount: 0 });
  const presence = (deviceId: string, zoneId: string | null, customerId?: string): InboundEvent =>
    ({ type: 'presence', id: `${deviceId}-${zoneId}`, ts: 1, storeId: 's', deviceId, zoneId, source: 'wifi', ...(customerId ? { customerId } : {}) });

  function rig() {
    const now = { t: 100_000 };
    const state = { rss: 100 * MB, inFlight: 0, collected: 0 };
    const visits = new Map([
      ['fresh', visit('fresh', 'z-a', now.t - 1000)],
      ['stale', visit('stale', 'z-a', now.t - 60_000)],
      ['member', visit('member', 'z-a', now.t - 1000, 'c-1')],
    ]);
    const metrics = createMetrics();
    const g = createOverloadGovernor({ budgetMb: 300, inFlight: () => state.inFlight, maxInFlight: 500, peek: (_s, d) => visits.get(d), freshMs: 30_000,
      clock: { now: () => now.t }, log: silentLogger(), metrics, sampleMs: 60_000, heapGrowthPercent: null,
      rss: () => state.rss, loopDelayMs: () => 0, collect: () => { state.collected++; return true; } });
    return { g, state, metrics, now };
  }
  const shedOf = async (m: ReturnType<typeof createMetrics>) =>
    Object.fromEntries((await m.shed.get()).values.filter((v) => v.value > 0).map((v) => [v.labels.kind, v.value]));

  it('admits everything when calm; sheds by kind under memory pressure; never sheds transactional events; recovers', async () => {
    const { g, state, metrics, now } = rig();
    const all = () => [presence('fresh', 'z-a'), presence('fresh', 'z-b'), presence('fresh', null), presence('new', 'z-a'),
      presence('stale', 'z-a'), presence('member', 'z-a', 'c-2'), presence('member', 'z-a', 'c-1')].map((e) => g.admit(e));
    const txn: InboundEvent[] = [
      { type: 'pos', id: 'p1', ts: 1, storeId: 's', transactionId: 't', customerId: 'c-1', currency: 'GBP', total: 1, lines: [{ sku: 'A', qty: 1, unitPrice: 1 }] },
      { type: 'identity', id: 'i1', ts: 1, storeId: 's', deviceId: 'new', customerId: 'c-9', method: 'pos' },
      { type: 'esl', id: 'e1', ts: 1, storeId: 's', labelId: 'L-1', action: 'nfc' },
    ] as InboundEvent[];
    g.sample();
    expect(g.level).toBe(0);
    expect(all()).toEqual([true, true, true, true, true, true, true]);

    state.rss = 0.9 * 300 * MB;
    expect(g.sample()).toMatchObject({ level: 1, collect: true });
    expect(state.collected).toBe(1);
    expect((await metrics.overload.get()).values[0]!.value).toBe(1);
    //           ping   move  leave  arrival stale  new member  same member
    expect(all()).toEqual([false, true, true, false, true, true, false]);
    expect(txn.map((e) => g.admit(e))).toEqual([true, true, true]);

    state.rss = 0.97 * 300 * MB;
    g.sample();
    expect(g.level).toBe(2);
    // The leave is kept even now: a shed leave would leave a ghost in its zone until silence ends the visit.
    expect(all()).toEqual([false, false, true, false, true, false, false]);
    expect(txn.map((e) => g.admit(e))).toEqual([true, true, true]);
    expect(g.shed()).toEqual({ presence_overload_ping: 4, presence_overload_arrival: 2, presence_overload_move: 2 });
    expect(await shedOf(metrics)).toEqual({ presence_overload_ping: 4, presence_overload_arrival: 2, presence_overload_move: 2 });
    expect((await metrics.overload.get()).values[0]!.value).toBe(2);

    // Load gone: memory back under the lower thresholds; one step down per 2 s of calm.
    state.rss = 150 * MB;
    g.sample();
    now.t += 2000; g.sample();
    expect(g.level).toBe(1);
    now.t += 1000; g.sample();
    expect(g.level).toBe(1);
    now.t += 1000; g.sample();
    expect(g.level).toBe(0);
    expect((await metrics.overload.get()).values[0]!.value).toBe(0);
    expect(all()).toEqual([true, true, true, true, true, true, true]);
    g.close();
  });

  it('bounds presence work in flight per event: new arrivals wait outside from half the bound, moves at the bound', async () => {
    const { g, state, metrics } = rig();
    state.inFlight = 249;
    expect([g.admit(presence('new', 'z-a')), g.admit(presence('fresh', 'z-a'))]).toEqual([true, true]);
    state.inFlight = 250;
    expect([g.admit(presence('new', 'z-a')), g.admit(presence('fresh', 'z-a')), g.admit(presence('fresh', 'z-b'))]).toEqual([false, false, true]);
    state.inFlight = 500;
    expect([g.admit(presence('fresh', 'z-b')), g.admit(presence('stale', 'z-a'))]).toEqual([false, true]);
    // Shown in the gauge until the next sample finds nothing shed by the bound.
    g.sample();
    expect(g.level).toBe(2);
    state.inFlight = 0;
    expect(g.admit(presence('new', 'z-a'))).toBe(true);
    g.sample();
    expect(g.level).toBe(0);
    expect((await metrics.overload.get()).values[0]!.value).toBe(0);
    expect(g.shed()).toEqual({ presence_overload_ping: 1, presence_overload_arrival: 1, presence_overload_move: 1 });
    g.close();
  });

  it('take: applies what it admits, and counts a slow presence event as delay', async () => {
    const g = createOverloadGovernor({ budgetMb: 300, inFlight: () => 0, peek: () => undefined, freshMs: 30_000, clock: { now: () => 0 },
      log: silentLogger(), sampleMs: 60, heapGrowthPercent: null, rss: () => 0, loopDelayMs: () => 0, collect: () => false });
    g.close();
    const slow = () => g.take(presence('a', 'z-a'), () => new Promise((r) => setTimeout(r, 300)));
    for (let round = 0; round < 2; round++) {
      const ps = Array.from({ length: 25 }, slow);
      await Promise.all(ps);
      g.sample();
    }
    expect(g.level).toBe(1);
    // Shed: nothing applied, undefined returned; a purchase is always applied.
    let applied = 0;
    expect(g.take(presence('new', 'z-a'), async () => { applied++; })).toBeUndefined();
    await g.take({ type: 'pos', id: 'p', ts: 1, storeId: 's', transactionId: 't', currency: 'GBP', total: 1, lines: [{ sku: 'A', qty: 1, unitPrice: 1 }] } as InboundEvent,
      async () => { applied++; });
    expect(applied).toBe(1);
  });

  it('a slow loop counts only while presence arrives', () => {
    let lag = 0;
    const g = createOverloadGovernor({ budgetMb: 300, inFlight: () => 0, peek: () => undefined, freshMs: 30_000, clock: { now: () => 0 },
      log: silentLogger(), sampleMs: 60, heapGrowthPercent: null, rss: () => 0, loopDelayMs: () => lag, collect: () => false });
    g.close(); // samples are taken by hand below
    lag = 1000;
    g.sample(); g.sample(); g.sample();
    expect(g.level).toBe(0); // nothing arriving: a pause at start-up sheds nothing
    g.admit(presence('a', 'z-a')); g.sample();
    g.admit(presence('a', 'z-a')); g.sample();
    expect(g.level).toBe(0); // a trickle: the slow loop is not presence's doing
    const burst = () => { for (let i = 0; i < 25; i++) g.admit(presence(`d${i}`, 'z-a')); }; // 25 in 60 ms: over 400/s
    burst(); g.sample();
    burst(); g.sample();
    expect(g.level).toBe(1);
    g.close();
  });
});

describe('AISLE_RSS_BUDGET_MB', () => {
  it('is 512 MB unless set, and at least 64', () => {
    expect(loadConfig({}).rssBudgetMb).toBe(512);
    expect(loadConfig({ AISLE_RSS_BUDGET_MB: '300' }).rssBudgetMb).toBe(300);
    expect(() => loadConfig({ AISLE_RSS_BUDGET_MB: '32' })).toThrow(ConfigError);
    expect(() => loadConfig({ AISLE_RSS_BUDGET_MB: 'lots' })).toThrow(/AISLE_RSS_BUDGET_MB/);
  });
});
