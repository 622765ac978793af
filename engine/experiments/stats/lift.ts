import { katzRatioInterval, newcombeInterval, welchDifferenceInterval, wilsonInterval, type Interval } from './intervals.js';
import { twoSidedZ } from './normal.js';
import { plannedTreatmentRate, shoppersPerArmFor, type PowerOptions } from './power.js';

/**
 * What one arm collected (docs/experiments-method.md §Exposure and conversion). A shopper counts once however
 * many turns they saw or purchases they made.
 */
export interface ArmCounts {
  armId: string;
  /** Identified, consenting shoppers shown at least one personal turn while in this arm. */
  shoppers: number;
  /** Of those, shoppers with at least one attributed purchase. */
  converters: number;
  /** Σ attributed revenue per shopper (a shopper without a purchase adds 0). */
  revenue: number;
  /** Σ (attributed revenue per shopper)². */
  revenueSquares: number;
}

/** Why a figure is not shown (stable; match on it). */
export type NoEstimateCode =
  | 'no_shoppers' | 'too_few_shoppers' | 'not_enough_conversions' | 'no_variation' | 'no_difference_to_size' | 'invalid_counts';
/** Why a figure is not shown: `code` for programs, `message` for people. */
export interface NoEstimate {
  code: NoEstimateCode;
  message: string;
}

/** A point estimate with its interval; whatever cannot be computed is null and `reason` says why. Never NaN. */
export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  reason: NoEstimate | null;
}

/** One arm on its own. */
export interface ArmSummary {
  armId: string;
  /** As given; null only when it was not a finite number (the verdict is then `invalid_counts`). */
  shoppers: number | null;
  converters: number | null;
  /** Conversion rate with its Wilson score interval. */
  conversionRate: Estimate;
  /** Mean attributed revenue per exposed shopper; null without shoppers. */
  revenuePerShopper: number | null;
}

/** How many shoppers per arm a clear answer needs (normal approximation, two proportions). */
export interface SampleSizeNote {
  /** Shoppers needed in each arm, rounded up; null when it cannot be sized (see reason). */
  perArm: number | null;
  /** The absolute lift it is sized for. */
  lift: number | null;
  /** `minimum_lift`: the lift given in the options (a fixed horizon); `observed_lift`: the lift seen so far. */
  basis: 'minimum_lift' | 'observed_lift';
  reason: NoEstimate | null;
}

/** The verdict, stable for programs (docs/experiments-method.md §Verdict). */
export type VerdictCode = 'not_enough_data' | 'no_difference' | 'treatment_better' | 'treatment_worse' | 'invalid_counts';
/** The verdict with its plain-language text. */
export interface Verdict {
  code: VerdictCode;
  /** Plain language, e.g. "not enough data yet (need ≈1,200 shoppers per arm)". */
  text: string;
}

/** One treatment arm against the holdout. */
export interface ArmComparison {
  holdout: ArmSummary;
  treatment: ArmSummary;
  /** p1 − p0 with Newcombe's hybrid score interval. */
  absoluteLift: Estimate;
  /** p1 / p0 − 1 with the Katz log interval. */
  relativeLift: Estimate;
  /** Revenue per shopper, treatment − holdout, with a Welch interval (normal approximation). */
  revenueDifference: Estimate;
  sampleSize: SampleSizeNote;
  verdict: Verdict;
  confidence: number;
  power: number;
}

/** Levels and thresholds of a comparison; every field has a default. */
export interface CompareOptions {
  /** Two-sided confidence level of every interval and of the verdict; default 0.95. */
  confidence?: number;
  /** Power for the sample-size note; default 0.8. */
  power?: number;
  /**
   * The smallest absolute lift in conversion rate worth detecting (0.01 = one percentage point). Given, it fixes
   * the horizon: no verdict but "not enough data" until both arms reach the size it needs, however the interval
   * looks before then (docs/experiments-method.md §Peeking). Absent, the note is sized for the observed lift.
   */
  minimumLift?: number;
  /** No verdict below this many shoppers in either arm; default 100. */
  minShoppersPerArm?: number;
}

