import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { RuleInput } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import type { Kv } from '../../engine/platform/kv.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { createRuleStore, type RuleStore } from '../../engine/rules/rule-store.js';
import { dropPrefix } from '../helpers/engine.js';
import { uniqueId } from '../helpers/fixtures.js';

const dwell: RuleInput = { ruleId: 'dwell-coffee', name: 'Lingering at the coffee wall', target: { zones: ['z-coffee'] },
  trigger: { type: 'dwell', seconds: 45 }, actions: { pin: ['SKU-COFFEE-1'], badge: 'Offer' }, caps: { perShopperPerVisit: 1 } };

/** Polls until `fn` is true; resolves with the milliseconds it took. */
async function within(ms: number, fn: () => boolean): Promise<number> {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - t0;
}

describe('rule store on Redis, two instances', () => {
  const redisUrl = inject('redisUrl');
  const prefixes: string[] = [];
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => { for (const o of open.splice(0).reverse()) await o.close(); });
  afterAll(async () => { for (const p of prefixes) await dropPrefix(redisUrl, p); });

  async function instance(prefix: string, origin: string, reloadEveryMs?: number): Promise<{ store: RuleStore; kv: Kv }> {
    const kv = await createRedisKv({ url: redisUrl, log: silentLogger(), commandTimeoutMs: 5000 });
    const store = createRuleStore({ kv, keys: createKeys(prefix), origin, reloadEveryMs });
    await store.start();
    open.push(kv, store);
    return { store, kv };
  }
  const fresh = () => { const p = `${uniqueId('test')}:`; prefixes.push(p); return p; };

  it('a change on A is in B\'s snapshot within one second; hash, history and notice are written together', async () => {
    const prefix = fresh();
    const a = await instance(prefix, 'a');
    const b = await instance(prefix, 'b');
    const r = new Redis(redisUrl);
    const notices: string[] = [];
    await r.subscribe(`${prefix}rules:changed`);
    r.on('message', (_c: string, m: string) => notices.push(m));
    try {
      await a.store.create(dwell, 'merch-1');
      expect(await within(1000, () => b.store.get('dwell-coffee')?.version === 1)).toBeLessThan(1000);
      await a.store.setEnabled('dwell-coffee', false, 'merch-1');
      await within(1000, () => b.store.get('dwell-coffee')?.enabled === false);
      await b.store.delete('dwell-coffee', 'merch-2');
      await within(1000, () => a.store.get('dwell-coffee') === undefined);
      await within(1000, () => notices.length === 3);
      expect(notices).toEqual(['a|dwell-coffee', 'a|dwell-coffee', 'b|dwell-coffee']);
    } finally { r.disconnect(); }

    const raw = new Redis(redisUrl);
    try {
      expect(await raw.hexists(createKeys(prefix).rules(), 'dwell-coffee')).toBe(0);
      const history = (await raw.lrange(createKeys(prefix).ruleVersions('dwell-coffee'), 0, -1)).map((s) => JSON.parse(s) as { version: number; action: string });
      expect(history.map((v) => [v.version, v.action])).toEqual([[3, 'delete'], [2, 'disable'], [1, 'create']]);
    } finally { raw.disconnect(); }
  });

  it('restores a deleted rule as a new version, seen by the other instance', async () => {
    const prefix = fresh();
    const a = await instance(prefix, 'a');
    const b = await instance(prefix, 'b');
    await a.store.create(dwell, 'm');
    await a.store.update('dwell-coffee', { ...dwell, name: 'Changed my mind', actions: { pin: ['SKU-COFFEE-2'] } }, 'm');
    await a.store.delete('dwell-coffee', 'm');
    await within(1000, () => b.store.get('dwell-coffee') === undefined);
    const back = await b.store.restore('dwell-coffee', 1, 'undo');
    expect(back).toMatchObject({ version: 4, name: 'Lingering at the coffee wall', actions: { pin: ['SKU-COFFEE-1'] }, updatedBy: 'undo' });
    await within(1000, () => a.store.get('dwell-coffee')?.version === 4);
    expect((await a.store.versions('dwell-coffee')).map((v) => v.action)).toEqual(['restore', 'delete', 'update', 'create']);
  });

  it('skips garbage written into the hash, and a write without a notice is picked up by the periodic reload', async () => {
    const prefix = fresh();
    const a = await instance(prefix, 'a');
    await a.store.create(dwell, 'm');
    const raw = new Redis(redisUrl);
    try {
      await raw.hset(createKeys(prefix).rules(), 'garbage', '{"ruleId":"garbage","name":');
      await raw.hset(createKeys(prefix).rules(), 'quiet', JSON.stringify({ ...a.store.get('dwell-coffee'), ruleId: 'quiet', name: 'Written by hand' }));
    } finally { raw.disconnect(); }
    const b = await instance(prefix, 'b', 200);
    expect(b.store.snapshot().map((r) => r.ruleId).sort()).toEqual(['dwell-coffee', 'quiet']);
    expect(b.store.stats()).toMatchObject({ rules: 2, invalid: 1, loaded: true });
    // A's copy had no notice for 'quiet'; B (200 ms timer) sees the next hand-made change by itself.
    const raw2 = new Redis(redisUrl);
    try { await raw2.hdel(createKeys(prefix).rules(), 'quiet'); } finally { raw2.disconnect(); }
    await within(2000, () => b.store.get('quiet') === undefined);
    expect(b.store.stats().invalid).toBe(1); // reported once, not at every reload
  });

  it('with Redis unreachable: starts, serves an empty snapshot, and refuses writes as unavailable', async () => {
    const kv = await createRedisKv({ url: 'redis://127.0.0.1:1', log: silentLogger(), connectWaitMs: 200 });
    const store = createRuleStore({ kv, keys: createKeys(fresh()) });
    open.push(kv, store);
    await store.start();
    expect(store.snapshot()).toEqual([]);
    expect(store.stats().loaded).toBe(false);
    await expect(store.create(dwell, 'm')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.versions('dwell-coffee')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
