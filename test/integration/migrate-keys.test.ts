import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Profile, Visit, type ExperimentInput, type RuleInput } from '#contracts';
import { createExperimentStore } from '../../engine/experiments/experiment-store.js';
import { createTracking } from '../../engine/experiments/tracking.js';
import { createKeys } from '../../engine/platform/keys.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { createProfileStore } from '../../engine/profiles/store.js';
import { createRuleStore } from '../../engine/rules/rule-store.js';
import { createVisitStore } from '../../engine/visits/store.js';
import { migrate, type Summary } from '../../scripts/migrate-keys.js';
import { dropPrefix } from '../helpers/engine.js';
import { uniqueId } from '../helpers/fixtures.js';

const DAY = 86_400_000;
const dwell: RuleInput = { ruleId: 'dwell-coffee', name: 'Lingering at the coffee wall', target: { zones: ['z-coffee'] },
  trigger: { type: 'dwell', seconds: 45 }, actions: { pin: ['SKU-COFFEE-1'], badge: 'Offer' }, caps: { perShopperPerVisit: 1 } };
const experiment: ExperimentInput = { experimentId: 'x-dwell', name: 'Dwell offer vs holdout', ruleId: 'dwell-coffee', stores: ['s-001'] };

/** Every key under a prefix with its type, TTL state and content: what a run that changes nothing leaves equal. */
async function snapshot(r: Redis, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of (await r.keys(`${prefix}*`)).sort()) {
    const type = await r.type(k);
    const v = type === 'string' ? await r.get(k) : type === 'hash' ? await r.hgetall(k) : type === 'list' ? await r.lrange(k, 0, -1)
      : type === 'set' ? (await r.smembers(k)).sort() : null;
    out[k] = `${type} ${(await r.pttl(k)) > 0 ? 'ttl' : 'persistent'} ${JSON.stringify(v)}`;
  }
  return out;
}
const moved = (s: Summary) => Object.values(s.kinds).reduce((n, c) => n + c.moved + c.dropped, 0);

