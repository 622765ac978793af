import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../engine/platform/clock.js';
import { createTracker, MAX_DEVICES, type Decision, type TrackerOptions } from './tracker.js';

const ROOMS = { entrance: 'z-entrance', coffee: 'z-coffee', 'coffee-2': 'z-coffee', checkout: 'z-checkout' };
const DEFAULTS = { awayAfterMs: 30_000, staleMs: 10_000, smoothing: 0.3, switchMargin: 0.5, dwellMs: 3_000, maxDistance: 10, refreshMs: 0 };

function setup(over: Partial<Omit<TrackerOptions, 'clock'>> = {}) {
  const clock = manualClock(1_000_000);
  const tracker = createTracker({ clock, rooms: ROOMS, ...DEFAULTS, ...over });
  const out: Decision[] = [];
  const read = (room: string, distance: number, extra: { deviceId?: string; customerId?: string; rssi?: number } = {}) => {
    const step = tracker.reading({ deviceId: extra.deviceId ?? 'hm1-dev', room, distance, ...extra });
    out.push(...step.decisions);
    return step;
  };
  const tick = () => { const step = tracker.tick(); out.push(...step.decisions); return step; };
  const status = (room: string, online: boolean) => { const step = tracker.status(room, online); out.push(...step.decisions); return step; };
  /** Advances time in steps, running the timers the tracker asked for as a real scheduler would. */
  const advance = (ms: number, every = 100) => { for (let t = 0; t < ms; t += every) { clock.advance(Math.min(every, ms - t)); tick(); } };
  const zones = () => out.filter((d) => d.kind === 'presence').map((d) => (d as { zoneId: string | null }).zoneId);
  return { clock, tracker, out, read, tick, status, advance, zones };
}

/** A deterministic noise source (tests must not depend on Math.random). */
function noise(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31 - 0.5; };
}

