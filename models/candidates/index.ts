/**
 * Candidate generation shared by training and serving (pure). Sources, in priority order:
 * repeat (own items), browsed (browsed + tapped labels), knn (co-purchase neighbours of own items, recent
 * ones weighted up), zone (popular items of the zone's categories), popular (recently popular items).
 */
import type { ItemStats } from '../features/item-stats.js';
import { aggMatches, aggregateUser, type UserAgg, type UserState } from '../features/user-state.js';

export type CandidateSource = 'repeat' | 'browsed' | 'knn' | 'zone' | 'popular';
export type Candidate = { sku: string; source: CandidateSource };

export type CandidateInput = {
  user: UserState;
  stats: ItemStats;
  zoneCategories?: readonly string[] | undefined;
  /** Label taps of this visit (treated like browsed). */
  eslSkus?: readonly string[] | undefined;
  /** Allowed SKUs (e.g. the store's in-stock catalog); all SKUs of `stats` when omitted. */
  pool?: ReadonlySet<string> | undefined;
  limit?: number;
  /**
   * The request's user aggregate (aggregateUser), shared with buildFeatures so the neighbour lists are walked
   * once per request. Used only when it was computed for this user, stats and label taps; otherwise recomputed.
   */
  agg?: UserAgg | undefined;
};

/** Per-source caps; the rest of `limit` is filled by popular items. */
export const CANDIDATE_CAPS = { repeat: 100, browsed: 20, knn: 70, zone: 20 } as const;
export const DEFAULT_CANDIDATE_LIMIT = 200;

/**
 * Popularity lists restricted to a pool, computed once per (item stats, pool) pair: a store's in-stock pool is
 * often a small part of the catalog, and walking the whole list per request to skip the rest dominated the cost.
 * Filtering keeps the order, and items outside the pool are never taken anyway, so the output is unchanged.
 */
type PoolLists = { byRecentPopularity: readonly string[]; byCategory: Map<string, readonly string[]> };
const poolLists = new WeakMap<ItemStats, WeakMap<ReadonlySet<string>, PoolLists>>();
function listsFor(stats: ItemStats, pool: ReadonlySet<string> | undefined): { byRecentPopularity: readonly string[]; category: (c: string) => readonly string[] } {
  if (!pool) return { byRecentPopularity: stats.byRecentPopularity, category: (c) => stats.byCategory.get(c) ?? [] };
  let per = poolLists.get(stats);
  if (!per) poolLists.set(stats, (per = new WeakMap()));
  let l = per.get(pool);
  if (!l) per.set(pool, (l = { byRecentPopularity: stats.byRecentPopularity.filter((s) => pool.has(s)), byCategory: new Map() }));
  const lists = l;
  return {
    byRecentPopularity: lists.byRecentPopularity,
    category: (c) => {
      let x = lists.byCategory.get(c);
      if (!x) lists.byCategory.set(c, (x = (stats.byCategory.get(c) ?? []).filter((s) => pool.has(s))));
      return x;
    },
  };
}

/** Returns at most `limit` distinct candidates, each with the source that first produced it. */
export function generateCandidates(input: CandidateInput): Candidate[] {
  const { user, stats, pool } = input;
  const limit = input.limit ?? DEFAULT_CANDIDATE_LIMIT;
  const agg = input.agg && aggMatches(input.agg, user, input.eslSkus, stats)
    ? input.agg : aggregateUser(user, { eslSkus: input.eslSkus }, stats);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const ok = (s: string): boolean => !seen.has(s) && stats.items.has(s) && (!pool || pool.has(s));
  const take = (skus: Iterable<string>, source: CandidateSource, cap: number): void => {
    let n = 0;
    for (const s of skus) {
      if (out.length >= limit || n >= cap) return;
      if (!ok(s)) continue;
      seen.add(s);
      out.push({ sku: s, source });
      n++;
    }
  };

  const { counts, recentPos } = agg;
  const own = [...counts].sort((a, b) =>
    b[1] - a[1] || (recentPos.get(a[0]) ?? 99) - (recentPos.get(b[0]) ?? 99) || (a[0] < b[0] ? -1 : 1));
  take(own.map((e) => e[0]), 'repeat', CANDIDATE_CAPS.repeat);
  take([...(input.eslSkus ?? []), ...user.browsedSkus], 'browsed', CANDIDATE_CAPS.browsed);

  // kNN: the best `k` eligible SKUs by score (ties: ascending SKU) by bounded insertion, not a full sort.
  const k = Math.min(CANDIDATE_CAPS.knn, limit - out.length);
  if (k > 0) {
    const topS: string[] = [];
    const topV: number[] = [];
    const nb = agg.nb;
    for (let slot = 0; slot < nb.size; slot++) {
      if (!nb.seeded(slot)) continue;
      const v = nb.cand(slot);
      const sku = nb.sku(slot);
      if (topS.length === k) {
        const lv = topV[k - 1]!;
        if (v < lv || (v === lv && sku > topS[k - 1]!)) continue;
      }
      if (!ok(sku)) continue;
      let j = topS.length < k ? topS.length : k - 1;
      while (j > 0 && (topV[j - 1]! < v || (topV[j - 1] === v && topS[j - 1]! > sku))) {
        topS[j] = topS[j - 1]!; topV[j] = topV[j - 1]!; j--;
      }
      topS[j] = sku; topV[j] = v;
    }
    take(topS, 'knn', CANDIDATE_CAPS.knn);
  }

  const lists = listsFor(stats, pool);
  const zones = input.zoneCategories ?? [];
  if (zones.length > 0) {
    const per = Math.max(1, Math.ceil(CANDIDATE_CAPS.zone / zones.length));
    for (const z of zones) take(lists.category(z), 'zone', per);
  }
  take(lists.byRecentPopularity, 'popular', limit);
  return out;
}