const none = (code: NoEstimateCode, message: string): Estimate => ({ value: null, lower: null, upper: null, reason: { code, message } });
const some = (i: Interval): Estimate => ({ value: i.value, lower: i.lower, upper: i.upper, reason: null });
/** A value whose interval is undefined. */
const bare = (value: number, code: NoEstimateCode, message: string): Estimate => ({ value, lower: null, upper: null, reason: { code, message } });
const noShoppers = (): Estimate => none('no_shoppers', 'no shoppers exposed in an arm yet');

/**
 * The revenue fields of ArmCounts from each shopper's attributed revenue. Shoppers without attributed revenue may
 * be left out of the list (they add 0 to both sums) but must still be counted in `shoppers`.
 */
export function revenueSums(perShopper: Iterable<number>): Pick<ArmCounts, 'revenue' | 'revenueSquares'> {
  let revenue = 0;
  let revenueSquares = 0;
  for (const r of perShopper) {
    revenue += r;
    revenueSquares += r * r;
  }
  return { revenue, revenueSquares };
}

/** Why these counts are impossible, or null when they are consistent. */
export function countsProblem(c: ArmCounts): string | null {
  const { armId, shoppers: n, converters: x, revenue: s, revenueSquares: q } = c;
  if (!Number.isSafeInteger(n) || n < 0) return `${armId}: shoppers must be a whole number ≥ 0`;
  if (!Number.isSafeInteger(x) || x < 0 || x > n) return `${armId}: converters must be a whole number from 0 to shoppers`;
  if (!Number.isFinite(s) || !Number.isFinite(q) || q < 0) return `${armId}: revenue sums must be finite, squares ≥ 0`;
  // Σr² ≥ (Σr)²/n for any numbers (Cauchy–Schwarz), up to float rounding.
  if (n > 0 && q * n < s * s * (1 - 1e-9) - 1e-9) return `${armId}: revenue squares are smaller than the revenue allows`;
  if (n === 0 && (s !== 0 || q !== 0)) return `${armId}: revenue without shoppers`;
  return null;
}

function summarise(c: ArmCounts, z: number): ArmSummary {
  const w = wilsonInterval(c.converters, c.shoppers, z);
  return {
    armId: c.armId, shoppers: c.shoppers, converters: c.converters,
    conversionRate: w ? some(w) : noShoppers(),
    revenuePerShopper: c.shoppers > 0 ? c.revenue / c.shoppers : null,
  };
}

function relativeLift(t: ArmCounts, h: ArmCounts, z: number): Estimate {
  if (t.shoppers === 0 || h.shoppers === 0) return noShoppers();
  const katz = katzRatioInterval(t.converters, t.shoppers, h.converters, h.shoppers, z);
  // Everyone converted in both arms: Katz's standard error is 0, and a zero-width interval would claim certainty.
  if (katz && katz.lower === katz.upper) {
    return bare(katz.value - 1, 'no_variation', 'every shopper converted in both arms, so the interval is undefined');
  }
  if (katz) return some({ value: katz.value - 1, lower: katz.lower - 1, upper: katz.upper - 1 });
  if (h.converters === 0) return none('not_enough_conversions', 'not enough conversions: the holdout has none, so a relative lift is undefined');
  // The treatment has none: the lift is −100 %, but the log interval is undefined.
  return bare(-1, 'not_enough_conversions', 'not enough conversions: the treatment has none');
}

function sizeNote(t: ArmCounts, h: ArmCounts, levels: PowerOptions, minimumLift: number | undefined): SampleSizeNote {
  const basis = minimumLift === undefined ? 'observed_lift' : 'minimum_lift';
  const no = (code: NoEstimateCode, message: string): SampleSizeNote => ({ perArm: null, lift: null, basis, reason: { code, message } });
  if (h.shoppers === 0) return no('no_shoppers', 'the holdout has no shoppers yet, so its rate is unknown');
  const p0 = h.converters / h.shoppers;
  let p1: number | null;
  if (minimumLift !== undefined) {
    p1 = plannedTreatmentRate(p0, minimumLift);
    if (p1 === null) return no('no_difference_to_size', `a lift of ${minimumLift} cannot be sized from a holdout rate of ${p0}`);
  } else {
    if (t.shoppers === 0) return no('no_shoppers', 'the treatment has no shoppers yet');
    p1 = t.converters / t.shoppers;
    if (p1 === p0) return no('no_difference_to_size', 'the arms convert at the same rate so far; give a minimum lift to size the test');
  }
  const n = shoppersPerArmFor(p0, p1, levels);
  if (n === null) return no('no_difference_to_size', 'no difference to size');
  return { perArm: Math.ceil(n - 1e-9), lift: Math.abs(p1 - p0), basis, reason: null };
}

