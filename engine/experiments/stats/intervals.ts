// The interval formulas on plain counts (docs/experiments-method.md §Intervals). Each returns null, never NaN,
// where the method has no answer; lift.ts turns that null into a reason a person can read.

/** A two-sided interval around a point estimate. */
export interface Interval {
  value: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for x successes out of n (Wilson 1927; method 3 of Newcombe 1998, "Two-sided confidence
 * intervals for the single proportion"). Stays inside [0, 1] and is sensible at x = 0 and x = n, where the Wald
 * interval collapses to a point. null when n = 0.
 */
export function wilsonInterval(x: number, n: number, z: number): Interval | null {
  if (!(n > 0)) return null;
  const p = x / n;
  const z2 = z * z;
  const centre = (x + z2 / 2) / (n + z2);
  const half = (z * Math.sqrt(n)) / (n + z2) * Math.sqrt(p * (1 - p) + z2 / (4 * n));
  return {
    value: p,
    // Exact ends where the formula is exact in theory but float rounding leaves ±1e-17.
    lower: x === 0 ? 0 : Math.max(0, centre - half),
    upper: x === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Newcombe's hybrid score interval for p1 − p0 (Newcombe 1998, "Interval estimation for the difference between
 * independent proportions", method 10): the distance from each rate to its own Wilson limits, combined in
 * quadrature. null when either arm has no shoppers.
 */
export function newcombeInterval(x1: number, n1: number, x0: number, n0: number, z: number): Interval | null {
  const w1 = wilsonInterval(x1, n1, z);
  const w0 = wilsonInterval(x0, n0, z);
  if (!w1 || !w0) return null;
  const d = w1.value - w0.value;
  return {
    value: d,
    lower: d - Math.hypot(w1.value - w1.lower, w0.upper - w0.value),
    upper: d + Math.hypot(w1.upper - w1.value, w0.value - w0.lower),
  };
}

/**
 * The textbook Wald interval for p1 − p0, d ± z·√(p1q1/n1 + p0q0/n0). Not used for verdicts — it is too narrow
 * for small counts and has zero width at 0/n and n/n — and kept so tests can show the difference. null when an arm
 * is empty.
 */
export function waldDifferenceInterval(x1: number, n1: number, x0: number, n0: number, z: number): Interval | null {
  if (!(n1 > 0 && n0 > 0)) return null;
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const half = z * Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  return { value: p1 - p0, lower: p1 - p0 - half, upper: p1 - p0 + half };
}

/**
 * Katz log interval for the risk ratio p1 / p0 (Katz, Baptista, Azen & Pike 1978): exp(ln RR ± z·SE) with
 * SE² = 1/x1 − 1/n1 + 1/x0 − 1/n0. Returned as the ratio; the relative lift is ratio − 1. null when either arm has
 * no conversions (the logarithm is undefined) or no shoppers.
 */
export function katzRatioInterval(x1: number, n1: number, x0: number, n0: number, z: number): Interval | null {
  if (!(n1 > 0 && n0 > 0 && x1 > 0 && x0 > 0)) return null;
  const rr = (x1 / n1) / (x0 / n0);
  const se = Math.sqrt(Math.max(0, 1 / x1 - 1 / n1 + 1 / x0 - 1 / n0));
  const log = Math.log(rr);
  return { value: rr, lower: Math.exp(log - z * se), upper: Math.exp(log + z * se) };
}

/** One arm's revenue as sums over its shoppers (non-converters count with 0). */
export interface RevenueSums {
  n: number;
  sum: number;
  sumSquares: number;
}

/** Sample mean and (n − 1) variance from sums; the variance is clamped at 0 against float cancellation. */
export function meanAndVariance(s: RevenueSums): { mean: number; variance: number } | null {
  if (!(s.n >= 2)) return null;
  const mean = s.sum / s.n;
  return { mean, variance: Math.max(0, (s.sumSquares - s.sum * mean) / (s.n - 1)) };
}

/**
 * Difference of mean revenue per shopper (treatment − holdout) with a Welch (unequal variances) interval, using the
 * normal quantile rather than Student's t: with the hundreds of shoppers a verdict needs, t and z agree to the
 * second decimal, and revenue per shopper is skewed anyway, so the normal approximation is what we claim. null when
 * an arm has fewer than 2 shoppers (no variance).
 */
export function welchDifferenceInterval(treatment: RevenueSums, holdout: RevenueSums, z: number): Interval | null {
  const t = meanAndVariance(treatment);
  const h = meanAndVariance(holdout);
  if (!t || !h) return null;
  const d = t.mean - h.mean;
  const half = z * Math.sqrt(t.variance / treatment.n + h.variance / holdout.n);
  return { value: d, lower: d - half, upper: d + half };
}
