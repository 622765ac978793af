import type { CatalogItem } from '#contracts';
import { generateCandidates } from '../../models/candidates/index.js';
import { FEATURE_NAMES, aggregateUser, buildFeatures, loadItemStats, type FeatureName, type ItemStats, type UserAgg } from '../../models/features/index.js';
import type { FeatureInput, ServingFeatures } from './model-ranker.js';
import type { StoreCatalog } from './types.js';

const col = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;
// The columns the reasons read, by position (resolved once, not by name per item).
const ESL_TAPPED = col.ctx_esl_tapped, BOUGHT = col.ui_bought, COUNT_LOG = col.ui_count_log, IN_BROWSED = col.ui_in_browsed,
  KNN_MAX = col.ui_knn_max, BROWSED_SIM = col.ui_browsed_sim, CAT_AFFINITY = col.i_cat_affinity, ZONE_MATCH = col.ctx_zone_match,
  TREND = col.i_trend, POP_RECENT_LOG = col.i_pop_recent_log;
const LOG1P_5 = Math.log1p(5);

// The pool of a store: its in-stock SKUs, computed once per indexed catalog.
const pools = new WeakMap<StoreCatalog, ReadonlySet<string>>();
const poolOf = (catalog: StoreCatalog): ReadonlySet<string> => {
  let p = pools.get(catalog);
  if (!p) pools.set(catalog, (p = new Set(catalog.inStock.map((it) => it.sku))));
  return p;
};

/**
 * What the reasons need from one item-stats version, built once per version (when the loader parses
 * item-stats.json, via servingFeatures.parseItemStats; lazily for stats parsed elsewhere): the popularity rank of
 * each SKU with the "best seller" / "popular" thresholds, and the neighbour lists reversed — for each SKU, the
 * items that list it as a neighbour (`src[start[r] .. start[r + 1])`, with their similarity).
 */
type StatsView = {
  rank: ReadonlyMap<string, number>; bestSeller: number; popular: number;
  rev: { row: ReadonlyMap<string, number>; start: Int32Array; src: readonly string[]; sim: Float64Array };
};
const views = new WeakMap<ItemStats, StatsView>();
function viewOf(stats: ItemStats): StatsView {
  let v = views.get(stats);
  if (v) return v;
  const n = stats.byPopularity.length;
  const row = new Map<string, number>();
  const counts: number[] = [];
  for (const it of stats.items.values()) {
    for (const nb of it.neighbors) {
      let r = row.get(nb.sku);
      if (r === undefined) { row.set(nb.sku, (r = counts.length)); counts.push(0); }
      counts[r]!++;
    }
  }
  const start = new Int32Array(counts.length + 1);
  for (let r = 0; r < counts.length; r++) start[r + 1] = start[r]! + counts[r]!;
  const fill = start.slice(0, counts.length);
  const src = new Array<string>(start[counts.length]!);
  const sim = new Float64Array(start[counts.length]!);
  for (const it of stats.items.values()) {
    for (const nb of it.neighbors) { const q = fill[row.get(nb.sku)!]!++; src[q] = it.sku; sim[q] = nb.sim; }
  }
  views.set(stats, (v = {
    rank: new Map(stats.byPopularity.map((s, i) => [s, i])), bestSeller: Math.max(10, Math.round(n * 0.02)), popular: Math.max(20, Math.round(n * 0.25)),
    rev: { row, start, src, sim },
  }));
  return v;
}

// One user aggregate per request (the same FeatureInput object goes to candidates, build and explain):
// the neighbour lists of the shopper's items are walked once, not once for candidates and again for features.
const aggs = new WeakMap<FeatureInput<ItemStats>, UserAgg>();
const eslOf = (input: FeatureInput<ItemStats>) => (input.audience ? undefined : input.context.eslSkus);
const aggOf = (input: FeatureInput<ItemStats>): UserAgg => {
  let a = aggs.get(input);
  if (!a) aggs.set(input, (a = aggregateUser(input.profile, { eslSkus: eslOf(input) }, input.stats)));
  return a;
};

/**
 * The user's own item that `sku` is most often bought with. Looks in the item's own neighbour list
 * first (cheap); otherwise at the own items that list `sku` as a neighbour (which is what ui_knn_max
 * measures): the highest similarity, ties to the first in the user's own order.
 */
