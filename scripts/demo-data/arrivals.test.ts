import { describe, expect, it } from 'vitest';
import { CatalogItem } from '../../engine/contracts/store-config.js';
import type { RetailRow } from '../../models/data/online-retail.js';
import { firstSaleDates, newLineItems, newLines } from './arrivals.js';
import type { ProductStats } from './history.js';

const DAY = 86_400_000;
const asOf = Date.UTC(2011, 11, 9, 12, 50);
const row = (stockCode: string, ts: number): RetailRow =>
  ({ invoice: `I${ts}`, stockCode, description: 'X', quantity: 1, ts, unitPrice: 1, customerId: '1', country: 'UK' });

describe('firstSaleDates', () => {
  it('is each product\'s first sale day (UTC)', () => {
    const d = firstSaleDates([row('1', Date.UTC(2011, 5, 3, 23, 59)), row('1', Date.UTC(2011, 0, 2, 8)), row('2', Date.UTC(2010, 11, 1, 9))]);
    expect(Object.fromEntries(d)).toEqual({ 'SKU-1': '2011-01-02', 'SKU-2': '2010-12-01' });
  });
});

describe('newLines', () => {
  const stat = (code: string, baskets: number): ProductStats =>
    ({ stockCode: code, sku: `SKU-${code}`, description: `SNACK TRAY ${code}`, baskets, lines: [{ quantity: 2, unitPrice: 1.95 }] });
  const arrivals = new Map([
    ['SKU-old', '2011-06-01'], ['SKU-new', '2011-11-27'], ['SKU-edge', '2011-11-10'], ['SKU-late', '2011-11-09'], ['SKU-rare', '2011-12-01'],
  ]);
  const stats = [stat('old', 500), stat('new', 30), stat('edge', 12), stat('late', 40), stat('rare', 3)];
  it('keeps products whose first sale date is within the days (from its midnight) and that sold enough', () => {
    expect(newLines(stats, arrivals, asOf).map((p) => p.stockCode)).toEqual(['new', 'edge']);
    expect(asOf - Date.parse('2011-11-10')).toBeLessThanOrEqual(30 * DAY);
    expect(newLines(stats, arrivals, asOf, { minBaskets: 1, max: 1 }).map((p) => p.stockCode)).toEqual(['new']);
  });
  it('makes valid catalog items', () => {
    const [it0] = newLineItems(newLines(stats, arrivals, asOf), () => 'kitchen & dining');
    expect(CatalogItem.parse(it0)).toMatchObject({ sku: 'SKU-new', name: 'Snack Tray New', price: 1.95, inStock: true });
  });
});
