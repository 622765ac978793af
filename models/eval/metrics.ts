/** Ranking metrics on one user's list. `ranked` holds item ids, best first; `target` the relevant ids. */

/** |top-k ∩ target| / |target| (0 when the target is empty). */
export function recallAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  if (target.size === 0) return 0;
  return hitsAt(ranked, target, k) / target.size;
}

/** 1 when any of the top k is relevant. */
export function hitRateAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  return hitsAt(ranked, target, k) > 0 ? 1 : 0;
}

export function hitsAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  let h = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (target.has(ranked[i]!)) h++;
  return h;
}

/** Binary-relevance NDCG@k; the ideal DCG places min(|target|, k) hits at the top. */
export function ndcgAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  if (target.size === 0) return 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (target.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  const m = Math.min(k, target.size);
  for (let i = 0; i < m; i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
}

/**
 * ROC AUC = P(score of a random positive > score of a random negative), ties count ½.
 * Returns NaN when there are no positives or no negatives.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const ix = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[ix[j + 1]!] === scores[ix[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (labels[ix[t]!]! > 0) { pos++; rankSum += avgRank; }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Indices of the k largest scores; ties keep the order of `order` (e.g. popularity order). */
export function topK(scores: ArrayLike<number>, order: ArrayLike<number>, k: number): Int32Array {
  const outIx: number[] = [];
  const outS: number[] = [];
  for (let p = 0; p < order.length; p++) {
    const id = order[p]!;
    const s = scores[id]!;
    if (outIx.length === k && !(s > outS[k - 1]!)) continue;
    let q = outIx.length;
    if (q < k) { outIx.push(id); outS.push(s); } else { outIx[k - 1] = id; outS[k - 1] = s; q = k - 1; }
    while (q > 0 && outS[q - 1]! < s) {
      outIx[q] = outIx[q - 1]!; outS[q] = outS[q - 1]!;
      outIx[q - 1] = id; outS[q - 1] = s; q--;
    }
  }
  return Int32Array.from(outIx);
}
