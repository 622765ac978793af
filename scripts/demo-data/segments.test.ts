import { describe, expect, it } from 'vitest';
import { lifecycleFor, quantile, tierFor, tierThresholds } from './segments.js';

describe('tiers', () => {
  const spend = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
  it('cuts the population at p50, p80 and p96', () => {
    expect(tierThresholds(spend)).toEqual({ silver: 500, gold: 800, platinum: 960 });
  });
  it('gives about 4% platinum and 16% gold', () => {
    const t = tierThresholds(spend);
    const tiers = spend.map((m) => tierFor(m, t));
    expect(tiers.filter((x) => x === 'platinum')).toHaveLength(4);
    expect(tiers.filter((x) => x === 'gold')).toHaveLength(16);
    expect(tiers.filter((x) => x === 'silver')).toHaveLength(30);
    expect(tiers.filter((x) => x === 'member')).toHaveLength(50);
  });
  it('quantile rejects an empty population', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(quantile([3], 0.99)).toBe(3);
  });
});

describe('lifecycleFor', () => {
  it('maps recency and frequency', () => {
    expect(lifecycleFor(5, 1)).toBe('new');
    expect(lifecycleFor(45, 1)).toBe('active');
    expect(lifecycleFor(5, 12)).toBe('active');
    expect(lifecycleFor(91, 12)).toBe('dormant');
    expect(lifecycleFor(181, 1)).toBe('churned');
    expect(lifecycleFor(0, 0)).toBe('prospect');
  });
});
