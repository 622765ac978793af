/**
 * Item statistics the ranker needs at serving time (item-stats.json beside model.onnx).
 * Training builds the same JSON at every cutoff and parses it with loadItemStats, so both sides read it alike.
 */

export const ITEM_STATS_FORMAT = 'aislecast-item-stats/1';

/** The file format: column arrays indexed by item position; neighbours refer to item positions. */
export type ItemStatsJson = {
  format: typeof ITEM_STATS_FORMAT;
  /** ISO time the statistics are "as of" (exclusive end of the data used). */
  asOf: string;
  /** Window of recentPopularity, days. */
  windowDays: number;
  /** Baskets in the data used, and in the recent window. */
  totalBaskets: number;
  recentBaskets: number;
  skus: string[];
  names: string[];
  category: string[];
  /** Number of baskets containing the item. */
  popularity: number[];
  recentPopularity: number[];
  /** Median unit price (GBP). */
  price: number[];
  /** Per item: top-K co-purchase neighbours (item positions) and their cosine, best first. */
  nbIdx: number[][];
  nbSim: number[][];
};

export type Neighbor = { sku: string; sim: number };

export type ItemStat = {
  sku: string;
  name: string;
  category: string;
  popularity: number;
  recentPopularity: number;
  price: number;
  neighbors: readonly Neighbor[];
};

export type ItemStats = {
  asOf: number;
  windowDays: number;
  totalBaskets: number;
  recentBaskets: number;
  items: ReadonlyMap<string, ItemStat>;
  /** SKUs by popularity, most popular first (ties: ascending SKU). */
  byPopularity: readonly string[];
  /** SKUs by recent popularity, then popularity. */
  byRecentPopularity: readonly string[];
  /** Per category, SKUs by recent popularity then popularity. */
  byCategory: ReadonlyMap<string, readonly string[]>;
};

const isArr = (x: unknown, n: number): boolean => Array.isArray(x) && x.length === n;

/** Parses and validates item-stats.json (already JSON.parse'd). Throws on a malformed document. */
export function loadItemStats(json: unknown): ItemStats {
  const j = json as Partial<ItemStatsJson> | null;
  if (!j || j.format !== ITEM_STATS_FORMAT || !Array.isArray(j.skus)) throw new Error('item stats: bad format');
  const n = j.skus.length;
  for (const k of ['names', 'category', 'popularity', 'recentPopularity', 'price', 'nbIdx', 'nbSim'] as const) {
    if (!isArr(j[k], n)) throw new Error(`item stats: ${k} must have ${n} entries`);
  }
  const asOf = Date.parse(String(j.asOf));
  if (!Number.isFinite(asOf)) throw new Error('item stats: bad asOf');
  const skus = j.skus;
  const items = new Map<string, ItemStat>();
  skus.forEach((sku, i) => {
    const idx = j.nbIdx![i]!;
    const sim = j.nbSim![i]!;
    if (idx.length !== sim.length) throw new Error(`item stats: neighbour lengths differ for ${sku}`);
    items.set(sku, {
      sku, name: j.names![i]!, category: j.category![i]!, popularity: j.popularity![i]!,
      recentPopularity: j.recentPopularity![i]!, price: j.price![i]!,
      neighbors: idx.map((t, q) => {
        const s = skus[t];
        if (s === undefined) throw new Error(`item stats: neighbour index ${t} out of range`);
        return { sku: s, sim: sim[q]! };
      }),
    });
  });
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const all = [...items.values()];
  const byPopularity = [...all].sort((a, b) => b.popularity - a.popularity || cmp(a.sku, b.sku)).map((s) => s.sku);
  const recent = [...all].sort((a, b) => b.recentPopularity - a.recentPopularity || b.popularity - a.popularity || cmp(a.sku, b.sku));
  const byCategory = new Map<string, string[]>();
  for (const s of recent) {
    let l = byCategory.get(s.category);
    if (!l) byCategory.set(s.category, (l = []));
    l.push(s.sku);
  }
  return {
    asOf, windowDays: j.windowDays ?? 30, totalBaskets: j.totalBaskets ?? 0, recentBaskets: j.recentBaskets ?? 0,
    items, byPopularity, byRecentPopularity: recent.map((s) => s.sku), byCategory,
  };
}
