import type { Basket, Dataset } from '../data/baskets.js';
import { ITEM_STATS_FORMAT, type ItemStatsJson } from '../features/item-stats.js';
import { basketCounts, cosineNeighbors, type Neighbors } from './co-occurrence.js';

export const DEFAULT_NEIGHBORS = 40;
export const RECENT_WINDOW_DAYS = 30;

/**
 * Builds item-stats.json content from baskets before `asOf` (items sold at least once).
 * Pass `neighbors` to reuse an already computed cosine list (must be over the same baskets, k ≥ `k`).
 */
export function buildItemStats(
  ds: Dataset, train: readonly Basket[], asOf: number, k = DEFAULT_NEIGHBORS, neighbors?: Neighbors,
): ItemStatsJson {
  const nItems = ds.skus.length;
  const pop = basketCounts(train, nItems);
  const since = asOf - RECENT_WINDOW_DAYS * 86_400_000;
  const recent = basketCounts(train, nItems, since);
  const nb = neighbors ?? cosineNeighbors(train, nItems, k);
  const keep: number[] = [];
  for (let i = 0; i < nItems; i++) if (pop[i]! > 0) keep.push(i);
  const pos = new Int32Array(nItems).fill(-1);
  keep.forEach((i, p) => { pos[i] = p; });
  const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  let recentBaskets = 0;
  for (const b of train) if (b.ts >= since) recentBaskets++;
  return {
    format: ITEM_STATS_FORMAT,
    asOf: new Date(asOf).toISOString(),
    windowDays: RECENT_WINDOW_DAYS,
    totalBaskets: train.length,
    recentBaskets,
    skus: keep.map((i) => ds.skus[i]!),
    names: keep.map((i) => ds.descriptions[i]!),
    category: keep.map((i) => ds.categories[i]!),
    popularity: keep.map((i) => pop[i]!),
    recentPopularity: keep.map((i) => recent[i]!),
    price: keep.map((i) => Math.round(ds.prices[i]! * 100) / 100),
    nbIdx: keep.map((i) => Array.from(nb.idx[i]!.subarray(0, k), (j) => pos[j]!)),
    nbSim: keep.map((i) => Array.from(nb.sim[i]!.subarray(0, k), r4)),
  };
}