describe('npm run migrate-keys: old key names to the hash-tagged ones', () => {
  const redisUrl = inject('redisUrl');
  const prefixes: string[] = [];
  afterAll(async () => { for (const p of prefixes) await dropPrefix(redisUrl, p); });
  const fresh = (p: string) => { const x = `${uniqueId(p)}:`; prefixes.push(x); return x; };

  it('moves what the old version wrote so the engine reads it; drops old marks; a second run changes nothing', async () => {
    const prefix = fresh('mig');
    const keys = createKeys(prefix);
    const r = new Redis(redisUrl);
    const kv = await createRedisKv({ url: redisUrl, log: silentLogger(), commandTimeoutMs: 5000 });
    const closing: { close(): Promise<void> }[] = [kv];
    try {
      // Real rule and experiment JSON (records and histories), written by this version's stores under a scratch
      // prefix, then copied under the old names: rules, rules:versions:<r>, experiments, experiments:versions:<e>.
      const scratch = createKeys(fresh('mig-src'));
      const rulesSrc = createRuleStore({ kv, keys: scratch, origin: 'src' });
      const expSrc = createExperimentStore({ kv, keys: scratch, origin: 'src' });
      await rulesSrc.start();
      await expSrc.start();
      closing.push(rulesSrc, expSrc);
      await rulesSrc.create(dwell, 'merch-1');
      await rulesSrc.setEnabled('dwell-coffee', false, 'merch-1');
      const created = await expSrc.create(experiment, 'merch-1');
      const arms = created.arms.map((a) => a.armId);
      expect(arms.length).toBeGreaterThanOrEqual(2);
      await r.hset(`${prefix}rules`, await r.hgetall(scratch.rules()));
      await r.rpush(`${prefix}rules:versions:dwell-coffee`, ...await r.lrange(scratch.ruleVersions('dwell-coffee'), 0, -1));
      await r.hset(`${prefix}experiments`, await r.hgetall(scratch.experiments()));
      await r.rpush(`${prefix}experiments:versions:x-dwell`, ...await r.lrange(scratch.experimentVersions('x-dwell'), 0, -1));

      // Profiles as the old version stored them; c-2 has a profile under the new name too (that one wins).
      const mia = Profile.parse({ customerId: 'c-1', displayName: 'Mia', tier: 'gold', points: 420, vip: true,
        affinities: { coffee: 0.9 }, consent: { personalization: true, displayName: true, associateAlerts: true } });
      await r.set(`${prefix}profile:c-1`, JSON.stringify(mia));
      await r.set(`${prefix}profile:c-2`, JSON.stringify(Profile.parse({ customerId: 'c-2', points: 1 })));
      await r.set(keys.profile('c-2'), JSON.stringify(Profile.parse({ customerId: 'c-2', points: 2 })));
      await r.set(`${prefix}profile:a:b`, JSON.stringify(Profile.parse({ customerId: 'a:b', tier: 'silver' })));

      // Experiment counters and marks with their 30-day TTL.
      const [arm0, arm1] = arms as [string, string];
      await r.sadd(`${prefix}exp:x-dwell:${arm0}:exposed`, 'c-1', 'c-2');
      await r.sadd(`${prefix}exp:x-dwell:${arm0}:converted`, 'c-1');
      await r.hset(`${prefix}exp:x-dwell:${arm0}:counts`, 'impressions', '5');
      await r.hset(`${prefix}exp:x-dwell:${arm0}:revenue`, 'c-1', '12.5');
      await r.sadd(`${prefix}exp:x-dwell:${arm1}:exposed`, 'c-3');
      await r.hset(`${prefix}exp:x-dwell:${arm1}:counts`, 'impressions', '1');
      await r.set(`${prefix}exp:x-dwell:imp:dec-1`, '1', 'PX', 30 * DAY);
      for (const k of await r.keys(`${prefix}exp:x-dwell:*`)) await r.pexpire(k, 30 * DAY);

      // Yearly visit counts, a visit mark, an event's de-dupe mark.
      await r.hset(`${prefix}visits:c-1`, '2025', '3', '2026', '1');
      await r.pexpire(`${prefix}visits:c-1`, 365 * DAY);
      await r.set(`${prefix}visits:mark:s-001:d-1:1700000000000`, '1', 'PX', DAY);
      await r.set(`${prefix}seen:s-001:ev-1`, '1', 'PX', 30 * DAY);

      // An open visit (one key each in the old layout), and the store's hash already holding another device.
      const now = Date.now();
      const visit = (deviceId: string): Visit => Visit.parse({ storeId: 's-001', deviceId, customerId: 'c-1', enteredAt: now - 60_000,
        lastSeenAt: now - 1_000, lastEventTs: now - 1_000, zoneId: 'z-coffee', zoneEnteredAt: now - 30_000, dwellMs: {},
        zonesVisited: ['z-coffee'], eslSkus: [], eslCount: 0 });
      await r.set(`${prefix}visit:s-001:d-1`, JSON.stringify(visit('d-1')), 'PX', 600_000);
      await r.hset(keys.visits('s-001'), 'd-2', JSON.stringify(visit('d-2')));
      await r.pexpire(keys.visits('s-001'), 60_000);

      // Keys of this version and unrenamed ones stay as they are; a hash under visits: that is no yearly count is left.
      await r.hset(keys.visitsByYear('c-3'), '2026', '7');
      await r.set(keys.device('d-1'), 'c-1');
      await r.hset(`${prefix}visits:odd`, 'not-a-year', '1');

      // Dry run: reports, changes nothing.
      const before = await snapshot(r, prefix);
      const dry = await migrate(r, prefix, { dryRun: true, batchSize: 7 });
      expect(await snapshot(r, prefix)).toEqual(before);
      expect(dry.dryRun).toBe(true);

      const run = await migrate(r, prefix, { batchSize: 7 });
      for (const s of [dry, run]) {
        expect(s.kinds.profile).toEqual({ moved: 2, 'skipped-exists': 1, dropped: 0, left: 0 });
        expect(s.kinds.rules).toEqual({ moved: 1, 'skipped-exists': 0, dropped: 0, left: 0 });
        expect(s.kinds['rule-versions'].moved).toBe(1);
        expect(s.kinds.experiments.moved).toBe(1);
        expect(s.kinds['experiment-versions'].moved).toBe(1);
        expect(s.kinds['experiment-keys'].moved).toBe(7);
        expect(s.kinds['visits-year']).toEqual({ moved: 1, 'skipped-exists': 0, dropped: 0, left: 1 });
        expect(s.kinds.visit.moved).toBe(1);
        expect(s.kinds.seen.dropped).toBe(1);
        expect(s.kinds['visit-mark'].dropped).toBe(1);
        expect(s.attention.map((a) => `${a.outcome} ${a.key}`).sort()).toEqual([`left ${prefix}visits:odd`, `skipped-exists ${prefix}profile:c-2`]);
      }

      // The engine reads everything under the new names.
      const clock = { now: () => Date.now() };
      const profiles = createProfileStore({ kv, keys, log: silentLogger(), cacheSize: 10, origin: 'test', clock });
      expect((await profiles.get('c-1')).profile).toEqual(mia);
      expect((await profiles.get('c-2')).profile?.points).toBe(2); // the new one was not overwritten
      expect(await r.exists(`${prefix}profile:c-2`)).toBe(1); // the old one stays, reported
      expect((await profiles.get('a:b')).profile?.tier).toBe('silver');

      const rules = createRuleStore({ kv, keys, origin: 'test' });
      const exps = createExperimentStore({ kv, keys, origin: 'test' });
      await rules.start();
      await exps.start();
      closing.push(rules, exps);
      expect(rules.get('dwell-coffee')).toMatchObject({ ruleId: 'dwell-coffee', enabled: false, version: 2 });
      expect((await rules.versions('dwell-coffee')).map((v) => v.version)).toEqual([2, 1]);
      expect(exps.get('x-dwell')).toMatchObject({ experimentId: 'x-dwell', status: 'draft' });

      const tracking = createTracking({ kv, keys, clock, log: silentLogger(), experiments: exps });
      const counts = await tracking.counts(exps.get('x-dwell')!);
      expect(counts.find((c) => c.armId === arm0)).toEqual({ armId: arm0, shoppers: 2, converters: 1, impressions: 5, revenues: [12.5] });
      expect(counts.find((c) => c.armId === arm1)).toEqual({ armId: arm1, shoppers: 1, converters: 0, impressions: 1, revenues: [] });
      expect(await r.pttl(keys.experimentExposed('x-dwell', arm0))).toBeGreaterThan(29 * DAY); // TTLs kept
      expect(await r.exists(keys.experimentMark('x-dwell', 'imp', 'dec-1'))).toBe(1);

      expect(await kv.hget(keys.visitsByYear('c-1'), '2025')).toBe('3');
      expect(await r.pttl(keys.visitsByYear('c-1'))).toBeGreaterThan(364 * DAY);
      expect(await kv.hget(keys.visitsByYear('c-3'), '2026')).toBe('7');

      const visits = createVisitStore({ kv, keys, log: silentLogger(), ttlMs: 600_000 });
      closing.push(visits);
      expect((await visits.snapshot('s-001')).map((v) => v.deviceId).sort()).toEqual(['d-1', 'd-2']);
      expect(await visits.get('s-001', 'd-1')).toEqual(visit('d-1'));
      expect(await r.pttl(keys.visits('s-001'))).toBeGreaterThan(500_000); // the longer TTL (the old visit's) kept
      expect(await r.exists(`${prefix}visit:s-001:d-1`)).toBe(0);

      expect(await r.exists(`${prefix}seen:s-001:ev-1`, `${prefix}visits:mark:s-001:d-1:1700000000000`)).toBe(0);
      expect(await r.get(keys.device('d-1'))).toBe('c-1');
      expect(await r.exists(`${prefix}visits:odd`)).toBe(1);

      // A second run moves and drops nothing; what needs a look is reported again.
      const after = await snapshot(r, prefix);
      const again = await migrate(r, prefix, {});
      expect(moved(again)).toBe(0);
      expect(again.kinds.profile['skipped-exists']).toBe(1);
      expect(await snapshot(r, prefix)).toEqual(after);
    } finally {
      for (const c of closing.reverse()) await c.close();
      r.disconnect();
    }
  });

  it('never overwrites: old rules stay when {rules} exists, an old visit when the store\'s hash holds its device', async () => {
    const prefix = fresh('mig');
    const keys = createKeys(prefix);
    const r = new Redis(redisUrl);
    try {
      await r.set(`${prefix}visit:s-9:d-1`, JSON.stringify(Visit.parse({ storeId: 's-9', deviceId: 'd-1', enteredAt: 1, lastSeenAt: 2,
        lastEventTs: 2, zoneId: 'z', zoneEnteredAt: 1, dwellMs: {}, zonesVisited: ['z'], eslSkus: [], eslCount: 0 })));
      await r.hset(keys.visits('s-9'), 'd-1', 'newer');
      await r.hset(`${prefix}rules`, 'r-1', '{}');
      await r.hset(keys.rules(), 'r-2', '{}');
      // A member whose id reads like an old visit mark: a hash of years, so their yearly counts, not a mark.
      await r.hset(`${prefix}visits:mark:x:y:1`, '2025', '2');
      const s = await migrate(r, prefix);
      expect(s.kinds.visit['skipped-exists']).toBe(1);
      expect(s.kinds.rules['skipped-exists']).toBe(1);
      expect(s.kinds['visits-year'].moved).toBe(1);
      expect(s.kinds['visit-mark'].dropped).toBe(0);
      expect(await r.hgetall(keys.visitsByYear('mark:x:y:1'))).toEqual({ 2025: '2' });
      expect(await r.hget(keys.visits('s-9'), 'd-1')).toBe('newer');
      expect(await r.hgetall(keys.rules())).toEqual({ 'r-2': '{}' });
      expect(await r.exists(`${prefix}visit:s-9:d-1`, `${prefix}rules`)).toBe(2);
    } finally { r.disconnect(); }
  });

  it('the command refuses a Redis Cluster and reports per kind, dry run included', async () => {
    const prefix = fresh('mig');
    const run = (env: Record<string, string>, ...args: string[]) => promisify(execFile)('node', ['--import', 'tsx', 'scripts/migrate-keys.ts', ...args],
      { env: { ...process.env, REDIS_URL: redisUrl, AISLE_REDIS_PREFIX: prefix, REDIS_CLUSTER: '', ...env } });
    await expect(run({ REDIS_CLUSTER: '1' })).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/REDIS_CLUSTER is set: this command works on a single Redis only/) });
    await expect(run({ REDIS_URL: 'redis://h1:7000,h2:7001' })).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/several hosts/) });

    const r = new Redis(redisUrl);
    try {
      await r.set(`${prefix}profile:c-1`, JSON.stringify(Profile.parse({ customerId: 'c-1' })));
      await r.set(`${prefix}seen:s-001:ev-1`, '1');
      const dry = await run({}, '--dry-run');
      expect(dry.stdout).toContain(`would move ${prefix}profile:c-1 → ${prefix}profile:{c-1}`);
      expect(dry.stdout).toContain(`would drop ${prefix}seen:s-001:ev-1`);
      expect(dry.stdout).toMatch(/profile:<c> → profile:\{<c>\}\s+1\s+0\s+0\s+0/);
      expect(dry.stdout).toContain('dry run: nothing was changed');
      expect(await r.exists(`${prefix}profile:c-1`)).toBe(1);
      const real = await run({});
      expect(real.stdout).toMatch(/profile:<c> → profile:\{<c>\}\s+1\s+0\s+0\s+0/);
      expect(real.stdout).toMatch(/seen:<s>:<e> \(dropped\)\s+0\s+0\s+1\s+0/);
      expect(await r.exists(createKeys(prefix).profile('c-1'))).toBe(1);
    } finally { r.disconnect(); }
  });
});
