import fc from 'fast-check';
import { Profile, Rule, RuleInput, StoreConfig, TRIGGER_TYPES, type PreviewRequest, type Visit } from '#contracts';
import { idArb, PROTOTYPE_KEYS } from './arbitraries.js';

/**
 * Generators for merchandiser rules (engine/contracts/rule.ts), preview requests (preview.ts) and the
 * inputs of the decision core (engine/decisions/zone-decision.ts). Valid by construction: every bound
 * of the schema is hit now and then (empty and full arrays, 1 and 80 characters, min = max ranges), and
 * `validRuleInput` is re-checked against `RuleInput` by the properties that use it.
 */

/** Every top-level field of a rule, its targeting, trigger, actions and caps: what mutations aim at. */
export const RULE_KEYS = ['ruleId', 'name', 'description', 'enabled', 'priority', 'target', 'trigger', 'actions', 'caps', 'stores', 'zones',
  'screens', 'modes', 'tiers', 'lifecycle', 'rfm', 'affinities', 'lifeStages', 'consent', 'daysOfWeek', 'hours', 'dates', 'type', 'withinDays',
  'seconds', 'days', 'top', 'skus', 'categories', 'stages', 'boost', 'pin', 'exclude', 'triggered', 'template', 'headline', 'badge', 'factor',
  'brands', 'perShopperPerVisit', 'perShopperPerDay', 'perScreenPerHour', 'from', 'to', 'min', 'max', 'r', 'f', 'm', 'version', 'updatedAt'] as const;
/** Top-level fields of RuleInput (a validation error names one of these, or the root). */
export const RULE_FIELDS = new Set(['ruleId', 'name', 'description', 'enabled', 'priority', 'target', 'trigger', 'actions', 'caps']);

export const PREVIEW_KEYS = ['storeId', 'screenId', 'zoneId', 'customerId', 'profile', 'at', 'visit', 'draft', 'dwellSeconds', 'tappedSkus',
  'visitSeconds', 'consent', 'affinities', 'displayName', 'name', 'actions', 'pin'] as const;
export const PREVIEW_FIELDS = new Set(['storeId', 'screenId', 'zoneId', 'customerId', 'profile', 'at', 'visit', 'draft']);

/**
 * A character no generated rule text, catalog text or category contains: shoppers' display names carry it,
 * so a frame that shows a name anywhere (greeting, headline, note) is found by searching for it.
 */
export const NAME_MARK = '\u27E6';

/** What a generated rule may refer to: mostly the test store's ids, now and then any valid id. */
export type RuleEnv = {
  storeIds: readonly string[]; zones: readonly string[]; screens: readonly string[]; skus: readonly string[];
  categories: readonly string[]; brands?: readonly string[]; lifeStages?: readonly string[];
};

const often = <T>(xs: readonly T[], other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  xs.length ? fc.oneof({ arbitrary: fc.constantFrom(...xs), weight: 6 }, { arbitrary: other, weight: 1 }) : other;
const validId = idArb;
/** A rule's own id: any id but '.' and '..' (refused since they cannot be addressed in a URL path). */
const ruleIdArb = idArb.filter((id) => id !== '.' && id !== '..');

/** Text of `min`–`max` UTF-16 code units: graphemes, any code points (a cut may leave a lone surrogate), emoji and accents at the bound. */
export function textArb(max: number, min = 1): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }), weight: 2 },
    { arbitrary: fc.constantFrom('🛒', 'e\u0301', '字', 'A', ' ', '\u200D', '👩\u200D👩\u200D👧').map((u) => u.repeat(Math.ceil(max / u.length))), weight: 1 },
    { arbitrary: fc.constantFrom('Birthday treat', 'Nur diese Woche', '生日礼遇', 'x'), weight: 2 },
  ).map((s) => s.slice(0, max).replaceAll(NAME_MARK, '?')).filter((s) => s.length >= min);
}