describe('tracker: entering', () => {
  it('places a device at once on its first reading, with the RSSI it was heard at', () => {
    const t = setup();
    const step = t.read('entrance', 1.2, { rssi: -70 });
    expect(t.out).toEqual([{ kind: 'presence', deviceId: 'hm1-dev', zoneId: 'z-entrance', rssi: -70, ts: 1_000_000 }]);
    expect(step.use).toBe('used');
    expect(step.wakeAt).toBe(1_000_000 + 30_000);
  });

  it('ignores rooms that are not mapped, and readings beyond maxDistance', () => {
    const t = setup();
    expect(t.read('back-office', 1).use).toBe('unmapped_room');
    for (const room of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(t.read(room, 1).use).toBe('unmapped_room');
    t.status('constructor', false);
    expect(t.tracker.offlineNodes()).toBe(0);
    expect(t.read('entrance', 10.5).use).toBe('too_far');
    expect(t.out).toEqual([]);
    expect(t.tracker.size()).toBe(0);
  });
});

describe('tracker: bounds', () => {
  it('tracks at most MAX_DEVICES at once; the ones it has keep working', () => {
    const t = setup();
    for (let i = 0; i < MAX_DEVICES; i++) t.read('entrance', 1, { deviceId: `hm1-${i}` });
    expect(t.read('entrance', 1, { deviceId: 'hm1-one-too-many' }).use).toBe('over_capacity');
    expect(t.read('coffee', 1, { deviceId: 'hm1-0' }).use).toBe('used');
    expect(t.tracker.size()).toBe(MAX_DEVICES);
    t.clock.advance(30_000); t.tick();
    expect(t.tracker.size()).toBe(0);
  });
});

describe('tracker: debounce', () => {
  it('a shopper between two nodes at similar distance does not flap', () => {
    const t = setup();
    const rnd = noise(7);
    t.read('entrance', 2.0);
    for (let i = 0; i < 600; i++) { // ten minutes, a report from each node every second, ±0.4 m of noise
      t.clock.advance(500);
      t.read('coffee', 2.05 + 0.8 * rnd());
      t.clock.advance(500);
      t.read('entrance', 2.0 + 0.8 * rnd());
      t.tick();
    }
    expect(t.zones()).toEqual(['z-entrance']);
  });

  it('a nearer reading that does not last as long as dwellMs does not move the device', () => {
    const t = setup({ smoothing: 1 });
    t.read('entrance', 2.0);
    for (let i = 0; i < 2; i++) {
      t.clock.advance(500); t.read('coffee', 0.5); // the shopper turns towards the coffee node for 2 s
      t.clock.advance(500); t.read('entrance', 2.0);
    }
    t.clock.advance(500); t.read('coffee', 4.0);
    t.advance(10_000);
    expect(t.zones()).toEqual(['z-entrance']);
  });

  it('a nearer zone within switchMargin never takes over', () => {
    const t = setup({ smoothing: 1 });
    t.read('entrance', 3.0);
    for (let i = 0; i < 20; i++) { t.clock.advance(500); t.read('coffee', 2.6); t.read('entrance', 3.0); }
    expect(t.zones()).toEqual(['z-entrance']);
  });

  it('a clear move switches after dwellMs, once', () => {
    const t = setup();
    t.read('entrance', 1.0);
    t.read('coffee', 6.0);
    for (let i = 0; i < 40; i++) { // walks to the coffee node: two reports a second from each
      t.clock.advance(250); t.read('entrance', 6.0);
      t.clock.advance(250); t.read('coffee', 1.0);
      t.tick();
    }
    const moves = t.out.filter((d) => d.kind === 'presence');
    expect(moves.map((d) => (d as { zoneId: string }).zoneId)).toEqual(['z-entrance', 'z-coffee']);
    // The averages cross the margin after a few reports; the move then waits dwellMs.
    expect(moves[1]!.ts - moves[0]!.ts).toBeGreaterThanOrEqual(3_000);
    expect(moves[1]!.ts - moves[0]!.ts).toBeLessThan(6_000);
  });

  it('completes the dwell on its timer when no further report arrives', () => {
    const t = setup({ smoothing: 1 });
    t.read('entrance', 4.0);
    t.clock.advance(100);
    const step = t.read('coffee', 1.0);
    expect(step.wakeAt).toBe(t.clock.now() + 3_000);
    t.clock.advance(2_999); t.tick();
    expect(t.zones()).toEqual(['z-entrance']);
    t.clock.advance(1); t.tick();
    expect(t.zones()).toEqual(['z-entrance', 'z-coffee']);
  });

  it('two rooms of the same zone are one place: moving between them publishes nothing', () => {
    const t = setup({ smoothing: 1, dwellMs: 0 });
    t.read('coffee', 1.0);
    t.clock.advance(1000); t.read('coffee-2', 0.5); t.read('coffee', 5);
    t.clock.advance(1000); t.read('coffee-2', 4); t.read('coffee', 0.5);
    expect(t.zones()).toEqual(['z-coffee']);
  });

  it('a reading beyond maxDistance withdraws that node: another zone can take over', () => {
    const t = setup({ smoothing: 1 });
    t.read('entrance', 1.0); t.read('coffee', 3.0);
    t.clock.advance(500); t.read('entrance', 12); // out of range
    t.advance(3_000);
    expect(t.zones()).toEqual(['z-entrance', 'z-coffee']);
  });

  it('readings older than staleMs do not count', () => {
    const t = setup({ smoothing: 1 });
    t.read('entrance', 1.0);
    t.clock.advance(10_001);
    t.read('coffee', 3.0); // entrance's 1.0 m is stale: coffee is the only fresh reading
    t.advance(3_000);
    expect(t.zones()).toEqual(['z-entrance', 'z-coffee']);
  });

  it('property: readings of two nodes inside a band narrower than switchMargin never move the device', () => {
    const band = fc.double({ min: 2, max: 2.45, noNaN: true });
    fc.assert(fc.property(
      fc.array(fc.record({ coffeeFirst: fc.boolean(), entrance: band, coffee: band, dt: fc.integer({ min: 0, max: 4_000 }) }), { maxLength: 200 }),
      (steps) => {
        const t = setup();
        t.read('entrance', 2.2);
        for (const s of steps) { // both nodes keep reporting, in either order
          t.clock.advance(s.dt); t.tick();
          if (s.coffeeFirst) t.read('coffee', s.coffee);
          t.read('entrance', s.entrance);
          if (!s.coffeeFirst) t.read('coffee', s.coffee);
        }
        return t.zones().every((z) => z === 'z-entrance');
      }));
  });

  it('property: whatever the readings, zone changes are at least dwellMs apart', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ room: fc.constantFrom('entrance', 'coffee', 'checkout'), d: fc.double({ min: 0, max: 12, noNaN: true }), dt: fc.integer({ min: 0, max: 2_000 }) }), { maxLength: 300 }),
      (steps) => {
        const t = setup();
        for (const s of steps) { t.clock.advance(s.dt); t.tick(); t.read(s.room, s.d); }
        const ts = t.out.filter((d) => d.kind === 'presence' && d.zoneId !== null).map((d) => d.ts);
        return ts.every((v, i) => i === 0 || v - ts[i - 1]! >= 3_000);
      }));
  });
});

