import type { Ranker } from '../baselines/index.js';
import { generateCandidates } from '../candidates/index.js';
import type { CutoffContext } from '../eval/context.js';
import type { EvalUser } from '../eval/split.js';
import { buildFeatures, loadItemStats, type ItemStats } from '../features/index.js';
import { buildItemStats, DEFAULT_NEIGHBORS } from '../stats/build-item-stats.js';
import { userStateFromHistory } from '../train/user-state-from-history.js';
import { predict, type MlpParams } from '../train/mlp.js';

const statsCache = new WeakMap<CutoffContext, ItemStats>();
const ixCache = new WeakMap<object, Map<string, number>>();

/** Item stats at the context's cutoff, built through the serving JSON format (cached per context). */
export function statsAt(ctx: CutoffContext): ItemStats {
  let s = statsCache.get(ctx);
  if (!s) {
    s = loadItemStats(buildItemStats(ctx.ds, ctx.split.train, ctx.split.cutoff, DEFAULT_NEIGHBORS, ctx.neighbors));
    statsCache.set(ctx, s);
  }
  return s;
}

function skuIndex(ctx: CutoffContext): Map<string, number> {
  let m = ixCache.get(ctx.ds);
  if (!m) { m = new Map(ctx.ds.skus.map((s, i) => [s, i])); ixCache.set(ctx.ds, m); }
  return m;
}

/** The shared candidate generator as item indices (for AUC and candidate recall). */
export function candidatesAt(ctx: CutoffContext): (u: EvalUser) => Int32Array {
  const stats = statsAt(ctx);
  const ix = skuIndex(ctx);
  return (u) => {
    const user = userStateFromHistory(ctx.ds, u.history, ctx.split.cutoff);
    return Int32Array.from(generateCandidates({ user, stats }), (c) => ix.get(c.sku)!);
  };
}

/** Two-stage ranker: shared candidates, shared features, MLP score; non-candidates fall back to popularity. */
export function modelRanker(name: string, params: MlpParams): Ranker {
  return {
    name,
    prepare: (ctx) => {
      const stats = statsAt(ctx);
      const ix = skuIndex(ctx);
      return (u, out) => {
        const user = userStateFromHistory(ctx.ds, u.history, ctx.split.cutoff);
        const skus = generateCandidates({ user, stats }).map((c) => c.sku);
        const X = buildFeatures(user, { now: u.target.ts }, skus, stats);
        const s = predict(params, X, skus.length);
        out.fill(0);
        skus.forEach((sku, k) => { out[ix.get(sku)!] = 1 + s[k]!; });
      };
    },
  };
}