/** Categories: the store's, prototype names, and any text of 1–80 characters. */
const categoryArb = (env: RuleEnv) => fc.oneof(
  { arbitrary: fc.constantFrom(...env.categories), weight: 8 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS.filter((k) => k !== '__proto__')), weight: 1 },
  { arbitrary: textArb(80), weight: 1 },
);
/**
 * Keys of `target.affinities` (a record of Category → threshold). Not `__proto__`: zod drops that key
 * from a record without a word, so the contract refuses it (decoders.test.ts checks the refusal).
 */
const affinityKeyArb = (env: RuleEnv) => categoryArb(env);

const LOCALE_KEYS = ['en', 'de', 'de-DE', 'zh-CN', 'fr', 'en-GB', 'zh', 'ja-JP', 'EN', 'abc-defghijk', 'zh-Hant-TW'];
/** LocalText: one string, or 1–20 locales (BCP 47-shaped keys) → string. */
const localTextArb: fc.Arbitrary<string | Record<string, string>> = fc.oneof(
  { arbitrary: textArb(80), weight: 2 },
  { arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...LOCALE_KEYS), fc.stringMatching(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/)), textArb(80),
    { minKeys: 1, maxKeys: 4 }), weight: 2 },
  { arbitrary: fc.uniqueArray(fc.stringMatching(/^[a-z]{2}-[A-Z0-9]{2,3}$/), { minLength: 20, maxLength: 20 })
    .map((ks) => Object.fromEntries(ks.map((k, i) => [k, `t${i}`]))), weight: 1 },
);

const clock = fc.oneof(fc.constantFrom('00:00', '24:00', '23:59', '12:00'), fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
const day = fc.tuple(fc.integer({ min: 2020, max: 2036 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const scoreRange = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('both', 'min', 'max', 'none'))
  .map(([a, b, k]) => {
    const [min, max] = a <= b ? [a, b] : [b, a];
    return k === 'both' ? { min, max } : k === 'min' ? { min } : k === 'max' ? { max } : {};
  }).filter((r) => (r.min ?? 1) <= (r.max ?? 5));

/** Targeting: up to four of its conditions (a rule with every condition would match nobody), each valid. */
function targetingArb(env: RuleEnv): fc.Arbitrary<Record<string, unknown>> {
  const list = (xs: readonly string[]) => fc.oneof({ arbitrary: fc.array(often(xs, validId), { minLength: 1, maxLength: 3 }), weight: 9 },
    { arbitrary: fc.constant([]), weight: 1 });
  const parts: Record<string, fc.Arbitrary<unknown>> = {
    stores: list(env.storeIds),
    zones: list(env.zones),
    screens: list(env.screens),
    modes: fc.subarray(['shopper', 'audience', 'idle'] as const, { minLength: 1 }),
    tiers: fc.subarray(['member', 'silver', 'gold', 'platinum'] as const, { minLength: 1 }),
    lifecycle: fc.subarray(['prospect', 'new', 'active', 'dormant', 'churned'] as const, { minLength: 1 }),
    rfm: fc.record({ r: scoreRange, f: scoreRange, m: scoreRange }, { requiredKeys: [] }),
    affinities: fc.dictionary(affinityKeyArb(env), fc.oneof(fc.constantFrom(0, 1, 0.3), fc.double({ min: 0, max: 1, noNaN: true })), { maxKeys: 3 }),
    lifeStages: fc.array(often(env.lifeStages ?? [], textArb(40)), { minLength: 1, maxLength: 3 }),
    consent: fc.subarray(['personalization', 'displayName', 'associateAlerts'] as const),
    daysOfWeek: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    hours: fc.record({ from: clock, to: clock }),
    dates: fc.tuple(day, day, fc.constantFrom('both', 'from', 'to', 'none')).map(([a, b, k]) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      return k === 'both' ? { from, to } : k === 'from' ? { from } : k === 'to' ? { to } : {};
    }),
  };
  return fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, { arbitrary: fc.shuffledSubarray(Object.keys(parts), { minLength: 1, maxLength: 4 }), weight: 3 })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, parts[k]!])) as Record<string, fc.Arbitrary<unknown>>));
}

