import { describe, expect, it } from 'vitest';
import { Profile } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { silentLogger } from '../platform/log.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createProfileStore } from './store.js';
import { createProfileWriter } from './writer.js';

const keys = createKeys('t:');
const mia = Profile.parse({ customerId: 'c-1', displayName: 'Mia' });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('profile store', () => {
  it('caches, and drops an entry when another instance changes the profile', async () => {
    const clock = manualClock(0);
    const kv = createMemoryKv(clock);
    await kv.set(keys.profile('c-1'), JSON.stringify(mia));
    const a = createProfileStore({ kv, keys, log: silentLogger(), cacheSize: 10, origin: 'a', clock });
    const b = createProfileStore({ kv, keys, log: silentLogger(), cacheSize: 10, origin: 'b', clock });
    await a.listen();
    expect((await a.get('c-1')).profile?.displayName).toBe('Mia');
    await kv.set(keys.profile('c-1'), JSON.stringify({ ...mia, displayName: 'Mira' })); // written behind a's back
    expect((await a.get('c-1')).profile?.displayName).toBe('Mia'); // still cached
    const writerB = createProfileWriter({ kv, keys, log: silentLogger(), clock, origin: 'b', written: (p) => b.remember(p) });
    await writerB.applyOnce('c-1', 's-1', 'ev-1', (p) => p && { ...p, displayName: 'Maya' });
    await flush();
    expect((await a.get('c-1')).profile?.displayName).toBe('Maya');
  });

  it('remembers a missing profile briefly, and reports an unreachable store without caching it', async () => {
    const clock = manualClock(0);
    const mem = createMemoryKv(clock);
    let down = false;
    const kv: Kv = { ...mem, mget: (k) => (down ? Promise.reject(new Error('down')) : mem.mget(k)) };
    const s = createProfileStore({ kv, keys, log: silentLogger(), cacheSize: 10, origin: 'a', clock, negativeTtlMs: 1000 });
    expect(await s.get('c-1')).toEqual({ profile: undefined });
    await mem.set(keys.profile('c-1'), JSON.stringify(mia));
    expect((await s.get('c-1')).profile).toBeUndefined(); // negative entry
    clock.advance(1001);
    expect((await s.get('c-1')).profile?.displayName).toBe('Mia');
    down = true;
    expect(await s.get('c-2')).toEqual({ unavailable: true });
    expect((await s.get('c-1')).profile?.displayName).toBe('Mia'); // served from the cache while down
    down = false;
    await mem.set(keys.profile('c-2'), JSON.stringify({ ...mia, customerId: 'c-2' }));
    expect((await s.get('c-2')).profile?.customerId).toBe('c-2');
  });

  it('ignores an unreadable profile instead of failing', async () => {
    const clock = manualClock(0);
    const kv = createMemoryKv(clock);
    await kv.set(keys.profile('c-9'), '{"customerId": 42}');
    const s = createProfileStore({ kv, keys, log: silentLogger(), cacheSize: 10, origin: 'a', clock });
    expect((await s.get('c-9')).profile).toBeUndefined();
  });
});
