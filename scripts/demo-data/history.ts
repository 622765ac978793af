import type { RetailRow } from '../../models/data/online-retail.js';
import type { PriceLine } from './price.js';

/** The catalog id of a stock code; the ranking model's item stats use the same ids. */
export const skuOf = (stockCode: string): string => `SKU-${stockCode}`;

/** Sales of one product over the whole data set. */
export type ProductStats = {
  stockCode: string;
  sku: string;
  /** The description most lines use (the data spells some products several ways). */
  description: string;
  /** Distinct invoices (baskets) containing it: the popularity order of the demo catalog. */
  baskets: number;
  lines: PriceLine[];
};

/** One customer's purchases, aggregated. */
export type CustomerHistory = {
  customerId: string;
  invoices: number;
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  monetary: number;
  spendByCategory: Record<string, number>;
  /** Per sku: invoices containing it and when it was last bought. */
  items: Map<string, { invoices: number; lastAt: number }>;
};

function modal(counts: Map<string, number>): string {
  let best = '';
  let n = -1;
  for (const [k, c] of counts) if (c > n || (c === n && k < best)) { best = k; n = c; }
  return best;
}

/** Products by number of baskets, best first (ties: stock code), with their modal description. */
export function productStats(rows: readonly RetailRow[]): ProductStats[] {
  const acc = new Map<string, { invoices: Set<string>; descs: Map<string, number>; lines: PriceLine[] }>();
  for (const r of rows) {
    let a = acc.get(r.stockCode);
    if (!a) acc.set(r.stockCode, (a = { invoices: new Set(), descs: new Map(), lines: [] }));
    a.invoices.add(r.invoice);
    if (r.description) a.descs.set(r.description, (a.descs.get(r.description) ?? 0) + 1);
    a.lines.push({ quantity: r.quantity, unitPrice: r.unitPrice });
  }
  return [...acc].map(([stockCode, a]) => ({
    stockCode, sku: skuOf(stockCode), description: modal(a.descs), baskets: a.invoices.size, lines: a.lines,
  })).sort((x, y) => y.baskets - x.baskets || x.stockCode.localeCompare(y.stockCode));
}

/** Every customer's history; `categoryOf` maps a stock code to its category (one per product). */
export function customerHistories(rows: readonly RetailRow[], categoryOf: (stockCode: string) => string): Map<string, CustomerHistory> {
  const out = new Map<string, CustomerHistory>();
  const invoicesSeen = new Set<string>();
  const pairsSeen = new Set<string>();
  for (const r of rows) {
    let h = out.get(r.customerId);
    if (!h) {
      h = { customerId: r.customerId, invoices: 0, firstPurchaseAt: r.ts, lastPurchaseAt: r.ts, monetary: 0, spendByCategory: {}, items: new Map() };
      out.set(r.customerId, h);
    }
    // An invoice belongs to one customer, so invoice ids alone identify a basket.
    if (!invoicesSeen.has(r.invoice)) { invoicesSeen.add(r.invoice); h.invoices++; }
    h.firstPurchaseAt = Math.min(h.firstPurchaseAt, r.ts);
    h.lastPurchaseAt = Math.max(h.lastPurchaseAt, r.ts);
    const spend = r.quantity * r.unitPrice;
    h.monetary += spend;
    const cat = categoryOf(r.stockCode);
    h.spendByCategory[cat] = (h.spendByCategory[cat] ?? 0) + spend;
    const sku = skuOf(r.stockCode);
    // Count invoices, not lines: an invoice may list the same product twice.
    const pair = `${r.invoice}|${sku}`;
    const fresh = !pairsSeen.has(pair);
    pairsSeen.add(pair);
    const it = h.items.get(sku);
    if (!it) h.items.set(sku, { invoices: 1, lastAt: r.ts });
    else {
      if (fresh) it.invoices++;
      it.lastAt = Math.max(it.lastAt, r.ts);
    }
  }
  for (const h of out.values()) h.monetary = Math.round(h.monetary * 100) / 100;
  return out;
}
