import fc from 'fast-check';
import { HOLDOUT, type ExperimentArm, type ExperimentInput, type ExperimentReport, type ImpressionRecord, type PosLine, type RemoteFrame } from '#contracts';
import { idArb } from './arbitraries.js';
import { textArb } from './rules.js';

/**
 * Generators for experiments (engine/contracts/experiment.ts), impression records, reports and the
 * engines-only remote frame with its `exposure` (engine/contracts/decision.ts). Valid by construction,
 * every bound hit now and then; the properties re-check them against their schemas.
 */

/** Top-level fields of ExperimentInput (a validation error names one of these, or the root). */
export const EXPERIMENT_FIELDS = new Set(['experimentId', 'name', 'description', 'status', 'stores', 'ruleId', 'arms', 'attributionHours', 'startAt', 'endAt']);
/** What mutations aim at: the fields, the arms' fields, and those of a stored Experiment the input must not have. */
export const EXPERIMENT_KEYS = [...EXPERIMENT_FIELDS, 'armId', 'share', 'rule', 'version', 'updatedAt', 'updatedBy', 'experiment', 'report'] as const;
/** Where deep nesting and hostile values go inside an experiment. */
export const EXPERIMENT_DEEP_PATHS: (string | number)[][] = [['name'], ['arms'], ['arms', 0], ['arms', 0, 'share'], ['arms', 1, 'armId'], ['arms', 0, 'rule'],
  ['stores'], ['stores', 0], ['attributionHours'], ['startAt'], ['endAt'], ['status'], ['ruleId'], ['experimentId']];

export const IMPRESSION_FIELDS = new Set(['at', 'storeId', 'decisionId', 'visitStartedAt', 'skus', 'arms']);
export const IMPRESSION_KEYS = [...IMPRESSION_FIELDS, 'screenId', 'renderedAt', 'customerId'] as const;
export const IMPRESSION_DEEP_PATHS: (string | number)[][] = [['skus'], ['skus', 0], ['arms'], ['arms', 'x-1'], ['at'], ['visitStartedAt'], ['decisionId']];

export const REPORT_FIELDS = new Set(['updatedAt', 'confidence', 'arms', 'comparisons']);
export const REPORT_KEYS = [...REPORT_FIELDS, 'armId', 'name', 'shoppers', 'impressions', 'conversions', 'rate', 'rateLow', 'rateHigh', 'revenuePerShopper',
  'absLift', 'absLow', 'absHigh', 'relLift', 'relLow', 'relHigh', 'revenueDiff', 'revenueLow', 'revenueHigh', 'verdict', 'verdictText', 'neededPerArm'] as const;
export const REPORT_DEEP_PATHS: (string | number)[][] = [['arms'], ['arms', 0, 'shoppers'], ['arms', 0, 'rate'], ['arms', 1, 'armId'], ['comparisons', 0, 'verdict'],
  ['comparisons', 0, 'absLift'], ['comparisons', 0, 'neededPerArm'], ['confidence']];

export const REMOTE_FRAME_FIELDS = new Set(['origin', 'storeId', 'frame', 'exposure']);
export const REMOTE_FRAME_KEYS = [...REMOTE_FRAME_FIELDS, 'customerId', 'visitStartedAt', 'arms', 'screenId', 'decisionId', 'items', 'reason', 'template',
  'ttlMs', 'seq', 'sku', 'price', 'type'] as const;
export const REMOTE_FRAME_DEEP_PATHS: (string | number)[][] = [['exposure'], ['exposure', 'arms'], ['exposure', 'arms', 'x-1'], ['exposure', 'customerId'],
  ['exposure', 'visitStartedAt'], ['frame', 'items'], ['frame', 'items', 0, 'sku'], ['frame', 'decisionId'], ['origin']];

/** Epoch milliseconds: the edges (0, 2^53 − 1), around now, any. */
export const epochArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 1_700_000_000_000, Date.UTC(2026, 10, 23, 12), Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }),
  fc.maxSafeNat(),
);

/** An id of an arm other than the holdout. */
const armIdArb = idArb.filter((id) => id !== HOLDOUT);

