import jStat from 'jstat';

/**
 * The standard normal quantile Φ⁻¹(p), e.g. 1.959963984540054 for 0.975 and 0.8416212335729143 for 0.8
 * (jstat's erfc inverse, exact to about 1e-15 there). Throws RangeError outside (0, 1): callers pass levels
 * they chose, never data.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1 (got ${p})`);
  return jStat.normal.inv(p, 0, 1);
}

/** z for a two-sided interval at this confidence level (0.95 → 1.96). */
export function twoSidedZ(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1) (got ${confidence})`);
  return normalQuantile(1 - (1 - confidence) / 2);
}
