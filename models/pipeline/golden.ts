import type { Dataset } from '../data/baskets.js';
import { generateCandidates } from '../candidates/index.js';
import { buildFeatures, FEATURE_NAMES, NUM_FEATURES, type FeatureContext, type ItemStats } from '../features/index.js';
import { runOnnx } from '../onnx/run.js';
import { predict, type MlpParams } from '../train/mlp.js';
import { userStateFromHistory } from '../train/user-state-from-history.js';

export const GOLDEN_TOLERANCE = 1e-5;

export type Golden = {
  features: readonly string[];
  n: number;
  /** Row-major [n, F] float32 values. */
  inputs: number[];
  /** TypeScript forward pass. */
  outputs: number[];
  onnxOutputs: number[];
  maxAbsDiff: number;
  tolerance: number;
};

/**
 * Golden rows: candidates of a few real customers (history up to `asOf`), with context variants that exercise
 * the real-time slots (zone, dwell, label taps, birthday).
 */
export function goldenInputs(ds: Dataset, stats: ItemStats, asOf: number, customers = 4, perUser = 8): { X: Float32Array; n: number } {
  const hist = new Map<number, typeof ds.baskets>();
  for (const b of ds.baskets) if (b.ts < asOf) { const h = hist.get(b.customer) ?? []; h.push(b); hist.set(b.customer, h); }
  const picked = [...hist.keys()].sort((a, b) => a - b).filter((_, i) => i % 97 === 0).slice(0, customers);
  const ctxs: FeatureContext[] = [
    { now: asOf + 10 * 3_600_000 },
    { now: asOf + 34 * 3_600_000, zoneCategories: ['kitchen & dining', 'candles & lights'], dwellMs: 45_000, eslSkus: [] },
  ];
  const chunks: Float32Array[] = [];
  picked.forEach((c, k) => {
    const user = { ...userStateFromHistory(ds, hist.get(c)!, asOf), birthday: k % 2 ? '12-24' : undefined };
    const skus = generateCandidates({ user, stats }).slice(0, perUser).map((x) => x.sku);
    const ctx = ctxs[k % ctxs.length]!;
    chunks.push(buildFeatures(user, k % 2 ? { ...ctx, eslSkus: skus.slice(0, 1) } : ctx, skus, stats));
  });
  const n = chunks.reduce((a, x) => a + x.length / NUM_FEATURES, 0);
  const X = new Float32Array(n * NUM_FEATURES);
  let off = 0;
  for (const x of chunks) { X.set(x, off); off += x.length; }
  return { X, n };
}

/** Runs the TS forward pass and ONNX Runtime on the same rows and records both. */
export async function makeGolden(params: MlpParams, onnxBytes: Uint8Array, X: Float32Array, n: number): Promise<Golden> {
  const ts = predict(params, X, n);
  const ort = await runOnnx(onnxBytes, X, n, NUM_FEATURES);
  let maxAbsDiff = 0;
  for (let i = 0; i < n; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(ts[i]! - ort[i]!));
  return {
    features: FEATURE_NAMES, n, inputs: Array.from(X.subarray(0, n * NUM_FEATURES)), outputs: Array.from(ts),
    onnxOutputs: Array.from(ort), maxAbsDiff, tolerance: GOLDEN_TOLERANCE,
  };
}