function triggerArb(env: RuleEnv): fc.Arbitrary<Record<string, unknown>> {
  const byType: Record<(typeof TRIGGER_TYPES)[number], fc.Arbitrary<Record<string, unknown>>> = {
    birthday: fc.record({ withinDays: fc.integer({ min: 0, max: 31 }) }, { requiredKeys: [] }),
    dwell: fc.record({ seconds: fc.oneof(fc.constantFrom(1, 3600), fc.integer({ min: 1, max: 120 })) }),
    winback: fc.record({ lifecycle: fc.subarray(['dormant', 'churned'] as const, { minLength: 1 }) }, { requiredKeys: [] }),
    newArrivals: fc.record({ days: fc.integer({ min: 1, max: 365 }), top: fc.integer({ min: 1, max: 10 }) }, { requiredKeys: [] }),
    eslTap: fc.record({ skus: fc.array(often(env.skus, validId), { maxLength: 4 }), categories: fc.array(categoryArb(env), { maxLength: 3 }) }, { requiredKeys: [] }),
    lifeStage: fc.record({ stages: fc.array(often(env.lifeStages ?? [], textArb(40)), { minLength: 1, maxLength: 3 }) }, { requiredKeys: [] }),
  };
  return fc.constantFrom(...TRIGGER_TYPES).chain((type) => byType[type].map((t) => ({ type, ...t })));
}

/** An ItemSelector: at least one non-empty list of categories, brands or SKUs. */
function selectorArb(env: RuleEnv): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    categories: fc.array(categoryArb(env), { maxLength: 3 }),
    brands: fc.array(often(env.brands ?? [], textArb(80)), { maxLength: 2 }),
    skus: fc.array(often(env.skus, validId), { maxLength: 4 }),
    fallback: often(env.skus, validId),
  }, { requiredKeys: ['fallback'] }).map(({ fallback, ...s }) =>
    (s.categories?.length || s.brands?.length || s.skus?.length ? s : { ...s, skus: [fallback] }));
}

function actionsArb(env: RuleEnv): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    boost: fc.array(fc.tuple(selectorArb(env), fc.oneof(fc.constantFrom(0.1, 10, 1, 2, 0.5), fc.double({ min: 0.1, max: 10, noNaN: true })))
      .map(([s, factor]) => ({ ...s, factor })), { maxLength: 3 }),
    pin: fc.oneof({ arbitrary: fc.array(often(env.skus, validId), { maxLength: 4 }), weight: 5 },
      { arbitrary: fc.array(fc.constantFrom(...env.skus), { minLength: 24, maxLength: 24 }), weight: 1 }),
    exclude: selectorArb(env),
    triggered: fc.oneof(fc.constantFrom(1, 10), fc.double({ min: 1, max: 10, noNaN: true })),
    template: fc.constantFrom('hero', 'grid'),
    headline: localTextArb,
    badge: localTextArb,
  }, { requiredKeys: [] });
}

/** A valid RuleInput (optional fields present or not; defaults left out or given). */
export function validRuleInput(env: RuleEnv, o: { ruleId?: fc.Arbitrary<string | undefined> } = {}): fc.Arbitrary<RuleInput> {
  return fc.record({
    ruleId: o.ruleId ?? fc.option(ruleIdArb, { nil: undefined }),
    name: textArb(120),
    description: fc.option(textArb(500, 0), { nil: undefined }),
    enabled: fc.option(fc.boolean(), { nil: undefined }),
    priority: fc.option(fc.oneof(fc.constantFrom(0, 1000, 100), fc.integer({ min: 0, max: 1000 })), { nil: undefined }),
    target: fc.option(targetingArb(env), { nil: undefined }),
    trigger: fc.option(triggerArb(env), { nil: undefined, freq: 3 }),
    actions: actionsArb(env),
    caps: fc.option(fc.record({
      perShopperPerVisit: fc.integer({ min: 1, max: 1000 }), perShopperPerDay: fc.integer({ min: 1, max: 1000 }),
      perScreenPerHour: fc.oneof(fc.constantFrom(1, 100_000), fc.integer({ min: 1, max: 5 })),
    }, { requiredKeys: [] }), { nil: undefined }),
  }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as RuleInput);
}

