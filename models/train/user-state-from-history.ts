import type { Basket, Dataset } from '../data/baskets.js';
import type { UserState } from '../features/user-state.js';

const DAY = 86_400_000;

/**
 * Builds the serving-shaped user state (a Profile subset) from a customer's baskets before `asOf`:
 * skuCounts = baskets containing the SKU, recentSkus = distinct SKUs newest first (≤ 50),
 * affinities = category share of purchased items, rfm from the baskets. No browsing data exists: browsedSkus = [].
 */
export function userStateFromHistory(ds: Dataset, history: readonly Basket[], asOf: number): UserState {
  const skuCounts: Record<string, number> = {};
  const catCounts = new Map<string, number>();
  let lines = 0;
  let monetary = 0;
  for (const b of history) {
    monetary += b.spend;
    for (const i of b.items) {
      const s = ds.skus[i]!;
      skuCounts[s] = (skuCounts[s] ?? 0) + 1;
      const c = ds.categories[i]!;
      catCounts.set(c, (catCounts.get(c) ?? 0) + 1);
      lines++;
    }
  }
  const recent: string[] = [];
  const seen = new Set<string>();
  for (let k = history.length - 1; k >= 0 && recent.length < 50; k--) {
    const items = history[k]!.items;
    for (let t = items.length - 1; t >= 0 && recent.length < 50; t--) {
      const s = ds.skus[items[t]!]!;
      if (!seen.has(s)) { seen.add(s); recent.push(s); }
    }
  }
  const affinities: Record<string, number> = {};
  for (const [c, n] of catCounts) affinities[c] = n / Math.max(1, lines);
  const last = history.length ? history[history.length - 1]!.ts : undefined;
  const first = history.length ? history[0]!.ts : undefined;
  return {
    rfm: history.length
      ? { recencyDays: last !== undefined ? Math.max(0, (asOf - last) / DAY) : 0, frequency: history.length, monetary }
      : undefined,
    lastPurchaseAt: last, firstPurchaseAt: first,
    recentSkus: recent, browsedSkus: [], skuCounts, affinities,
  };
}
