import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareArms, revenueSums, type ArmComparison, type ArmCounts } from './index.js';

const arm = (armId: string, shoppers: number, converters: number, revenue = 0, revenueSquares = 0): ArmCounts =>
  ({ armId, shoppers, converters, revenue, revenueSquares });

/** Every number anywhere in the comparison, with its path. */
function numbers(x: unknown, path = ''): [string, number][] {
  if (typeof x === 'number') return [[path, x]];
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}
const noNaN = (c: ArmComparison) => {
  for (const [path, v] of numbers(c)) expect(Number.isFinite(v), `${path} = ${v}`).toBe(true);
};

describe('compareArms on published examples', () => {
  it('Newcombe 1998b example (a): holdout 48/80, treatment 56/70 → lift 0.2000 (0.0524 to 0.3339), treatment better', () => {
    // Statistics in Medicine 17:873–890, Table II, method 10; the Wilson limits per arm follow from the same paper.
    const c = compareArms(arm('holdout', 80, 48), arm('treatment', 70, 56), { minShoppersPerArm: 0 });
    expect(c.absoluteLift.value).toBeCloseTo(0.2, 12);
    expect(c.absoluteLift.lower).toBeCloseTo(0.0524, 4);
    expect(c.absoluteLift.upper).toBeCloseTo(0.3339, 4);
    expect(c.holdout.conversionRate.value).toBeCloseTo(0.6, 12);
    expect(c.treatment.conversionRate.value).toBeCloseTo(0.8, 12);
    expect(c.relativeLift.value).toBeCloseTo(1 / 3, 12);
    expect(c.verdict).toEqual({ code: 'treatment_better', text: 'treatment better' });
    noNaN(c);
  });

  it('Perondi et al. 2004 (Fagerland, Lydersen & Laake 2015, Table 5): 7/34 vs 1/34 — Newcombe excludes 0, Katz includes a ratio of 1', () => {
    const c = compareArms(arm('holdout', 34, 1), arm('treatment', 34, 7), { minShoppersPerArm: 0 });
    expect(c.absoluteLift.lower).toBeCloseTo(0.0189, 4);
    expect(c.absoluteLift.upper).toBeCloseTo(0.3404, 4);
    // Katz: RR 7.0000 (0.9096 to 53.8695) → relative lift +600 % (−9.04 % to +5286.95 %).
    expect(c.relativeLift.value).toBeCloseTo(6, 12);
    expect(c.relativeLift.lower).toBeCloseTo(0.9096 - 1, 4);
    expect(c.relativeLift.upper).toBeCloseTo(53.8695 - 1, 4);
    // The verdict follows the Newcombe interval only (docs/experiments-method.md §Verdict).
    expect(c.verdict.code).toBe('treatment_better');
  });

  it('mirrored, the treatment is worse', () => {
    const c = compareArms(arm('holdout', 70, 56), arm('treatment', 80, 48), { minShoppersPerArm: 0 });
    expect(c.absoluteLift.lower).toBeCloseTo(-0.3339, 4);
    expect(c.absoluteLift.upper).toBeCloseTo(-0.0524, 4);
    expect(c.verdict).toEqual({ code: 'treatment_worse', text: 'treatment worse' });
  });
});

describe('compareArms: revenue per shopper', () => {
  it('uses the Welch standard error from the sums', () => {
    // Holdout: 4 shoppers spending 0, 0, 10, 30 (Σ 40, Σ² 1000); treatment: 0, 20, 20, 40 (Σ 80, Σ² 2400).
    const c = compareArms(arm('holdout', 4, 2, 40, 1000), arm('treatment', 4, 3, 80, 2400), { minShoppersPerArm: 0 });
    // Means 10 and 20; variances (1000 − 400)/3 = 200 and (2400 − 1600)/3 = 266.67; SE = √(200/4 + 266.67/4) = 10.801.
    expect(c.revenueDifference.value).toBeCloseTo(10, 12);
    expect(c.revenueDifference.lower).toBeCloseTo(10 - 1.959964 * Math.sqrt(466.6667 / 4), 3);
    expect(c.revenueDifference.upper).toBeCloseTo(10 + 1.959964 * Math.sqrt(466.6667 / 4), 3);
    expect(c.holdout.revenuePerShopper).toBe(10);
    expect(c.treatment.revenuePerShopper).toBe(20);
  });

  it('revenueSums builds the sums from per-shopper revenue; shoppers who bought nothing may be left out', () => {
    expect(revenueSums([0, 0, 10, 30])).toEqual({ revenue: 40, revenueSquares: 1000 });
    expect(revenueSums([10, 30])).toEqual(revenueSums([0, 0, 10, 30]));
    expect(revenueSums([])).toEqual({ revenue: 0, revenueSquares: 0 });
  });
});

