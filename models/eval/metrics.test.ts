import { describe, expect, it } from 'vitest';
import { auc, hitRateAt, ndcgAt, recallAt, topK } from './metrics.js';

describe('ranking metrics (hand-computed)', () => {
  const ranked = [5, 3, 9, 1, 7];
  const target = new Set([3, 7, 8]);
  it('recall@k counts hits over the target size', () => {
    expect(recallAt(ranked, target, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAt(ranked, target, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranked, new Set(), 5)).toBe(0);
  });
  it('hit rate', () => {
    expect(hitRateAt(ranked, target, 1)).toBe(0);
    expect(hitRateAt(ranked, target, 2)).toBe(1);
  });
  it('NDCG@k truncates the ideal DCG at min(|target|, k)', () => {
    // hits at ranks 2 and 5: DCG = 1/log2(3) + 1/log2(6); IDCG (3 targets, k=5) = 1 + 1/log2(3) + 1/2
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
    expect(ndcgAt(ranked, target, 5)).toBeCloseTo(dcg / (1 + 1 / Math.log2(3) + 0.5), 12);
    // k = 2: DCG = 1/log2(3); IDCG = 1 + 1/log2(3)
    expect(ndcgAt(ranked, target, 2)).toBeCloseTo((1 / Math.log2(3)) / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAt([3], new Set([3]), 10)).toBe(1);
  });
  it('AUC with ties counts ½', () => {
    expect(auc([0.9, 0.1, 0.5], [1, 0, 0])).toBe(1);
    expect(auc([0.1, 0.9], [1, 0])).toBe(0);
    expect(auc([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.75, 12);
    expect(Number.isNaN(auc([1, 2], [0, 0]))).toBe(true);
  });
  it('topK breaks ties by the given order', () => {
    const scores = [0, 2, 2, 1, 0];
    expect(Array.from(topK(scores, [4, 3, 2, 1, 0], 3))).toEqual([2, 1, 3]);
    expect(Array.from(topK(scores, [0, 1, 2, 3, 4], 2))).toEqual([1, 2]);
  });
});
