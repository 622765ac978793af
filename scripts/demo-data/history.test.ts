import { describe, expect, it } from 'vitest';
import type { RetailRow } from '../../models/data/online-retail.js';
import { customerHistories, productStats, skuOf } from './history.js';

const row = (invoice: string, stockCode: string, customerId: string, ts: number, quantity = 1, unitPrice = 1, description = 'X'): RetailRow =>
  ({ invoice, stockCode, description, quantity, ts, unitPrice, customerId, country: 'United Kingdom' });

const rows: RetailRow[] = [
  row('1', '85123A', 'a', 1000, 6, 2.95, 'WHITE HANGING HEART T-LIGHT HOLDER'),
  row('1', '85123A', 'a', 1000, 2, 2.95, 'WHITE HANGING HEART T-LIGHT HOLDER'),
  row('1', '22423', 'a', 1000, 1, 12.75, 'REGENCY CAKESTAND 3 TIER'),
  row('2', '85123A', 'a', 5000, 1, 2.95, 'CREAM HANGING HEART T-LIGHT HOLDER'),
  row('3', '85123A', 'b', 3000, 32, 2.55, 'WHITE HANGING HEART T-LIGHT HOLDER'),
  row('3', '21212', 'b', 3000, 24, 0.55, 'PACK OF 72 RETROSPOT CAKE CASES'),
];

describe('productStats', () => {
  it('ranks by distinct baskets and keeps the modal description', () => {
    const stats = productStats(rows);
    expect(stats.map((s) => [s.sku, s.baskets])).toEqual([['SKU-85123A', 3], ['SKU-21212', 1], ['SKU-22423', 1]]);
    expect(stats[0]!.description).toBe('WHITE HANGING HEART T-LIGHT HOLDER');
    expect(stats[0]!.lines).toHaveLength(4);
  });
});

describe('customerHistories', () => {
  const cat = (code: string) => (code === '22423' ? 'kitchen & dining' : 'candles & lights');
  const h = customerHistories(rows, cat);
  it('aggregates invoices, spend and dates', () => {
    const a = h.get('a')!;
    expect(a.invoices).toBe(2);
    expect(a.firstPurchaseAt).toBe(1000);
    expect(a.lastPurchaseAt).toBe(5000);
    expect(a.monetary).toBe(Math.round((8 * 2.95 + 12.75 + 2.95) * 100) / 100);
    expect(a.spendByCategory['kitchen & dining']).toBe(12.75);
  });
  it('counts an item once per invoice', () => {
    expect(h.get('a')!.items.get(skuOf('85123A'))).toEqual({ invoices: 2, lastAt: 5000 });
    expect(h.get('b')!.items.get(skuOf('85123A'))).toEqual({ invoices: 1, lastAt: 3000 });
  });
});
