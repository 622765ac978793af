import type { Ranker } from '../baselines/index.js';
import type { CutoffContext } from './context.js';
import { auc, hitRateAt, ndcgAt, recallAt, topK } from './metrics.js';
import type { EvalUser } from './split.js';

export type SliceMetrics = { users: number; recall: number; ndcg: number; hr: number };
export type EvalResult = {
  name: string;
  cutoff: string;
  all: SliceMetrics;
  /** Target = items the customer never bought before; own items are removed from the ranking. */
  explore: SliceMetrics;
  /** Mean per-user AUC over the shared candidate set (users with a positive and a negative candidate). */
  auc: number;
  /** Mean scoring time per user (ms), ranking the whole catalog. */
  latencyMs: number;
};

export type EvalOptions = {
  k?: number;
  /** Candidate generator for the AUC; without it AUC is NaN. */
  candidates?: (u: EvalUser) => Int32Array;
  /** Limit the number of users (for CI); keeps the first n. */
  maxUsers?: number;
};

const empty = (): SliceMetrics => ({ users: 0, recall: 0, ndcg: 0, hr: 0 });
const add = (m: SliceMetrics, ranked: Int32Array, t: Set<number>, k: number): void => {
  m.users++;
  m.recall += recallAt(ranked, t, k);
  m.ndcg += ndcgAt(ranked, t, k);
  m.hr += hitRateAt(ranked, t, k);
};
const mean = (m: SliceMetrics): SliceMetrics =>
  m.users ? { users: m.users, recall: m.recall / m.users, ndcg: m.ndcg / m.users, hr: m.hr / m.users } : m;

/** Runs one ranker through the protocol at one cutoff: exact top-k over the whole catalog. */
export function evaluate(ctx: CutoffContext, ranker: Ranker, opts: EvalOptions = {}): EvalResult {
  const k = opts.k ?? 10;
  const score = ranker.prepare(ctx);
  const users = opts.maxUsers ? ctx.split.users.slice(0, opts.maxUsers) : ctx.split.users;
  const out = new Float64Array(ctx.nItems);
  const all = empty();
  const explore = empty();
  let aucSum = 0;
  let aucN = 0;
  let ms = 0;
  for (const u of users) {
    const t0 = performance.now();
    score(u, out);
    const ranked = topK(out, ctx.popOrder, k);
    ms += performance.now() - t0;
    const target = new Set(u.target.items);
    add(all, ranked, target, k);
    const own = new Set<number>();
    for (const b of u.history) for (const i of b.items) own.add(i);
    const exp = new Set([...target].filter((i) => !own.has(i)));
    if (exp.size > 0) {
      for (const i of own) out[i] = -Infinity;
      add(explore, topK(out, ctx.popOrder, k), exp, k);
    }
    if (opts.candidates) {
      score(u, out);
      const c = opts.candidates(u);
      const s = Float64Array.from(c, (i) => out[i]!);
      const a = auc(s, Float64Array.from(c, (i) => (target.has(i) ? 1 : 0)));
      if (!Number.isNaN(a)) { aucSum += a; aucN++; }
    }
  }
  return {
    name: ranker.name, cutoff: new Date(ctx.split.cutoff).toISOString().slice(0, 10),
    all: mean(all), explore: mean(explore), auc: aucN ? aucSum / aucN : NaN, latencyMs: users.length ? ms / users.length : 0,
  };
}