/** n integer weights, not all 0; now and then one arm with everything, or all equal. */
const weightsArb = (n: number): fc.Arbitrary<number[]> => fc.oneof(
  { arbitrary: fc.array(fc.nat({ max: 12 }), { minLength: n, maxLength: n }).filter((w) => w.some((x) => x > 0)), weight: 5 },
  { arbitrary: fc.nat({ max: n - 1 }).map((k) => Array.from({ length: n }, (_, i) => (i === k ? 1 : 0))), weight: 1 },
  { arbitrary: fc.constant(Array.from({ length: n }, () => 1)), weight: 1 },
);
/**
 * 2–6 arms, exactly one of them `holdout` (rule off), anywhere in the list, shares summing to 1: integer
 * weights over their total, now and then one arm with everything (shares 1 and 0).
 */
export const armsArb: fc.Arbitrary<ExperimentArm[]> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  ids: fc.uniqueArray(armIdArb, { minLength: n - 1, maxLength: n - 1 }),
  names: fc.array(textArb(80), { minLength: n, maxLength: n }),
  weights: weightsArb(n),
  rules: fc.array(fc.constantFrom('on' as const, 'off' as const), { minLength: n - 1, maxLength: n - 1 }),
  at: fc.nat({ max: n - 1 }),
})).map(({ ids, names, weights, rules, at }) => {
  const total = weights.reduce((a, b) => a + b, 0);
  const armIds = [...ids];
  armIds.splice(at, 0, HOLDOUT);
  const armRules = [...rules];
  armRules.splice(at, 0, 'off');
  return armIds.map((armId, i) => ({ armId, name: names[i]!, share: weights[i]! / total, rule: armRules[i]! }));
}).filter((arms) => Math.abs(arms.reduce((a, b) => a + b.share, 0) - 1) <= 1e-9);

export type ExperimentEnv = { storeIds: readonly string[]; ruleIds: readonly string[] };

const often = <T>(xs: readonly T[], other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  xs.length ? fc.oneof({ arbitrary: fc.constantFrom(...xs), weight: 6 }, { arbitrary: other, weight: 1 }) : other;

/** A schedule: none, a start, an end, or both (the end after the start). */
const scheduleArb = fc.tuple(epochArb, epochArb, fc.constantFrom('none', 'start', 'end', 'both'))
  .filter(([a, b, k]) => k !== 'both' || a !== b)
  .map(([a, b, k]) => {
    const [startAt, endAt] = a < b ? [a, b] : [b, a];
    return k === 'both' ? { startAt, endAt } : k === 'start' ? { startAt } : k === 'end' ? { endAt } : {};
  });

/**
 * A valid ExperimentInput: optional fields present or not, every status (the API creates only drafts and running
 * ones), 1–3 stores (now and then 100), attribution hours from 0.25 to 168. `ruleId` mostly one of env.ruleIds.
 */
export function validExperimentInput(env: ExperimentEnv, o: { status?: fc.Arbitrary<ExperimentInput['status']>; experimentId?: fc.Arbitrary<string | undefined> } = {}): fc.Arbitrary<ExperimentInput> {
  const stores = fc.oneof(
    { arbitrary: fc.array(often(env.storeIds, idArb), { minLength: 1, maxLength: 3 }), weight: 9 },
    { arbitrary: fc.array(idArb, { minLength: 100, maxLength: 100 }), weight: 1 },
  );
  const hours = fc.oneof(fc.constantFrom(0.25, 1, 24, 168), fc.double({ min: 0.25, max: 168, noNaN: true }));
  return fc.record({
    experimentId: o.experimentId ?? idArb.filter((id) => id !== '.' && id !== '..'),
    name: textArb(120),
    description: textArb(500, 0),
    status: o.status ?? fc.constantFrom('draft', 'running', 'paused', 'stopped'),
    stores,
    ruleId: often(env.ruleIds, idArb),
    arms: armsArb,
    attributionHours: hours,
    schedule: scheduleArb,
  }, { requiredKeys: ['name', 'ruleId', 'schedule'] }).map(({ schedule, ...e }) => {
    const out = { ...e, ...schedule } as Record<string, unknown>;
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as ExperimentInput;
  });
}

/** A valid ImpressionRecord (what the engine keeps per customer). */
export const validImpressionRecord: fc.Arbitrary<ImpressionRecord> = fc.record({
  at: epochArb, storeId: idArb, decisionId: idArb, visitStartedAt: epochArb,
  skus: fc.oneof({ arbitrary: fc.array(idArb, { maxLength: 6 }), weight: 4 }, { arbitrary: fc.array(idArb, { minLength: 24, maxLength: 24 }), weight: 1 }),
  arms: fc.dictionary(idArb, idArb, { maxKeys: 5 }),
});

/** A finite number, or null; the edges of a double now and then. */
const numOrNull = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 3 },
  { arbitrary: fc.constantFrom(0, -0, 1, -1, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 0.5), weight: 1 },
);
const countArb = fc.oneof(fc.nat({ max: 5000 }), fc.constantFrom(0, Number.MAX_SAFE_INTEGER));
const VERDICTS = ['not_enough_data', 'no_difference', 'treatment_better', 'treatment_worse', 'invalid_counts'] as const;

