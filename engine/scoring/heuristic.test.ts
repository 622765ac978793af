import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Profile, type CatalogItem } from '#contracts';
import { selectCandidates, sharedAffinities } from './candidates.js';
import { indexCatalog } from './catalog.js';
import { rankHeuristic } from './heuristic.js';
import type { RankRequest, RankedItem } from './types.js';

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

describe('heuristic ranking: the same as ranking every candidate with its reasons', () => {
  // The ranking as first written: every candidate scored with its reasons, sorted by score then SKU in locale order.
  function reference(req: RankRequest): RankedItem[] {
    const { profile, audience, catalog: cat, context, limit } = req;
    const aff = profile ? profile.affinities : sharedAffinities(audience ?? []);
    const cands = selectCandidates({ catalog: cat, zoneCategories: context.zoneCategories, profile, eslSkus: profile ? context.eslSkus : [], affinities: aff });
    const n = Math.max(1, cat.inStock.length - 1);
    const pop = new Map(cat.inStock.map((it, i) => [it.sku, 1 - i / n]));
    const zoneCats = new Set(context.zoneCategories);
    const group = audience?.length ?? 0;
    const scored = cands.map(({ item, sources }) => {
      const why: [number, string][] = [];
      let s = 0;
      const p = pop.get(item.sku) ?? 0;
      s += 0.6 * p;
      if (p > 0.9) why.push([0.6 * p, 'store best seller']);
      if (zoneCats.has(item.category)) { s += 1; why.push([1, `popular in ${item.category}`]); }
      const a = aff[item.category] ?? 0;
      if (a > 0) { s += 1.2 * a; why.push([1.2 * a, group > 1 ? `shared interest in ${item.category}` : `affinity ${item.category} ${a.toFixed(2)}`]); }
      const bought = profile?.skuCounts?.[item.sku] ?? (sources.has('history') ? 1 : 0);
      if (bought > 0) { const v = 0.7 * Math.log2(1 + bought); s += v; why.push([v, `bought ${bought}× before`]); }
      if (sources.has('browsed')) { s += 0.9; why.push([0.9, 'browsed, not bought yet']); }
      if (sources.has('esl')) { s += 1.1; why.push([1.1, 'tapped its shelf label']); }
      if (item.promo) { s += 0.15; why.push([0.15, 'on offer']); }
      why.sort((x, y) => y[0] - x[0]);
      return { item, score: Math.round(s * 1e4) / 1e4, why: why.slice(0, 3).map(([, w]) => w) };
    });
    scored.sort((a, b) => b.score - a.score || a.item.sku.localeCompare(b.item.sku));
    return scored.slice(0, limit);
  }
  const cats = ['kitchen', 'candles', 'bags', 'garden', 'toys', 'wine'];
  const big = indexCatalog(Array.from({ length: 300 }, (_, i) => item(`${['A', 'b', 'C-', 'd_'][i % 4]}${(i * 37) % 300}`, cats[i % cats.length]!,
    { inStock: i % 11 !== 5, promo: i % 13 === 0 })));
  const skus = [...big.bySku.keys()];
  const profileArb = fc.record({ aff: fc.dictionary(fc.constantFrom(...cats), fc.double({ min: 0, max: 1, noNaN: true }), { maxKeys: 4 }),
    recent: fc.subarray(skus, { maxLength: 12 }), browsed: fc.subarray(skus, { maxLength: 6 }), id: fc.uuid() })
    .map((p) => Profile.parse({ customerId: `c-${p.id}`, affinities: p.aff, recentSkus: p.recent, browsedSkus: p.browsed,
      skuCounts: Object.fromEntries(p.recent.slice(0, 3).map((s, i) => [s, i + 1])) }));

  it('for shoppers, audiences and empty zones, over random catalogs of requests', () => {
    fc.assert(fc.property(fc.option(profileArb), fc.array(profileArb, { maxLength: 12 }), fc.subarray(cats, { maxLength: 3 }),
      fc.subarray(skus, { maxLength: 3 }), fc.integer({ min: 1, max: 40 }), (profile, audience, zoneCategories, eslSkus, limit) => {
        const req: RankRequest = { ...(profile ? { profile } : { audience }), catalog: big, limit,
          context: { storeId: 's-1', zoneId: 'z-1', zoneCategories, now: 0, eslSkus } };
        expect(rankHeuristic(req)).toEqual(reference(req));
      }), { numRuns: 300 });
  });
});
