import type { CutoffContext } from '../eval/context.js';
import type { EvalUser } from '../eval/split.js';

/** A ranker scores every item for one user (higher is better; ties fall back to popularity order). */
export type Ranker = {
  name: string;
  /** Called once per cutoff; returns the per-user scorer. */
  prepare(ctx: CutoffContext): (u: EvalUser, out: Float64Array) => void;
};

/** Per-item count of the user's baskets containing it, and the index of the last such basket. */
export function ownCounts(u: EvalUser): Map<number, { n: number; last: number }> {
  const m = new Map<number, { n: number; last: number }>();
  u.history.forEach((b, bi) => {
    for (const i of b.items) {
      const e = m.get(i);
      if (e) { e.n++; e.last = bi; } else m.set(i, { n: 1, last: bi });
    }
  });
  return m;
}

/** mulberry32: small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randomRanker = (seed = 7): Ranker => ({
  name: 'random',
  prepare: () => {
    const r = rng(seed);
    return (_u, out) => { for (let i = 0; i < out.length; i++) out[i] = r(); };
  },
});

export const popularity: Ranker = {
  name: 'popularity',
  prepare: (ctx) => (_u, out) => out.set(ctx.pop),
};

export const popularity30d: Ranker = {
  name: 'popularity-30d',
  prepare: (ctx) => (_u, out) => out.set(ctx.pop30),
};

/** P-TopFreq: the customer's own items by number of baskets (ties: ascending SKU), then popularity. */
export const pTopFreq: Ranker = {
  name: 'p-topfreq',
  prepare: (ctx) => (u, out) => {
    out.fill(0);
    for (const [i, e] of ownCounts(u)) out[i] = e.n + 0.5 * ctx.skuTie[i]!;
  },
};

/** Item-kNN: Σ over the customer's past items i of count(i) · cosine(i, j), from i's top-k neighbour list. */
export function knnScores(ctx: CutoffContext, own: ReadonlyMap<number, { n: number }>, out: Float64Array): void {
  out.fill(0);
  for (const [i, e] of own) {
    const idx = ctx.neighbors.idx[i]!;
    const sim = ctx.neighbors.sim[i]!;
    for (let t = 0; t < idx.length; t++) out[idx[t]!]! += e.n * sim[t]!;
  }
}

export const itemKnn: Ranker = {
  name: 'item-knn',
  prepare: (ctx) => (u, out) => knnScores(ctx, ownCounts(u), out),
};

/** Own items first (by count, ties by kNN score), then item-kNN. */
export const itemKnnOwn: Ranker = {
  name: 'item-knn+own',
  prepare: (ctx) => (u, out) => {
    const own = ownCounts(u);
    knnScores(ctx, own, out);
    let max = 0;
    for (let i = 0; i < out.length; i++) if (out[i]! > max) max = out[i]!;
    for (const [i, e] of own) out[i] = (max + 1) * (1 + e.n) + out[i]!;
  },
};

export const BASELINES: readonly Ranker[] = [randomRanker(), popularity, popularity30d, pTopFreq, itemKnn, itemKnnOwn];
