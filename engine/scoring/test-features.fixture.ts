// Test-only: a tiny stand-in feature contract and catalog, so ranker tests need no trained model.
import type { CatalogItem, Profile, ProfileInput } from '#contracts';
import { Profile as ProfileSchema } from '#contracts';
import { indexCatalog } from './catalog.js';
import type { ServingFeatures } from './model-ranker.js';
import type { RankContext, RankRequest } from './types.js';

/** Three features: own purchases, category affinity, catalog position (1 = first). */
export const TEST_FEATURES = ['own_count', 'affinity', 'position'] as const;

export const testFeatures: ServingFeatures<unknown> = {
  names: TEST_FEATURES,
  candidates: ({ catalog }) => catalog.inStock,
  build({ profile, catalog }, items, out) {
    const n = Math.max(1, catalog.inStock.length);
    items.forEach((it, i) => {
      out[i * 3] = profile.skuCounts?.[it.sku] ?? 0;
      out[i * 3 + 1] = profile.affinities[it.category] ?? 0;
      out[i * 3 + 2] = 1 - catalog.inStock.indexOf(it) / n;
    });
  },
  explain: ({ audience }) => (item, row) => {
    const why: string[] = [];
    if (!audience && row[0]! > 0) why.push(`bought ${row[0]}× before`);
    if (row[1]! > 0) why.push(`matches your interest in ${item.category}`);
    return why;
  },
};

export const catalogItems: CatalogItem[] = Array.from({ length: 12 }, (_, i) => ({
  sku: `SKU-${String(i).padStart(3, '0')}`, name: `Item ${i}`, category: i % 2 ? 'candles' : 'kitchen',
  brand: '', price: 1 + i, inStock: i !== 11,
}));
export const testCatalog = indexCatalog(catalogItems);

export const testContext: RankContext = { storeId: 's-001', zoneId: 'z-1', zoneCategories: ['kitchen'], now: 1_763_856_000_000 };

export const profile = (p: Partial<ProfileInput> = {}): Profile => ProfileSchema.parse({
  customerId: 'c-1', consent: { personalization: true, displayName: true, associateAlerts: true }, ...p,
});

export const request = (p: Partial<RankRequest> = {}): RankRequest => ({ catalog: testCatalog, context: testContext, limit: 4, ...p });

/** item-stats.json (models/features format) for the test catalog: popularity falls with position; 1↔3 and 5↔7 go together. */
export function testItemStatsJson(): unknown {
  const skus = catalogItems.map((it) => it.sku);
  const nb: Record<number, [number, number][]> = { 1: [[3, 0.6]], 3: [[1, 0.6]], 5: [[7, 0.3]], 7: [[5, 0.3]] };
  return {
    format: 'aislecast-item-stats/1', asOf: '2026-11-01T00:00:00Z', windowDays: 30, totalBaskets: 1_000, recentBaskets: 100,
    skus, names: catalogItems.map((it) => it.name), category: catalogItems.map((it) => it.category),
    popularity: skus.map((_, i) => 200 - 10 * i), recentPopularity: skus.map((_, i) => 20 - i), price: catalogItems.map((it) => it.price),
    nbIdx: skus.map((_, i) => (nb[i] ?? []).map(([j]) => j)), nbSim: skus.map((_, i) => (nb[i] ?? []).map(([, s]) => s)),
  };
}