function boughtWithOf(input: FeatureInput<ItemStats>): (sku: string) => { sku: string; sim: number } | undefined {
  const own = aggOf(input).counts;
  const { rev } = viewOf(input.stats);
  return (sku) => {
    let best: { sku: string; sim: number } | undefined;
    for (const nb of input.stats.items.get(sku)?.neighbors ?? []) if (own.has(nb.sku) && (!best || nb.sim > best.sim)) best = nb;
    if (best) return best;
    const r = rev.row.get(sku);
    if (r === undefined) return undefined;
    let q0 = -1, tied = false;
    for (let q = rev.start[r]!, e = rev.start[r + 1]!; q < e; q++) {
      if (!own.has(rev.src[q]!)) continue;
      if (q0 < 0 || rev.sim[q]! > rev.sim[q0]!) { q0 = q; tied = false; } else if (rev.sim[q] === rev.sim[q0]) tied = true;
    }
    if (q0 < 0) return undefined;
    const sim = rev.sim[q0]!;
    if (tied) {
      for (const o of own.keys()) {
        for (let q = rev.start[r]!, e = rev.start[r + 1]!; q < e; q++) if (rev.src[q] === o && rev.sim[q] === sim) return { sku: o, sim };
      }
    }
    return { sku: rev.src[q0]!, sim };
  };
}

const shortName = (name: string) => (name.length > 32 ? `${name.slice(0, 31).trimEnd()}…` : name);

/**
 * Reasons from the strongest item-specific feature values (the same columns the model sees).
 * They describe the signals, not the model's attributions: a trained model weighs them its own way,
 * but every reason shown is true of the item. Personal signals (purchases, browsing, label taps)
 * are never given for an audience: a public screen must not reveal one member's history.
 */
function explainer(input: FeatureInput<ItemStats>): (item: CatalogItem, row: Float32Array) => string[] {
  const { audience, catalog, stats } = input;
  let boughtWith: ReturnType<typeof boughtWithOf> | undefined;
  const { rank: pop, bestSeller, popular } = viewOf(stats);
  return (item, row) => {
    // Pushed in this order and stably sorted by weight: the order of equal weights is part of the output.
    const why: [number, string][] = [];
    if (!audience) {
      if (row[ESL_TAPPED]! > 0) why.push([1, 'you tapped its shelf label']);
      const bought = row[BOUGHT]!;
      if (bought > 0) {
        const n = Math.round(Math.expm1(row[COUNT_LOG]!));
        why.push([Math.min(0.95, 0.6 + 0.1 * n), n >= 2 ? `bought ${n}× before` : 'bought before']);
      }
      if (row[IN_BROWSED]! > 0) why.push([0.85, 'browsed, not bought yet']);
      const w = row[KNN_MAX]! >= 0.1 && bought === 0 ? (boughtWith ??= boughtWithOf(input))(item.sku) : undefined;
      const withName = w && (catalog.bySku.get(w.sku)?.name ?? stats.items.get(w.sku)?.name);
      if (w && withName) why.push([0.5 + 0.4 * w.sim, `often bought with ${shortName(withName)}`]);
      else if (row[BROWSED_SIM]! >= 0.1) why.push([0.45, 'goes with something you browsed']);
    }
    const aff = row[CAT_AFFINITY]!;
    if (aff >= 0.15) why.push([0.3 + 0.5 * aff, audience ? `shared interest in ${item.category}` : `matches your interest in ${item.category}`]);
    const rank = pop.get(item.sku) ?? Infinity;
    if (rank < bestSeller) why.push([0.3, 'a store best seller']);
    else if (row[ZONE_MATCH]! > 0 && rank < popular) why.push([0.3, `popular in ${item.category}`]);
    if (row[TREND]! >= 0.5 && row[POP_RECENT_LOG]! >= LOG1P_5) why.push([0.25, 'trending now']);
    if (why.length > 1) why.sort((a, b) => b[0] - a[0]);
    const out = new Array<string>(Math.min(3, why.length));
    for (let i = 0; i < out.length; i++) out[i] = why[i]![1];
    return out;
  };
}

/** The ranker's view of models/: shared candidates, the one feature builder, item stats, reasons. */
export const servingFeatures: ServingFeatures<ItemStats> & { parseItemStats: (raw: unknown) => ItemStats } = {
  names: FEATURE_NAMES,
  // Parsing a version's item stats (at load, off the request path) also builds what the reasons need from them.
  parseItemStats: (raw) => { const stats = loadItemStats(raw); viewOf(stats); return stats; },
  candidates: (input) => {
    const { profile, catalog, context, stats } = input;
    const cands = generateCandidates({
      user: profile, stats, pool: poolOf(catalog), zoneCategories: context.zoneCategories, eslSkus: eslOf(input), agg: aggOf(input),
    });
    const items: CatalogItem[] = [];
    for (const c of cands) { const it = catalog.bySku.get(c.sku); if (it) items.push(it); }
    return items;
  },
  build: (input, items, out) => {
    const skus = new Array<string>(items.length);
    for (let i = 0; i < items.length; i++) skus[i] = items[i]!.sku;
    // The FeatureContext fields only (no copy of the whole context per call).
    const { zoneCategories, now, dwellMs } = input.context;
    buildFeatures(input.profile, { zoneCategories, now, dwellMs, eslSkus: eslOf(input) }, skus, input.stats, out, aggOf(input));
  },
  explain: explainer,
};