describe('compareArms: verdicts and the sample-size note', () => {
  it('below the minimum sample says how many shoppers are needed, even when the interval excludes 0', () => {
    const c = compareArms(arm('holdout', 80, 48), arm('treatment', 70, 56));
    expect(c.verdict).toEqual({ code: 'not_enough_data', text: 'not enough data yet (need ≈100 shoppers per arm)' });
  });

  it('with a minimum lift, holds the verdict until the planned size (a fixed horizon against peeking)', () => {
    // Holdout 5 %, minimum lift 1 point → 6 %: (1.96·√(2·0.055·0.945) + 0.8416·√(0.0475 + 0.0564))² / 0.01² = 8157.2
    const early = compareArms(arm('holdout', 200, 10), arm('treatment', 200, 30), { minimumLift: 0.01 });
    expect(early.absoluteLift.lower).toBeGreaterThan(0); // would be "better" if we peeked
    expect(early.sampleSize).toEqual({ perArm: 8158, lift: expect.closeTo(0.01, 12), basis: 'minimum_lift', reason: null });
    expect(early.verdict).toEqual({ code: 'not_enough_data', text: 'not enough data yet (need ≈8,158 shoppers per arm)' });
    const done = compareArms(arm('holdout', 8200, 410), arm('treatment', 8200, 520), { minimumLift: 0.01 });
    expect(done.verdict.code).toBe('treatment_better');
  });

  it('"no significant difference" once the planned size is reached and the interval holds 0', () => {
    const c = compareArms(arm('holdout', 10_000, 500), arm('treatment', 10_000, 505), { minimumLift: 0.01 });
    expect(c.verdict).toEqual({ code: 'no_difference', text: 'no significant difference' });
  });

  it('without a minimum lift, sizes for the observed lift: a tiny one needs a lot of shoppers', () => {
    const c = compareArms(arm('holdout', 10_000, 500), arm('treatment', 10_000, 505));
    expect(c.sampleSize.basis).toBe('observed_lift');
    expect(c.sampleSize.perArm).toBeGreaterThan(2_000_000);
    expect(c.verdict.text).toMatch(/^not enough data yet \(need ≈[\d,]+ shoppers per arm\)$/);
  });

  it('honours other levels: 99 % confidence widens the interval and raises the size', () => {
    const c95 = compareArms(arm('holdout', 2000, 100), arm('treatment', 2000, 130));
    const c99 = compareArms(arm('holdout', 2000, 100), arm('treatment', 2000, 130), { confidence: 0.99, power: 0.9 });
    expect(c99.absoluteLift.lower!).toBeLessThan(c95.absoluteLift.lower!);
    expect(c99.sampleSize.perArm!).toBeGreaterThan(c95.sampleSize.perArm!);
    expect(c99).toMatchObject({ confidence: 0.99, power: 0.9 });
  });
});

