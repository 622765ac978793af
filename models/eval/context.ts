import type { Dataset } from '../data/baskets.js';
import { basketCounts, cosineNeighbors, type Neighbors } from '../stats/co-occurrence.js';
import { DAY_MS, type Split } from './split.js';

/** Everything known at a cutoff (computed from training baskets only). */
export type CutoffContext = {
  ds: Dataset;
  split: Split;
  nItems: number;
  /** Items sold at least once before the cutoff: the catalog that gets ranked. */
  catalog: Int32Array;
  inCatalog: Uint8Array;
  /** Baskets containing each item, before the cutoff. */
  pop: Float64Array;
  /** Same, over the last 30 days before the cutoff. */
  pop30: Float64Array;
  /** Catalog sorted by popularity (desc), then item index: the global tie-break order. */
  popOrder: Int32Array;
  neighbors: Neighbors;
  /** Rank of each SKU string in ascending order, scaled to [0, 1): 1 - rank/n, so smaller codes score higher. */
  skuTie: Float64Array;
};

export function makeContext(ds: Dataset, split: Split, knnK = 100): CutoffContext {
  const nItems = ds.skus.length;
  const pop = basketCounts(split.train, nItems);
  const pop30 = basketCounts(split.train, nItems, split.cutoff - 30 * DAY_MS);
  const inCatalog = new Uint8Array(nItems);
  const cat: number[] = [];
  for (let i = 0; i < nItems; i++) if (pop[i]! > 0) { inCatalog[i] = 1; cat.push(i); }
  const popOrder = Int32Array.from([...cat].sort((a, b) => pop[b]! - pop[a]! || a - b));
  return {
    ds, split, nItems, catalog: Int32Array.from(cat), inCatalog, pop, pop30, popOrder,
    neighbors: cosineNeighbors(split.train, nItems, knnK), skuTie: skuTieBreak(ds.skus),
  };
}

/** Deterministic tie-break: SKUs in ascending string order get a larger value in [0, 1). */
export function skuTieBreak(skus: readonly string[]): Float64Array {
  const order = skus.map((s, i) => [s, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const t = new Float64Array(skus.length);
  order.forEach(([, i], r) => { t[i] = 1 - r / skus.length; });
  return t;
}
