/**
 * Candidate generation shared by training and serving (pure). Sources, in priority order:
 * repeat (own items), browsed (browsed + tapped labels), knn (co-purchase neighbours of own items, recent
 * ones weighted up), zone (popular items of the zone's categories), popular (recently popular items).
 */
import type { ItemStats } from '../features/item-stats.js';
import { userCounts, type UserState } from '../features/user-state.js';

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
};

/** Per-source caps; the rest of `limit` is filled by popular items. */
export const CANDIDATE_CAPS = { repeat: 100, browsed: 20, knn: 70, zone: 20 } as const;
export const DEFAULT_CANDIDATE_LIMIT = 200;

/** Returns at most `limit` distinct candidates, each with the source that first produced it. */
export function generateCandidates(input: CandidateInput): Candidate[] {
  const { user, stats, pool } = input;
  const limit = input.limit ?? DEFAULT_CANDIDATE_LIMIT;
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

  const counts = userCounts(user);
  const recentPos = new Map<string, number>();
  user.recentSkus.forEach((s, p) => { if (!recentPos.has(s)) recentPos.set(s, p); });
  const own = [...counts].sort((a, b) =>
    b[1] - a[1] || (recentPos.get(a[0]) ?? 99) - (recentPos.get(b[0]) ?? 99) || (a[0] < b[0] ? -1 : 1));
  take(own.map((e) => e[0]), 'repeat', CANDIDATE_CAPS.repeat);
  take([...(input.eslSkus ?? []), ...user.browsedSkus], 'browsed', CANDIDATE_CAPS.browsed);

  const knn = new Map<string, number>();
  const seeds: [string, number][] = [...counts];
  for (const s of [...(input.eslSkus ?? []), ...user.browsedSkus]) seeds.push([s, 1]);
  for (const [s, n] of seeds) {
    const p = recentPos.get(s);
    const w = n * (p !== undefined && p < 10 ? 2 : 1);
    for (const nb of stats.items.get(s)?.neighbors ?? []) knn.set(nb.sku, (knn.get(nb.sku) ?? 0) + w * nb.sim);
  }
  take([...knn].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]), 'knn', CANDIDATE_CAPS.knn);

  const zones = input.zoneCategories ?? [];
  if (zones.length > 0) {
    const per = Math.max(1, Math.ceil(CANDIDATE_CAPS.zone / zones.length));
    for (const z of zones) take(stats.byCategory.get(z) ?? [], 'zone', per);
  }
  take(stats.byRecentPopularity, 'popular', limit);
  return out;
}