describe('compareArms: edge cases never show NaN', () => {
  it('zero shoppers: every figure null with a reason', () => {
    const c = compareArms(arm('holdout', 0, 0), arm('treatment', 0, 0));
    noNaN(c);
    for (const e of [c.holdout.conversionRate, c.absoluteLift, c.relativeLift]) {
      expect(e).toMatchObject({ value: null, lower: null, upper: null, reason: { code: 'no_shoppers' } });
    }
    expect(c.revenueDifference.reason?.code).toBe('too_few_shoppers');
    expect(c.holdout.revenuePerShopper).toBeNull();
    expect(c.sampleSize).toMatchObject({ perArm: null, reason: { code: 'no_shoppers' } });
    expect(c.verdict.code).toBe('not_enough_data');
  });

  it('one arm empty', () => {
    const c = compareArms(arm('holdout', 150, 9), arm('treatment', 0, 0));
    noNaN(c);
    expect(c.holdout.conversionRate.value).toBeCloseTo(0.06, 12);
    expect(c.absoluteLift.reason?.code).toBe('no_shoppers');
    expect(c.verdict.code).toBe('not_enough_data');
  });

  it('none convert: the relative lift is undefined ("not enough conversions"); a minimum lift still sizes the test', () => {
    const c = compareArms(arm('holdout', 200, 0), arm('treatment', 200, 0));
    noNaN(c);
    expect(c.absoluteLift).toMatchObject({ value: 0, lower: expect.closeTo(-0.0188, 4), upper: expect.closeTo(0.0188, 4) });
    expect(c.relativeLift).toMatchObject({ value: null, lower: null, reason: { code: 'not_enough_conversions' } });
    expect(c.relativeLift.reason!.message).toMatch(/^not enough conversions/);
    expect(c.revenueDifference).toMatchObject({ value: 0, lower: null, reason: { code: 'no_variation' } });
    expect(c.verdict).toEqual({ code: 'not_enough_data', text: 'not enough data yet' });
    // p0 = 0, p1 = 0.01: (1.96·√(2·0.005·0.995) + 0.8416·√0.0099)² / 0.0001 = 779.6
    const planned = compareArms(arm('holdout', 200, 0), arm('treatment', 200, 0), { minimumLift: 0.01 });
    expect(planned.verdict.text).toBe('not enough data yet (need ≈780 shoppers per arm)');
  });

  it('only the treatment has no conversions: relative lift −100 % without an interval', () => {
    const c = compareArms(arm('holdout', 300, 12), arm('treatment', 300, 0));
    noNaN(c);
    expect(c.relativeLift).toMatchObject({ value: -1, lower: null, upper: null, reason: { code: 'not_enough_conversions' } });
    expect(c.verdict.code).toBe('treatment_worse');
  });

  it('all convert: rates of 1 with Wilson limits below, no zero-width ratio interval', () => {
    const c = compareArms(arm('holdout', 100, 100), arm('treatment', 100, 100));
    noNaN(c);
    expect(c.treatment.conversionRate).toMatchObject({ value: 1, upper: 1, lower: expect.closeTo(0.9630, 4) });
    expect(c.relativeLift).toMatchObject({ value: 0, lower: null, reason: { code: 'no_variation' } });
    expect(c.verdict.code).toBe('no_difference');
  });

  it('tiny n: 1 shopper per arm gives intervals but no verdict and no revenue interval', () => {
    const c = compareArms(arm('holdout', 1, 0), arm('treatment', 1, 1, 25, 625));
    noNaN(c);
    expect(c.absoluteLift.value).toBe(1);
    expect(c.absoluteLift.lower!).toBeLessThan(0);
    expect(c.revenueDifference.reason?.code).toBe('too_few_shoppers');
    expect(c.verdict).toEqual({ code: 'not_enough_data', text: 'not enough data yet (need ≈100 shoppers per arm)' });
  });

  it('impossible counts: every figure null, verdict invalid_counts', () => {
    for (const [h, t] of [
      [arm('holdout', 10, 11), arm('treatment', 10, 1)],
      [arm('holdout', 10, 1), arm('treatment', Number.NaN, 1)],
      [arm('holdout', 10.5, 1), arm('treatment', 10, 1)],
      [arm('holdout', 10, 1, 100, 10), arm('treatment', 10, 1)], // Σr² < (Σr)²/n
      [arm('holdout', 0, 0, 5, 25), arm('treatment', 10, 1)],
      [arm('holdout', 10, 1, Number.POSITIVE_INFINITY, 1), arm('treatment', 10, 1)],
    ]) {
      const c = compareArms(h!, t!);
      noNaN(c); // the summaries echo a non-number count as null
      expect(c.verdict.code).toBe('invalid_counts');
      expect(c.absoluteLift).toMatchObject({ value: null, reason: { code: 'invalid_counts' } });
    }
  });

  it('for any consistent counts: finite numbers only, and the verdict agrees with the Newcombe interval', () => {
    const counts = fc.integer({ min: 0, max: 5000 }).chain((n) => fc.record({
      // Spend in cents, as a till records it.
      n: fc.constant(n), x: fc.integer({ min: 0, max: n }), spend: fc.integer({ min: 0, max: 50_000 }).map((c) => c / 100),
    }));
    fc.assert(fc.property(counts, counts, fc.option(fc.double({ min: 0.001, max: 0.5, noNaN: true }), { nil: undefined }),
      (h, t, minimumLift) => {
        // Revenue: each converter spent `spend`, so Σ = x·spend and Σ² = x·spend².
        const c = compareArms(arm('holdout', h.n, h.x, h.x * h.spend, h.x * h.spend ** 2),
          arm('treatment', t.n, t.x, t.x * t.spend, t.x * t.spend ** 2), { minimumLift, minShoppersPerArm: 10 });
        for (const [, v] of numbers(c)) if (!Number.isFinite(v)) return false;
        if (c.verdict.code === 'treatment_better' && !(c.absoluteLift.lower! > 0)) return false;
        if (c.verdict.code === 'treatment_worse' && !(c.absoluteLift.upper! < 0)) return false;
        return c.verdict.code !== 'invalid_counts';
      }), { numRuns: 500, seed: 20240717 });
  });
});
