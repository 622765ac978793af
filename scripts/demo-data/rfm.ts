export const DAY_MS = 86_400_000;

/** Whole calendar days (UTC) between the last purchase and `asOf`; never negative. */
export function recencyDays(lastPurchaseAt: number, asOf: number): number {
  const d = Math.floor(asOf / DAY_MS) - Math.floor(lastPurchaseAt / DAY_MS);
  return Math.max(0, d);
}

/** Number of values in an ascending array below x (strictly, or also equal with `orEqual`). */
function countBelow(sorted: readonly number[], x: number, orEqual = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < x || (orEqual && v === x)) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Builds a quintile scorer (1–5) over a population: a value scores by the share of the population that is
 * strictly worse than it, so ties always share a score. With `lowerIsBetter` (recency) smaller values are better.
 * @example const r = quintileScorer(allRecencies, true); r(3) // 5 for a very recent buyer
 */
export function quintileScorer(population: readonly number[], lowerIsBetter = false): (x: number) => number {
  const sorted = population.slice().sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return () => 3;
  return (x) => {
    const worse = lowerIsBetter ? n - countBelow(sorted, x, true) : countBelow(sorted, x);
    return Math.min(5, 1 + Math.floor((worse / n) * 5));
  };
}

/** RFM raw values of one customer. */
export type RfmRaw = { recencyDays: number; frequency: number; monetary: number };

/** Scores every customer's RFM against the whole population (quintiles over all customers, not the sample). */
export function scoreRfm(all: readonly RfmRaw[]): (raw: RfmRaw) => { r: number; f: number; m: number } {
  const r = quintileScorer(all.map((c) => c.recencyDays), true);
  const f = quintileScorer(all.map((c) => c.frequency));
  const m = quintileScorer(all.map((c) => c.monetary));
  return (raw) => ({ r: r(raw.recencyDays), f: f(raw.frequency), m: m(raw.monetary) });
}