/** A valid ExperimentReport of 2–6 arms (any numbers the schema allows: it checks shapes, not arithmetic). */
export const validReport: fc.Arbitrary<ExperimentReport> = fc.record({
  updatedAt: epochArb,
  confidence: fc.oneof(fc.constant(0.95), fc.double({ noNaN: true, noDefaultInfinity: true })),
  arms: fc.array(fc.record({
    armId: idArb, name: fc.string({ maxLength: 80 }), shoppers: countArb, impressions: countArb, conversions: countArb,
    rate: numOrNull, rateLow: numOrNull, rateHigh: numOrNull, revenuePerShopper: numOrNull,
  }), { minLength: 0, maxLength: 6 }),
  comparisons: fc.array(fc.record({
    armId: idArb, absLift: numOrNull, absLow: numOrNull, absHigh: numOrNull, relLift: numOrNull, relLow: numOrNull, relHigh: numOrNull,
    revenueDiff: numOrNull, revenueLow: numOrNull, revenueHigh: numOrNull, verdict: fc.constantFrom(...VERDICTS),
    verdictText: fc.string({ maxLength: 80 }), neededPerArm: numOrNull,
  }), { maxLength: 5 }),
});

/** A content item of a screen frame (ContentItem is strict: only its own keys). */
const contentItemArb = fc.record({
  sku: idArb, name: fc.string({ maxLength: 120 }), price: fc.oneof(fc.constantFrom(0, 2.5, 1e9), fc.double({ min: 0, max: 1e6, noNaN: true })),
  memberPrice: fc.double({ min: 0, max: 1e6, noNaN: true }), image: fc.string({ maxLength: 40 }), badge: fc.string({ maxLength: 24 }), note: fc.string({ maxLength: 60 }),
}, { requiredKeys: ['sku', 'name', 'price'] });

/**
 * A valid remote frame (another instance's frame for a socket this one holds), personal (with `exposure`:
 * the member, the visit's start, up to 20 experiments' arms) most of the time.
 */
export function validRemoteFrame(storeIds: readonly string[]): fc.Arbitrary<RemoteFrame> {
  const storeId = often(storeIds, idArb);
  const frame = fc.record({
    type: fc.constant('screen.content' as const), screenId: idArb, storeId, zoneId: idArb, decisionId: idArb,
    reason: fc.constantFrom('shopper' as const, 'audience' as const, 'idle' as const), template: fc.constantFrom('hero' as const, 'grid' as const),
    greeting: fc.string({ maxLength: 80 }), headline: fc.string({ maxLength: 80 }), ttlMs: fc.integer({ min: 1, max: 600_000 }),
    items: fc.oneof({ arbitrary: fc.array(contentItemArb, { maxLength: 4 }), weight: 4 }, { arbitrary: fc.array(contentItemArb, { minLength: 24, maxLength: 24 }), weight: 1 }),
    currency: fc.constantFrom('GBP', 'EUR'), locale: fc.constantFrom('en-GB', 'de-DE', 'zh-Hant-TW'), createdAt: epochArb, eventTs: epochArb,
  }, { requiredKeys: ['type', 'screenId', 'decisionId', 'reason', 'template', 'ttlMs', 'items'] });
  // Record keys: at most 64 characters each, any text; never `__proto__` (zod drops that key silently: no experiment id can be it).
  const armKey = fc.oneof({ arbitrary: idArb, weight: 4 }, { arbitrary: fc.string({ maxLength: 64 }), weight: 1 }).filter((k) => k !== '__proto__');
  const arms = fc.oneof(
    { arbitrary: fc.dictionary(armKey, fc.oneof(idArb, fc.string({ maxLength: 64 })), { maxKeys: 3 }), weight: 4 },
    { arbitrary: fc.uniqueArray(armKey, { minLength: 20, maxLength: 20 }).map((ks) => Object.fromEntries(ks.map((k) => [k, HOLDOUT]))), weight: 1 },
  );
  const exposure = fc.record({ customerId: idArb, visitStartedAt: epochArb, arms });
  return fc.record({
    origin: fc.oneof(fc.constantFrom('engine-a-1f2e3d', 'x', 'o'.repeat(128)), fc.string({ minLength: 1, maxLength: 128 })),
    storeId, frame, exposure,
  }, { requiredKeys: ['origin', 'storeId', 'frame'] }) as fc.Arbitrary<RemoteFrame>;
}

