import calculateSlot from 'cluster-key-slot';
import { beforeAll, describe, expect, it } from 'vitest';
import { Profile } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import type { Kv } from '../../engine/platform/kv.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { emptyProfile } from '../../engine/profiles/reduce.js';
import { createProfileWriter } from '../../engine/profiles/writer.js';
import { startRedisCluster, type PrivateRedisCluster } from '../fault/harness/redis-cluster.js';
import { perFileScope } from '../fault/harness/scope.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { kvContract } from '../helpers/kv-contract.js';

// The engine's Kv on a real three-master Redis Cluster (REDIS_CLUSTER=1): the same contract as on a single Redis
// (test/integration/kv-redis.test.ts) and in memory, plus what only a cluster has: slots on several nodes,
// publishes crossing nodes, a node that dies and comes back.

const scope = perFileScope();
let cluster: PrivateRedisCluster;
beforeAll(async () => { cluster = await startRedisCluster(scope); });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A Kv on the cluster, as an engine instance has one (closed before the cluster stops). */
const open = async (): Promise<Kv> => {
  const kv = await createRedisKv({ url: cluster.url, log: silentLogger(), cluster: true });
  scope.defer('kv', () => kv.close());
  return kv;
};

describe('Kv on a Redis Cluster: the contract', () => {
  kvContract(() => ({ kv: open, pass: sleep }));
});

