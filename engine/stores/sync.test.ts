import { describe, expect, it } from 'vitest';
import { StoreConfig } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createStoreRegistry } from './registry.js';
import { createStoreRepo } from './store-repo.js';
import { createStoreSync } from './sync.js';

const store = (storeId: string, name = `Store ${storeId}`) => StoreConfig.parse({ storeId, name,
  zones: [{ zoneId: 'z-1', name: 'Z', categories: ['c'] }], catalog: [{ sku: 'S-1', name: 'Item', category: 'c', price: 1 }] });
const keys = createKeys('t:');
const flush = () => new Promise((r) => setTimeout(r, 0));

function instance(kv: Kv, configs: StoreConfig[], origin: string) {
  const stores = createStoreRegistry(configs);
  const repo = createStoreRepo({ kv, keys, origin });
  return { stores, repo, sync: createStoreSync({ stores, repo }) };
}

describe('store sync', () => {
  it('seeds the stored copy from the file when there is none, and the stored copy wins afterwards', async () => {
    const kv = createMemoryKv(manualClock());
    const a = instance(kv, [store('s-1')], 'a');
    expect(await a.sync.load()).toEqual({ loaded: [], seeded: ['s-1'] });
    expect(JSON.parse((await kv.get(keys.store('s-1')))!).name).toBe('Store s-1');

    await a.sync.save(store('s-1', 'Renamed'));
    expect(a.stores.get('s-1')!.config.name).toBe('Renamed');
    // A restart with the same file: the stored copy wins.
    const b = instance(kv, [store('s-1')], 'b');
    expect(await b.sync.load()).toEqual({ loaded: ['s-1'], seeded: [] });
    expect(b.stores.get('s-1')!.config.name).toBe('Renamed');
  });

  it('reads only configured stores, and keeps the file when the stored copy is invalid (without overwriting it)', async () => {
    const kv = createMemoryKv(manualClock());
    await kv.set(keys.store('s-1'), '{"storeId":"s-1","name":""}');
    await kv.set(keys.store('s-2'), JSON.stringify(store('s-2', 'Not configured here')));
    const a = instance(kv, [store('s-1')], 'a');
    expect(await a.sync.load()).toEqual({ loaded: [], seeded: [] });
    expect(a.stores.get('s-1')!.config.name).toBe('Store s-1');
    expect(a.stores.has('s-2')).toBe(false);
    expect(await kv.get(keys.store('s-1'))).toBe('{"storeId":"s-1","name":""}');
  });

  it('a save reaches the other instances through the change notice; the saving one is not re-decided twice', async () => {
    const kv = createMemoryKv(manualClock());
    const a = instance(kv, [store('s-1')], 'a');
    const b = instance(kv, [store('s-1')], 'b');
    await a.sync.watch(); await b.sync.watch();
    let aChanges = 0; let bChanges = 0;
    a.stores.onChange(() => { aChanges++; });
    b.stores.onChange(() => { bChanges++; });
    await a.sync.save(store('s-1', 'From A'));
    await flush(); await flush();
    expect(b.stores.get('s-1')!.config.name).toBe('From A');
    expect([aChanges, bChanges]).toEqual([1, 1]);
  });

  it('a save that cannot be stored changes nothing', async () => {
    const kv = createMemoryKv(manualClock());
    const a = instance({ ...kv, set: async () => { throw new Error('down'); } }, [store('s-1')], 'a');
    await expect(a.sync.save(store('s-1', 'Lost'))).rejects.toThrow('down');
    expect(a.stores.get('s-1')!.config.name).toBe('Store s-1');
  });
});
