import type { PosLine } from '../contracts/events.js';
import type { CatalogItem } from '../contracts/store-config.js';
import { intBetween, pickWeighted, type Random } from './random.js';

/** What a basket is drawn from: the shopper's interests and the zones they walked through. */
export type BasketOptions = {
  catalog: readonly CatalogItem[];
  /** Category → 0..1 (the shopper's affinities; empty for anonymous shoppers). */
  affinities?: Readonly<Record<string, number>>;
  /** Categories of the zones visited. */
  visitedCategories?: ReadonlySet<string>;
  /** Members pay the member price where there is one. */
  member: boolean;
  minLines?: number;
  maxLines?: number;
};

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Sum of qty × unit price, to the penny: the POS `total` of these lines. */
export const basketTotal = (lines: readonly PosLine[]): number => round2(lines.reduce((s, l) => s + l.qty * l.unitPrice, 0));

/**
 * 1–6 distinct in-stock items, favouring best sellers (catalog order), the shopper's categories and the
 * zones they visited; integer quantities 1–4. Empty only when nothing is in stock.
 */
export function pickBasket(random: Random, opts: BasketOptions): PosLine[] {
  const { catalog, affinities = {}, visitedCategories = new Set<string>(), member, minLines = 1, maxLines = 6 } = opts;
  const pool = catalog.map((item, rank) => ({ item, rank })).filter((c) => c.item.inStock);
  const weight = ({ item, rank }: { item: CatalogItem; rank: number }): number =>
    (1 + 4 * (affinities[item.category] ?? 0) + (visitedCategories.has(item.category) ? 1.5 : 0)) / (1 + rank / 40);
  const n = Math.min(pool.length, intBetween(random, minLines, maxLines));
  const lines: PosLine[] = [];
  for (let i = 0; i < n; i++) {
    const chosen = pickWeighted(random, pool, weight);
    pool.splice(pool.indexOf(chosen), 1);
    const unitPrice = member && chosen.item.memberPrice !== undefined ? chosen.item.memberPrice : chosen.item.price;
    lines.push({ sku: chosen.item.sku, qty: intBetween(random, 1, 4), unitPrice });
  }
  return lines;
}
