import { describe, expect, it } from 'vitest';
import { generateCandidates } from '../candidates/index.js';
import { buildDataset } from '../data/baskets.js';
import { loadOnlineRetail } from '../data/online-retail.js';
import { makeSplit, utc } from '../eval/split.js';
import { buildItemStats } from '../stats/build-item-stats.js';
import { userStateFromHistory } from '../train/user-state-from-history.js';
import { aggregateUser, buildFeatures, loadItemStats, type FeatureContext, type UserState } from './index.js';
import { referenceBuildFeatures, referenceGenerateCandidates } from './testing/reference-impl.js';

const bytes = (x: Float32Array): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe('optimized candidates + features = the frozen reference, bit for bit (real data)', () => {
  it('matches for a few hundred customers and context variants, with and without a shared aggregate', () => {
    const ds = buildDataset(loadOnlineRetail(undefined, { hash: false }).rows);
    const cutoff = utc('2011-10-01');
    const split = makeSplit(ds, cutoff);
    const stats = loadItemStats(buildItemStats(ds, split.train, cutoff));
    const allSkus = [...stats.items.keys()];
    const pool = new Set(allSkus.filter((_, i) => i % 3 !== 0));
    const users = split.users.filter((_, i) => i % 5 === 0).slice(0, 300);
    expect(users.length).toBe(300);
    let rows = 0;
    users.forEach((u, k) => {
      const base = userStateFromHistory(ds, u.history, cutoff);
      // Variants exercise browsing, label taps (also ones bought recently), zones, dwell, birthdays, the pool, no counts.
      const browsed = k % 3 === 0 ? [allSkus[(k * 7) % allSkus.length]!, base.recentSkus[0] ?? 'SKU-NOPE'] : [];
      const user: UserState = k % 7 === 6
        ? { ...base, skuCounts: undefined, browsedSkus: browsed }
        : { ...base, browsedSkus: browsed, birthday: k % 2 ? '12-24' : undefined };
      const esl = k % 4 === 1 ? [base.recentSkus[1] ?? 'SKU-X', allSkus[(k * 13) % allSkus.length]!] : k % 4 === 2 ? [] : undefined;
      const ctx: FeatureContext = {
        now: u.target.ts, eslSkus: esl, dwellMs: k % 2 ? 30_000 : undefined,
        zoneCategories: k % 3 === 1 ? ['kitchen & dining', 'candles & lights'] : undefined,
      };
      const cin = { user, stats, zoneCategories: ctx.zoneCategories, eslSkus: esl, pool: k % 2 ? pool : undefined, limit: k % 5 === 0 ? 120 : undefined };
      const ref = referenceGenerateCandidates(cin);
      expect(generateCandidates(cin)).toEqual(ref);
      const agg = aggregateUser(user, ctx, stats);
      expect(generateCandidates({ ...cin, agg })).toEqual(ref);
      const skus = [...ref.map((c) => c.sku), 'SKU-UNKNOWN'];
      const want = referenceBuildFeatures(user, ctx, skus, stats);
      expect(bytes(buildFeatures(user, ctx, skus, stats)).equals(bytes(want))).toBe(true);
      expect(bytes(buildFeatures(user, ctx, skus, stats, undefined, agg)).equals(bytes(want))).toBe(true);
      // An aggregate of another user (or other taps) is not reused.
      const other = aggregateUser({ ...user }, { eslSkus: ['SKU-22423'] }, stats);
      expect(bytes(buildFeatures(user, ctx, skus, stats, undefined, other)).equals(bytes(want))).toBe(true);
      expect(generateCandidates({ ...cin, agg: other })).toEqual(ref);
      rows += skus.length;
    });
    expect(rows).toBeGreaterThan(30_000);
  }, 120_000);
});
