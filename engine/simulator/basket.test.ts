import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../contracts/store-config.js';
import { basketTotal, pickBasket } from './basket.js';
import { seededRandom } from './random.js';

const catalog: CatalogItem[] = Array.from({ length: 40 }, (_, i) => ({
  sku: `SKU-${i}`, name: `Item ${i}`, category: i < 20 ? 'bags' : 'garden', brand: '', price: 2.95, memberPrice: 2.65, inStock: i !== 0,
}));

describe('pickBasket', () => {
  it('draws 1–6 distinct in-stock lines with integer quantities', () => {
    const r = seededRandom(3);
    for (let k = 0; k < 200; k++) {
      const lines = pickBasket(r, { catalog, member: false });
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(6);
      expect(new Set(lines.map((l) => l.sku)).size).toBe(lines.length);
      for (const l of lines) { expect(l.sku).not.toBe('SKU-0'); expect(Number.isInteger(l.qty)).toBe(true); expect(l.unitPrice).toBe(2.95); }
    }
  });
  it('favours the shopper’s categories and gives members the member price', () => {
    const r = seededRandom(4);
    const lines = Array.from({ length: 200 }, () => pickBasket(r, { catalog, member: true, affinities: { garden: 1 } })).flat();
    expect(lines.filter((l) => Number(l.sku.slice(4)) >= 20).length / lines.length).toBeGreaterThan(0.6);
    expect(lines.every((l) => l.unitPrice === 2.65)).toBe(true);
  });
  it('is empty with nothing in stock and totals to the penny', () => {
    expect(pickBasket(seededRandom(1), { catalog: catalog.map((c) => ({ ...c, inStock: false })), member: false })).toEqual([]);
    expect(basketTotal([{ sku: 'a', qty: 3, unitPrice: 0.1 }, { sku: 'b', qty: 1, unitPrice: 2.95 }])).toBe(3.25);
  });
});
