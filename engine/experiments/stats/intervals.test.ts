import { describe, expect, it } from 'vitest';
import {
  katzRatioInterval, meanAndVariance, newcombeInterval, waldDifferenceInterval, welchDifferenceInterval, wilsonInterval,
} from './intervals.js';
import { normalQuantile, twoSidedZ } from './normal.js';

// Published values are printed to 4 decimals; toBeCloseTo(v, 4) accepts |error| < 5e-5, i.e. the same rounding.
const z = twoSidedZ(0.95);

describe('normal quantile (jstat)', () => {
  it('gives the textbook z values', () => {
    expect(z).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 12);
    expect(twoSidedZ(0.99)).toBeCloseTo(2.5758293035489, 10);
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => twoSidedZ(0)).toThrow(RangeError);
  });
});

describe('Wilson score interval', () => {
  // Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison of seven methods.
  // Statistics in Medicine 17:857–872, Table I, method 3 (score interval without continuity correction).
  const tableI: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0000, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, lower, upper] of tableI) {
    it(`${x}/${n} → ${lower} to ${upper} (Newcombe 1998a, Table I)`, () => {
      const w = wilsonInterval(x, n, z)!;
      expect(w.value).toBeCloseTo(x / n, 12);
      expect(w.lower).toBeCloseTo(lower, 4);
      expect(w.upper).toBeCloseTo(upper, 4);
    });
  }

  it('is exact at the edges: 0/n starts at 0, n/n ends at 1, and the closed form 0/10 → z²/(n + z²)', () => {
    expect(wilsonInterval(0, 20, z)!.lower).toBe(0);
    expect(wilsonInterval(29, 29, z)!.upper).toBe(1);
    expect(wilsonInterval(0, 10, z)!.upper).toBeCloseTo((z * z) / (10 + z * z), 12); // 0.2775
    expect(wilsonInterval(1, 1, z)).toMatchObject({ value: 1, upper: 1 });
    expect(wilsonInterval(0, 0, z)).toBeNull();
  });
});

describe('Newcombe hybrid score interval for a difference of proportions', () => {
  // Newcombe RG (1998). Interval estimation for the difference between independent proportions: comparison of
  // eleven methods. Statistics in Medicine 17:873–890, Table II: examples (a)–(h), method 10 (score interval
  // without continuity correction), p1 − p2 as (lower, upper).
  const tableII: [string, number, number, number, number, number, number][] = [
    ['a', 56, 70, 48, 80, 0.0524, 0.3339],
    ['b', 9, 10, 3, 10, 0.1705, 0.8090],
    ['c', 6, 7, 2, 7, 0.0582, 0.8062],
    ['d', 5, 56, 0, 29, -0.0381, 0.1926],
    ['e', 0, 10, 0, 20, -0.1611, 0.2775],
    ['f', 0, 10, 0, 10, -0.2775, 0.2775],
    ['g', 10, 10, 0, 20, 0.6791, 1.0000],
    ['h', 10, 10, 0, 10, 0.6075, 1.0000],
  ];
  for (const [label, x1, n1, x0, n0, lower, upper] of tableII) {
    it(`(${label}) ${x1}/${n1} − ${x0}/${n0} → ${lower} to ${upper} (Newcombe 1998b, Table II, method 10)`, () => {
      const d = newcombeInterval(x1, n1, x0, n0, z)!;
      expect(d.value).toBeCloseTo(x1 / n1 - x0 / n0, 12);
      expect(d.lower).toBeCloseTo(lower, 4);
      expect(d.upper).toBeCloseTo(upper, 4);
    });
  }

  it('Wald, by contrast, is narrower and degenerate at the edges (Newcombe 1998b, Table II, method 1)', () => {
    // (a) 0.0575 to 0.3425 and (b) 0.2605 to 0.9395; for (e) 0/10 − 0/20 it is the single point 0.
    const a = waldDifferenceInterval(56, 70, 48, 80, z)!;
    expect([a.lower, a.upper].map((v) => v.toFixed(4))).toEqual(['0.0575', '0.3425']);
    const b = waldDifferenceInterval(9, 10, 3, 10, z)!;
    expect([b.lower, b.upper].map((v) => v.toFixed(4))).toEqual(['0.2605', '0.9395']);
    expect(waldDifferenceInterval(0, 10, 0, 20, z)).toMatchObject({ lower: 0, upper: 0 });
  });

  it('7/34 vs 1/34 (Perondi et al. 2004 epinephrine trial): Newcombe 0.0189 to 0.3404, Wald 0.0292 to 0.3238', () => {
    // Fagerland MW, Lydersen S, Laake P (2015). Recommended confidence intervals for two independent binomial
    // proportions. Statistical Methods in Medical Research 24:224–254, Table 5 (also their 2017 book, ch. 4).
    const n = newcombeInterval(7, 34, 1, 34, z)!;
    expect(n.lower).toBeCloseTo(0.0189, 4);
    expect(n.upper).toBeCloseTo(0.3404, 4);
    const w = waldDifferenceInterval(7, 34, 1, 34, z)!;
    expect(w.lower).toBeCloseTo(0.0292, 4);
    expect(w.upper).toBeCloseTo(0.3238, 4);
  });

  it('is null when an arm is empty, and stays within [−1, 1] around its estimate', () => {
    expect(newcombeInterval(1, 10, 0, 0, z)).toBeNull();
    for (const [x1, n1, x0, n0] of [[5, 5, 0, 5], [0, 5, 5, 5], [1, 1, 0, 1], [3, 4, 2, 5]] as const) {
      const d = newcombeInterval(x1, n1, x0, n0, z)!;
      expect(d.lower).toBeGreaterThanOrEqual(-1);
      expect(d.upper).toBeLessThanOrEqual(1);
      expect(d.lower).toBeLessThanOrEqual(d.value);
      expect(d.upper).toBeGreaterThanOrEqual(d.value);
    }
  });
});

