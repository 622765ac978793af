import { z } from 'zod';
import { Id, StoreId } from './ids.js';

/**
 * An in-store experiment (docs/experiments.md): shoppers are split deterministically (a hash of the
 * experiment id and the customer id) into arms; the holdout gets the baseline. What an arm changes:
 * for a rule experiment, whether the rule applies to that shopper's personal turns; for a model
 * experiment, which model version ranks them.
 */
export const ExperimentStatus = z.enum(['draft', 'running', 'paused', 'stopped']);
export type ExperimentStatus = z.infer<typeof ExperimentStatus>;

/** A model version's name as the model folder spells it (`20261123-111256`). */
export const ModelVersion = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a model version (letters, digits, . _ -; up to 64)');

/** What an experiment tests: a rule (on for its arms, off for the holdout) or model versions (one per arm). */
export const ExperimentKind = z.enum(['rule', 'model']);
export type ExperimentKind = z.infer<typeof ExperimentKind>;

/** `holdout` is always the baseline arm; the others are treatments. */
export const HOLDOUT = 'holdout';

export const ExperimentArm = z.object({
  armId: Id,
  name: z.string().min(1).max(80),
  /** Share of shoppers, 0–1; the arms' shares sum to 1. */
  share: z.number().min(0).max(1),
  /** For a rule experiment: does the rule apply to this arm's shoppers? The holdout never gets it. */
  rule: z.enum(['on', 'off']).optional(),
  /** For a model experiment: the model version that ranks this arm's shoppers (the holdout's is the baseline). */
  model: ModelVersion.optional(),
}).strict();
export type ExperimentArm = z.infer<typeof ExperimentArm>;

export const ExperimentInput = z.object({
  experimentId: Id.refine((id) => id !== '.' && id !== '..', 'cannot be "." or ".."').optional(),
  name: z.string().min(1).max(120),
  description: z.string().max(500).optional(),
  status: ExperimentStatus.default('draft'),
  /** `rule` (default): the rule `ruleId` on or off per arm. `model`: each arm's shoppers ranked by the arm's model version. */
  kind: ExperimentKind.default('rule'),
  /** The stores it runs in; default every store (of the rule, for a rule experiment). */
  stores: z.array(StoreId).min(1).max(100).optional(),
  /** The rule under test (rule experiments only). */
  ruleId: Id.optional(),
  arms: z.array(ExperimentArm).min(2).max(6).default([
    { armId: 'treatment', name: 'Rule on', share: 0.8, rule: 'on' },
    { armId: HOLDOUT, name: 'Holdout', share: 0.2, rule: 'off' },
  ]),
  /** A purchase of a shown SKU counts within the same visit, at most this many hours after the impression. */
  attributionHours: z.number().min(0.25).max(168).default(24),
  /** Optional schedule (epoch ms): outside it a running experiment assigns nobody. */
  startAt: z.number().int().nonnegative().optional(),
  endAt: z.number().int().nonnegative().optional(),
}).strict().superRefine((e, ctx) => {
  const sum = e.arms.reduce((a, b) => a + b.share, 0);
  if (Math.abs(sum - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['arms'], message: `shares must sum to 1 (they sum to ${sum})` });
  const holdout = e.arms.filter((a) => a.armId === HOLDOUT);
  if (holdout.length !== 1) ctx.addIssue({ code: 'custom', path: ['arms'], message: `exactly one arm must be "${HOLDOUT}" (the baseline)` });
  if (e.kind === 'rule' && e.ruleId === undefined) ctx.addIssue({ code: 'custom', path: ['ruleId'], message: 'required: the rule under test' });
  if (e.kind === 'model' && e.ruleId !== undefined) ctx.addIssue({ code: 'custom', path: ['ruleId'], message: 'a model experiment tests model versions, not a rule: leave ruleId out' });
  e.arms.forEach((a, i) => {
    if (e.kind === 'rule') {
      if (a.rule === undefined) ctx.addIssue({ code: 'custom', path: ['arms', i, 'rule'], message: 'required in a rule experiment: "on" or "off"' });
      if (a.model !== undefined) ctx.addIssue({ code: 'custom', path: ['arms', i, 'model'], message: 'only in a model experiment (kind "model")' });
      if (a.armId === HOLDOUT && a.rule === 'on') ctx.addIssue({ code: 'custom', path: ['arms', i, 'rule'], message: 'the holdout is the baseline: rule "off"' });
    } else {
      if (a.model === undefined) ctx.addIssue({ code: 'custom', path: ['arms', i, 'model'], message: 'required in a model experiment: the model version that ranks this arm' });
      if (a.rule !== undefined) ctx.addIssue({ code: 'custom', path: ['arms', i, 'rule'], message: 'only in a rule experiment' });
    }
    if (e.arms.findIndex((b) => b.armId === a.armId) !== i) ctx.addIssue({ code: 'custom', path: ['arms', i, 'armId'], message: `duplicate arm ${a.armId}` });
  });
  if (e.startAt !== undefined && e.endAt !== undefined && e.endAt <= e.startAt) ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' });
});
export type ExperimentInput = z.input<typeof ExperimentInput>;

