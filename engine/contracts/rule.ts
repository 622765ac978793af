import { z } from 'zod';
import { Id, ScreenId, Sku, StoreId, ZoneId } from './ids.js';
import { Lifecycle, Tier } from './profile.js';

/**
 * Merchandiser rules (docs/rules.md). A rule narrows who and where (targeting), may wait for a
 * moment in the shopper's visit (trigger), changes what the ranker proposed (actions) and may be
 * shown only so often (caps). The engine applies every enabled, matching rule between the ranker
 * and the frame: exclusions → boosts → pins → caps → top-k.
 */

const Category = z.string().min(1).max(80);
const Label = z.string().min(1).max(40);
/** `HH:MM`, 00:00–24:00, in the store's time zone. */
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM (00:00–24:00)');
/** `YYYY-MM-DD`, a day in the store's time zone. */
const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');
/**
 * zod 4 drops a `__proto__` key from a record without a word, so `{"affinities": {"__proto__": 0.5}}`
 * would be stored as `{}` (a condition silently lost, found by the fuzz suite). Refused instead.
 */
const withoutProtoKey = <S extends z.ZodType>(schema: S): S => z.preprocess((v, ctx) => {
  if (typeof v === 'object' && v !== null && Object.hasOwn(v, '__proto__')) {
    ctx.issues.push({ code: 'custom', input: v, path: ['__proto__'], message: '"__proto__" cannot be a key here' });
  }
  return v;
}, schema) as unknown as S;
/**
 * A rule's own id: any id except `.` and `..`, which every URL client turns into a step up the path,
 * so such a rule could be created but never read, changed or deleted (found by the fuzz suite).
 */
const RuleId = Id.refine((id) => id !== '.' && id !== '..', 'cannot be "." or "..": not addressable in a URL path');
/** An RFM score range, 1–5 inclusive. */
const ScoreRange = z.object({ min: z.number().int().min(1).max(5).default(1), max: z.number().int().min(1).max(5).default(5) }).strict()
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] });

/**
 * Shopper-facing text a rule supplies: one string for every locale, or one per locale (BCP 47 keys,
 * looked up with the store locale's fallback chain, `de-DE` → `de` → `en`).
 */