describe('Katz log interval for a ratio of proportions', () => {
  it('7/34 vs 1/34 → RR 7.0000, 0.9096 to 53.8695 (Fagerland, Lydersen & Laake 2015, Table 5, Katz log)', () => {
    const k = katzRatioInterval(7, 34, 1, 34, z)!;
    expect(k.value).toBeCloseTo(7, 12);
    expect(k.lower).toBeCloseTo(0.9096, 4);
    expect(k.upper).toBeCloseTo(53.8695, 4);
  });

  it('10/75 vs 12/225 → RR 2.5, 1.1262 to 5.5499 (SciPy reference, scipy.stats.contingency.relative_risk example)', () => {
    // The SciPy documentation prints ConfidenceInterval(low=1.1261564003469628, high=5.549850800541033).
    const k = katzRatioInterval(10, 75, 12, 225, z)!;
    expect(k.value).toBeCloseTo(2.5, 12);
    expect(k.lower).toBeCloseTo(1.1261564003469628, 10);
    expect(k.upper).toBeCloseTo(5.549850800541033, 10);
  });

  it('is undefined (null) when either arm has no conversions or no shoppers', () => {
    expect(katzRatioInterval(0, 34, 1, 34, z)).toBeNull();
    expect(katzRatioInterval(7, 34, 0, 34, z)).toBeNull();
    expect(katzRatioInterval(0, 0, 1, 34, z)).toBeNull();
  });
});

describe('Welch interval for the difference of mean revenue (normal approximation)', () => {
  // Welch's t-test, Wikipedia, Example 1 (the same data as Rosetta Code's "Welch's t-test" task):
  // t = −2.46, p = 0.021. Our interval uses the same standard error √(s1²/n1 + s2²/n2).
  const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
  const sums = (xs: number[]) => ({ n: xs.length, sum: xs.reduce((s, x) => s + x, 0), sumSquares: xs.reduce((s, x) => s + x * x, 0) });
  const twoPass = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return { mean: m, variance: xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) };
  };

  it('from sums matches the two-pass mean and variance', () => {
    const mv = meanAndVariance(sums(a))!;
    expect(mv.mean).toBeCloseTo(twoPass(a).mean, 10);
    expect(mv.variance).toBeCloseTo(twoPass(a).variance, 9);
  });

  it('reproduces t = −2.46 of the published example and gives d ± 1.96·SE', () => {
    const w = welchDifferenceInterval(sums(a), sums(b), z)!;
    const se = (w.upper - w.value) / z;
    expect(w.value).toBeCloseTo(-2.1667, 4);
    expect((w.value / se).toFixed(2)).toBe('-2.46');
    expect(w.lower).toBeCloseTo(-3.8962, 4);
    expect(w.upper).toBeCloseTo(-0.4371, 4);
  });

  it('needs two shoppers per arm, and never reports a negative variance from float cancellation', () => {
    expect(welchDifferenceInterval({ n: 1, sum: 5, sumSquares: 25 }, sums(b), z)).toBeNull();
    // Ten shoppers who all spent 0.1: Σx² − (Σx)²/n is a hair below 0 in floats.
    const same = sums(Array(10).fill(0.1));
    expect(meanAndVariance(same)!.variance).toBeGreaterThanOrEqual(0);
    const w = welchDifferenceInterval(same, same, z)!;
    expect(w.value).toBe(0);
    expect(Math.abs(w.lower)).toBeLessThan(1e-8);
    expect(Math.abs(w.upper)).toBeLessThan(1e-8);
  });
});