/** A stored rule from a generated input (what the snapshot holds). */
export const asRule = (input: RuleInput, ruleId: string, version = 1): Rule =>
  Rule.parse({ ...input, ruleId: input.ruleId ?? ruleId, version, updatedAt: 0, updatedBy: 'fuzz' });

// ---------- shoppers ----------

/** A profile: every consent combination, a display name carrying NAME_MARK (or blank), birthdays, life stages, RFM. */
export function profileArb(customerId: fc.Arbitrary<string>, categories: readonly string[], now: number, stages: readonly string[] = []): fc.Arbitrary<Profile> {
  return fc.record({
    customerId,
    displayName: fc.oneof({ arbitrary: fc.nat({ max: 999 }).map((n) => `Ann${NAME_MARK}${n}`), weight: 6 }, { arbitrary: fc.constantFrom('', '   ', undefined), weight: 1 }),
    tier: fc.constantFrom('member', 'silver', 'gold', 'platinum'),
    lifecycle: fc.constantFrom('prospect', 'new', 'active', 'dormant', 'churned'),
    rfm: fc.option(fc.record({ recencyDays: fc.nat({ max: 400 }), frequency: fc.nat({ max: 50 }), monetary: fc.nat({ max: 5000 }),
      r: fc.integer({ min: 1, max: 5 }), f: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 5 }) }), { nil: undefined }),
    lastPurchaseAt: fc.option(fc.integer({ min: now - 400 * 86_400_000, max: now }), { nil: undefined }),
    birthday: fc.option(fc.oneof(
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
        .map(([m, d]) => `${String(m).padStart(2, '0')}-${String(Math.min(d, m === 2 ? 29 : [4, 6, 9, 11].includes(m) ? 30 : 31)).padStart(2, '0')}`) },
      // Within a few weeks of `now` (the birthday trigger looks up to 31 days ahead), 29 February included.
      { weight: 3, arbitrary: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 7 }), weight: 3 }, { arbitrary: fc.integer({ min: -2, max: 35 }), weight: 1 })
        .map((days) => new Date(now + days * 86_400_000).toISOString().slice(5, 10)) },
      { weight: 1, arbitrary: fc.constant('02-29') },
    ), { nil: undefined, freq: 3 }),
    lifeStage: fc.option(stages.length ? fc.constantFrom(...stages) : fc.constant('newborn'), { nil: undefined }),
    affinities: fc.dictionary(fc.constantFrom(...categories), fc.double({ min: 0, max: 1, noNaN: true }), { maxKeys: 3 }),
    consent: fc.record({ personalization: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
      displayName: fc.boolean(), associateAlerts: fc.boolean() }),
  }, { requiredKeys: ['customerId', 'consent'] }).map((p) => Profile.parse(Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))));
}

// ---------- small stores for the decision core ----------

const TIME_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Asia/Shanghai', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const CATEGORIES = ['kitchen', 'candles', 'garden', 'toys', 'wine'];
export const STAGES = ['expecting', 'newborn', 'toddler'];