describe('Kv on a Redis Cluster: slots and nodes', () => {
  const keys = createKeys(`${uniqueId('kvs')}:`);

  it('starts from one seed as well as from several, and the cluster spreads profiles over every master', async () => {
    const one = await createRedisKv({ url: `redis://127.0.0.1:${cluster.ports[1]}`, log: silentLogger(), cluster: true });
    scope.defer('kv', () => one.close());
    expect(one.isUp()).toBe(true);
    const ids = Array.from({ length: 30 }, (_, i) => `c-${i}`);
    await one.setMany(ids.map((id) => ({ key: keys.profile(id), value: id })));
    const nodes = new Set(await Promise.all(ids.map((id) => cluster.nodeOf(keys.profile(id)))));
    expect(nodes.size).toBe(3);
    // Read back through another client, and straight from the node that holds each.
    expect(await (await open()).mget(ids.map(keys.profile))).toEqual(ids);
    const c9 = await cluster.nodeOf(keys.profile('c-9'));
    expect(await cluster.node(c9).get(keys.profile('c-9'))).toBe('c-9');
  });

  it('puts the keys of every multi-key operation in one slot, as the servers themselves count it', async () => {
    const r = cluster.node(0);
    const slot = (key: string) => r.cluster('KEYSLOT', key) as Promise<number>;
    const groups = [
      [keys.profile('c-1042'), keys.seen('c-1042', 's-001', 'e-9')],
      [keys.rules(), keys.ruleVersions('r-1'), keys.ruleVersions('r-2')],
      [keys.experiments(), keys.experimentVersions('e-1')],
      [keys.experimentMark('e-1', 'imp', 'd-1'), keys.experimentExposed('e-1', 'a'), keys.experimentCounts('e-1', 'a')],
      [keys.experimentMark('e-1', 'conv', 's-1:ev-1'), keys.experimentConverted('e-1', 'b'), keys.experimentRevenue('e-1', 'b')],
      [keys.visitMark('c-1', 's-1', 'd-1', 1), keys.visitsByYear('c-1')],
    ];
    for (const group of groups) {
      const slots = await Promise.all(group.map(slot));
      expect(new Set(slots).size, group.join(' ')).toBe(1);
      expect(slots[0]).toBe(calculateSlot(group[0]!));
    }
  });

  it('refuses a script whose keys are in two slots (so the tags are what keeps the engine working)', async () => {
    const kv = await open();
    // A de-dupe mark without the profile's tag: Redis answers CROSSSLOT.
    const other = ['c-a', 'c-b', 'c-c', 'c-d'].find((c) => calculateSlot(keys.seen(c, 's', 'e')) !== calculateSlot(keys.profile('c-1')))!;
    await expect(kv.commitOnce({ key: keys.profile('c-1'), expected: null, value: 'x', seenKey: keys.seen(other, 's', 'e'), seenTtlMs: 1000 }))
      .rejects.toThrow(/CROSSSLOT/);
  });

  it('delivers a publish made on any node to a subscriber connected to another node', async () => {
    const kv = await open();
    const channel = keys.profileChanged();
    const got: string[] = [];
    await kv.subscribe(channel, (m) => got.push(m));
    // PUBSUB NUMSUB counts a node's own subscribers only: it tells which node the subscription lives on.
    const onNode = await eventually(async () => {
      const counts = await Promise.all([0, 1, 2].map(async (i) => Number(((await cluster.node(i).pubsub('NUMSUB', channel)) as [string, number])[1])));
      const i = counts.findIndex((n) => n > 0);
      return i >= 0 ? i : undefined;
    });
    for (const i of [0, 1, 2]) await cluster.node(i).publish(channel, `from-${i}`);
    await eventually(() => (got.length === 3 ? true : undefined));
    expect(got.sort()).toEqual(['from-0', 'from-1', 'from-2']);
    expect([0, 1, 2].filter((i) => i !== onNode)).toHaveLength(2);
    // And through the Kv itself, whichever node the PUBLISH goes to; a key's notice reaches it from the key's node.
    await (await open()).publish(channel, 'via-kv');
    const writer = await open();
    await writer.commitOnce({ key: keys.profile('c-pub'), expected: null, value: 'v', seenKey: keys.seen('c-pub', 's', 'e'), seenTtlMs: 60_000,
      channel, notice: 'via-script' });
    await eventually(() => (got.includes('via-kv') && got.includes('via-script') ? true : undefined));
  });

  it('applies each event exactly once while two instances race on one customer (the profile writer)', async () => {
    const [kvA, kvB] = await Promise.all([open(), open()]);
    const clock = { now: () => Date.now() };
    const a = createProfileWriter({ kv: kvA!, keys, log: silentLogger(), clock, origin: 'a' });
    const b = createProfileWriter({ kv: kvB!, keys, log: silentLogger(), clock, origin: 'b' });
    const add = (id: string) => (p: Profile | undefined, now: number) => {
      const base = p ?? emptyProfile('c-race', now);
      return { ...base, points: base.points + 1, skuCounts: { ...base.skuCounts, [id]: 1 } };
    };
    const ids = Array.from({ length: 60 }, (_, i) => `ev-${i}`);
    const outcomes = await Promise.all(ids.flatMap((id) => [a.applyOnce('c-race', 's-1', id, add(id)), b.applyOnce('c-race', 's-1', id, add(id))]));
    const p = Profile.parse(JSON.parse((await kvA!.get(keys.profile('c-race')))!));
    expect(p.points).toBe(60);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(60);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(60);
  });

  it('fails fast while a master is down, and serves every slot again, its subscriptions included, once it is back', async () => {
    const kv = await open();
    const channel = keys.storeChanged();
    const got: string[] = [];
    await kv.subscribe(channel, (m) => got.push(m));
    // The master the subscription lives on is the one that dies.
    const victim = await eventually(async () => {
      const counts = await Promise.all([0, 1, 2].map(async (i) => Number(((await cluster.node(i).pubsub('NUMSUB', channel)) as [string, number])[1])));
      const i = counts.findIndex((n) => n > 0);
      return i >= 0 ? i : undefined;
    });
    const ids = Array.from({ length: 30 }, (_, i) => `d-${i}`);
    await kv.setMany(ids.map((id) => ({ key: keys.device(id), value: id })));
    const served = await Promise.all(ids.map((id) => cluster.nodeOf(keys.device(id))));
    expect(served).toContain(victim);
    await cluster.kill(victim);
    // A batch that needs the dead node's slots answers at once (an error the caller falls back on), never hangs.
    const t0 = Date.now();
    await expect(kv.mget(ids.map(keys.device))).rejects.toThrow();
    await expect(kv.setMany(ids.map((id) => ({ key: keys.device(id), value: 'x' })))).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);
    // Meanwhile the subscription moves to a live node by itself: a publish there reaches it.
    await eventually(async () => {
      await cluster.node((victim + 1) % 3).publish(channel, 'while-down');
      return got.includes('while-down') ? true : undefined;
    }, 20_000, 200);
    await cluster.start(victim);
    // Back (empty: the test nodes persist nothing), and every slot answers again.
    await eventually(async () => {
      await kv.setMany(ids.map((id) => ({ key: keys.device(id), value: `again-${id}` })));
      return true;
    }, 20_000, 200);
    expect(await kv.mget(ids.map(keys.device))).toEqual(ids.map((id) => `again-${id}`));
    expect(kv.isUp()).toBe(true);
    // The subscription moved to a live node and came back by itself.
    await eventually(async () => {
      await cluster.node((victim + 1) % 3).publish(channel, 'after');
      return got.includes('after') ? true : undefined;
    }, 20_000, 200);
  });
  // Last: it stops the whole cluster.
  it('starts while the whole cluster is down, serving fallbacks, and subscribes and serves once it is up', async () => {
    await Promise.all([0, 1, 2].map((i) => cluster.kill(i)));
    const t0 = Date.now();
    const kv = await createRedisKv({ url: cluster.url, log: silentLogger(), cluster: true, connectWaitMs: 500 });
    scope.defer('kv', () => kv.close());
    expect(kv.isUp()).toBe(false);
    const got: string[] = [];
    await kv.subscribe(keys.alertsChanged(), (m) => got.push(m));
    await expect(kv.get(keys.device('d-1'))).rejects.toThrow();
    await expect(kv.setMany([{ key: keys.device('d-1'), value: '1' }, { key: keys.device('d-2'), value: '2' }])).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);
    const up = new Promise<void>((r) => kv.onUp(r));
    await Promise.all([0, 1, 2].map((i) => cluster.start(i)));
    await up;
    expect(kv.isUp()).toBe(true);
    await kv.setMany([{ key: keys.device('d-1'), value: '1' }, { key: keys.device('d-2'), value: '2' }]);
    expect(await kv.mget([keys.device('d-2'), keys.device('d-1')])).toEqual(['2', '1']);
    // The subscription asked for while the cluster was down is in place.
    await eventually(async () => {
      await kv.publish(keys.alertsChanged(), 'hello');
      return got.includes('hello') ? true : undefined;
    }, 20_000, 200);
  });
});
