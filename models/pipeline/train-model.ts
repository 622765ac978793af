import type { Dataset } from '../data/baskets.js';
import { rng } from '../baselines/index.js';
import { makeContext, type CutoffContext } from '../eval/context.js';
import { evaluate } from '../eval/evaluate.js';
import { makeSplit } from '../eval/split.js';
import { NUM_FEATURES } from '../features/index.js';
import { initAdam, trainEpoch } from '../train/adam.js';
import { buildExamples, type ExampleSet } from '../train/examples.js';
import { cloneParams, fitStandardizer, initMlp, type MlpParams } from '../train/mlp.js';
import { modelRanker, statsAt } from './model-ranker.js';

export type ModelSpec = {
  name: string;
  hidden: number[];
  lr: number;
  l2: number;
  batch: number;
  maxEpochs: number;
  negPerUser: number;
};

export type TrainOptions = {
  seed: number;
  /** Number of monthly pseudo-cutoffs before the cutoff (the newest one is the validation period). */
  months: number;
  /** Limit users per pseudo-cutoff (CI). */
  maxUsers?: number;
  log: (msg: string) => void;
};

export type TrainedModel = { spec: ModelSpec; epochs: number; params: MlpParams; valNdcg: number; valRecall: number; trainRows: number };

/** Calendar month shift in UTC. */
export const addMonths = (t: number, m: number): number => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + m, d.getUTCDate());
};

function concat(sets: ExampleSet[]): ExampleSet {
  const n = sets.reduce((a, s) => a + s.n, 0);
  const X = new Float32Array(n * NUM_FEATURES);
  const y = new Float32Array(n);
  const w = new Float32Array(n);
  let off = 0;
  for (const s of sets) { X.set(s.X, off * NUM_FEATURES); y.set(s.y, off); w.set(s.w, off); off += s.n; }
  return { X, y, w, n, users: sets.reduce((a, s) => a + s.users, 0), positives: sets.reduce((a, s) => a + s.positives, 0) };
}

function fit(spec: ModelSpec, data: ExampleSet, epochs: number, seed: number, onEpoch?: (e: number, loss: number, p: MlpParams) => void): MlpParams {
  const rand = rng(seed);
  const p = initMlp([NUM_FEATURES, ...spec.hidden, 1], rand);
  const st = fitStandardizer(data.X, data.n, NUM_FEATURES);
  p.mean = st.mean;
  p.invStd = st.invStd;
  const adam = initAdam(p);
  for (let e = 1; e <= epochs; e++) {
    const loss = trainEpoch(p, adam, data.X, data.y, data.w, data.n, { lr: spec.lr, batch: spec.batch, l2: spec.l2 }, rand);
    onEpoch?.(e, loss, p);
  }
  return p;
}

/**
 * Trains ranker candidates on data strictly before `cutoff`: monthly pseudo-cutoffs p_m = cutoff − m months,
 * m = 1..months. Selection (spec and epoch count, by NDCG@10) uses the validation period [p_1, cutoff) with
 * models trained on targets before p_1; the chosen spec is then refit on all periods (targets before `cutoff`).
 */
export function trainBeforeCutoff(ds: Dataset, cutoff: number, specs: readonly ModelSpec[], opt: TrainOptions): TrainedModel {
  const valStart = addMonths(cutoff, -1);
  const rand = rng(opt.seed);
  const sets: { m: number; early: ExampleSet; full: ExampleSet }[] = [];
  let valCtx: CutoffContext | undefined;
  for (let m = 1; m <= opt.months; m++) {
    const p = addMonths(cutoff, -m);
    const t0 = Date.now();
    const ctx = makeContext(ds, makeSplit(ds, p, cutoff), m === 1 ? 100 : 40);
    const stats = statsAt(ctx);
    const users = opt.maxUsers ? ctx.split.users.slice(0, opt.maxUsers) : ctx.split.users;
    const full = buildExamples(ds, stats, users, p, { negPerUser: specs[0]!.negPerUser, rand });
    let early = full;
    if (m === 1) valCtx = ctx;
    else {
      const earlyUsers = users.filter((u) => u.target.ts < valStart);
      early = buildExamples(ds, stats, earlyUsers, p, { negPerUser: specs[0]!.negPerUser, rand });
    }
    sets.push({ m, early, full });
    opt.log(`  period ${new Date(p).toISOString().slice(0, 10)}: ${full.users} users, ${full.n} rows (${Date.now() - t0} ms)`);
  }
  const trainEarly = concat(sets.filter((s) => s.m > 1).map((s) => s.early));
  const trainAll = concat(sets.map((s) => s.full));
  let best: { spec: ModelSpec; epochs: number; ndcg: number; recall: number } | undefined;
  for (const spec of specs) {
    fit(spec, trainEarly, spec.maxEpochs, opt.seed, (e, loss, p) => {
      const r = evaluate(valCtx!, modelRanker(spec.name, cloneParams(p)), { maxUsers: opt.maxUsers });
      opt.log(`  ${spec.name} epoch ${e}/${spec.maxEpochs} loss ${loss.toFixed(4)} val NDCG@10 ${r.all.ndcg.toFixed(4)} Recall@10 ${r.all.recall.toFixed(4)}`);
      if (!best || r.all.ndcg > best.ndcg) best = { spec, epochs: e, ndcg: r.all.ndcg, recall: r.all.recall };
    });
  }
  const b = best!;
  opt.log(`  selected ${b.spec.name} @ ${b.epochs} epochs (val NDCG@10 ${b.ndcg.toFixed(4)}); refitting on ${trainAll.n} rows`);
  const params = fit(b.spec, trainAll, b.epochs, opt.seed);
  return { spec: b.spec, epochs: b.epochs, params, valNdcg: b.ndcg, valRecall: b.recall, trainRows: trainAll.n };
}
