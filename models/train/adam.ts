import { allocActs, forwardRow, sigmoid, type MlpParams } from './mlp.js';

export type AdamState = { t: number; mW: Float32Array[]; vW: Float32Array[]; mb: Float32Array[]; vb: Float32Array[] };
export type TrainOptions = { lr: number; batch: number; l2: number; beta1?: number; beta2?: number; eps?: number };

export function initAdam(p: MlpParams): AdamState {
  const z = (a: Float32Array[]): Float32Array[] => a.map((x) => new Float32Array(x.length));
  return { t: 0, mW: z(p.W), vW: z(p.W), mb: z(p.b), vb: z(p.b) };
}

/** Fisher–Yates shuffle of 0..n-1 with the given PRNG. */
export function permutation(n: number, rand: () => number): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!; a[i] = a[j]!; a[j] = t;
  }
  return a;
}

/**
 * One epoch of mini-batch Adam on weighted binary cross-entropy (labels y ∈ {0,1}, per-row weights w).
 * Returns the mean weighted loss.
 */
export function trainEpoch(
  p: MlpParams, st: AdamState, X: Float32Array, y: Float32Array, w: Float32Array, n: number,
  opt: TrainOptions, rand: () => number,
): number {
  const F = p.sizes[0]!;
  const L = p.W.length;
  const acts = allocActs(p);
  const deltas = p.sizes.map((k) => new Float64Array(k));
  const gW = p.W.map((x) => new Float64Array(x.length));
  const gb = p.b.map((x) => new Float64Array(x.length));
  const order = permutation(n, rand);
  const b1 = opt.beta1 ?? 0.9;
  const b2 = opt.beta2 ?? 0.999;
  const eps = opt.eps ?? 1e-8;
  let lossSum = 0;
  let wSum = 0;
  for (let start = 0; start < n; start += opt.batch) {
    const end = Math.min(n, start + opt.batch);
    for (const g of gW) g.fill(0);
    for (const g of gb) g.fill(0);
    let bw = 0;
    for (let q = start; q < end; q++) {
      const r = order[q]!;
      const z = forwardRow(p, X, r * F, acts);
      const pr = sigmoid(z);
      const yr = y[r]!;
      const wr = w[r]!;
      lossSum += wr * (Math.max(z, 0) - z * yr + Math.log1p(Math.exp(-Math.abs(z))));
      wSum += wr;
      bw += wr;
      deltas[L]![0] = wr * (pr - yr);
      for (let l = L - 1; l >= 0; l--) {
        const nin = p.sizes[l]!;
        const nout = p.sizes[l + 1]!;
        const W = p.W[l]!;
        const inp = acts[l]!;
        const dOut = deltas[l + 1]!;
        const g = gW[l]!;
        for (let o = 0; o < nout; o++) gb[l]![o]! += dOut[o]!;
        for (let i = 0; i < nin; i++) {
          const a = inp[i]!;
          let s = 0;
          const row = i * nout;
          for (let o = 0; o < nout; o++) { g[row + o]! += a * dOut[o]!; s += W[row + o]! * dOut[o]!; }
          if (l > 0) deltas[l]![i] = a > 0 ? s : 0;
        }
      }
    }
    if (bw === 0) continue;
    st.t++;
    const c1 = 1 - Math.pow(b1, st.t);
    const c2 = 1 - Math.pow(b2, st.t);
    const step = (P: Float32Array, G: Float64Array, M: Float32Array, V: Float32Array, decay: number): void => {
      for (let k = 0; k < P.length; k++) {
        const g = G[k]! / bw + decay * P[k]!;
        M[k] = b1 * M[k]! + (1 - b1) * g;
        V[k] = b2 * V[k]! + (1 - b2) * g * g;
        P[k] = P[k]! - (opt.lr * (M[k]! / c1)) / (Math.sqrt(V[k]! / c2) + eps);
      }
    };
    for (let l = 0; l < L; l++) {
      step(p.W[l]!, gW[l]!, st.mW[l]!, st.vW[l]!, opt.l2);
      step(p.b[l]!, gb[l]!, st.mb[l]!, st.vb[l]!, 0);
    }
  }
  return wSum ? lossSum / wSum : 0;
}