/** A small store (1–3 zones, 1–3 screens each, 1–24 catalog items), valid StoreConfig. `now` anchors arrival dates. */
export function smallStoreArb(now: number): fc.Arbitrary<StoreConfig> {
  const item = (i: number) => fc.record({
    category: fc.constantFrom(...CATEGORIES),
    inStock: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    price: fc.oneof(fc.constantFrom(0, 1, 4.5), fc.double({ min: 0, max: 500, noNaN: true })),
    memberPrice: fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: undefined, freq: 3 }),
    promo: fc.option(fc.boolean(), { nil: undefined }),
    family: fc.option(fc.constantFrom('lunch bag', 'mug'), { nil: undefined, freq: 3 }),
    name: fc.oneof(fc.constantFrom('Lunch Bag Red', 'Mug', 'Candle'), textArb(120)),
    arrivedAt: fc.option(fc.oneof(fc.integer({ min: now - 400 * 86_400_000, max: now + 86_400_000 }),
      fc.constantFrom('2026-11-01', '2026-11-23T10:00:00+01:00')), { nil: undefined, freq: 3 }),
    lifeStages: fc.option(fc.subarray(STAGES, { minLength: 1 }), { nil: undefined, freq: 3 }),
  }).map((x) => ({ sku: `SKU-${i}`, ...Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) }));
  return fc.record({
    zones: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, z) => fc.record({
      zoneId: fc.constant(`z-${z}`), name: textArb(80), categories: fc.subarray(CATEGORIES),
      screens: fc.array(fc.record({ slots: fc.oneof(fc.constantFrom(1, 4, 24), fc.integer({ min: 1, max: 8 })),
        template: fc.option(fc.constantFrom('hero', 'grid'), { nil: undefined }),
        minRssi: fc.option(fc.integer({ min: -90, max: -40 }), { nil: undefined, freq: 3 }) }, { requiredKeys: ['slots'] }), { minLength: 1, maxLength: 3 }),
    })))),
    catalog: fc.integer({ min: 1, max: 24 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(i)))),
    timezone: fc.constantFrom(...TIME_ZONES),
    locale: fc.constantFrom('en', 'en-GB', 'de-DE', 'zh-CN', 'fr-FR'),
    labels: fc.option(fc.constant({ de: { kitchen: 'Küche' }, 'zh-CN': { candles: '蜡烛' } }), { nil: undefined }),
    turns: fc.record({ turnMs: fc.integer({ min: 1000, max: 20_000 }), audienceAbove: fc.integer({ min: 1, max: 6 }),
      minDisplayMs: fc.integer({ min: 0, max: 10_000 }), idleRotateMs: fc.integer({ min: 5000, max: 120_000 }) }),
  }).map(({ zones, catalog, timezone, locale, labels, turns }) => StoreConfig.parse({
    storeId: 's-fz', name: 'Fuzz store', currency: 'EUR', timezone, locale, turns, ...(labels ? { categoryLabels: labels } : {}),
    zones: zones.map(({ screens: _s, ...z }) => z),
    screens: zones.flatMap((z) => z.screens.map((s, k) => ({ screenId: `scr-${z.zoneId}-${k}`, zoneId: z.zoneId,
      ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) }))),
    catalog,
  }));
}

/** The rule environment of a store config. */
export const envOf = (cfg: StoreConfig): RuleEnv => ({
  storeIds: [cfg.storeId], zones: cfg.zones.map((z) => z.zoneId), screens: cfg.screens.map((s) => s.screenId),
  skus: cfg.catalog.map((c) => c.sku), categories: [...new Set(cfg.catalog.map((c) => c.category))], brands: [], lifeStages: STAGES,
});

/** One shopper in a zone at `now`: a visit (anonymous or a member), their profile (or none: not linked or unreadable). */
export function shopperArb(zoneId: string, zones: readonly string[], skus: readonly string[], now: number, categories: readonly string[]) {
  return fc.record({
    device: fc.nat({ max: 30 }),
    member: fc.option(fc.nat({ max: 9 }), { nil: undefined, freq: 4 }),
    hasProfile: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
    visitMs: fc.integer({ min: 0, max: 3_600_000 }),
    zoneMs: fc.integer({ min: 0, max: 3_600_000 }),
    dwell: fc.dictionary(fc.constantFrom(...zones), fc.nat({ max: 600_000 }), { maxKeys: 2 }),
    taps: fc.array(fc.oneof(fc.constantFrom(...skus), fc.constant('SKU-unknown')), { maxLength: 3 }),
    rssi: fc.option(fc.integer({ min: -100, max: -30 }), { nil: undefined }),
    profile: profileArb(fc.constant('c-x'), categories, now, STAGES),
  }).map(({ device, member, hasProfile, visitMs, zoneMs, dwell, taps, rssi, profile }) => {
    const customerId = member === undefined ? undefined : `c-${member}`;
    const enteredAt = now - Math.max(visitMs, zoneMs);
    const visit: Visit = { storeId: 's-fz', deviceId: `d-${device}`, ...(customerId ? { customerId } : {}), enteredAt, lastSeenAt: now, lastEventTs: now,
      zoneId, zoneEnteredAt: now - zoneMs, dwellMs: dwell, zonesVisited: [zoneId], eslSkus: taps, eslCount: taps.length, ...(rssi !== undefined ? { rssi } : {}) };
    return { visit, profile: customerId && hasProfile ? { ...profile, customerId } : undefined };
  });
}

