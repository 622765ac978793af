import { HOLDOUT, type Experiment, type ExperimentReport } from '#contracts';
import { compareArms, revenueSums, type Estimate } from './stats/index.js';
import type { ArmCounts } from './tracking.js';

const CONFIDENCE = 0.95;
const est = (e: Estimate) => ({ value: e.value, low: e.lower, high: e.upper });

/** The report of an experiment from its arms' counters (pure; docs/experiments-method.md). */
export function buildReport(e: Experiment, counts: readonly ArmCounts[], now: number): ExperimentReport {
  const byArm = new Map(counts.map((c) => [c.armId, c]));
  const statsOf = (armId: string) => {
    const c = byArm.get(armId) ?? { armId, shoppers: 0, impressions: 0, converters: 0, revenues: [] };
    return { c, s: { armId, shoppers: c.shoppers, converters: Math.min(c.converters, c.shoppers), ...revenueSums(c.revenues) } };
  };
  const holdout = statsOf(HOLDOUT);
  const comparisons = e.arms.filter((a) => a.armId !== HOLDOUT).map((a) => ({ armId: a.armId, cmp: compareArms(holdout.s, statsOf(a.armId).s, { confidence: CONFIDENCE }) }));
  // Per-arm figures come from the comparison (one place computes them); the holdout's from any comparison, or alone.
  const summaryOf = (armId: string) => armId === HOLDOUT
    ? (comparisons[0]?.cmp.holdout ?? compareArms(holdout.s, holdout.s).holdout)
    : comparisons.find((x) => x.armId === armId)!.cmp.treatment;
  return {
    updatedAt: now, confidence: CONFIDENCE,
    arms: e.arms.map((a) => {
      const { c } = statsOf(a.armId);
      const sum = summaryOf(a.armId);
      const rate = est(sum.conversionRate);
      return { armId: a.armId, name: a.name, shoppers: c.shoppers, impressions: c.impressions, conversions: Math.min(c.converters, c.shoppers),
        rate: rate.value, rateLow: rate.low, rateHigh: rate.high, revenuePerShopper: sum.revenuePerShopper };
    }),
    comparisons: comparisons.map(({ armId, cmp }) => {
      const abs = est(cmp.absoluteLift);
      const rel = est(cmp.relativeLift);
      const rev = est(cmp.revenueDifference);
      return { armId, absLift: abs.value, absLow: abs.low, absHigh: abs.high, relLift: rel.value, relLow: rel.low, relHigh: rel.high,
        revenueDiff: rev.value, revenueLow: rev.low, revenueHigh: rev.high, verdict: cmp.verdict.code, verdictText: cmp.verdict.text,
        neededPerArm: cmp.sampleSize.perArm };
    }),
  };
}
