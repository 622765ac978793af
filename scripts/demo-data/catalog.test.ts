import { describe, expect, it } from 'vitest';
import { CatalogItem } from '../../engine/contracts/store-config.js';
import { seededRandom } from '../../engine/simulator/random.js';
import { brandFor, buildCatalog } from './catalog.js';
import type { ProductStats } from './history.js';

const cats = ['kitchen & dining', 'bags', 'christmas', 'party', 'garden'];
const stats: ProductStats[] = Array.from({ length: 120 }, (_, i) => ({
  stockCode: String(20000 + i), sku: `SKU-${20000 + i}`, description: `${cats[i % cats.length]!.toUpperCase()} THING ${i}`,
  baskets: 1000 - i, lines: [{ quantity: 2, unitPrice: 1.25 + (i % 7) }, { quantity: 48, unitPrice: 0.85 }],
}));
const categorize = (d: string) => cats.find((c) => d.startsWith(c.toUpperCase())) ?? 'other';

describe('brandFor', () => {
  it('names the design line or nothing', () => {
    expect(brandFor('REGENCY CAKESTAND 3 TIER')).toBe('Regency Collection');
    expect(brandFor('LUNCH BAG RED RETROSPOT')).toBe('Retrospot Collection');
    expect(brandFor('PARTY BUNTING')).toBe('');
  });
});

describe('buildCatalog', () => {
  const items = buildCatalog(stats, categorize, seededRandom(7), { size: 100, promos: 12 });
  it('keeps sales order and valid items', () => {
    expect(items).toHaveLength(100);
    expect(items.map((i) => i.sku)).toEqual(stats.slice(0, 100).map((s) => s.sku));
    for (const it of items) expect(() => CatalogItem.parse(it)).not.toThrow();
    expect(items[0]!.price).toBe(1.25);
  });
  it('marks promotions across categories, all in stock with a member price', () => {
    const promos = items.filter((i) => i.promo);
    expect(promos).toHaveLength(12);
    expect(new Set(promos.map((p) => p.category)).size).toBe(cats.length);
    for (const p of promos) { expect(p.inStock).toBe(true); expect(p.memberPrice).toBeLessThan(p.price); }
  });
  it('puts about 3% out of stock, never the top sellers', () => {
    const out = items.filter((i) => !i.inStock);
    expect(out).toHaveLength(3);
    expect(items.slice(0, 20).every((i) => i.inStock)).toBe(true);
  });
  it('is deterministic for a seed', () => {
    expect(buildCatalog(stats, categorize, seededRandom(7), { size: 100, promos: 12 })).toEqual(items);
  });
});
