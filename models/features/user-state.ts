import type { ItemStats } from './item-stats.js';

/**
 * The user input of the feature builder: a structural subset of the engine's Profile
 * (engine/contracts/profile.ts), so a Profile can be passed as is. Training builds the same object from
 * the history before a cutoff.
 */
export type UserState = {
  rfm?: { recencyDays: number; frequency: number; monetary: number; r?: number; f?: number; m?: number } | undefined;
  lastPurchaseAt?: number | undefined;
  firstPurchaseAt?: number | undefined;
  /** Newest first, at most 50, distinct. */
  recentSkus: readonly string[];
  /** Viewed / tapped, not bought; newest first. */
  browsedSkus: readonly string[];
  /** Purchase counts (baskets containing the SKU) over the history. */
  skuCounts?: Readonly<Record<string, number>> | undefined;
  /** Category → share of purchases, 0..1. */
  affinities: Readonly<Record<string, number>>;
  /** "MM-DD". */
  birthday?: string | undefined;
  tier?: string | undefined;
};

/** The real-time part of the engine's RankContext (engine/scoring/types.ts) the features use. */
export type FeatureContext = {
  zoneCategories?: readonly string[] | undefined;
  /** Epoch ms of the decision. */
  now: number;
  dwellMs?: number | undefined;
  eslSkus?: readonly string[] | undefined;
};

/** Per-user aggregates computed once, then reused for every candidate. */
export type UserAgg = {
  counts: ReadonlyMap<string, number>;
  recentPos: ReadonlyMap<string, number>;
  totalCount: number;
  /** Σ count(i) · cos(i, j) over own items i; max cos; Σ cos over the 10 newest items. */
  knnSum: ReadonlyMap<string, number>;
  knnMax: ReadonlyMap<string, number>;
  knnRecent: ReadonlyMap<string, number>;
  browsed: ReadonlySet<string>;
  browsedSim: ReadonlyMap<string, number>;
  esl: ReadonlySet<string>;
  eslSim: ReadonlyMap<string, number>;
};

/** Purchase counts: skuCounts when present, else 1 per recent SKU. */
export function userCounts(u: UserState): Map<string, number> {
  const m = new Map<string, number>();
  if (u.skuCounts) for (const [k, v] of Object.entries(u.skuCounts)) if (v > 0) m.set(k, v);
  for (const s of u.recentSkus) if (!m.has(s)) m.set(s, 1);
  return m;
}

const bump = (m: Map<string, number>, k: string, v: number): void => { m.set(k, (m.get(k) ?? 0) + v); };
const maxTo = (m: Map<string, number>, k: string, v: number): void => { if (v > (m.get(k) ?? 0)) m.set(k, v); };

function simMaxOver(skus: Iterable<string>, stats: ItemStats): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of skus) for (const nb of stats.items.get(s)?.neighbors ?? []) maxTo(m, nb.sku, nb.sim);
  return m;
}

export function aggregateUser(u: UserState, ctx: FeatureContext, stats: ItemStats): UserAgg {
  const counts = userCounts(u);
  const recentPos = new Map<string, number>();
  u.recentSkus.forEach((s, p) => { if (!recentPos.has(s)) recentPos.set(s, p); });
  let totalCount = 0;
  const knnSum = new Map<string, number>();
  const knnMax = new Map<string, number>();
  for (const [s, n] of counts) {
    totalCount += n;
    for (const nb of stats.items.get(s)?.neighbors ?? []) { bump(knnSum, nb.sku, n * nb.sim); maxTo(knnMax, nb.sku, nb.sim); }
  }
  const knnRecent = new Map<string, number>();
  for (const s of u.recentSkus.slice(0, 10)) for (const nb of stats.items.get(s)?.neighbors ?? []) bump(knnRecent, nb.sku, nb.sim);
  const eslSkus = ctx.eslSkus ?? [];
  return {
    counts, recentPos, totalCount, knnSum, knnMax, knnRecent,
    browsed: new Set(u.browsedSkus), browsedSim: simMaxOver(u.browsedSkus, stats),
    esl: new Set(eslSkus), eslSim: simMaxOver(eslSkus, stats),
  };
}
