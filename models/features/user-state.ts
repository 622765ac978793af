import type { ItemStats, Neighbor } from './item-stats.js';

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

/** Per candidate SKU: everything the user's seed items say about it (one entry per neighbour reached). */
export type NbAcc = {
  /** Σ count(i) · cos(i, j) over own items i. */
  sum: number;
  /** max cos over own items. */
  max: number;
  /** Σ cos over the 10 newest items. */
  recent: number;
  /** max cos over browsed items / label taps of this visit. */
  browsedSim: number;
  eslSim: number;
  /** Candidate kNN score: Σ count(i) · (2 if i is among the 10 newest else 1) · cos over own items, then + w · cos over taps and browsed items. */
  cand: number;
  /** True when a candidate seed (own item, tap, browsed item) reached this SKU (cand may round to 0). */
  seeded: boolean;
};

/**
 * Per-user aggregates computed once per request, then reused for every candidate, and shared between the
 * candidate generator and the feature builder (pass the same object to both).
 */
export type UserAgg = {
  /** What it was computed from: reused only for the same user, stats and label taps. */
  user: UserState;
  stats: ItemStats;
  eslSkus: readonly string[];
  counts: ReadonlyMap<string, number>;
  recentPos: ReadonlyMap<string, number>;
  totalCount: number;
  /** max over own counts (0 without purchases). */
  maxCount: number;
  /** Neighbour aggregates, keyed by SKU. */
  nb: ReadonlyMap<string, NbAcc>;
  browsed: ReadonlySet<string>;
  esl: ReadonlySet<string>;
};

/** Purchase counts: skuCounts when present, else 1 per recent SKU. */
export function userCounts(u: UserState): Map<string, number> {
  const m = new Map<string, number>();
  if (u.skuCounts) for (const k in u.skuCounts) { const v = u.skuCounts[k]!; if (v > 0) m.set(k, v); }
  for (const s of u.recentSkus) if (!m.has(s)) m.set(s, 1);
  return m;
}

const EMPTY: readonly string[] = [];

/**
 * One pass over the neighbour lists of the user's seed items. The accumulation order per SKU (own items in
 * count order, then label taps, then browsed items) is the one the candidate scores and features were
 * defined with, so every value is bit-identical to summing them separately.
 */
export function aggregateUser(u: UserState, ctx: Pick<FeatureContext, 'eslSkus'>, stats: ItemStats): UserAgg {
  const counts = userCounts(u);
  const recentPos = new Map<string, number>();
  const recent = u.recentSkus;
  for (let p = 0; p < recent.length; p++) if (!recentPos.has(recent[p]!)) recentPos.set(recent[p]!, p);
  const nb = new Map<string, NbAcc>();
  const acc = (sku: string): NbAcc => {
    let a = nb.get(sku);
    if (!a) nb.set(sku, (a = { sum: 0, max: 0, recent: 0, browsedSim: 0, eslSim: 0, cand: 0, seeded: false }));
    return a;
  };
  let totalCount = 0;
  let maxCount = 0;
  for (const [s, n] of counts) {
    totalCount += n;
    if (n > maxCount) maxCount = n;
    const nbs = stats.items.get(s)?.neighbors;
    if (!nbs) continue;
    const p = recentPos.get(s);
    const w = n * (p !== undefined && p < 10 ? 2 : 1);
    for (let q = 0; q < nbs.length; q++) {
      const e = nbs[q]!;
      const a = acc(e.sku);
      a.sum += n * e.sim;
      if (e.sim > a.max) a.max = e.sim;
      a.cand += w * e.sim;
      a.seeded = true;
    }
  }
  for (let r = 0; r < recent.length && r < 10; r++) {
    for (const e of stats.items.get(recent[r]!)?.neighbors ?? EMPTY_NB) acc(e.sku).recent += e.sim;
  }
  const eslSkus = ctx.eslSkus ?? EMPTY;
  // Taps and browsed items as candidate seeds (count 1), and their max similarity features.
  const seed = (skus: readonly string[], esl: boolean): void => {
    for (const s of skus) {
      const nbs = stats.items.get(s)?.neighbors;
      if (!nbs) continue;
      const p = recentPos.get(s);
      const w = p !== undefined && p < 10 ? 2 : 1;
      for (const e of nbs) {
        const a = acc(e.sku);
        a.cand += w * e.sim;
        a.seeded = true;
        if (esl) { if (e.sim > a.eslSim) a.eslSim = e.sim; } else if (e.sim > a.browsedSim) a.browsedSim = e.sim;
      }
    }
  };
  seed(eslSkus, true);
  seed(u.browsedSkus, false);
  return {
    user: u, stats, eslSkus, counts, recentPos, totalCount, maxCount, nb,
    browsed: new Set(u.browsedSkus), esl: new Set(eslSkus),
  };
}

const EMPTY_NB: readonly Neighbor[] = [];

/** True when `agg` was computed for this user, item stats and label taps (so it can be reused). */
export function aggMatches(agg: UserAgg, u: UserState, eslSkus: readonly string[] | undefined, stats: ItemStats): boolean {
  if (agg.user !== u || agg.stats !== stats) return false;
  const e = eslSkus ?? EMPTY;
  if (e === agg.eslSkus) return true;
  if (e.length !== agg.eslSkus.length) return false;
  for (let i = 0; i < e.length; i++) if (e[i] !== agg.eslSkus[i]) return false;
  return true;
}
