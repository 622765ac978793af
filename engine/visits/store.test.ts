import { expect, it } from 'vitest';
import type { PresenceEvent } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import { silentLogger } from '../platform/log.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { applyPresence } from './reduce.js';
import { createVisitStore } from './store.js';

const ev = (zoneId: string | null, ts: number): PresenceEvent => ({ type: 'presence', id: `p${ts}`, ts, storeId: 's', deviceId: 'd', zoneId, source: 'wifi' });

it('writes zone changes behind at once, liveness pings at most every heartbeatWriteMs, and indexes zones', async () => {
  const clock = manualClock(1_000);
  const kv = createMemoryKv(clock);
  const keys = createKeys('t:');
  const store = createVisitStore({ kv, keys, log: silentLogger(), ttlMs: 60_000, clock, heartbeatWriteMs: 10_000, flushMs: 1_000_000 });
  const stored = async () => JSON.parse((await kv.get(keys.visit('s', 'd'))) ?? 'null');
  const step = (zone: string | null, ts: number) => store.set('s', 'd', applyPresence(store.peek('s', 'd'), ev(zone, ts), clock.now()).visit);

  step('z-a', 1);
  await store.flush();
  expect((await stored()).zoneId).toBe('z-a');
  expect(store.countInZone('s', 'z-a')).toBe(1);
  clock.advance(2_000);
  step('z-a', 2); // a ping: not written yet
  await store.flush();
  expect((await stored()).lastSeenAt).toBe(1_000);
  clock.advance(9_000);
  step('z-a', 3); // 11 s after the last write: written
  await store.flush();
  expect((await stored()).lastSeenAt).toBe(12_000);
  step('z-b', 4); // a move: written at once
  await store.flush();
  expect((await stored()).zoneId).toBe('z-b');
  expect(store.inZone('s', 'z-b').map((v) => v.deviceId)).toEqual(['d']);
  expect(store.countInZone('s', 'z-a')).toBe(0);
  step(null, 5);
  await store.flush();
  expect(await stored()).toBeNull();
  await store.close();
});
