/**
 * A small MLP scorer on Float32Arrays: standardize → (Dense → ReLU)* → Dense → sigmoid.
 * No hidden layers = logistic regression. Float32 arithmetic (Math.fround) mirrors ONNX Runtime.
 */

export type MlpParams = {
  /** Layer sizes, e.g. [F, 64, 32, 1]. */
  sizes: number[];
  /** Per-feature standardization, applied first: (x - mean) * invStd. */
  mean: Float32Array;
  invStd: Float32Array;
  /** W[l] is [sizes[l], sizes[l+1]] row-major; b[l] is [sizes[l+1]]. */
  W: Float32Array[];
  b: Float32Array[];
};

/** Glorot-uniform initialisation with a seeded PRNG. */
export function initMlp(sizes: number[], rand: () => number): MlpParams {
  const W: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nin = sizes[l]!;
    const nout = sizes[l + 1]!;
    const a = Math.sqrt(6 / (nin + nout));
    W.push(Float32Array.from({ length: nin * nout }, () => (rand() * 2 - 1) * a));
    b.push(new Float32Array(nout));
  }
  const F = sizes[0]!;
  return { sizes: [...sizes], mean: new Float32Array(F), invStd: new Float32Array(F).fill(1), W, b };
}

/** Column means and 1/std over a row-major [n, F] matrix (constant columns get invStd 1). */
export function fitStandardizer(X: Float32Array, n: number, F: number): { mean: Float32Array; invStd: Float32Array } {
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  for (let r = 0; r < n; r++) for (let f = 0; f < F; f++) { const v = X[r * F + f]!; mean[f]! += v; sq[f]! += v * v; }
  const m = new Float32Array(F);
  const inv = new Float32Array(F);
  for (let f = 0; f < F; f++) {
    const mu = mean[f]! / Math.max(1, n);
    const sd = Math.sqrt(Math.max(0, sq[f]! / Math.max(1, n) - mu * mu));
    m[f] = mu;
    inv[f] = sd > 1e-6 ? 1 / sd : 1;
  }
  return { mean: m, invStd: inv };
}

const fr = Math.fround;

/**
 * Forward pass for one row; fills `acts` (per layer, post-activation; acts[0] = standardized input) and
 * returns the logit. `acts` buffers must be pre-allocated with sizes[l] entries.
 */
export function forwardRow(p: MlpParams, X: ArrayLike<number>, off: number, acts: Float32Array[]): number {
  const F = p.sizes[0]!;
  const a0 = acts[0]!;
  for (let f = 0; f < F; f++) a0[f] = fr(fr(X[off + f]! - p.mean[f]!) * p.invStd[f]!);
  const L = p.W.length;
  let logit = 0;
  for (let l = 0; l < L; l++) {
    const nin = p.sizes[l]!;
    const nout = p.sizes[l + 1]!;
    const W = p.W[l]!;
    const inp = acts[l]!;
    const outp = acts[l + 1]!;
    for (let o = 0; o < nout; o++) {
      let s = 0;
      for (let i = 0; i < nin; i++) s += inp[i]! * W[i * nout + o]!;
      s = fr(fr(s) + p.b[l]![o]!);
      outp[o] = l + 1 < L ? (s > 0 ? s : 0) : s;
    }
    if (l + 1 === L) logit = outp[0]!;
  }
  return logit;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function allocActs(p: MlpParams): Float32Array[] {
  return p.sizes.map((n) => new Float32Array(n));
}

/** Scores (sigmoid of the logit, float32) for n rows of a row-major [n, F] matrix. */
export function predict(p: MlpParams, X: Float32Array, n: number): Float32Array {
  const acts = allocActs(p);
  const F = p.sizes[0]!;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) out[r] = sigmoid(forwardRow(p, X, r * F, acts));
  return out;
}

export function cloneParams(p: MlpParams): MlpParams {
  return {
    sizes: [...p.sizes], mean: p.mean.slice(), invStd: p.invStd.slice(),
    W: p.W.map((w) => w.slice()), b: p.b.map((b) => b.slice()),
  };
}
