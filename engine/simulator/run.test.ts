import { afterEach, describe, expect, it } from 'vitest';
import { InboundEvent, type PresenceEvent } from '../contracts/events.js';
import { parseTopic } from '../contracts/topics.js';
import { systemClock } from '../platform/clock.js';
import { seededRandom } from './random.js';
import { startSimulator, type Simulator } from './run.js';
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
