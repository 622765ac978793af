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
  const stored = async () => JSON.parse((await kv.hget(keys.visits('s'), 'd')) ?? 'null');
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

it('a new owner restores a store\'s live visits in one read, drops stale ones, and a dropped store leaves memory but not Redis', async () => {
  const clock = manualClock(1_000);
  const kv = createMemoryKv(clock);
  const keys = createKeys('t:');
  const a = createVisitStore({ kv, keys, log: silentLogger(), ttlMs: 60_000, clock, flushMs: 1_000_000 });
  for (const [dev, zone] of [['d1', 'z-a'], ['d2', 'z-a'], ['d3', 'z-b']] as const) {
    a.set('s', dev, applyPresence(undefined, { ...ev(zone, 1), deviceId: dev }, clock.now()).visit);
  }
  a.set('other', 'd9', applyPresence(undefined, { ...ev('z-a', 1), storeId: 'other', deviceId: 'd9' }, clock.now()).visit);
  await a.flush();
  // d3 was last seen long ago: a new owner must not bring it back.
  await kv.hsetMany(keys.visits('s'), { d3: JSON.stringify({ ...a.peek('s', 'd3')!, lastSeenAt: -100_000 }) }, 60_000);

  const b = createVisitStore({ kv, keys, log: silentLogger(), ttlMs: 60_000, clock, flushMs: 1_000_000 });
  expect(await b.restore('s')).toBe(2);
  expect(b.inZone('s', 'z-a').map((v) => v.deviceId).sort()).toEqual(['d1', 'd2']);
  expect(b.countInZone('s', 'z-b')).toBe(0);
  expect(b.peek('other', 'd9')).toBeUndefined();
  expect(Object.keys(await kv.hgetall(keys.visits('s'))).sort()).toEqual(['d1', 'd2']);

  await a.drop('s');
  expect(a.countInStore('s')).toBe(0);
  expect(a.countInZone('s', 'z-a')).toBe(0);
  expect(a.peek('other', 'd9')).toBeDefined();
  expect(Object.keys(await kv.hgetall(keys.visits('s'))).sort()).toEqual(['d1', 'd2']);
  await a.close(); await b.close();
});
