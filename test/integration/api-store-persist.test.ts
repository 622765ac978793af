import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { StoreConfig, type TokenEntry } from '#contracts';
import { createApi } from '../../engine/api/index.js';
import { createHttpServer } from '../../engine/api/server.js';
import { createKeys } from '../../engine/platform/keys.js';
import type { Kv } from '../../engine/platform/kv.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createMetrics } from '../../engine/platform/metrics.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';
import { createStoreRepo } from '../../engine/stores/store-repo.js';
import { createStoreSync } from '../../engine/stores/sync.js';
import { dropPrefix } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';

/** A large store: 40k SKUs over 40 categories, a shelf label for every fourth SKU, 200 screens. */
function bigStore(storeId: string, skus = 40_000): StoreConfig {
  const cats = Array.from({ length: 40 }, (_, i) => `category-${i}`);
  const sku = (i: number) => `SKU-${String(i).padStart(6, '0')}`;
  return StoreConfig.parse({ storeId, name: 'Flagship', currency: 'EUR', timezone: 'Europe/Berlin',
    zones: cats.map((c, i) => ({ zoneId: `z-${i}`, name: `Aisle ${i}`, categories: [c] })),
    screens: Array.from({ length: 200 }, (_, i) => ({ screenId: `scr-${i}`, zoneId: `z-${i % 40}`, slots: 6, template: 'grid' })),
    labels: Array.from({ length: skus / 4 }, (_, i) => ({ labelId: `L-${i}`, sku: sku(i * 4), zoneId: `z-${(i * 4) % 40}` })),
    catalog: Array.from({ length: skus }, (_, i) => ({ sku: sku(i), name: `Product ${i} in ${cats[i % 40]}`, category: cats[i % 40],
      brand: `Brand ${i % 300}`, price: 1 + (i % 500) / 10, ...(i % 4 === 0 ? { memberPrice: (i % 500) / 10 } : {}),
      image: `/images/${sku(i)}.webp`, inStock: i % 17 !== 0, ...(i % 50 === 0 ? { promo: true } : {}) })) });
}

/** One engine instance's store side: registry from the file, synchronised with Redis, behind the real HTTP server. */
async function instance(redisUrl: string, prefix: string, file: StoreConfig[], tokens: TokenEntry[]) {
  const kv: Kv = await createRedisKv({ url: redisUrl, log: silentLogger(), commandTimeoutMs: 5000 });
  const stores = createStoreRegistry(file);
  const repo = createStoreRepo({ kv, keys: createKeys(prefix), origin: uniqueId('inst') });
  const sync = createStoreSync({ stores, repo });
  await sync.load();
  await sync.watch();
  const api = createApi({ stores, metrics: createMetrics(), log: silentLogger(), startedAt: 0, live: () => ({}), screenToken: () => undefined,
    ready: () => ({}), verify: (t) => tokens.find((x) => x.token === t), saveStore: (c) => sync.save(c) });
  const server: Server = createHttpServer({ fetch: api.fetch });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { stores, kv, base,
    async close() { server.closeAllConnections(); await new Promise<void>((r) => server.close(() => r())); await kv.close(); } };
}

describe('PUT /api/v1/stores/{id} is stored in Redis', () => {
  const redisUrl = inject('redisUrl');
  const open: { close(): Promise<void> }[] = [];
  const prefixes: string[] = [];
  const fresh = () => { const p = `${uniqueId('test')}:`; prefixes.push(p); return p; };
  afterEach(async () => { for (const o of open.splice(0)) await o.close(); });
  afterAll(async () => { for (const p of prefixes) await dropPrefix(redisUrl, p); });

  const storeId = uniqueId('t');
  const tokens: TokenEntry[] = [{ token: `tok-merch-${storeId}-xxx`, role: 'merchandiser', storeId }];
  const put = (base: string, body: unknown) => fetch(`${base}/api/v1/stores/${storeId}`, { method: 'PUT',
    headers: { authorization: `Bearer ${tokens[0]!.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('seeds Redis from the file, stores a PUT, and a restart sees the PUT, not the file', async () => {
    const prefix = fresh();
    const file = testStore(storeId);
    const a = await instance(redisUrl, prefix, [file], tokens);
    open.push(a);
    const r = new Redis(redisUrl);
    try {
      expect(JSON.parse((await r.get(`${prefix}store:${storeId}`))!)).toEqual(file); // the seed
      const res = await put(a.base, { ...file, name: 'Renamed through the API' });
      expect(res.status).toBe(200);
      expect(JSON.parse((await r.get(`${prefix}store:${storeId}`))!).name).toBe('Renamed through the API');
    } finally { r.disconnect(); }
    await a.close(); open.pop();

    // A restart: same file, same prefix.
    const b = await instance(redisUrl, prefix, [file], tokens);
    open.push(b);
    expect(b.stores.get(storeId)!.config.name).toBe('Renamed through the API');
  });

  it('another running instance takes the PUT from the change notice', async () => {
    const prefix = fresh();
    const file = testStore(storeId);
    const a = await instance(redisUrl, prefix, [file], tokens);
    const b = await instance(redisUrl, prefix, [file], tokens);
    open.push(a, b);
    expect((await put(a.base, { ...file, name: 'Seen everywhere' })).status).toBe(200);
    await eventually(async () => (b.stores.get(storeId)!.config.name === 'Seen everywhere' ? true : undefined));
  });

  it('refuses to create a store that is not configured (404) and stores nothing', async () => {
    const prefix = fresh();
    const other = uniqueId('nope');
    const all: TokenEntry[] = [{ token: 'tok-merch-every-store-x', role: 'merchandiser', storeId: '*' }];
    const a = await instance(redisUrl, prefix, [testStore(storeId)], all);
    open.push(a);
    const res = await fetch(`${a.base}/api/v1/stores/${other}`, { method: 'PUT',
      headers: { authorization: 'Bearer tok-merch-every-store-x', 'content-type': 'application/json' }, body: JSON.stringify(testStore(other)) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store.not_found');
    expect(await a.kv.get(`${prefix}store:${other}`)).toBeNull();
  });

  it('takes a 40k-SKU catalog within the 8 MiB limit, and refuses a larger body with 413 before reading it', async () => {
    const prefix = fresh();
    const big = bigStore(storeId);
    const body = JSON.stringify(big);
    expect(body.length).toBeLessThan(8 * 1024 * 1024);
    const a = await instance(redisUrl, prefix, [testStore(storeId)], tokens);
    open.push(a);
    const res = await put(a.base, big);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ storeId, zones: 40, screens: 200 });
    expect(a.stores.get(storeId)!.catalog.bySku.size).toBe(40_000);
    expect((await a.kv.get(`${prefix}store:${storeId}`))!.length).toBe(body.length);

    const tooBig = await fetch(`${a.base}/api/v1/stores/${storeId}`, { method: 'PUT',
      headers: { authorization: `Bearer ${tokens[0]!.token}`, 'content-type': 'application/json' }, body: body + ' '.repeat(8 * 1024 * 1024 - body.length + 1) });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: unknown }).error).toMatchObject({ code: 'body.too_large', message: expect.stringContaining('8 MiB') });
  });
});
