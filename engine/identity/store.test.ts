import { expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import { silentLogger } from '../platform/log.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createIdentityStore } from './store.js';

it('a link taken while a lookup is on its way wins over the (older) miss the lookup read, and stays cached', async () => {
  const clock = manualClock(1_000);
  const ids = createIdentityStore({ kv: createMemoryKv(clock), keys: createKeys('t:'), log: silentLogger(), ttlMs: 86_400_000, clock });
  // A presence event's lookup starts (Redis has no link yet); an identity event on the other session links the device meanwhile.
  const lookup = ids.resolve('d-1');
  ids.remember('d-1', 'c-mia');
  expect(await lookup).toBe('c-mia');
  expect(ids.known('d-1')).toBe('c-mia');
  expect(await ids.resolve('d-1')).toBe('c-mia');
  // Without a race, a miss is remembered as a miss.
  expect(await ids.resolve('d-2')).toBeUndefined();
  expect(ids.known('d-2')).toBeUndefined();
});
