import { describe, expect, it } from 'vitest';
import { DAY_MS, quintileScorer, recencyDays, scoreRfm } from './rfm.js';

describe('recencyDays', () => {
  it('counts calendar days and never goes negative', () => {
    const asOf = Date.UTC(2011, 11, 9, 12, 50);
    expect(recencyDays(Date.UTC(2011, 11, 9, 8, 0), asOf)).toBe(0);
    expect(recencyDays(Date.UTC(2011, 11, 8, 23, 0), asOf)).toBe(1);
    expect(recencyDays(asOf - 30 * DAY_MS, asOf)).toBe(30);
    expect(recencyDays(asOf + DAY_MS, asOf)).toBe(0);
  });
});

describe('quintileScorer', () => {
  const pop = Array.from({ length: 100 }, (_, i) => i + 1);
  it('spreads a uniform population over 1..5', () => {
    const s = quintileScorer(pop);
    expect(s(1)).toBe(1);
    expect(s(20)).toBe(1);
    expect(s(21)).toBe(2);
    expect(s(100)).toBe(5);
    const counts = [0, 0, 0, 0, 0];
    for (const x of pop) counts[s(x) - 1]!++;
    expect(counts).toEqual([20, 20, 20, 20, 20]);
  });
  it('reverses the scale when lower is better', () => {
    const s = quintileScorer(pop, true);
    expect(s(1)).toBe(5);
    expect(s(100)).toBe(1);
  });
  it('gives ties the same score', () => {
    const s = quintileScorer([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
    expect(s(1)).toBe(1);
    expect(s(2)).toBe(4);
    expect(s(5)).toBe(5);
  });
  it('scores values outside the population', () => {
    const s = quintileScorer(pop);
    expect(s(0)).toBe(1);
    expect(s(1000)).toBe(5);
    expect(quintileScorer([])(7)).toBe(3);
  });
});

describe('scoreRfm', () => {
  it('scores recency reversed and frequency/monetary straight', () => {
    const all = [
      { recencyDays: 1, frequency: 10, monetary: 1000 },
      { recencyDays: 100, frequency: 1, monetary: 10 },
      { recencyDays: 50, frequency: 3, monetary: 100 },
    ];
    const score = scoreRfm(all);
    expect(score(all[0]!)).toEqual({ r: 4, f: 4, m: 4 });
    expect(score(all[1]!)).toEqual({ r: 1, f: 1, m: 1 });
  });
});
