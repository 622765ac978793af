import type { Experiment, ExperimentInput, ExperimentReport, ExperimentVersion } from '#contracts';

/**
 * Realistic bodies for the experiments routes' OpenAPI document (docs/experiments-api.md). Checked
 * against the schemas by engine/api/routes-experiments.test.ts, so the reference page never shows a
 * body the API refuses.
 */

/** Does the coffee-wall dwell offer sell more house blend? 80 % get the rule, 20 % are the holdout. */
export const DWELL_EXPERIMENT = {
  experimentId: 'coffee-dwell-2026-q1',
  name: 'Coffee wall dwell offer vs holdout',
  description: 'Shoppers lingering at the coffee wall: does pinning the house blend raise its sales?',
  stores: ['s-001'],
  ruleId: 'coffee-dwell-offer',
  arms: [
    { armId: 'treatment', name: 'Offer shown', share: 0.8, rule: 'on' },
    { armId: 'holdout', name: 'Holdout', share: 0.2, rule: 'off' },
  ],
  attributionHours: 24,
  startAt: 1_767_830_400_000,
  endAt: 1_770_508_800_000,
} satisfies ExperimentInput;

/** A new model version against the serving one: half the shoppers are ranked by each. */
export const MODEL_EXPERIMENT = {
  experimentId: 'ranker-2026-11',
  name: 'November model vs the current one',
  kind: 'model',
  stores: ['s-001'],
  arms: [
    { armId: 'treatment', name: 'November model', share: 0.5, model: '20261129-124537' },
    { armId: 'holdout', name: 'Current model', share: 0.5, model: '20261123-111256' },
  ],
  attributionHours: 24,
} satisfies ExperimentInput;

/** The smallest experiment: a rule and a name; a draft with the default 80/20 split, every store the rule applies to. */
export const MINIMAL_EXPERIMENT = {
  name: 'Birthday treats: do they pay off?',
  ruleId: 'birthday-week',
} satisfies ExperimentInput;

const stamp = { version: 2, updatedAt: 1_767_830_400_000, updatedBy: 'merch-anna' };

/** The dwell experiment as stored, once started. */
export const STORED_EXPERIMENT: Experiment = { ...DWELL_EXPERIMENT, kind: 'rule', status: 'running', ...stamp };

/** Its history, newest first. */
export const EXPERIMENT_HISTORY: ExperimentVersion[] = [
  { experimentId: DWELL_EXPERIMENT.experimentId, version: 2, at: stamp.updatedAt, by: 'merch-anna', action: 'start', experiment: STORED_EXPERIMENT },
  { experimentId: DWELL_EXPERIMENT.experimentId, version: 1, at: stamp.updatedAt - 3_600_000, by: 'merch-anna', action: 'create',
    experiment: { ...STORED_EXPERIMENT, status: 'draft', version: 1, updatedAt: stamp.updatedAt - 3_600_000 } },
];

/** Its report a week in: the treatment converts better so far, but the interval still spans no difference. */
export const EXPERIMENT_REPORT: ExperimentReport = {
  updatedAt: stamp.updatedAt + 7 * 86_400_000, confidence: 0.95,
  arms: [
    { armId: 'treatment', name: 'Offer shown', shoppers: 412, impressions: 1650, conversions: 58, rate: 0.1408, rateLow: 0.1104, rateHigh: 0.1778, revenuePerShopper: 1.92 },
    { armId: 'holdout', name: 'Holdout', shoppers: 101, impressions: 398, conversions: 9, rate: 0.0891, rateLow: 0.0476, rateHigh: 0.1606, revenuePerShopper: 1.21 },
  ],
  comparisons: [{
    armId: 'treatment', absLift: 0.0517, absLow: -0.0243, absHigh: 0.1072, relLift: 0.58, relLow: -0.19, relHigh: 2.08,
    revenueDiff: 0.71, revenueLow: -0.18, revenueHigh: 1.6, verdict: 'not_enough_data',
    verdictText: 'Not enough shoppers yet to tell the arms apart: about 640 per arm are needed.', neededPerArm: 640,
  }],
};
