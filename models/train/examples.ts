import type { Dataset } from '../data/baskets.js';
import { generateCandidates } from '../candidates/index.js';
import { buildFeatures, NUM_FEATURES, type ItemStats } from '../features/index.js';
import type { EvalUser } from '../eval/split.js';
import { userStateFromHistory } from './user-state-from-history.js';

export type ExampleSet = { X: Float32Array; y: Float32Array; w: Float32Array; n: number; users: number; positives: number };

export type ExampleOptions = {
  /** Negatives sampled per user from its candidates (all when Infinity). */
  negPerUser: number;
  rand: () => number;
  /** Weight each user's rows so every user sums to the same weight. */
  perUserWeight?: boolean;
};

/**
 * Training rows for one cutoff: per user, candidates from the shared generator, the shared feature builder
 * with now = time of the target basket (the shopper is in store), label = candidate in the target basket.
 * Users whose candidates contain no target item are skipped (no ranking signal).
 */
export function buildExamples(ds: Dataset, stats: ItemStats, users: readonly EvalUser[], cutoff: number, opt: ExampleOptions): ExampleSet {
  const F = NUM_FEATURES;
  const chunks: Float32Array[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let nUsers = 0;
  let positives = 0;
  for (const u of users) {
    const state = userStateFromHistory(ds, u.history, cutoff);
    const cands = generateCandidates({ user: state, stats }).map((c) => c.sku);
    const target = new Set(Array.from(u.target.items, (i) => ds.skus[i]!));
    const pos = cands.filter((s) => target.has(s));
    if (pos.length === 0) continue;
    let neg = cands.filter((s) => !target.has(s));
    if (Number.isFinite(opt.negPerUser) && neg.length > opt.negPerUser) {
      for (let i = 0; i < opt.negPerUser; i++) {
        const j = i + Math.floor(opt.rand() * (neg.length - i));
        const t = neg[i]!; neg[i] = neg[j]!; neg[j] = t;
      }
      neg = neg.slice(0, opt.negPerUser);
    }
    const rows = [...pos, ...neg];
    chunks.push(buildFeatures(state, { now: u.target.ts }, rows, stats));
    const wt = opt.perUserWeight ? 20 / rows.length : 1;
    for (const s of rows) { ys.push(target.has(s) ? 1 : 0); ws.push(wt); }
    nUsers++;
    positives += pos.length;
  }
  const n = ys.length;
  const X = new Float32Array(n * F);
  let off = 0;
  for (const c of chunks) { X.set(c, off); off += c.length; }
  return { X, y: Float32Array.from(ys), w: Float32Array.from(ws), n, users: nUsers, positives };
}
