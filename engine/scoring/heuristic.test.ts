import { describe, expect, it } from 'vitest';
import { Profile, type CatalogItem } from '#contracts';
import { selectCandidates, sharedAffinities } from './candidates.js';
import { indexCatalog } from './catalog.js';
import { rankHeuristic } from './heuristic.js';

const item = (sku: string, category: string, extra: Partial<CatalogItem> = {}): CatalogItem =>
  ({ sku, name: sku, category, brand: '', price: 1, inStock: true, ...extra });
const catalog = indexCatalog([
  item('SKU-1', 'kitchen'), item('SKU-2', 'kitchen'), item('SKU-3', 'candles'), item('SKU-4', 'candles'),
  item('SKU-5', 'bags'), item('SKU-6', 'bags', { inStock: false }), item('SKU-7', 'garden', { promo: true }), item('SKU-8', 'garden'),
]);
const ctx = { storeId: 's-001', zoneId: 'z-k', zoneCategories: ['kitchen'], now: 0 };
const mia = Profile.parse({ customerId: 'c-1', affinities: { candles: 0.9 }, recentSkus: ['SKU-5', 'SKU-6'], browsedSkus: ['SKU-8'],
  skuCounts: { 'SKU-5': 3 }, consent: { personalization: true, displayName: true, associateAlerts: true } });

describe('candidate selection', () => {
  it('draws from the zone, history, browsing, affinities and promotions, in stock only', () => {
    const c = selectCandidates({ catalog, zoneCategories: ['kitchen'], profile: mia, affinities: mia.affinities });
    const by = Object.fromEntries(c.map((x) => [x.item.sku, [...x.sources].sort()]));
    expect(by).toEqual({ 'SKU-1': ['zone'], 'SKU-2': ['zone'], 'SKU-3': ['affinity'], 'SKU-4': ['affinity'],
      'SKU-5': ['history'], 'SKU-7': ['promo'], 'SKU-8': ['browsed'] });
  });
  it('without a profile uses only the zone and promotions', () => {
    const c = selectCandidates({ catalog, zoneCategories: ['kitchen'] });
    expect(c.map((x) => x.item.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-7']);
  });
  it('averages a group\'s affinities', () => {
    const a = Profile.parse({ customerId: 'a', affinities: { x: 1, y: 0.5 } });
    const b = Profile.parse({ customerId: 'b', affinities: { x: 0.5 } });
    expect(sharedAffinities([a, b])).toEqual({ x: 0.75, y: 0.25 });
  });
});

describe('heuristic ranking', () => {
  it('puts a shopper\'s interests and own items first, with reasons', () => {
    const r = rankHeuristic({ profile: mia, catalog, context: ctx, limit: 4 });
    expect(r).toHaveLength(4);
    const skus = r.map((x) => x.item.sku);
    expect(skus).toContain('SKU-3');
    expect(skus).toContain('SKU-5');
    expect(r.find((x) => x.item.sku === 'SKU-5')!.why).toContain('bought 3× before');
    expect(r.find((x) => x.item.sku === 'SKU-3')!.why[0]).toBe('affinity candles 0.90');
  });
  it('without a profile ranks the zone first and never mentions personal reasons', () => {
    const r = rankHeuristic({ catalog, context: ctx, limit: 3 });
    expect(r.map((x) => x.item.sku).slice(0, 2)).toEqual(['SKU-1', 'SKU-2']);
    for (const x of r) for (const w of x.why) expect(w).not.toMatch(/bought|browsed|affinity|tapped/);
  });
  it('is deterministic', () => {
    expect(rankHeuristic({ profile: mia, catalog, context: ctx, limit: 6 })).toEqual(rankHeuristic({ profile: mia, catalog, context: ctx, limit: 6 }));
  });
});
