import { BASELINES, type Ranker } from '../baselines/index.js';
import type { Dataset } from '../data/baskets.js';
import { makeContext } from '../eval/context.js';
import { evaluate, type EvalResult } from '../eval/evaluate.js';
import { makeSplit, utc, DAY_MS } from '../eval/split.js';
import { loadItemStats } from '../features/index.js';
import { exportOnnx } from '../onnx/export.js';
import { buildItemStats, DEFAULT_NEIGHBORS } from '../stats/build-item-stats.js';
import type { MlpParams } from '../train/mlp.js';
import { goldenInputs, makeGolden, type Golden } from './golden.js';
import { candidatesAt, modelRanker } from './model-ranker.js';
import { trainBeforeCutoff, type ModelSpec, type TrainedModel } from './train-model.js';

export const TEST_CUTOFFS = ['2011-09-01', '2011-11-01'] as const;

export const DEFAULT_SPECS: readonly ModelSpec[] = [
  { name: 'logreg', hidden: [], lr: 0.01, l2: 1e-5, batch: 256, maxEpochs: 3, negPerUser: 40 },
  { name: 'mlp-64-32', hidden: [64, 32], lr: 0.001, l2: 1e-5, batch: 256, maxEpochs: 6, negPerUser: 40 },
];

export type PipelineOptions = {
  seed: number;
  months: number;
  specs: readonly ModelSpec[];
  cutoffs?: readonly string[];
  /** Limit users per period and evaluation (CI-sized run). */
  maxUsers?: number;
  log: (msg: string) => void;
};

export type CutoffReport = {
  cutoff: string;
  users: number;
  candidateRecall: number;
  baselines: Record<string, EvalResult>;
  model: EvalResult;
  selected: { spec: string; epochs: number; valNdcg: number; valRecall: number; trainRows: number };
  beatsBest: { ndcg: boolean; recall: boolean; bestNdcg: string; bestRecall: string };
  /** Weights of the cutoff model (for eval-cli re-evaluation). */
  params: MlpParams;
};

export type PipelineResult = {
  cutoffs: CutoffReport[];
  final: TrainedModel;
  finalAsOf: number;
  itemStatsJson: ReturnType<typeof buildItemStats>;
  onnx: Uint8Array;
  golden: Golden;
  gate: { passed: boolean; reasons: string[] };
};

/** Evaluates every baseline and one model at a cutoff through the same code path. */
export function evaluateAt(ds: Dataset, cutoff: string, model: Ranker, maxUsers?: number) {
  const ctx = makeContext(ds, makeSplit(ds, utc(cutoff)));
  const candidates = candidatesAt(ctx);
  const opts = { candidates, ...(maxUsers ? { maxUsers } : {}) };
  const baselines: Record<string, EvalResult> = {};
  for (const b of BASELINES) baselines[b.name] = evaluate(ctx, b, opts);
  const modelRes = evaluate(ctx, model, opts);
  const users = maxUsers ? ctx.split.users.slice(0, maxUsers) : ctx.split.users;
  let cr = 0;
  for (const u of users) {
    const c = new Set(candidates(u));
    let h = 0;
    for (const i of u.target.items) if (c.has(i)) h++;
    cr += h / u.target.items.length;
  }
  return { users: users.length, baselines, model: modelRes, candidateRecall: users.length ? cr / users.length : 0 };
}

export function bestOf(baselines: Record<string, EvalResult>, key: 'ndcg' | 'recall'): [string, number] {
  let best: [string, number] = ['', -1];
  for (const [n, r] of Object.entries(baselines)) if (r.all[key] > best[1]) best = [n, r.all[key]];
  return best;
}

/** Train → evaluate at both cutoffs → final model on all data → ONNX → golden check → gate. */
export async function runPipeline(ds: Dataset, opt: PipelineOptions): Promise<PipelineResult> {
  const cutoffs: CutoffReport[] = [];
  const reasons: string[] = [];
  for (const c of opt.cutoffs ?? TEST_CUTOFFS) {
    opt.log(`cutoff ${c}: training on data before it`);
    const tm = trainBeforeCutoff(ds, utc(c), opt.specs, { seed: opt.seed, months: opt.months, log: opt.log, ...(opt.maxUsers ? { maxUsers: opt.maxUsers } : {}) });
    const r = evaluateAt(ds, c, modelRanker('model', tm.params), opt.maxUsers);
    const [bn, bv] = bestOf(r.baselines, 'ndcg');
    const [brn, brv] = bestOf(r.baselines, 'recall');
    const beats = { ndcg: r.model.all.ndcg > bv, recall: r.model.all.recall > brv, bestNdcg: bn, bestRecall: brn };
    if (!beats.ndcg) reasons.push(`${c}: NDCG@10 ${r.model.all.ndcg.toFixed(4)} ≤ ${bn} ${bv.toFixed(4)}`);
    if (!beats.recall) reasons.push(`${c}: Recall@10 ${r.model.all.recall.toFixed(4)} ≤ ${brn} ${brv.toFixed(4)}`);
    opt.log(`cutoff ${c}: model NDCG@10 ${r.model.all.ndcg.toFixed(4)} (best baseline ${bn} ${bv.toFixed(4)}), Recall@10 ${r.model.all.recall.toFixed(4)} (best ${brn} ${brv.toFixed(4)})`);
    cutoffs.push({
      cutoff: c, users: r.users, candidateRecall: r.candidateRecall, baselines: r.baselines, model: r.model, beatsBest: beats,
      selected: { spec: tm.spec.name, epochs: tm.epochs, valNdcg: tm.valNdcg, valRecall: tm.valRecall, trainRows: tm.trainRows },
      params: tm.params,
    });
  }
  const last = ds.baskets[ds.baskets.length - 1]!.ts;
  const finalAsOf = Math.floor(last / DAY_MS) * DAY_MS + DAY_MS;
  opt.log(`final model: training on all data up to ${new Date(finalAsOf).toISOString().slice(0, 10)}`);
  const final = trainBeforeCutoff(ds, finalAsOf, opt.specs, { seed: opt.seed, months: opt.months, log: opt.log, ...(opt.maxUsers ? { maxUsers: opt.maxUsers } : {}) });
  const itemStatsJson = buildItemStats(ds, ds.baskets, finalAsOf, DEFAULT_NEIGHBORS);
  const onnx = exportOnnx(final.params);
  const g = goldenInputs(ds, loadItemStats(itemStatsJson), finalAsOf);
  const golden = await makeGolden(final.params, onnx, g.X, g.n);
  if (!(golden.maxAbsDiff <= golden.tolerance)) reasons.push(`ONNX vs TS max |diff| ${golden.maxAbsDiff} > ${golden.tolerance}`);
  opt.log(`golden: ${golden.n} rows, ONNX Runtime vs TypeScript max |diff| ${golden.maxAbsDiff.toExponential(2)}`);
  return { cutoffs, final, finalAsOf, itemStatsJson, onnx, golden, gate: { passed: reasons.length === 0, reasons } };
}