export const Experiment = z.object({
  experimentId: Id,
  name: z.string(),
  description: z.string().optional(),
  status: ExperimentStatus,
  kind: ExperimentKind.default('rule'),
  stores: z.array(StoreId).optional(),
  ruleId: Id.optional(),
  arms: z.array(ExperimentArm),
  attributionHours: z.number(),
  startAt: z.number().int().nonnegative().optional(),
  endAt: z.number().int().nonnegative().optional(),
  version: z.number().int().positive(),
  updatedAt: z.number().int().nonnegative(),
  updatedBy: z.string().max(128),
}).strict();
export type Experiment = z.infer<typeof Experiment>;

/** What a change to an experiment did (docs/experiments-api.md §Versions): a status change is named for its transition. */
export const EXPERIMENT_ACTIONS = ['create', 'update', 'start', 'pause', 'resume', 'stop', 'delete', 'restore'] as const;

/** One entry of an experiment's history: the experiment as it was after the change, or its deletion. */
export const ExperimentVersion = z.object({
  experimentId: Id,
  version: z.number().int().positive(),
  at: z.number().int().nonnegative(),
  by: z.string().max(128),
  action: z.enum(EXPERIMENT_ACTIONS),
  /** The experiment after the change; absent for a deletion. */
  experiment: Experiment.optional(),
}).strict();
export type ExperimentVersion = z.infer<typeof ExperimentVersion>;

/**
 * One impression kept per customer (`impressions:{customerId}`, newest first, bounded, TTL): what a
 * screen confirmed it showed them in a personal turn, and their arm in every experiment then running.
 */
export const ImpressionRecord = z.object({
  at: z.number().int().nonnegative(),
  storeId: StoreId,
  decisionId: Id,
  /** When the visit began: "the same visit" for attribution. */
  visitStartedAt: z.number().int().nonnegative(),
  skus: z.array(Id).max(24),
  /** experimentId → armId */
  arms: z.record(z.string(), z.string()),
}).strict();
export type ImpressionRecord = z.infer<typeof ImpressionRecord>;

/** `GET /api/v1/experiments/{id}`'s report (docs/experiments-method.md): per arm, then each treatment against the holdout. */
const Num = z.number().nullable();
export const ExperimentReport = z.object({
  updatedAt: z.number().int().nonnegative(),
  confidence: z.number(),
  arms: z.array(z.object({
    armId: Id, name: z.string(),
    /** Shoppers with an impression in a personal turn where the rule matched. */
    shoppers: z.number().int().nonnegative(),
    impressions: z.number().int().nonnegative(),
    /** Shoppers who bought something they were shown, within the window. */
    conversions: z.number().int().nonnegative(),
    rate: Num, rateLow: Num, rateHigh: Num,
    revenuePerShopper: Num,
  }).strict()),
  comparisons: z.array(z.object({
    armId: Id,
    /** Absolute lift in conversion rate (treatment − holdout), Newcombe hybrid score interval. */
    absLift: Num, absLow: Num, absHigh: Num,
    /** Relative lift (treatment ÷ holdout − 1), Katz log interval. */
    relLift: Num, relLow: Num, relHigh: Num,
    /** Revenue per shopper, treatment − holdout, Welch interval. */
    revenueDiff: Num, revenueLow: Num, revenueHigh: Num,
    verdict: z.enum(['not_enough_data', 'no_difference', 'treatment_better', 'treatment_worse', 'invalid_counts']),
    verdictText: z.string(),
    /** Shoppers per arm needed to detect the lift with 80% power at α = 0.05. */
    neededPerArm: Num,
  }).strict()),
}).strict();
export type ExperimentReport = z.infer<typeof ExperimentReport>;
