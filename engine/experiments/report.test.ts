import { describe, expect, it } from 'vitest';
import { Experiment, ExperimentReport } from '#contracts';
import { buildReport } from './report.js';

const exp = Experiment.parse({ experimentId: 'x-1', name: 'Pin test', status: 'running', ruleId: 'r-1', attributionHours: 24,
  arms: [{ armId: 'treatment', name: 'Rule on', share: 0.8, rule: 'on' }, { armId: 'holdout', name: 'Holdout', share: 0.2, rule: 'off' }],
  version: 1, updatedAt: 0, updatedBy: 't' });

describe('buildReport', () => {
  it('reports each arm and the treatment against the holdout, as the schema says', () => {
    const r = buildReport(exp, [
      { armId: 'treatment', shoppers: 2000, impressions: 5000, converters: 300, revenues: Array.from({ length: 300 }, () => 12) },
      { armId: 'holdout', shoppers: 500, impressions: 1200, converters: 50, revenues: Array.from({ length: 50 }, () => 10) },
    ], 42);
    expect(ExperimentReport.parse(r)).toEqual(r);
    expect(r.arms.map((a) => [a.armId, a.shoppers, a.conversions, a.rate])).toEqual([['treatment', 2000, 300, 0.15], ['holdout', 500, 50, 0.1]]);
    expect(r.arms[0]!.revenuePerShopper).toBeCloseTo(1.8, 6);
    const c = r.comparisons[0]!;
    expect(c.absLift).toBeCloseTo(0.05, 9);
    expect(c.absLow!).toBeGreaterThan(0);
    expect(c.absHigh!).toBeGreaterThan(c.absLift!);
    expect(c.relLift).toBeCloseTo(0.5, 9);
    expect(c.verdict).toBe('treatment_better');
  });
  it('says there is not enough data yet instead of showing noise, never NaN', () => {
    const r = buildReport(exp, [], 1);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    expect(r.arms.every((a) => a.shoppers === 0 && a.rate === null)).toBe(true);
    expect(r.comparisons[0]!.verdict).toBe('not_enough_data');
  });
});