// ---------- preview requests ----------

/** The last instant a Date can hold (ECMAScript: ±8.64e15 ms); a preview's `at` must not be later. */
export const LAST_INSTANT = 8_640_000_000_000_000;

export type PreviewEnv = RuleEnv & { storeId: string; zoneOfScreen: Readonly<Record<string, string>>; customers: readonly string[] };

/** A valid PreviewRequest: a screen or a zone (or both, matching or not), a member, a hand-made profile or nobody, any instant, drafts. */
export function validPreviewRequest(env: PreviewEnv, now: number): fc.Arbitrary<PreviewRequest> {
  const place = fc.oneof(
    fc.constantFrom(...env.screens).map((screenId) => ({ screenId })),
    fc.constantFrom(...env.zones).map((zoneId) => ({ zoneId })),
    fc.constantFrom(...env.screens).map((screenId) => ({ screenId, zoneId: env.zoneOfScreen[screenId]! })),
    fc.tuple(fc.constantFrom(...env.screens), fc.constantFrom(...env.zones)).map(([screenId, zoneId]) => ({ screenId, zoneId })),
    fc.tuple(fc.option(validId, { nil: undefined }), validId).map(([screenId, zoneId]) => (screenId ? { screenId } : { zoneId })),
  );
  const who = fc.oneof(
    fc.constant({}),
    fc.oneof(fc.constantFrom(...env.customers), validId).map((customerId) => ({ customerId })),
    profileArb(fc.oneof(fc.constantFrom(...env.customers), validId), env.categories, now, STAGES).map((p) => ({ profile: p })),
  );
  const at = fc.oneof(
    fc.integer({ min: now - 400 * 86_400_000, max: now + 400 * 86_400_000 }),
    fc.constantFrom(0, 1, LAST_INSTANT),
    fc.integer({ min: 0, max: LAST_INSTANT }),
    fc.constantFrom('2026-12-20T08:30:00+01:00', '2026-02-28T23:59:59Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00', '2024-02-29T12:00:00.123-09:30'),
  );
  return fc.record({
    storeId: fc.oneof({ arbitrary: fc.constant(env.storeId), weight: 9 }, { arbitrary: validId, weight: 1 }),
    place, who,
    at: fc.option(at, { nil: undefined }),
    visit: fc.option(fc.record({ dwellSeconds: fc.oneof(fc.constantFrom(0, 86_400), fc.double({ min: 0, max: 86_400, noNaN: true })),
      tappedSkus: fc.array(often(env.skus, validId), { maxLength: 20 }),
      visitSeconds: fc.oneof(fc.constantFrom(0, 86_400), fc.double({ min: 0, max: 86_400, noNaN: true })) }, { requiredKeys: [] }), { nil: undefined }),
    draft: fc.option(fc.array(validRuleInput(env), { maxLength: 3 }), { nil: undefined }),
  }).map(({ storeId, place, who, at, visit, draft }) => Object.fromEntries(Object.entries({ storeId, ...place, ...who, at, visit, draft })
    .filter(([, v]) => v !== undefined)) as PreviewRequest);
}

/** RuleInput's own schema, for properties that re-check the generator. */
export { RuleInput };
