import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { ExperimentInput } from '#contracts';
import { createApi } from '../../engine/api/index.js';
import { createExperimentStore, type ExperimentStore } from '../../engine/experiments/experiment-store.js';
import { createKeys } from '../../engine/platform/keys.js';
import type { Kv } from '../../engine/platform/kv.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createMetrics } from '../../engine/platform/metrics.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';
import { dropPrefix } from '../helpers/engine.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';

const dwell: ExperimentInput = { experimentId: 'x-dwell', name: 'Dwell offer vs holdout', ruleId: 'dwell-coffee', stores: ['s-001'] };

/** Polls until `fn` is true; resolves with the milliseconds it took. */
async function within(ms: number, fn: () => boolean): Promise<number> {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - t0;
}

describe('experiment store on Redis, two instances', () => {
  const redisUrl = inject('redisUrl');
  const prefixes: string[] = [];
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => { for (const o of open.splice(0).reverse()) await o.close(); });
  afterAll(async () => { for (const p of prefixes) await dropPrefix(redisUrl, p); });

  async function instance(prefix: string, origin: string): Promise<{ store: ExperimentStore; kv: Kv }> {
    const kv = await createRedisKv({ url: redisUrl, log: silentLogger(), commandTimeoutMs: 5000 });
    const store = createExperimentStore({ kv, keys: createKeys(prefix), origin });
    await store.start();
    open.push(kv, store);
    return { store, kv };
  }
  const fresh = () => { const p = `${uniqueId('test')}:`; prefixes.push(p); return p; };

  it('a status change on A is in B\'s snapshot within one second; hash, history and notice are written together', async () => {
    const prefix = fresh();
    const a = await instance(prefix, 'a');
    const b = await instance(prefix, 'b');
    const r = new Redis(redisUrl);
    const notices: string[] = [];
    await r.subscribe(`${prefix}experiments:changed`);
    r.on('message', (_c: string, m: string) => notices.push(m));
    try {
      await a.store.create(dwell, 'merch-1');
      await within(1000, () => b.store.get('x-dwell')?.status === 'draft');
      await a.store.setStatus('x-dwell', 'running', 'merch-1');
      expect(await within(1000, () => b.store.get('x-dwell')?.status === 'running')).toBeLessThan(1000);
      await b.store.setStatus('x-dwell', 'paused', 'merch-2');
      await within(1000, () => a.store.get('x-dwell')?.status === 'paused');
      await a.store.setStatus('x-dwell', 'stopped', 'merch-1');
      await within(1000, () => b.store.get('x-dwell')?.status === 'stopped');
      // Stopped is final on every instance, whichever one is asked.
      await expect(b.store.setStatus('x-dwell', 'running', 'merch-2')).rejects.toMatchObject({ code: 'invalid_transition' });
      await b.store.delete('x-dwell', 'merch-2');
      await within(1000, () => a.store.get('x-dwell') === undefined);
      await within(1000, () => notices.length === 5);
      expect(notices).toEqual(['a|x-dwell', 'a|x-dwell', 'b|x-dwell', 'a|x-dwell', 'b|x-dwell']);
    } finally { r.disconnect(); }

    const raw = new Redis(redisUrl);
    try {
      expect(await raw.hexists(createKeys(prefix).experiments(), 'x-dwell')).toBe(0);
      const history = (await raw.lrange(createKeys(prefix).experimentVersions('x-dwell'), 0, -1))
        .map((s) => JSON.parse(s) as { version: number; action: string; experiment?: { status: string } });
      expect(history.map((v) => [v.version, v.action, v.experiment?.status])).toEqual([
        [5, 'delete', undefined], [4, 'stop', 'stopped'], [3, 'pause', 'paused'], [2, 'start', 'running'], [1, 'create', 'draft']]);
    } finally { raw.disconnect(); }
  });

  it('restores a deleted experiment as a new version, seen by the other instance', async () => {
    const prefix = fresh();
    const a = await instance(prefix, 'a');
    const b = await instance(prefix, 'b');
    await a.store.create(dwell, 'm');
    await a.store.update('x-dwell', { ...dwell, name: 'Renamed', attributionHours: 2 }, 'm');
    await a.store.delete('x-dwell', 'm');
    await within(1000, () => b.store.get('x-dwell') === undefined);
    const back = await b.store.restore('x-dwell', 1, 'undo');
    expect(back).toMatchObject({ version: 4, name: 'Dwell offer vs holdout', attributionHours: 24, updatedBy: 'undo' });
    await within(1000, () => a.store.get('x-dwell')?.version === 4);
    expect((await a.store.versions('x-dwell')).map((v) => v.action)).toEqual(['restore', 'delete', 'update', 'create']);
  });

  it('through the API: started on instance A, B answers running within one second', async () => {
    const prefix = fresh();
    const a = await instance(prefix, 'a');
    const b = await instance(prefix, 'b');
    const token = { token: 'tok-merch-all-experiments', role: 'merchandiser' as const, storeId: '*', subject: 'merch-1' };
    const api = (store: ExperimentStore) => createApi({ stores: createStoreRegistry([testStore('s-001')]), metrics: createMetrics(), log: silentLogger(),
      startedAt: 0, live: () => ({}), screenToken: () => undefined, ready: () => ({}), verify: (t) => (t === token.token ? token : undefined),
      experiments: store, ruleExists: (id) => id === 'dwell-coffee', report: async () => null });
    const send = (app: ReturnType<typeof api>, method: string, path: string, body?: unknown) => app.request(`/api/v1/experiments${path}`,
      { method, headers: { authorization: `Bearer ${token.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const [apiA, apiB] = [api(a.store), api(b.store)];
    expect((await send(apiA, 'POST', '', dwell)).status).toBe(201);
    expect((await send(apiA, 'POST', '/x-dwell/start')).status).toBe(200);
    await within(1000, () => b.store.get('x-dwell')?.status === 'running');
    const read = await send(apiB, 'GET', '/x-dwell');
    expect(await read.json()).toMatchObject({ experiment: { status: 'running', version: 2, updatedBy: 'merch-1' }, report: null });
  });

  it('with Redis unreachable: starts, serves an empty snapshot, and refuses changes as unavailable', async () => {
    const kv = await createRedisKv({ url: 'redis://127.0.0.1:1', log: silentLogger(), connectWaitMs: 200 });
    const store = createExperimentStore({ kv, keys: createKeys(fresh()) });
    open.push(kv, store);
    await store.start();
    expect(store.snapshot()).toEqual([]);
    expect(store.stats()).toMatchObject({ experiments: 0, loaded: false });
    await expect(store.create(dwell, 'm')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.setStatus('x-dwell', 'running', 'm')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