const needText = (n: number) => `not enough data yet (need ≈${n.toLocaleString('en-US')} shoppers per arm)`;
const notEnough = (n: number | null): Verdict => ({ code: 'not_enough_data', text: n === null ? 'not enough data yet' : needText(n) });

function decide(abs: Estimate, size: SampleSizeNote, t: ArmCounts, h: ArmCounts, minimumLift: number | undefined, floor: number): Verdict {
  const nMin = Math.min(t.shoppers, h.shoppers);
  const need = size.perArm;
  if (nMin < floor) return notEnough(Math.max(need ?? 0, floor));
  // A stated minimum lift is a fixed horizon: no verdict before it, so repeated looks cannot pick a lucky moment.
  if (minimumLift !== undefined && need !== null && nMin < need) return notEnough(need);
  if (abs.lower !== null && abs.lower > 0) return { code: 'treatment_better', text: 'treatment better' };
  if (abs.upper !== null && abs.upper < 0) return { code: 'treatment_worse', text: 'treatment worse' };
  if (need === null) {
    if (t.converters + h.converters === 0) return notEnough(null);
    return { code: 'no_difference', text: 'no significant difference' };
  }
  if (nMin < need) return notEnough(need);
  return { code: 'no_difference', text: 'no significant difference' };
}

/**
 * Compares one treatment arm with the holdout (pure; docs/experiments-method.md): conversion rates with Wilson
 * intervals, the absolute lift with Newcombe's interval (which decides the verdict), the relative lift with Katz's,
 * revenue per shopper with Welch's, and how many shoppers per arm a clear answer needs. Impossible counts give
 * every figure null and the verdict `invalid_counts`; nothing here throws on data, only on levels outside (0, 1).
 */
export function compareArms(holdout: ArmCounts, treatment: ArmCounts, options: CompareOptions = {}): ArmComparison {
  const { confidence = 0.95, power = 0.8, minimumLift, minShoppersPerArm = 100 } = options;
  const z = twoSidedZ(confidence);
  const problem = countsProblem(holdout) ?? countsProblem(treatment);
  if (problem !== null) {
    const bad = none('invalid_counts', problem);
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    const arm = (c: ArmCounts): ArmSummary =>
      ({ armId: c.armId, shoppers: finite(c.shoppers), converters: finite(c.converters), conversionRate: bad, revenuePerShopper: null });
    return {
      holdout: arm(holdout), treatment: arm(treatment), absoluteLift: bad, relativeLift: bad, revenueDifference: bad,
      sampleSize: { perArm: null, lift: null, basis: minimumLift === undefined ? 'observed_lift' : 'minimum_lift', reason: bad.reason },
      verdict: { code: 'invalid_counts', text: `counts are inconsistent (${problem})` }, confidence, power,
    };
  }
  const t = treatment;
  const h = holdout;
  const newcombe = newcombeInterval(t.converters, t.shoppers, h.converters, h.shoppers, z);
  const absoluteLift = newcombe ? some(newcombe) : noShoppers();
  const welch = welchDifferenceInterval(
    { n: t.shoppers, sum: t.revenue, sumSquares: t.revenueSquares },
    { n: h.shoppers, sum: h.revenue, sumSquares: h.revenueSquares }, z);
  const revenueDifference = !welch ? none('too_few_shoppers', 'revenue needs at least 2 shoppers in each arm')
    // No spread in either arm (typically: nobody bought yet): a zero-width interval would claim certainty.
    : welch.lower === welch.upper ? bare(welch.value, 'no_variation', 'every shopper in each arm spent the same so far')
      : some(welch);
  const sampleSize = sizeNote(t, h, { confidence, power }, minimumLift);
  return {
    holdout: summarise(h, z), treatment: summarise(t, z),
    absoluteLift, relativeLift: relativeLift(t, h, z), revenueDifference, sampleSize,
    verdict: decide(absoluteLift, sampleSize, t, h, minimumLift, minShoppersPerArm),
    confidence, power,
  };
}
