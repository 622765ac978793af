import type { CatalogItem } from '#contracts';
import { generateCandidates } from '../../models/candidates/index.js';
import { FEATURE_NAMES, aggregateUser, buildFeatures, loadItemStats, type FeatureName, type ItemStats, type UserAgg } from '../../models/features/index.js';
import type { FeatureInput, ServingFeatures } from './model-ranker.js';
import type { StoreCatalog } from './types.js';

const col = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

// The pool of a store: its in-stock SKUs, computed once per indexed catalog.
const pools = new WeakMap<StoreCatalog, ReadonlySet<string>>();
const poolOf = (catalog: StoreCatalog): ReadonlySet<string> => {
  let p = pools.get(catalog);
  if (!p) pools.set(catalog, (p = new Set(catalog.inStock.map((it) => it.sku))));
  return p;
};

// Rank of each SKU by popularity, once per item-stats version.
const popRanks = new WeakMap<ItemStats, ReadonlyMap<string, number>>();
const popRankOf = (stats: ItemStats): ReadonlyMap<string, number> => {
  let r = popRanks.get(stats);
  if (!r) popRanks.set(stats, (r = new Map(stats.byPopularity.map((s, i) => [s, i]))));
  return r;
};

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
 * first (cheap); the full scan over the user's items' lists (which is what ui_knn_max measures)
 * only when that finds nothing.
 */
function boughtWithOf(input: FeatureInput<ItemStats>): (sku: string) => { sku: string; sim: number } | undefined {
  const own = aggOf(input).counts;
  let reverse: Map<string, { sku: string; sim: number }> | undefined;
  return (sku) => {
    let best: { sku: string; sim: number } | undefined;
    for (const nb of input.stats.items.get(sku)?.neighbors ?? []) if (own.has(nb.sku) && (!best || nb.sim > best.sim)) best = nb;
    if (best) return best;
    if (!reverse) {
      reverse = new Map();
      for (const o of own.keys()) {
        for (const nb of input.stats.items.get(o)?.neighbors ?? []) {
          const cur = reverse.get(nb.sku);
          if (!cur || nb.sim > cur.sim) reverse.set(nb.sku, { sku: o, sim: nb.sim });
        }
      }
    }
    return reverse.get(sku);
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
  const pop = popRankOf(stats);
  const bestSellerRank = Math.max(10, Math.round(stats.byPopularity.length * 0.02));
  const popularRank = Math.max(20, Math.round(stats.byPopularity.length * 0.25));
  return (item, row) => {
    const v = (n: FeatureName) => row[col[n]]!;
    const why: [number, string][] = [];
    if (!audience) {
      if (v('ctx_esl_tapped') > 0) why.push([1, 'you tapped its shelf label']);
      if (v('ui_bought') > 0) {
        const n = Math.round(Math.expm1(v('ui_count_log')));
        why.push([Math.min(0.95, 0.6 + 0.1 * n), n >= 2 ? `bought ${n}× before` : 'bought before']);
      }
      if (v('ui_in_browsed') > 0) why.push([0.85, 'browsed, not bought yet']);
      const w = v('ui_knn_max') >= 0.1 && v('ui_bought') === 0 ? (boughtWith ??= boughtWithOf(input))(item.sku) : undefined;
      const withName = w && (catalog.bySku.get(w.sku)?.name ?? stats.items.get(w.sku)?.name);
      if (w && withName) why.push([0.5 + 0.4 * w.sim, `often bought with ${shortName(withName)}`]);
      else if (v('ui_browsed_sim') >= 0.1) why.push([0.45, 'goes with something you browsed']);
    }
    const aff = v('i_cat_affinity');
    if (aff >= 0.15) why.push([0.3 + 0.5 * aff, audience ? `shared interest in ${item.category}` : `matches your interest in ${item.category}`]);
    const rank = pop.get(item.sku) ?? Infinity;
    if (rank < bestSellerRank) why.push([0.3, 'a store best seller']);
    else if (v('ctx_zone_match') > 0 && rank < popularRank) why.push([0.3, `popular in ${item.category}`]);
    if (v('i_trend') >= 0.5 && v('i_pop_recent_log') >= Math.log1p(5)) why.push([0.25, 'trending now']);
    why.sort((a, b) => b[0] - a[0]);
    return why.slice(0, 3).map(([, w]) => w);
  };
}

/** The ranker's view of models/: shared candidates, the one feature builder, item stats, reasons. */
export const servingFeatures: ServingFeatures<ItemStats> & { parseItemStats: (raw: unknown) => ItemStats } = {
  names: FEATURE_NAMES,
  parseItemStats: loadItemStats,
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
    buildFeatures(input.profile, { ...input.context, eslSkus: eslOf(input) }, skus, input.stats, out, aggOf(input));
  },
  explain: explainer,
};
