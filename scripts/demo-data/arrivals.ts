import type { CatalogItem } from '../../engine/contracts/store-config.js';
import type { RetailRow } from '../../models/data/online-retail.js';
import { brandFor } from './catalog.js';
import { skuOf, type ProductStats } from './history.js';
import { pickRetailPrice } from './price.js';
import { titleCase } from './title-case.js';

const DAY_MS = 86_400_000;

/**
 * Each product's first sale in the data, as an ISO date (`YYYY-MM-DD`, the data's UK time read as UTC): the
 * catalog's `arrivedAt`. The data starts on 2010-12-01, so for products already on sale then this is the
 * start of the data, not their launch: they look a year old, which is all the `newArrivals` trigger needs.
 */
export function firstSaleDates(rows: readonly RetailRow[]): Map<string, string> {
  const first = new Map<string, number>();
  for (const r of rows) {
    const sku = skuOf(r.stockCode);
    const at = first.get(sku);
    if (at === undefined || r.ts < at) first.set(sku, r.ts);
  }
  return new Map([...first].map(([sku, ts]) => [sku, new Date(ts).toISOString().slice(0, 10)]));
}

export type NewLineOptions = {
  /** Arrived (first sale date) at most this many days before `asOf`, counted from the date's midnight. */
  days?: number;
  /** Only products that at least this many baskets contained (one-off lines and strays stay out). */
  minBaskets?: number;
  max?: number;
};

/**
 * The data's new lines: products first sold within `days` before `asOf` that sold in at least `minBaskets`
 * baskets, best sellers first. None of them is among the year's 400 best sellers (a month is too short), so
 * the demo catalog adds them after those: without them nothing in the store "arrived in the last 30 days".
 * Counted from the date's midnight, as the engine reads an ISO date, so every one of them is a new arrival
 * when the demo rebases the data's last day to now.
 */
export function newLines(stats: readonly ProductStats[], arrivals: ReadonlyMap<string, string>, asOf: number, opts: NewLineOptions = {}): ProductStats[] {
  const { days = 30, minBaskets = 10, max = 24 } = opts;
  const since = asOf - days * DAY_MS;
  return stats.filter((p) => {
    const d = arrivals.get(p.sku);
    return d !== undefined && Date.parse(d) >= since && p.baskets >= minBaskets;
  }).slice(0, max);
}

/** Catalog items for new lines, priced like the rest (shelf price from retail-size lines), in stock, no offers. */
export function newLineItems(lines: readonly ProductStats[], categorize: (d: string) => string): CatalogItem[] {
  return lines.map((p) => ({
    sku: p.sku, name: titleCase(p.description).slice(0, 120), category: categorize(p.description),
    brand: brandFor(p.description), price: pickRetailPrice(p.lines), inStock: true,
  }));
}
