import { describe, expect, it } from 'vitest';
import { EslEvent, IdentityEvent, InboundEvent, PosEvent, PresenceEvent } from '../contracts/events.js';
import { StoreConfig } from '../contracts/store-config.js';
import { basketTotal } from './basket.js';
import { PACE, planVisit, type PlanOptions, type SimShopper } from './plan.js';
import { seededRandom } from './random.js';
import { testStore } from './testing.js';

const store = StoreConfig.parse(testStore());
const shoppers: SimShopper[] = Array.from({ length: 20 }, (_, i) => ({ customerId: `c-${100 + i}`, affinities: (i % 2 ? { bags: 0.9 } : { garden: 0.8 }) as Record<string, number> }));
const start = Date.UTC(2026, 10, 23, 10);

function plans(n: number, extra: Partial<PlanOptions> = {}) {
  const random = seededRandom(42);
  const out = [];
  let firstId = 1;
  for (let i = 0; i < n; i++) {
    const p = planVisit({ store, shoppers, random, start: start + i * 60_000, firstId, ...extra });
    firstId = p.nextId;
    out.push(p);
  }
  return out;
}

const schemas = { presence: PresenceEvent, esl: EslEvent, pos: PosEvent, identity: IdentityEvent } as const;
const visits = plans(400);
const events = visits.flatMap((v) => v.events);

describe('planVisit', () => {
  it('plans only valid canonical events with unique ids, in time order', () => {
    for (const e of events) {
      expect(() => schemas[e.type].parse(e)).not.toThrow();
      expect(() => InboundEvent.parse(e)).not.toThrow();
      expect(e.storeId).toBe('s-001');
      expect(e.id).toMatch(/^sim-\d+$/);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const v of visits) {
      const ts = v.events.map((e) => e.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(v.endsAt).toBe(ts[ts.length - 1]);
    }
  });
  it('starts at the entrance, walks 2–5 zones and ends with zoneId null', () => {
    for (const v of visits) {
      expect(v.zones[0]).toBe('z-entrance');
      expect(v.zones.length).toBeGreaterThanOrEqual(2);
      expect(v.zones.length).toBeLessThanOrEqual(4); // the test store has four zones
      expect(new Set(v.zones).size).toBe(v.zones.length);
      const last = v.events[v.events.length - 1]!;
      expect(last.type === 'presence' && last.zoneId === null).toBe(true);
      const presence = v.events.filter((e): e is PresenceEvent => e.type === 'presence');
      expect(presence.filter((p) => p.zoneId === null)).toHaveLength(1);
      expect(presence.every((p) => p.deviceId === v.deviceId && /^d-[0-9a-f]{16}$/.test(p.deviceId))).toBe(true);
      expect(presence.every((p) => p.rssi! >= -80 && p.rssi! <= -50)).toBe(true);
    }
  });
  it('dwells 20–90 s per zone divided by speed, pinging every few seconds', () => {
    const speed = 4;
    for (const v of visits) {
      const pings = v.events.filter((e): e is PresenceEvent => e.type === 'presence' && e.zoneId !== null);
      for (const zone of v.zones) {
        const ts = pings.filter((p) => p.zoneId === zone).map((p) => p.ts);
        expect(ts.length).toBeGreaterThanOrEqual(2);
        expect(ts[ts.length - 1]! - ts[0]!).toBeLessThan(PACE.dwellMs[1] / speed);
        for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeLessThanOrEqual(3_750);
      }
      const spans = v.zones.map((z) => pings.filter((p) => p.zoneId === z).map((p) => p.ts));
      for (let i = 1; i < spans.length; i++) {
        const gap = spans[i]![0]! - spans[i - 1]![0]!;
        expect(gap).toBeGreaterThanOrEqual(PACE.dwellMs[0] / speed + PACE.transitMs[0] / speed - 1);
        expect(gap).toBeLessThanOrEqual(PACE.dwellMs[1] / speed + PACE.transitMs[1] / speed + 1);
      }
    }
  });
  it('identifies about 70% of shoppers, anonymous ones never carry a customerId', () => {
    const identified = visits.filter((v) => v.customerId !== undefined);
    expect(identified.length / visits.length).toBeGreaterThan(0.6);
    expect(identified.length / visits.length).toBeLessThan(0.8);
    for (const v of visits) {
      const ids = v.events.filter((e): e is IdentityEvent => e.type === 'identity');
      if (v.customerId === undefined) {
        expect(ids).toHaveLength(0);
        expect(v.events.some((e) => 'customerId' in e)).toBe(false);
      } else {
        expect(ids).toHaveLength(1);
        expect(ids[0]).toMatchObject({ customerId: v.customerId, deviceId: v.deviceId });
        expect(['app-login', 'captive-portal']).toContain(ids[0]!.method);
        // Nothing names the shopper before the identity link.
        for (const e of v.events) if ('customerId' in e && e.customerId !== undefined) expect(e.ts).toBeGreaterThanOrEqual(ids[0]!.ts);
      }
    }
  });
  it('checks out ~60% of identified shoppers with consistent GBP totals from the catalog', () => {
    const bySku = new Map(store.catalog.map((c) => [c.sku, c]));
    const identified = visits.filter((v) => v.customerId !== undefined);
    const paying = identified.filter((v) => v.events.some((e) => e.type === 'pos'));
    expect(paying.length / identified.length).toBeGreaterThan(0.5);
    expect(paying.length / identified.length).toBeLessThan(0.7);
    for (const pos of events.filter((e): e is PosEvent => e.type === 'pos')) {
      expect(pos.currency).toBe('GBP');
      expect(pos.lines.length).toBeGreaterThanOrEqual(1);
      expect(pos.lines.length).toBeLessThanOrEqual(6);
      expect(pos.total).toBe(basketTotal(pos.lines));
      expect(new Set(pos.lines.map((l) => l.sku)).size).toBe(pos.lines.length);
      for (const l of pos.lines) {
        const item = bySku.get(l.sku)!;
        expect(item.inStock).toBe(true);
        expect(Number.isInteger(l.qty)).toBe(true);
        expect([item.price, item.memberPrice]).toContain(l.unitPrice);
        if (pos.customerId === undefined) expect(l.unitPrice).toBe(item.price);
      }
    }
  });
  it('taps labels of the zone being visited', () => {
    const taps = events.filter((e): e is EslEvent => e.type === 'esl');
    expect(taps.length).toBeGreaterThan(100);
    const zoneOf = new Map(store.labels.map((l) => [l.labelId, l.zoneId]));
    for (const v of visits) {
      for (const tap of v.events.filter((e): e is EslEvent => e.type === 'esl')) {
        expect(v.zones).toContain(zoneOf.get(tap.labelId));
        if (tap.deviceId !== undefined) expect(tap.deviceId).toBe(v.deviceId);
      }
    }
  });
  it('is deterministic for a seed and honours speed, prefix and an empty member list', () => {
    expect(plans(20)).toEqual(visits.slice(0, 20));
    const fast = planVisit({ store, shoppers: [], random: seededRandom(1), start, speed: 100, idPrefix: 'sim-x', firstId: 7 });
    expect(fast.customerId).toBeUndefined();
    expect(fast.events[0]!.id).toBe('sim-x-7');
    expect(fast.endsAt - start).toBeLessThan(5 * (PACE.dwellMs[1] + PACE.transitMs[1]) / 100 + (PACE.checkoutMs[1] + PACE.leaveMs[1]) / 100);
  });
});