export const LocalText = z.union([
  z.string().min(1).max(80),
  z.record(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 locale such as en, de-DE or zh-CN'), z.string().min(1).max(80))
    .refine((r) => Object.keys(r).length > 0 && Object.keys(r).length <= 20, '1 to 20 locales'),
]);
export type LocalText = z.infer<typeof LocalText>;

export const SCREEN_MODES = ['shopper', 'audience', 'idle'] as const;

export const Targeting = z.object({
  stores: z.array(StoreId).max(100).optional(),
  zones: z.array(ZoneId).max(200).optional(),
  screens: z.array(ScreenId).max(500).optional(),
  /** Which kinds of content the rule may shape; default all three. Rules about the shopper only ever match `shopper`. */
  modes: z.array(z.enum(SCREEN_MODES)).min(1).optional(),
  tiers: z.array(Tier).min(1).optional(),
  lifecycle: z.array(Lifecycle).min(1).optional(),
  /** RFM scores the shopper must be within (each 1–5). */
  rfm: z.object({ r: ScoreRange.optional(), f: ScoreRange.optional(), m: ScoreRange.optional() }).strict().optional(),
  /** Category → minimum affinity (0–1); every listed category must reach its threshold. */
  affinities: withoutProtoKey(z.record(Category, z.number().min(0).max(1)).refine((r) => Object.keys(r).length <= 20, 'at most 20 categories')).optional(),
  lifeStages: z.array(Label).min(1).max(20).optional(),
  /** Consents the shopper must have given beyond personalization (which any shopper rule needs anyway). */
  consent: z.array(z.enum(['personalization', 'displayName', 'associateAlerts'])).optional(),
  /** ISO days of the week, 1 = Monday … 7 = Sunday, in the store's time zone. */
  daysOfWeek: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  /** Local time window [from, to); `to` before `from` spans midnight. */
  hours: z.object({ from: ClockTime, to: ClockTime }).strict().optional(),
  /** Local days, inclusive. */
  dates: z.object({ from: Day.optional(), to: Day.optional() }).strict()
    .refine((d) => !d.from || !d.to || d.from <= d.to, { message: 'from must not be after to', path: ['to'] }).optional(),
}).strict();
export type Targeting = z.infer<typeof Targeting>;

/** A moment in the shopper's visit that lets the rule apply (docs/rules.md §Triggers). */
export const Trigger = z.discriminatedUnion('type', [
  /** Birthday (profile `birthday`, MM-DD) within the next `withinDays` days, today included. */
  z.object({ type: z.literal('birthday'), withinDays: z.number().int().min(0).max(31).default(7) }).strict(),
  /** In this zone for at least `seconds`, with no purchase since the visit began. */
  z.object({ type: z.literal('dwell'), seconds: z.number().int().min(1).max(3600) }).strict(),
  /** A dormant or churned member back in the store. */
  z.object({ type: z.literal('winback'), lifecycle: z.array(z.enum(['dormant', 'churned'])).min(1).default(['dormant', 'churned']) }).strict(),
  /** Items that arrived (catalog `arrivedAt`) within `days` in the shopper's `top` favourite categories. */
  z.object({ type: z.literal('newArrivals'), days: z.number().int().min(1).max(365).default(30), top: z.number().int().min(1).max(10).default(3) }).strict(),
  /** The shopper tapped a shelf label this visit: of these SKUs or categories, or any when neither is given. */
  z.object({ type: z.literal('eslTap'), skus: z.array(Sku).max(200).optional(), categories: z.array(Category).max(50).optional() }).strict(),
  /** The shopper's life stage is one of `stages` (any stage when absent); items staged for it (catalog `lifeStages`) come forward. */
  z.object({ type: z.literal('lifeStage'), stages: z.array(Label).min(1).max(20).optional() }).strict(),
]);
export type Trigger = z.infer<typeof Trigger>;
export const TRIGGER_TYPES = ['birthday', 'dwell', 'winback', 'newArrivals', 'eslTap', 'lifeStage'] as const;

/** Which items an action touches: any item in one of the categories or brands, or one of the SKUs. */
export const ItemSelector = z.object({
  categories: z.array(Category).max(50).optional(),
  brands: z.array(z.string().min(1).max(80)).max(50).optional(),
  skus: z.array(Sku).max(200).optional(),
}).strict().refine((s) => !!(s.categories?.length || s.brands?.length || s.skus?.length), 'name at least one category, brand or SKU');
export type ItemSelector = z.infer<typeof ItemSelector>;

/** The bounds of one boost and of all boosts on one item together. */
export const BOOST_MIN = 0.1;
export const BOOST_MAX = 10;

export const Actions = z.object({
  /** Multiply the items' ranking utility: > 1 brings forward, < 1 buries. All matching boosts multiply, bounded to ×0.1…×10. */
  boost: z.array(ItemSelector.and(z.object({ factor: z.number().min(BOOST_MIN).max(BOOST_MAX) }))).max(20).optional(),
  /** Shown first, in this order, when in stock and not excluded; pins of several rules go by priority, then rule id. */
  pin: z.array(Sku).max(24).optional(),
  /** Never shown while the rule matches; every matching rule's exclusions apply. */
  exclude: ItemSelector.optional(),
  /** Items the trigger found (new arrivals, items staged for the life stage) are boosted by this factor; default 3. */
  triggered: z.number().min(1).max(BOOST_MAX).optional(),
  template: z.enum(['hero', 'grid']).optional(),
  headline: LocalText.optional(),
  /** A badge on the items this rule brought forward (pinned, boosted or triggered). */
  badge: LocalText.optional(),
  /**
   * Words on the shelf labels of the items this rule brings forward (pins, boosts over ×1), at most 40
   * characters (docs/labels.md): for a place rule, on every such label in its zones while it matches; for a
   * rule about shoppers, on those labels near a consenting shopper it matches.
   */
  labelPromo: LocalText.optional(),
}).strict();
export type Actions = z.infer<typeof Actions>;

/** How often a rule may take effect; a rule that reached a cap is skipped (the preview says so). */
export const Caps = z.object({
  perShopperPerVisit: z.number().int().min(1).max(1000).optional(),
  perShopperPerDay: z.number().int().min(1).max(1000).optional(),
  perScreenPerHour: z.number().int().min(1).max(100_000).optional(),
}).strict();
export type Caps = z.infer<typeof Caps>;

/** What a merchandiser writes (create / update). */
export const RuleInput = z.object({
  ruleId: RuleId.optional(),
  name: z.string().min(1).max(120),
  description: z.string().max(500).optional(),
  enabled: z.boolean().default(true),
  /** Higher first; ties by rule id. */
  priority: z.number().int().min(0).max(1000).default(100),
  target: Targeting.default({}),
  trigger: Trigger.optional(),
  actions: Actions,
  caps: Caps.optional(),
}).strict();
export type RuleInput = z.input<typeof RuleInput>;

/** A rule as stored: the input plus its identity and version. */
export const Rule = RuleInput.extend({
  ruleId: Id,
  version: z.number().int().positive(),
  updatedAt: z.number().int().nonnegative(),
  updatedBy: z.string().max(128),
}).strict();
export type Rule = z.infer<typeof Rule>;

/** One entry of a rule's history: the rule as it was, or its deletion. */
export const RuleVersion = z.object({
  ruleId: Id,
  version: z.number().int().positive(),
  at: z.number().int().nonnegative(),
  by: z.string().max(128),
  action: z.enum(['create', 'update', 'enable', 'disable', 'delete', 'restore']),
  /** The rule after the change; absent for a deletion. */
  rule: Rule.optional(),
}).strict();
export type RuleVersion = z.infer<typeof RuleVersion>;
