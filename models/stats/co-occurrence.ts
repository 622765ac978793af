import type { Basket } from '../data/baskets.js';

/** Top-k cosine neighbours per item: sim(i, j) = co(i, j) / sqrt(n_i · n_j) over baskets (distinct items). */
export type Neighbors = { idx: Int32Array[]; sim: Float32Array[] };

/** Basket counts per item (number of baskets containing it). */
export function basketCounts(baskets: readonly Basket[], nItems: number, since = -Infinity): Float64Array {
  const n = new Float64Array(nItems);
  for (const b of baskets) if (b.ts >= since) for (const i of b.items) n[i]!++;
  return n;
}

/**
 * Item-item cosine on basket co-purchase, top-k per item (ties: more popular first, then lower index).
 * Dense counts (nItems² floats): fine for a few thousand items.
 */
export function cosineNeighbors(baskets: readonly Basket[], nItems: number, k: number): Neighbors {
  const co = new Float32Array(nItems * nItems);
  for (const b of baskets) {
    const it = b.items;
    for (let a = 0; a < it.length; a++) {
      const row = it[a]! * nItems;
      for (let c = 0; c < it.length; c++) if (c !== a) co[row + it[c]!]!++;
    }
  }
  const n = basketCounts(baskets, nItems);
  const idx: Int32Array[] = [];
  const sim: Float32Array[] = [];
  for (let i = 0; i < nItems; i++) {
    const cand: [number, number][] = [];
    const row = i * nItems;
    for (let j = 0; j < nItems; j++) {
      const c = co[row + j]!;
      if (c > 0) cand.push([j, c / Math.sqrt(n[i]! * n[j]!)]);
    }
    cand.sort((x, y) => y[1] - x[1] || n[y[0]]! - n[x[0]]! || x[0] - y[0]);
    const top = cand.slice(0, k);
    idx.push(Int32Array.from(top.map((t) => t[0])));
    sim.push(Float32Array.from(top.map((t) => t[1])));
  }
  return { idx, sim };
}
