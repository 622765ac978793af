import { afterEach, describe, expect, it } from 'vitest';
import { DecisionMessage } from '../contracts/decision.js';
import { InboundEvent, type PosEvent, type PresenceEvent } from '../contracts/events.js';
import { parseTopic } from '../contracts/topics.js';
import { systemClock } from '../platform/clock.js';
import { seededRandom } from './random.js';
import { nextShoppers, startSimulator, type Simulator } from './run.js';
import { testStore } from './testing.js';

const customers = Array.from({ length: 3 }, (_, i) => ({ customerId: `c-${i + 1}` }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let sim: Simulator | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

function collector() {
  const got: { topic: string; event: InboundEvent; at: number }[] = [];
  const publish = async (topic: string, payload: string) => { got.push({ topic, event: InboundEvent.parse(JSON.parse(payload)), at: Date.now() }); };
  return { got, publish };
}

describe('startSimulator', () => {
  it('publishes valid events of concurrent shoppers on their topics, on time', async () => {
    const { got, publish } = collector();
    sim = startSimulator({ store: testStore(), customers, publish, clock: systemClock, random: seededRandom(9), concurrentShoppers: 4, speed: 400 });
    await sleep(1_500);
    await sim.stop();
    expect(got.length).toBeGreaterThan(50);
    for (const { topic, event, at } of got) {
      expect(parseTopic(topic)).toEqual({ kind: 'event', storeId: 's-001', type: event.type });
      expect(at).toBeGreaterThanOrEqual(event.ts - 5);
    }
    expect(new Set(got.map((g) => g.event.id)).size).toBe(got.length);
    const devices = new Set(got.flatMap((g) => ('deviceId' in g.event && g.event.deviceId ? [g.event.deviceId] : [])));
    expect(devices.size).toBeGreaterThan(4);
    // Every device that showed up has left by the end (its own goodbye or the one stop() sends).
    const left = new Set(got.filter((g): g is typeof g & { event: PresenceEvent } => g.event.type === 'presence' && g.event.zoneId === null).map((g) => g.event.deviceId));
    const seen = new Set(got.filter((g) => g.event.type === 'presence').map((g) => (g.event as PresenceEvent).deviceId));
    expect([...seen].filter((d) => !left.has(d))).toEqual([]);
    // A member is never in the store on two devices at once.
    const active = new Map<string, string>();
    for (const { event } of got) {
      if (event.type === 'identity') {
        const other = [...active].find(([d, c]) => c === event.customerId && d !== event.deviceId);
        expect(other).toBeUndefined();
        active.set(event.deviceId, event.customerId);
      }
      if (event.type === 'presence' && event.zoneId === null) active.delete(event.deviceId);
    }
  });

  it('stops idempotently and publishes nothing afterwards', async () => {
    const { got, publish } = collector();
    sim = startSimulator({ store: testStore(), customers, publish, clock: systemClock, random: seededRandom(1), speed: 400, idPrefix: 'sim' });
    await sleep(200);
    const first = sim.stop();
    expect(sim.stop()).toBe(first);
    await first;
    const n = got.length;
    expect(n).toBeGreaterThan(0);
    expect(got[0]!.event.id).toBe('sim-1');
    await sleep(200);
    expect(got.length).toBe(n);
  });

  it('survives a failing publish', async () => {
    let calls = 0;
    const publish = async () => { calls++; throw new Error('broker down'); };
    sim = startSimulator({ store: testStore(), customers, publish, clock: systemClock, random: seededRandom(2), concurrentShoppers: 2, speed: 400 });
    await sleep(300);
    await sim.stop();
    expect(calls).toBeGreaterThan(5);
  });
});

describe('shoppers who react to screens', () => {
  /** A personal turn for the member: SKU-11 brought by a rule, SKU-20 ranked, SKU-05 (out of stock) pinned. */
  const turn = (customerId: string, storeId = 's-001'): DecisionMessage => DecisionMessage.parse({
    decisionId: `dec-${customerId}`, storeId, zoneId: 'z-entrance', screenId: 'scr-z-entrance', reason: 'shopper', customerId, shoppers: 1,
    items: [{ sku: 'SKU-11', score: 1, why: 'boost ×3 (r-new)' }, { sku: 'SKU-20', score: 0.5, why: 'ranked' }, { sku: 'SKU-05', score: 0, why: 'pinned (r-new)' }],
    rules: ['r-new'], ranker: 'heuristic', createdAt: Date.now(), origin: 'test',
  });

  it('buy what their personal turns showed them: in the planned basket, or paid for on the way out', async () => {
    const got: InboundEvent[] = [];
    const publish = async (_topic: string, payload: string) => {
      const event = InboundEvent.parse(JSON.parse(payload));
      got.push(event);
      // The engine answers an identified shopper with a personal turn (and another store's turn, which is not theirs).
      if (event.type === 'identity') { sim!.decision(turn(event.customerId)); sim!.decision(turn(event.customerId, 's-002')); }
    };
    sim = startSimulator({ store: testStore(), customers: [{ customerId: 'c-1' }], publish, clock: systemClock, random: seededRandom(8),
      concurrentShoppers: 1, speed: 2_000, reaction: { baseline: 1, effect: 0 } });
    for (let t = 0; t < 100 && sim.stats().visits < 14; t++) await sleep(50);
    await sim.stop();
    const stats = sim.stats();
    // Each identified visit ends with a checkout holding both in-stock shown items, once; never the one out of stock.
    const visits = got.filter((e) => e.type === 'identity').length;
    const done = got.filter((e): e is PresenceEvent => e.type === 'presence' && e.zoneId === null && got.some((i) => i.type === 'identity' && i.deviceId === e.deviceId));
    const pos = got.filter((e): e is PosEvent => e.type === 'pos' && e.customerId === 'c-1');
    expect(visits).toBeGreaterThan(3);
    // (stop() says goodbye for the shopper still inside, who has not reached the till.)
    expect(pos.length).toBeGreaterThanOrEqual(done.length - 1);
    for (const p of pos) {
      expect(p.lines.filter((l) => l.sku === 'SKU-11')).toHaveLength(1);
      expect(p.lines.filter((l) => l.sku === 'SKU-20')).toHaveLength(1);
      expect(p.lines.some((l) => l.sku === 'SKU-05')).toBe(false);
      expect(p.total).toBe(Math.round(p.lines.reduce((s, l) => s + l.qty * l.unitPrice, 0) * 100) / 100);
      expect(InboundEvent.safeParse(p).success).toBe(true);
    }
    // A shopper who planned no checkout pays for what they picked up just before leaving.
    expect(stats.impulse).toBeGreaterThan(0);
    for (const p of pos.filter((x) => x.lines.length === 2)) {
      const leave = got.find((e) => e.type === 'presence' && e.zoneId === null && e.ts > p.ts - 10 && got.indexOf(e) > got.indexOf(p));
      expect(leave).toBeDefined();
    }
    // Counted as picked up from the screens unless the planned basket already had them.
    expect(stats.ruleBought).toBeLessThanOrEqual(pos.length);
    expect(stats.ruleBought).toBeGreaterThan(pos.length / 2);
    expect(stats.shownBought).toBeLessThanOrEqual(2 * pos.length);
    expect(stats.shownBought).toBeGreaterThan(pos.length);
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    expect(new Set(pos.map((p) => p.transactionId)).size).toBe(pos.length);
  });

  it('buy nothing extra when screens showed them nothing (or the reaction is nil)', async () => {
    const got: InboundEvent[] = [];
    const publish = async (_t: string, payload: string) => {
      const event = InboundEvent.parse(JSON.parse(payload));
      got.push(event);
      if (event.type === 'identity') sim!.decision(turn(event.customerId));
    };
    sim = startSimulator({ store: testStore(), customers: [{ customerId: 'c-1' }], publish, clock: systemClock, random: seededRandom(4),
      concurrentShoppers: 1, speed: 2_000, reaction: { baseline: 0, effect: 0 } });
    await sleep(800);
    await sim.stop();
    expect(sim.stats()).toMatchObject({ withShown: 0, impulse: 0, shownBought: 0 });
    expect(got.filter((e) => e.type === 'identity').length).toBeGreaterThan(1);
  });

  it('refuses an impossible reaction', () => {
    expect(() => startSimulator({ store: testStore(), customers, publish: async () => {}, clock: systemClock, random: seededRandom(1),
      reaction: { baseline: 0.5, effect: 2 } })).toThrow(/AISLE_SIM_EFFECT/);
  });
});

describe('nextShoppers', () => {
  it('offers the free members with the fewest visits: everyone comes once before anyone comes back', () => {
    const all = ['a', 'b', 'c', 'd'].map((customerId) => ({ customerId }));
    expect(nextShoppers(all, new Set(), new Map()).map((c) => c.customerId)).toEqual(['a', 'b', 'c', 'd']);
    expect(nextShoppers(all, new Set(['b']), new Map([['a', 1]])).map((c) => c.customerId)).toEqual(['c', 'd']);
    expect(nextShoppers(all, new Set(['c', 'd']), new Map([['a', 2], ['b', 1], ['c', 0]])).map((c) => c.customerId)).toEqual(['b']);
    expect(nextShoppers(all, new Set(['a', 'b', 'c', 'd']), new Map())).toEqual([]);
  });
});
