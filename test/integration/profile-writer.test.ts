import { afterAll, describe, expect, inject, it } from 'vitest';
import { Profile } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { createProfileWriter } from '../../engine/profiles/writer.js';
import { emptyProfile } from '../../engine/profiles/reduce.js';
import { dropPrefix } from '../helpers/engine.js';
import { uniqueId } from '../helpers/fixtures.js';

describe('profile writer on a real Redis (atomic apply-once, compare-and-set across instances)', () => {
  const prefix = `${uniqueId('pw')}:`;
  const keys = createKeys(prefix);
  const clock = { now: () => Date.now() };
  afterAll(() => dropPrefix(inject('redisUrl'), prefix));

  it('applies each event exactly once while two instances race on one customer', async () => {
    const [kvA, kvB] = await Promise.all([0, 1].map(() => createRedisKv({ url: inject('redisUrl'), log: silentLogger() })));
    const a = createProfileWriter({ kv: kvA!, keys, log: silentLogger(), clock, origin: 'a' });
    const b = createProfileWriter({ kv: kvB!, keys, log: silentLogger(), clock, origin: 'b' });
    // Each event appends its id; both instances receive every event (as two engines on plain subscriptions would).
    const add = (id: string) => (p: Profile | undefined, now: number) => {
      const base = p ?? emptyProfile('c-race', now);
      return { ...base, points: base.points + 1, skuCounts: { ...base.skuCounts, [id]: 1 } };
    };
    const ids = Array.from({ length: 150 }, (_, i) => `ev-${i}`);
    const outcomes = await Promise.all(ids.flatMap((id) => [a.applyOnce('c-race', 's-1', id, add(id)), b.applyOnce('c-race', 's-1', id, add(id))]));
    const p = Profile.parse(JSON.parse((await kvA!.get(keys.profile('c-race')))!));
    expect(p.points).toBe(150);
    expect(Object.keys(p.skuCounts ?? {})).toHaveLength(150);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(150);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(150);
    // A redelivery long after is still a duplicate.
    expect(await a.applyOnce('c-race', 's-1', 'ev-7', add('ev-7'))).toBe('duplicate');
    await Promise.all([kvA!.close(), kvB!.close()]);
  });

  it('writes nothing, and leaves no de-dupe mark, when the change has nothing to do', async () => {
    const kv = await createRedisKv({ url: inject('redisUrl'), log: silentLogger() });
    const w = createProfileWriter({ kv, keys, log: silentLogger(), clock, origin: 'a' });
    expect(await w.applyOnce('c-nobody', 's-1', 'ev-x', () => undefined)).toBe('unchanged');
    expect(await kv.get(keys.seen('c-nobody', 's-1', 'ev-x'))).toBeNull();
    expect(await kv.get(keys.profile('c-nobody'))).toBeNull();
    await kv.close();
  });
});