describe('tracker: leaving', () => {
  it('a device not heard for awayAfterMs leaves (zone null), by its timer', () => {
    const t = setup();
    const step = t.read('entrance', 1.0);
    t.clock.set(step.wakeAt! - 1); t.tick();
    expect(t.zones()).toEqual(['z-entrance']);
    t.clock.set(step.wakeAt!); const last = t.tick();
    expect(t.out.at(-1)).toEqual({ kind: 'presence', deviceId: 'hm1-dev', zoneId: null, ts: step.wakeAt });
    expect(last.wakeAt).toBeUndefined();
    expect(t.tracker.size()).toBe(0);
  });

  it('each report postpones leaving', () => {
    const t = setup();
    t.read('entrance', 1.0);
    for (let i = 0; i < 10; i++) { t.clock.advance(20_000); t.tick(); t.read('entrance', 1.0); }
    expect(t.zones()).toEqual(['z-entrance']);
  });
});

describe('tracker: nodes going offline', () => {
  it('drops an offline node\'s readings: a device only it saw leaves after awayAfterMs', () => {
    const t = setup();
    t.read('entrance', 1.0);
    t.clock.advance(1_000);
    const step = t.status('entrance', false);
    expect(t.out.length).toBe(1);
    expect(step.wakeAt).toBe(1_000_000 + 30_000);
    t.advance(28_900);
    expect(t.zones()).toEqual(['z-entrance']);
    t.advance(200);
    expect(t.zones()).toEqual(['z-entrance', null]);
  });

  it('a device also seen by another node moves there once the dwell is over', () => {
    const t = setup({ smoothing: 1 });
    t.read('entrance', 1.0); t.read('checkout', 4.0);
    t.clock.advance(100);
    t.status('entrance', false);
    t.advance(2_900);
    expect(t.zones()).toEqual(['z-entrance']);
    t.advance(200);
    expect(t.zones()).toEqual(['z-entrance', 'z-checkout']);
    expect(t.tracker.offlineNodes()).toBe(1);
  });

  it('a node heard again is online again, even before its status says so', () => {
    const t = setup();
    t.status('entrance', false);
    t.read('entrance', 1.0);
    expect(t.zones()).toEqual(['z-entrance']);
    expect(t.tracker.offlineNodes()).toBe(0);
    t.status('coffee', false); t.status('coffee', true);
    expect(t.tracker.offlineNodes()).toBe(0);
  });
});

describe('tracker: known devices', () => {
  it('an identity before the first presence, once per visit', () => {
    const t = setup();
    t.read('entrance', 1.0, { customerId: 'c-42' });
    for (let i = 0; i < 20; i++) { t.clock.advance(1_000); t.read('coffee', 0.5, { customerId: 'c-42' }); t.tick(); }
    expect(t.out.filter((d) => d.kind === 'identity')).toEqual([{ kind: 'identity', deviceId: 'hm1-dev', customerId: 'c-42', ts: 1_000_000 }]);
    expect(t.out[0]!.kind).toBe('identity');
    t.advance(31_000, 1_000); // gone: the visit ends
    t.read('entrance', 1.0, { customerId: 'c-42' }); // back: a new visit, identified again
    expect(t.out.filter((d) => d.kind === 'identity').length).toBe(2);
    expect(t.zones()).toEqual(['z-entrance', 'z-coffee', null, 'z-entrance']);
  });

  it('unknown devices get no identity', () => {
    const t = setup();
    t.read('entrance', 1.0);
    expect(t.out.every((d) => d.kind === 'presence')).toBe(true);
  });
});

describe('tracker: refresh', () => {
  it('repeats a present device\'s zone every refreshMs while it is heard, so the engine keeps the visit', () => {
    const t = setup({ refreshMs: 30_000 });
    t.read('coffee', 1.0, { rssi: -60 });
    for (let i = 0; i < 65; i++) { t.clock.advance(1_000); t.read('coffee', 1.0, { rssi: -61 }); t.tick(); }
    const refreshes = t.out.filter((d) => d.kind === 'presence');
    expect(refreshes.map((d) => (d as { zoneId: string }).zoneId)).toEqual(['z-coffee', 'z-coffee', 'z-coffee']);
    expect(refreshes.map((d) => d.ts - 1_000_000)).toEqual([0, 30_000, 60_000]);
    expect(refreshes[1]).toMatchObject({ rssi: -61 });
  });

  it('does not repeat a zone for a device no longer heard', () => {
    const t = setup({ refreshMs: 5_000 });
    t.read('coffee', 1.0);
    t.advance(29_000, 500);
    expect(t.zones()).toEqual(['z-coffee']);
  });
});
