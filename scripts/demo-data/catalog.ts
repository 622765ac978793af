import type { CatalogItem } from '../../engine/contracts/store-config.js';
import { chance, shuffled, type Random } from '../../engine/simulator/random.js';
import type { ProductStats } from './history.js';
import { memberPrice, pickRetailPrice } from './price.js';
import { titleCase } from './title-case.js';

/** Design lines of the data's product range, shown as the house brand of the items that carry them. */
export const COLLECTIONS = [
  'REGENCY', 'RETROSPOT', 'PANTRY', 'SPACEBOY', 'DOLLY GIRL', 'WOODLAND', 'VINTAGE DOILY', 'SUKI', 'POLKADOT',
  'PAISLEY', 'BAKELIKE', 'SKULL', 'SPOTTY', 'VICTORIAN', 'PARISIENNE', 'HOMEMADE', 'LOVE BUILDING',
] as const;

/** The house brand of a product, from the design line its description names ("" when none). */
export function brandFor(description: string): string {
  const d = ` ${description.toUpperCase().replace(/[^A-Z]+/g, ' ')} `;
  const hit = COLLECTIONS.find((c) => d.includes(` ${c} `));
  return hit ? `${titleCase(hit)} Collection` : '';
}

export type CatalogOptions = {
  size?: number;
  promos?: number;
  /** Share of items out of stock (never among the top `keepTop` best sellers). */
  outOfStockShare?: number;
  /** Share of non-promo items that also carry a member price (promo items always do). */
  memberShare?: number;
  keepTop?: number;
};

/**
 * The demo catalog: the best sellers in sales order (so catalog order is popularity), with shelf prices,
 * a member price on a subset, a few items out of stock and about twenty promotions spread over categories.
 */
export function buildCatalog(stats: readonly ProductStats[], categorize: (d: string) => string, random: Random, opts: CatalogOptions = {}): CatalogItem[] {
  const { size = 400, promos = 20, outOfStockShare = 0.03, memberShare = 0.3, keepTop = 20 } = opts;
  const top = stats.slice(0, size);
  const items: CatalogItem[] = top.map((p) => ({
    sku: p.sku, name: titleCase(p.description).slice(0, 120), category: categorize(p.description),
    brand: brandFor(p.description), price: pickRetailPrice(p.lines), inStock: true,
  }));
  const tail = shuffled(random, items.slice(keepTop));
  tail.slice(0, Math.round(items.length * outOfStockShare)).forEach((it) => { it.inStock = false; });

  // Promotions: the best in-stock seller of each category first, then random picks from the top half.
  const promoSet = new Set<CatalogItem>();
  const seenCats = new Set<string>();
  for (const it of items) {
    if (promoSet.size >= promos) break;
    if (!it.inStock || seenCats.has(it.category) || it.category === 'other') continue;
    seenCats.add(it.category);
    promoSet.add(it);
  }
  for (const it of shuffled(random, items.slice(0, Math.ceil(items.length / 2)))) {
    if (promoSet.size >= promos) break;
    if (it.inStock) promoSet.add(it);
  }
  for (const it of items) {
    if (promoSet.has(it)) it.promo = true;
    if (promoSet.has(it) || chance(random, memberShare)) it.memberPrice = memberPrice(it.price);
  }
  return items;
}
