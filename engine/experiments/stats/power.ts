import { normalQuantile, twoSidedZ } from './normal.js';

/** Confidence (two-sided) and power for a sample-size note. */
export interface PowerOptions {
  /** Two-sided confidence level; default 0.95 (α = 0.05). */
  confidence?: number;
  /** Chance of detecting the lift if it is real; default 0.8. */
  power?: number;
}

/**
 * Shoppers needed in EACH arm to detect rates p0 (holdout) vs p1 (treatment) with a two-sided test at the given
 * confidence and power, by the normal approximation for two proportions (docs/experiments-method.md §Power):
 *
 *   n = ( z_{1−α/2}·√(2·p̄·(1−p̄)) + z_{1−β}·√(p0(1−p0) + p1(1−p1)) )² / (p1 − p0)²,   p̄ = (p0 + p1) / 2
 *
 * (the formula behind R's power.prop.test, without continuity correction). Not rounded; null when p0 = p1 (no
 * difference to detect) or a rate is outside [0, 1]. Throws RangeError for levels outside (0, 1).
 */
export function shoppersPerArmFor(p0: number, p1: number, options: PowerOptions = {}): number | null {
  const { confidence = 0.95, power = 0.8 } = options;
  const za = twoSidedZ(confidence);
  const zb = normalQuantile(power);
  if (!(p0 >= 0 && p0 <= 1 && p1 >= 0 && p1 <= 1) || p0 === p1) return null;
  const pBar = (p0 + p1) / 2;
  const root = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p0 * (1 - p0) + p1 * (1 - p1));
  return (root * root) / ((p1 - p0) * (p1 - p0));
}

/**
 * The treatment rate to plan for when the holdout converts at p0 and the lift to detect is `lift` (absolute):
 * p0 + |lift|, or p0 − |lift| when that would pass 1; null when neither is a rate or the lift is 0.
 */
export function plannedTreatmentRate(p0: number, lift: number): number | null {
  const d = Math.abs(lift);
  if (!(d > 0) || !(p0 >= 0 && p0 <= 1)) return null;
  if (p0 + d <= 1) return p0 + d;
  if (p0 - d >= 0) return p0 - d;
  return null;
}
