/**
 * @module console/experiment-report
 * The experiments API as the console reads it (`GET /api/v1/experiments`, `GET /api/v1/experiments/{id}`).
 * The API is being built alongside; this is the agreed shape, read leniently (extra fields are ignored,
 * a missing optional number shows as "–") so a small change on the engine side does not blank the page.
 */
import { z } from 'zod';

const Num = z.number().finite();
const OptNum = Num.nullish().catch(undefined);

export const ExperimentSummary = z.object({
  experimentId: z.string(), name: z.string(), status: z.string().catch('unknown'),
  /** `rule` (the default, also for an engine that predates model experiments) or `model`. */
  kind: z.enum(['rule', 'model']).default('rule').catch('rule'),
  stores: z.array(z.string()).optional().catch(undefined),
  ruleId: z.string().nullish().catch(undefined),
  /** A model experiment's arms each name a model version (the holdout's is the baseline). */
  arms: z.array(z.object({ armId: z.string(), name: z.string().catch(''), share: Num.catch(0),
    model: z.string().optional().catch(undefined) })).catch([]),
});
export type ExperimentSummary = z.infer<typeof ExperimentSummary>;

export const ArmReport = z.object({
  armId: z.string(), name: z.string().optional().catch(undefined), shoppers: Num.catch(0), impressions: Num.catch(0), conversions: Num.catch(0),
  rate: OptNum, rateLow: OptNum, rateHigh: OptNum, revenuePerShopper: OptNum,
});
export type ArmReport = z.infer<typeof ArmReport>;

export const Comparison = z.object({
  armId: z.string(), absLift: OptNum, absLow: OptNum, absHigh: OptNum, relLift: OptNum, relLow: OptNum, relHigh: OptNum,
  /** Revenue per shopper, treatment − holdout, when the engine reports it. */
  revenueDiff: OptNum, revenueLow: OptNum, revenueHigh: OptNum,
  verdict: z.string().catch('unknown'), verdictText: z.string().optional().catch(undefined), neededPerArm: OptNum,
});
export type Comparison = z.infer<typeof Comparison>;

export const ExperimentDetail = z.object({
  experiment: ExperimentSummary,
  report: z.object({ arms: z.array(ArmReport).catch([]), comparisons: z.array(Comparison).catch([]), updatedAt: OptNum, confidence: OptNum })
    .nullish().catch(undefined),
});
export type ExperimentDetail = z.infer<typeof ExperimentDetail>;

/** The list answer: an array, or `{ experiments: [...] }`. */
export function readExperimentList(body: unknown): ExperimentSummary[] {
  const list = Array.isArray(body) ? body : (body as { experiments?: unknown } | null)?.experiments;
  if (!Array.isArray(list)) throw new Error('The experiments answer is not a list.');
  return list.flatMap((x) => { const r = ExperimentSummary.safeParse(x); return r.success ? [r.data] : []; });
}

const VERDICTS: Record<string, string> = {
  treatment_better: 'Better than the holdout', treatment_worse: 'Worse than the holdout', no_difference: 'No clear difference',
  not_enough_data: 'Not enough shoppers yet', invalid_counts: 'The counts do not add up: check the data',
  better: 'Better than the holdout', worse: 'Worse than the holdout', winner: 'Better than the holdout', loser: 'Worse than the holdout',
  inconclusive: 'No clear difference yet', 'no-difference': 'No clear difference', 'not-enough-data': 'Not enough shoppers yet',
  insufficient: 'Not enough shoppers yet', underpowered: 'Not enough shoppers yet',
};

/** A verdict in words (unknown verdicts are shown as sent). */
export const verdictWords = (v: string): string => VERDICTS[v] ?? v;

/** `better` | `worse` | `neutral`, for the verdict's colour. */
export const verdictTone = (v: string): 'better' | 'worse' | 'neutral' =>
  ['better', 'winner', 'treatment_better'].includes(v) ? 'better' : ['worse', 'loser', 'treatment_worse'].includes(v) ? 'worse' : 'neutral';

/** What can happen to an experiment in each status (`POST /api/v1/experiments/{id}/{action}`). */
export const STATUS_ACTIONS: Record<string, Array<{ action: 'start' | 'pause' | 'resume' | 'stop'; label: string }>> = {
  draft: [{ action: 'start', label: 'Start' }],
  running: [{ action: 'pause', label: 'Pause' }, { action: 'stop', label: 'Stop for good' }],
  paused: [{ action: 'resume', label: 'Resume' }, { action: 'stop', label: 'Stop for good' }],
};
