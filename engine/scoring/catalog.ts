import type { CatalogItem } from '#contracts';
import type { StoreCatalog } from './types.js';

/** Indexes a store catalog: in-stock items per category and promotions, in catalog order. */
export function indexCatalog(items: readonly CatalogItem[]): StoreCatalog {
  const bySku = new Map<string, CatalogItem>();
  const byCategory = new Map<string, CatalogItem[]>();
  const inStock: CatalogItem[] = [];
  const promos: CatalogItem[] = [];
  for (const it of items) {
    bySku.set(it.sku, it);
    if (!it.inStock) continue;
    inStock.push(it);
    if (it.promo) promos.push(it);
    let list = byCategory.get(it.category);
    if (!list) byCategory.set(it.category, (list = []));
    list.push(it);
  }
  return { bySku, byCategory, inStock, promos };
}
