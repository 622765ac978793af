import type { RetailRow } from './online-retail.js';
import { categorize } from './categories.js';

/** One invoice (= basket): distinct items with summed quantity. */
export type Basket = {
  invoice: string;
  /** Index into Dataset.customers. */
  customer: number;
  ts: number;
  /** Distinct item indices (into Dataset.skus), in first-seen order. */
  items: Int32Array;
  /** Summed quantity per entry of `items`. */
  qty: Float32Array;
  /** Basket value in GBP (Σ quantity × unit price). */
  spend: number;
};

export type Dataset = {
  /** `SKU-${StockCode}` per item index. */
  skus: string[];
  /** Most frequent description per item. */
  descriptions: string[];
  categories: string[];
  /** Median unit price per item (GBP). */
  prices: Float64Array;
  /** `c-${CustomerID}` per customer index. */
  customers: string[];
  /** Sorted by (ts, invoice). */
  baskets: Basket[];
  rows: number;
};

export const skuOf = (stockCode: string): string => `SKU-${stockCode}`;
export const customerOf = (customerId: string): string => `c-${customerId}`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : ((s[m - 1]! + s[m]!) / 2);
};

/** Groups cleaned rows into baskets and builds the item / customer tables (pure). */
export function buildDataset(rows: readonly RetailRow[]): Dataset {
  const itemIx = new Map<string, number>();
  const custIx = new Map<string, number>();
  const skus: string[] = [];
  const descCounts: Map<string, number>[] = [];
  const priceLists: number[][] = [];
  const customers: string[] = [];
  const byInvoice = new Map<string, { customer: number; ts: number; items: Map<number, number>; spend: number }>();
  for (const r of rows) {
    let i = itemIx.get(r.stockCode);
    if (i === undefined) {
      i = skus.length;
      itemIx.set(r.stockCode, i);
      skus.push(skuOf(r.stockCode));
      descCounts.push(new Map());
      priceLists.push([]);
    }
    const dc = descCounts[i]!;
    dc.set(r.description, (dc.get(r.description) ?? 0) + 1);
    priceLists[i]!.push(r.unitPrice);
    let c = custIx.get(r.customerId);
    if (c === undefined) {
      c = customers.length;
      custIx.set(r.customerId, c);
      customers.push(customerOf(r.customerId));
    }
    let b = byInvoice.get(r.invoice);
    if (!b) byInvoice.set(r.invoice, (b = { customer: c, ts: r.ts, items: new Map(), spend: 0 }));
    b.items.set(i, (b.items.get(i) ?? 0) + r.quantity);
    b.spend += r.quantity * r.unitPrice;
    if (r.ts < b.ts) b.ts = r.ts;
  }
  const descriptions = descCounts.map((m) => {
    let best = '';
    let n = -1;
    for (const [d, k] of m) if (k > n || (k === n && d < best)) { best = d; n = k; }
    return best;
  });
  const baskets: Basket[] = [...byInvoice].map(([invoice, b]) => ({
    invoice, customer: b.customer, ts: b.ts, spend: b.spend,
    items: Int32Array.from(b.items.keys()), qty: Float32Array.from(b.items.values()),
  }));
  baskets.sort((a, b) => a.ts - b.ts || (a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : 0));
  return {
    skus, descriptions, categories: descriptions.map(categorize),
    prices: Float64Array.from(priceLists.map(median)), customers, baskets, rows: rows.length,
  };
}

/** Index of the first basket with ts ≥ t (baskets sorted by ts). */
export function firstBasketAtOrAfter(baskets: readonly Basket[], t: number): number {
  let lo = 0;
  let hi = baskets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (baskets[mid]!.ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
