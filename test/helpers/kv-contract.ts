import { describe, expect, it } from 'vitest';
import { createKeys, type Keys } from '../../engine/platform/keys.js';
import type { Kv } from '../../engine/platform/kv.js';
import { eventually } from './eventually.js';
import { uniqueId } from './fixtures.js';

/** What the contract runs on: the same checks for memory, a single Redis and a Redis Cluster. */
export type KvRig = {
  /**
   * Another instance's view of the store: a new connection on Redis (a Kv of its own, as another engine process
   * has), the one shared Kv in memory. Closed by the rig.
   */
  kv(): Promise<Kv>;
  /** Lets `ms` of the store's time pass (a real wait on Redis, the manual clock in memory). */
  pass(ms: number): Promise<void>;
};

/**
 * The Kv contract (engine/platform/kv.ts) with the engine's own keys, so on a cluster every multi-key call below
 * also proves its keys share a slot (a cross-slot script or MULTI fails with CROSSSLOT).
 */
export function kvContract(rig: () => KvRig, prefix = `${uniqueId('kvc')}-`): void {
  let n = 0;
  /** Keys of their own for each check, all under `prefix` (which the caller may drop afterwards). */
  const fresh = (): Keys => createKeys(`${prefix}${++n}:`);
  const heard = (kv: Kv, channel: string): Promise<string[]> => {
    const got: string[] = [];
    return kv.subscribe(channel, (m) => got.push(m)).then(() => got);
  };

  describe('strings', () => {
    it('get, set with and without a TTL, del and pttl', async () => {
      const k = fresh();
      const kv = await rig().kv();
      expect(await kv.get(k.device('d-1'))).toBeNull();
      expect(await kv.pttl(k.device('d-1'))).toBe(-2);
      await kv.set(k.device('d-1'), 'c-1');
      expect(await kv.get(k.device('d-1'))).toBe('c-1');
      expect(await kv.pttl(k.device('d-1'))).toBe(-1);
      await kv.set(k.device('d-2'), 'c-2', 60_000);
      const left = await kv.pttl(k.device('d-2'));
      expect(left).toBeGreaterThan(50_000);
      expect(left).toBeLessThanOrEqual(60_000);
      await kv.del(k.device('d-1'));
      expect(await kv.get(k.device('d-1'))).toBeNull();
      expect(await kv.pttl(k.device('d-1'))).toBe(-2);
    });

    it('mget answers keys of many slots in the order asked, absent ones null', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const ids = Array.from({ length: 60 }, (_, i) => `c-${i}`);
      // Every third profile exists; ask in a shuffled order with repeats.
      await kv.setMany(ids.filter((_, i) => i % 3 === 0).map((id) => ({ key: k.profile(id), value: `p-${id}` })));
      const asked = [...ids].reverse().concat(ids.slice(0, 5));
      const got = await kv.mget(asked.map(k.profile));
      expect(got).toEqual(asked.map((id) => (Number(id.slice(2)) % 3 === 0 ? `p-${id}` : null)));
      expect(await kv.mget([])).toEqual([]);
    });

    it('setMany writes keys of many slots, with their TTLs, the last of a repeated key winning', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const entries = Array.from({ length: 40 }, (_, i) => ({ key: k.device(`d-${i}`), value: `v-${i}`, ttlMs: i % 2 ? 60_000 : undefined }));
      await kv.setMany([...entries, { key: k.device('d-0'), value: 'last' }]);
      expect(await kv.mget(entries.map((e) => e.key))).toEqual(['last', ...entries.slice(1).map((e) => e.value)]);
      expect(await kv.pttl(entries[1]!.key)).toBeGreaterThan(50_000);
      expect(await kv.pttl(entries[2]!.key)).toBe(-1);
      await kv.setMany([]);
    });

    it('setNx sets only when absent, for its TTL', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const key = k.alertCooldown('s-1', 'c-1');
      expect(await kv.setNx(key, 200)).toBe(true);
      expect(await kv.setNx(key, 200)).toBe(false);
      await rig().pass(400);
      expect(await kv.setNx(key, 200)).toBe(true);
    });
  });

  describe('commitOnce (a profile and its de-dupe mark)', () => {
    it('applies once, answers duplicate for the same mark and conflict for a stale read, and publishes the notice', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const notices = await heard(await rig().kv(), k.profileChanged());
      const commit = (eventId: string, expected: string | null, value: string) =>
        kv.commitOnce({ key: k.profile('c-1042'), expected, value, seenKey: k.seen('c-1042', 's-001', eventId), seenTtlMs: 60_000,
          channel: k.profileChanged(), notice: `o|c-1042|${eventId}` });
      expect(await commit('e-1', null, 'v1')).toBe('ok');
      expect(await kv.mget([k.profile('c-1042'), k.seen('c-1042', 's-001', 'e-1')])).toEqual(['v1', '1']);
      expect(await kv.pttl(k.seen('c-1042', 's-001', 'e-1'))).toBeGreaterThan(50_000);
      expect(await commit('e-1', 'v1', 'again')).toBe('duplicate');
      expect(await commit('e-2', null, 'v2')).toBe('conflict');
      expect(await commit('e-2', 'stale', 'v2')).toBe('conflict');
      expect(await kv.get(k.seen('c-1042', 's-001', 'e-2'))).toBeNull();
      expect(await commit('e-2', 'v1', 'v2')).toBe('ok');
      expect(await kv.get(k.profile('c-1042'))).toBe('v2');
      await eventually(() => (notices.length === 2 ? true : undefined));
      expect(notices).toEqual(['o|c-1042|e-1', 'o|c-1042|e-2']);
    });

    it('lets exactly one of racing writers apply an event', async () => {
      const k = fresh();
      const kvs = await Promise.all(Array.from({ length: 6 }, () => rig().kv()));
      const outcomes = await Promise.all(kvs.map((kv, i) => kv.commitOnce({ key: k.profile('c-7'), expected: null, value: `w${i}`,
        seenKey: k.seen('c-7', 's-1', 'e-1'), seenTtlMs: 60_000 })));
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'duplicate' || o === 'conflict')).toBe(true);
    });
  });

  describe('commitVersion (a hash field and its history)', () => {
    it('creates, changes and deletes a record with its history, refusing stale reads, trimming, publishing', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const notices = await heard(await rig().kv(), k.rulesChanged());
      const commit = (expected: string | null, value: string | null, expectedHead: string | null, entry: string) =>
        kv.commitVersion({ hash: k.rules(), field: 'r-1', expected, value, history: k.ruleVersions('r-1'), expectedHead, entry, keep: 2,
          channel: k.rulesChanged(), notice: `o|r-1|${entry}` });
      expect(await commit(null, 'A', null, 'h1')).toBe('ok');
      expect(await commit(null, 'B', 'h1', 'h2')).toBe('conflict');
      expect(await commit('A', 'B', null, 'h2')).toBe('conflict');
      expect(await commit('A', 'B', 'h1', 'h2')).toBe('ok');
      expect(await commit('B', null, 'h2', 'h3')).toBe('ok');
      expect(await kv.hget(k.rules(), 'r-1')).toBeNull();
      expect(await kv.hgetall(k.rules())).toEqual({});
      expect(await kv.lrange(k.ruleVersions('r-1'), 0, -1)).toEqual(['h3', 'h2']);
      expect(await commit(null, 'C', 'h3', 'h4')).toBe('ok');
      expect(await kv.hgetall(k.rules())).toEqual({ 'r-1': 'C' });
      const e = await kv.commitVersion({ hash: k.experiments(), field: 'e-1', expected: null, value: 'E', history: k.experimentVersions('e-1'),
        expectedHead: null, entry: 'x1', keep: 200, channel: k.experimentsChanged(), notice: 'o|e-1' });
      expect(e).toBe('ok');
      expect(await kv.hget(k.experiments(), 'e-1')).toBe('E');
      await eventually(() => (notices.length === 4 ? true : undefined));
      expect(notices).toEqual(['o|r-1|h1', 'o|r-1|h2', 'o|r-1|h3', 'o|r-1|h4']);
    });
  });

  describe('countOnce (experiment and visit counters with their marks)', () => {
    it('counts an impression and a conversion once each, every counter expiring', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const imp = (decisionId: string, customerId: string) => kv.countOnce({ mark: k.experimentMark('e-1', 'imp', decisionId), markTtlMs: 60_000, ttlMs: 60_000,
        sadd: [{ key: k.experimentExposed('e-1', 'treatment'), member: customerId }],
        hincr: [{ key: k.experimentCounts('e-1', 'treatment'), field: 'impressions', by: 1 }] });
      expect(await imp('d-1', 'c-1')).toBe('ok');
      expect(await imp('d-1', 'c-1')).toBe('duplicate');
      expect(await imp('d-2', 'c-1')).toBe('ok');
      expect(await imp('d-3', 'c-2')).toBe('ok');
      expect(await kv.scard(k.experimentExposed('e-1', 'treatment'))).toBe(2);
      expect(await kv.hgetall(k.experimentCounts('e-1', 'treatment'))).toEqual({ impressions: '3' });
      expect(await kv.pttl(k.experimentExposed('e-1', 'treatment'))).toBeGreaterThan(50_000);
      expect(await kv.pttl(k.experimentCounts('e-1', 'treatment'))).toBeGreaterThan(50_000);
      // Several sets and hashes in one step: each member and amount lands in its own key.
      const conv = () => kv.countOnce({ mark: k.experimentMark('e-1', 'conv', 's-1:ev-1'), markTtlMs: 60_000, ttlMs: 60_000,
        sadd: [{ key: k.experimentConverted('e-1', 'treatment'), member: 'c-1' }, { key: k.experimentConverted('e-1', 'control'), member: 'c-9' }],
        hincr: [{ key: k.experimentRevenue('e-1', 'treatment'), field: 'c-1', by: 12.5 }, { key: k.experimentRevenue('e-1', 'control'), field: 'c-9', by: 2.25 }] });
      expect(await conv()).toBe('ok');
      expect(await conv()).toBe('duplicate');
      expect(await kv.scard(k.experimentConverted('e-1', 'treatment'))).toBe(1);
      expect(await kv.scard(k.experimentConverted('e-1', 'control'))).toBe(1);
      expect(Number((await kv.hgetall(k.experimentRevenue('e-1', 'treatment')))['c-1'])).toBe(12.5);
      expect(Number((await kv.hgetall(k.experimentRevenue('e-1', 'control')))['c-9'])).toBe(2.25);
      expect(await kv.scard(k.experimentConverted('e-1', 'nobody'))).toBe(0);
    });

    it('counts a visit once per customer and year', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const visit = (enteredAt: number) => kv.countOnce({ mark: k.visitMark('c-1', 's-1', 'd-1', enteredAt), markTtlMs: 60_000, ttlMs: 60_000,
        hincr: [{ key: k.visitsByYear('c-1'), field: '2026', by: 1 }] });
      expect(await visit(1)).toBe('ok');
      expect(await visit(1)).toBe('duplicate');
      expect(await visit(2)).toBe('ok');
      expect(await kv.hget(k.visitsByYear('c-1'), '2026')).toBe('2');
    });
  });

  describe('claims and leases', () => {
    it('claim: exactly one of racing callers wins; only the holder releases', async () => {
      const k = fresh();
      const kvs = await Promise.all(Array.from({ length: 8 }, () => rig().kv()));
      const key = k.alertClaim('s-1', 'a-1');
      const holders = await Promise.all(kvs.map((kv, i) => kv.claim(key, `assoc-${i}`, 60_000)));
      const winner = holders[0]!;
      expect(holders.every((h) => h === winner)).toBe(true);
      const loser = kvs.findIndex((_, i) => `assoc-${i}` !== winner);
      expect(await kvs[loser]!.release(key, `assoc-${loser}`)).toBe(false);
      expect(await kvs[0]!.get(key)).toBe(winner);
      expect(await kvs[0]!.release(key, winner)).toBe(true);
      expect(await kvs[0]!.get(key)).toBeNull();
      expect(await kvs[loser]!.claim(key, `assoc-${loser}`, 60_000)).toBe(`assoc-${loser}`);
    });

    it('lease: taken once, renewed by its holder only, taken over after it expires, released by its holder', async () => {
      const k = fresh();
      const [a, b] = await Promise.all([rig().kv(), rig().kv()]);
      const key = k.lease(0);
      expect(await a!.lease(key, 'inst-a', 800)).toBe('inst-a');
      expect(await b!.lease(key, 'inst-b', 800)).toBe('inst-a');
      await rig().pass(500);
      // Renewed: the full TTL again from now, so it outlives the first grant.
      expect(await a!.lease(key, 'inst-a', 800)).toBe('inst-a');
      expect(await a!.pttl(key)).toBeGreaterThan(600);
      await rig().pass(500);
      expect(await b!.lease(key, 'inst-b', 800)).toBe('inst-a');
      // A's renewals stop: B takes it once it has expired.
      await rig().pass(1000);
      expect(await b!.lease(key, 'inst-b', 60_000)).toBe('inst-b');
      expect(await a!.lease(key, 'inst-a', 800)).toBe('inst-b');
      expect(await a!.release(key, 'inst-a')).toBe(false);
      expect(await b!.release(key, 'inst-b')).toBe(true);
      expect(await a!.pttl(key)).toBe(-2);
    });

    it('lease: exactly one of racing instances holds each partition', async () => {
      const k = fresh();
      const kvs = await Promise.all(Array.from({ length: 6 }, () => rig().kv()));
      for (let p = 0; p < 4; p++) {
        const holders = await Promise.all(kvs.map((kv, i) => kv.lease(k.lease(p), `inst-${i}`, 60_000)));
        expect(new Set(holders).size).toBe(1);
      }
      const held = await kvs[0]!.mget([0, 1, 2, 3].map(k.lease));
      expect(held.every((h) => h !== null && /^inst-\d$/.test(h))).toBe(true);
    });
  });

  describe('hashes and lists', () => {
    it('hsetMany writes every field and the TTL; hdel removes fields, and the hash with its last one', async () => {
      const k = fresh();
      const kv = await rig().kv();
      const key = k.visits('s-001');
      expect(await kv.hgetall(key)).toEqual({});
      await kv.hsetMany(key, { 'd-1': 'v1', 'd-2': 'v2', 'd:3': 'v3' }, 60_000);
      expect(await kv.hgetall(key)).toEqual({ 'd-1': 'v1', 'd-2': 'v2', 'd:3': 'v3' });
      expect(await kv.pttl(key)).toBeGreaterThan(50_000);
      await kv.hsetMany(key, { 'd-1': 'v1b' }, 120_000);
      expect(await kv.hget(key, 'd-1')).toBe('v1b');
      expect(await kv.pttl(key)).toBeGreaterThan(110_000);
      await kv.hsetMany(key, {}, 1);
      expect(await kv.hget(key, 'd-2')).toBe('v2');
      await kv.hdel(key, ['d-1', 'nobody']);
      await kv.hdel(key, []);
      expect(await kv.hgetall(key)).toEqual({ 'd-2': 'v2', 'd:3': 'v3' });
      await kv.hdel(key, ['d-2', 'd:3']);
      expect(await kv.pttl(key)).toBe(-2);
      await kv.hsetMany(k.instances(), { 'inst-a': '{"at":1}' }, 200);
      await rig().pass(400);
      expect(await kv.hgetall(k.instances())).toEqual({});
    });

    it('pushCapped keeps the newest entries with a TTL; lrange reads them', async () => {
      const k = fresh();
      const kv = await rig().kv();
      for (let i = 0; i < 5; i++) await kv.pushCapped(k.alerts('s-1'), `a-${i}`, 3, 60_000);
      expect(await kv.lrange(k.alerts('s-1'), 0, -1)).toEqual(['a-4', 'a-3', 'a-2']);
      expect(await kv.lrange(k.alerts('s-1'), 0, 0)).toEqual(['a-4']);
      expect(await kv.lrange(k.alerts('s-1'), -1, -1)).toEqual(['a-2']);
      expect(await kv.pttl(k.alerts('s-1'))).toBeGreaterThan(50_000);
      await kv.del(k.alerts('s-1'));
      expect(await kv.lrange(k.alerts('s-1'), 0, -1)).toEqual([]);
    });
  });

  describe('publish and subscribe', () => {
    it('delivers every message to every subscriber of the channel, on other connections too', async () => {
      const k = fresh();
      const [pub, subA, subB] = await Promise.all([rig().kv(), rig().kv(), rig().kv()]);
      const a = await heard(subA!, k.storeChanged());
      const b = await heard(subB!, k.storeChanged());
      const other = await heard(subA!, k.alertsChanged());
      // In the order published (on a cluster, a PUBLISH sent to any node could overtake the one before).
      const want = Array.from({ length: 30 }, (_, i) => `o|s-${i}`);
      for (const m of want) await pub!.publish(k.storeChanged(), m);
      await eventually(() => (a.length === want.length && b.length === want.length ? true : undefined));
      expect(a).toEqual(want);
      expect(b).toEqual(want);
      expect(other).toEqual([]);
      expect(pub!.isUp()).toBe(true);
    });
  });
}