// ---------- attribution ----------

export type History = { impressions: ImpressionRecord[]; windows: Record<string, number | undefined> };

/**
 * A purchase and a customer's impression history in one store, on a small shared vocabulary (so SKUs,
 * visits and experiments meet): times around the purchase inside and outside every window, visits that
 * match or not, experiments with and without a window (ended, deleted), arms that differ between
 * impressions of one experiment.
 */
export function attributionCaseArb() {
  const SKUS = ['A', 'B', 'C', 'D', 'E', 'F'];
  const EXPS = ['x-1', 'x-2', 'x-3', 'x:4'];
  const ARMS = [HOLDOUT, 'treatment', 't2'];
  const H = 3_600_000;
  const ts = fc.oneof(fc.constantFrom(10 * 24 * H, Number.MAX_SAFE_INTEGER, 0), fc.integer({ min: 0, max: 400 * 24 * H }));
  const windowMs = fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.oneof(fc.constantFrom(0.25 * H, 24 * H, 168 * H), fc.double({ min: 0.25 * H, max: 168 * H, noNaN: true })), weight: 5 });
  const money = fc.oneof(fc.constantFrom(0, 0.01, 0.005, 0.125, 2.5, 99.99, 1e6), fc.double({ min: 0, max: 1000, noNaN: true }),
    fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100));
  const qty = fc.oneof(fc.constantFrom(1, 2, 0.5, 1e-9), fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true }), fc.integer({ min: 1, max: 50 }));
  const line: fc.Arbitrary<PosLine> = fc.record({ sku: fc.oneof(fc.constantFrom(...SKUS), idArb), qty, unitPrice: money });
  return fc.record({ ts, visitStartedAt: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), lines: fc.array(line, { minLength: 1, maxLength: 8 }),
    windows: fc.record(Object.fromEntries(EXPS.map((e) => [e, windowMs])) as Record<string, fc.Arbitrary<number | undefined>>),
    raw: fc.array(fc.record({
      // How long before (negative: after) the purchase, in a spread that crosses every window.
      ago: fc.oneof(fc.constantFrom(0, -1, 1, 0.25 * H, 24 * H, 168 * H, 168 * H + 1), fc.integer({ min: -2 * H, max: 200 * H })),
      visit: fc.integer({ min: 0, max: 3 }),
      skus: fc.subarray(SKUS, { maxLength: 4 }).chain((s) => fc.shuffledSubarray([...s, ...s])),
      arms: fc.dictionary(fc.constantFrom(...EXPS), fc.constantFrom(...ARMS), { maxKeys: 4 }),
    }), { maxLength: 10 }),
  }).map(({ ts, visitStartedAt, lines, windows, raw }) => {
    // Visits are numbered; a visit's start is its number (a few epochs), so "same visit" means "same number".
    const impressions: ImpressionRecord[] = raw.map((r, i) => ({ at: Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, ts - r.ago)), storeId: 's-1', decisionId: `d-${i}`,
      visitStartedAt: r.visit, skus: r.skus, arms: r.arms }));
    return { purchase: { ts, lines, ...(visitStartedAt === undefined ? {} : { visitStartedAt }) }, impressions, windows };
  });
}
