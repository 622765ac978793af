// The reasons (servingFeatures.explain) against a FROZEN COPY of the explainer as it was before the per-version
// precomputation (reverse neighbour lists, popularity ranks, integer columns): the same strings, in the same
// order, for every candidate of many demo shoppers and audiences, and for a crafted tie. Do not "fix" the copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '#contracts';
import { FEATURE_NAMES, aggregateUser, type FeatureName, type ItemStats } from '../../models/features/index.js';
import { rebaseDemoProfile, rebaseDemoStore } from '../demo/rebase.js';
import { parseProfilesNdjson } from '../profiles/import.js';
import { loadStoreConfigs } from '../stores/load.js';
import { indexStore } from '../stores/registry.js';
import { repoRoot } from './index.js';
import type { FeatureInput } from './model-ranker.js';
import { servingFeatures } from './serving-features.js';
import { catalogItems, profile, testCatalog, testContext } from './test-features.fixture.js';

// ---- frozen copy -------------------------------------------------------------------------------------------
const col = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;
function referenceBoughtWith(input: FeatureInput<ItemStats>): (sku: string) => { sku: string; sim: number } | undefined {
  const own = aggregateUser(input.profile, { eslSkus: input.audience ? undefined : input.context.eslSkus }, input.stats).counts;
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
function referenceExplainer(input: FeatureInput<ItemStats>): (item: CatalogItem, row: Float32Array) => string[] {
  const { audience, catalog, stats } = input;
  let boughtWith: ReturnType<typeof referenceBoughtWith> | undefined;
  const pop = new Map(stats.byPopularity.map((s, i) => [s, i]));
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
      const w = v('ui_knn_max') >= 0.1 && v('ui_bought') === 0 ? (boughtWith ??= referenceBoughtWith(input))(item.sku) : undefined;
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
// ---- end of the frozen copy --------------------------------------------------------------------------------

const F = FEATURE_NAMES.length;

/** Explains every candidate of `input` both ways; returns how many items had an "often bought with" reason. */
function compareAll(input: FeatureInput<ItemStats>): number {
  const items = servingFeatures.candidates(input);
  const rows = new Float32Array(items.length * F);
  servingFeatures.build(input, items, rows);
  const got = servingFeatures.explain(input);
  const want = referenceExplainer(input);
  let boughtWith = 0;
  items.forEach((it, i) => {
    const row = rows.subarray(i * F, (i + 1) * F);
    const w = want(it, row);
    expect(got(it, row)).toEqual(w);
    if (w.some((r) => r.startsWith('often bought with'))) boughtWith++;
  });
  return boughtWith;
}

describe('reasons are unchanged by the per-version precomputation', () => {
  it('for every candidate of 150 demo shoppers (and 30 audiences) with the committed item stats', () => {
    const root = repoRoot();
    const now = Date.UTC(2026, 10, 23, 15, 0);
    const stats = servingFeatures.parseItemStats(JSON.parse(readFileSync(join(root, 'models/artifacts/ranker/20261129-124537/item-stats.json'), 'utf8')));
    const store = indexStore(rebaseDemoStore(loadStoreConfigs()[0]!, now));
    const profiles = parseProfilesNdjson(readFileSync(join(root, 'engine/demo/profiles.ndjson'), 'utf8')).profiles.map((p) => rebaseDemoProfile(p, now));
    let boughtWith = 0;
    profiles.slice(0, 150).forEach((p, i) => {
      const zone = store.config.zones[i % store.config.zones.length]!;
      const context = { storeId: 's-001', zoneId: zone.zoneId, zoneCategories: zone.categories, now, dwellMs: 20_000,
        eslSkus: i % 3 === 0 ? [store.catalog.inStock[i]!.sku] : [] };
      boughtWith += compareAll({ profile: p, audience: false, catalog: store.catalog, context, stats });
      if (i < 30) boughtWith += compareAll({ profile: p, audience: true, catalog: store.catalog, context, stats });
    });
    expect(boughtWith).toBeGreaterThan(1_000); // the reverse-neighbour path is exercised, not only the direct one
  });

  it('breaks a tie between two own items by the user\'s own order, as before', () => {
    // SKU-004 is a neighbour of SKU-001 and SKU-002 with the same similarity, and lists neither of them itself.
    const skus = catalogItems.map((it) => it.sku);
    const nb: Record<number, [number, number][]> = { 1: [[4, 0.5]], 2: [[4, 0.5], [6, 0.4]], 3: [[4, 0.2]] };
    const stats = servingFeatures.parseItemStats({
      format: 'aislecast-item-stats/1', asOf: '2026-11-01T00:00:00Z', windowDays: 30, totalBaskets: 1_000, recentBaskets: 100,
      skus, names: catalogItems.map((it) => it.name), category: catalogItems.map((it) => it.category),
      popularity: skus.map((_, i) => 200 - 10 * i), recentPopularity: skus.map((_, i) => 20 - i), price: catalogItems.map((it) => it.price),
      nbIdx: skus.map((_, i) => (nb[i] ?? []).map(([j]) => j)), nbSim: skus.map((_, i) => (nb[i] ?? []).map(([, s]) => s)),
    });
    const row = new Float32Array(F);
    row[col.ui_knn_max] = 0.5; // reached through a neighbour, not bought: the "often bought with" reason is looked up
    const reasons = (counts: Record<string, number>) => {
      const input = { profile: profile({ skuCounts: counts }), audience: false, catalog: testCatalog, context: testContext, stats };
      const got = servingFeatures.explain(input)(catalogItems[4]!, row);
      expect(got).toEqual(referenceExplainer(input)(catalogItems[4]!, row));
      return got;
    };
    // The first own item in the user's order wins the tie.
    expect(reasons({ 'SKU-001': 1, 'SKU-002': 1, 'SKU-003': 1 })).toContain('often bought with Item 1');
    expect(reasons({ 'SKU-002': 1, 'SKU-001': 1 })).toContain('often bought with Item 2');
    expect(reasons({ 'SKU-003': 2 })).toContain('often bought with Item 3');
  });
});
