import { z } from 'zod';
import { LabelId, ScreenId, Sku, StoreId, ZoneId } from './ids.js';

export const Zone = z.object({
  zoneId: ZoneId,
  name: z.string().min(1).max(80),
  categories: z.array(z.string().min(1)).default([]),
});
export type Zone = z.infer<typeof Zone>;

export const Screen = z.object({
  screenId: ScreenId,
  zoneId: ZoneId,
  /** How many items the screen shows. */
  slots: z.number().int().min(1).max(24).default(4),
  /** Preferred template; the decision may still pick `hero` for a single shopper. */
  template: z.enum(['hero', 'grid']).optional(),
  /** Only shoppers seen at least this strong (dBm) are in front of this screen (docs/decisions.md). */
  minRssi: z.number().min(-150).max(20).optional(),
});
export type Screen = z.infer<typeof Screen>;

/**
 * An electronic shelf label: the SKU it prices, its zone, and its display (docs/labels.md): `bwr-296x128`
 * (2.9" black/white/red e-paper; absent means this) or `bwr-400x300` (4.2").
 */
export const LabelDisplay = z.enum(['bwr-296x128', 'bwr-400x300']);
export type LabelDisplay = z.infer<typeof LabelDisplay>;
export const ShelfLabel = z.object({ labelId: LabelId, sku: Sku, zoneId: ZoneId, display: LabelDisplay.optional() });
export type ShelfLabel = z.infer<typeof ShelfLabel>;

/** docs/associates.md: VIP = the profile's `vip` flag, a tier listed here, or a lifetime spend (RFM monetary) at or above the threshold. */
export const AssociatesConfig = z.object({
  vipTiers: z.array(z.enum(['member', 'silver', 'gold', 'platinum'])).max(4).default(['platinum']),
  /** Lifetime spend in the store's currency that makes a VIP; absent: spend alone never does. */
  vipMinSpend: z.number().nonnegative().optional(),
  /** Also alert when a VIP stays this long in one zone (once per zone and visit); 0: only on arrival. */
  lingerMs: z.number().int().min(0).max(3_600_000).default(0),
  /** At most one arrival alert per VIP this often (a visit, or stepping out and back in). */
  cooldownMs: z.number().int().min(60_000).max(86_400_000).default(1_800_000),
  /** "Birthday soon" within this many days. */
  birthdayWithinDays: z.number().int().min(0).max(31).default(7),
}).strict();
export type AssociatesConfig = z.infer<typeof AssociatesConfig>;
export const ASSOCIATES_DEFAULTS: AssociatesConfig = { vipTiers: ['platinum'], lingerMs: 0, cooldownMs: 1_800_000, birthdayWithinDays: 7 };

/** docs/labels.md: e-paper refreshes cost battery; a label changes at most once per `minIntervalMs` (latest content wins). */
export const LabelPolicy = z.object({
  minIntervalMs: z.number().int().min(0).max(3_600_000).default(10_000),
  /** Personal content (member price, offer, flash) for consenting shoppers in the label's zone. */
  personal: z.boolean().default(true),
  flash: z.object({ color: z.enum(['green', 'red', 'blue', 'yellow', 'white']), durationMs: z.number().int().min(500).max(60_000) }).strict()
    .default({ color: 'green', durationMs: 5000 }),
  /** Labels of a shopper's recommended items that flash to guide them, at most. */
  maxFlashing: z.number().int().min(0).max(10).default(2),
}).strict();
export type LabelPolicy = z.infer<typeof LabelPolicy>;
export const LABEL_POLICY_DEFAULTS: LabelPolicy = { minIntervalMs: 10_000, personal: true, flash: { color: 'green', durationMs: 5000 }, maxFlashing: 2 };

export const CatalogItem = z.object({
  sku: Sku,
  name: z.string().min(1).max(120),
  category: z.string().min(1),
  brand: z.string().max(80).default(''),
  price: z.number().nonnegative(),
  memberPrice: z.number().nonnegative().optional(),
  image: z.string().optional(),
  inStock: z.boolean().default(true),
  /** Marked as a promotion in the store's idle loop. */
  promo: z.boolean().optional(),
  /** Product family (variants of one product): idle and audience content show at most a third of a screen per family. */
  family: z.string().min(1).max(80).optional(),
  /** When the item arrived in the range, epoch ms or ISO date (`newArrivals` trigger). */
  arrivedAt: z.union([z.number().int().nonnegative(), z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  /** Life stages the item is for (e.g. expecting, newborn, toddler): the `lifeStage` trigger brings them forward. */
  lifeStages: z.array(z.string().min(1).max(40)).max(10).optional(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

/** True for a time zone name the runtime knows (IANA, e.g. `Europe/Berlin`, `UTC`); offsets like `+01:00` are not names. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every repeated id of a list, in one pass (a 40k-item catalog must not block the event loop): the
 * index of each repeat and of the first occurrence.
 */
function repeats<T>(xs: readonly T[], id: (x: T) => string): { index: number; first: number; value: string }[] {
  const firstAt = new Map<string, number>();
  const out: { index: number; first: number; value: string }[] = [];
  xs.forEach((x, index) => {
    const value = id(x);
    const first = firstAt.get(value);
    if (first === undefined) firstAt.set(value, index);
    else out.push({ index, first, value });
  });
  return out;
}

/** docs/contracts.md §Store configuration: one document per store. */
export const StoreConfig = z.object({
  storeId: StoreId,
  name: z.string().min(1).max(120),
  currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
  timezone: z.string().default('UTC').refine(isTimeZone, { error: (iss) => `unknown time zone ${JSON.stringify(iss.input)}: use an IANA name such as Europe/Berlin or UTC` }),
  zones: z.array(Zone).min(1),
  screens: z.array(Screen).default([]),
  labels: z.array(ShelfLabel).default([]),
  catalog: z.array(CatalogItem).min(1),
  /** BCP 47 language of every word shoppers and associates read; falls back de-DE → de → en. */
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 locale such as en-GB, de-DE or zh-CN').default('en'),
  /** Shopper-facing category names per locale: { "zh-CN": { "coffee": "咖啡" } }. */
  categoryLabels: z.record(z.string(), z.record(z.string(), z.string().min(1).max(40))).optional(),
  /** How screens take turns between shoppers (docs/decisions.md). */
  turns: z.object({
    /** A personal turn lasts this long and is never interrupted. */
    turnMs: z.number().int().min(1000).max(120_000).default(8000),
    /** More eligible shoppers than this at a zone: its screens show audience content instead of turns. */
    audienceAbove: z.number().int().min(1).max(100).default(6),
    /** Outside turns, content stays up at least this long unless the shoppers in front change. */
    minDisplayMs: z.number().int().min(0).max(600_000).default(5000),
    /** Idle content rotates after this long. */
    idleRotateMs: z.number().int().min(5000).max(3_600_000).default(60_000),
  }).strict().default({ turnMs: 8000, audienceAbove: 6, minDisplayMs: 5000, idleRotateMs: 60_000 }),
  /** Who is a VIP and when associates hear about them (docs/associates.md). */
  associates: AssociatesConfig.default(ASSOCIATES_DEFAULTS),
  /** How shelf labels change for shoppers (docs/labels.md). */
  labelPolicy: LabelPolicy.default(LABEL_POLICY_DEFAULTS),
}).superRefine((cfg, ctx) => {
  // Linear: one Set or Map per list, no nested scans.
  const zones = new Set(cfg.zones.map((z) => z.zoneId));
  const skus = new Set(cfg.catalog.map((c) => c.sku));
  cfg.screens.forEach((s, i) => {
    if (!zones.has(s.zoneId)) ctx.addIssue({ code: 'custom', path: ['screens', i, 'zoneId'], message: `unknown zone ${s.zoneId}` });
  });
  cfg.labels.forEach((l, i) => {
    if (!zones.has(l.zoneId)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'zoneId'], message: `unknown zone ${l.zoneId}` });
    if (!skus.has(l.sku)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'sku'], message: `unknown sku ${l.sku}` });
  });
  const unique = <T>(list: 'zones' | 'screens' | 'catalog', field: string, xs: readonly T[], id: (x: T) => string) => {
    for (const r of repeats(xs, id)) {
      ctx.addIssue({ code: 'custom', path: [list, r.index, field], message: `duplicate ${field} ${r.value} (first at ${list}.${r.first})` });
    }
  };
  unique('zones', 'zoneId', cfg.zones, (z) => z.zoneId);
  unique('screens', 'screenId', cfg.screens, (s) => s.screenId);
  unique('catalog', 'sku', cfg.catalog, (c) => c.sku);
});
export type StoreConfig = z.infer<typeof StoreConfig>;

export const StoreSummary = z.object({ storeId: StoreId, name: z.string(), zones: z.number(), screens: z.number() });
export type StoreSummary = z.infer<typeof StoreSummary>;

/**
 * What a screen token reads of its store (docs/security.md §Who may call what): what the player shows
 * (name, time zone, each item's category for its colour and icon), no prices, zones, screens or labels.
 */
export const StorePlayerInfo = z.object({
  storeId: StoreId, name: z.string(), currency: z.string(), timezone: z.string(),
  catalog: z.array(z.object({ sku: Sku, category: z.string() })),
  /** Zone names, for associates' handhelds and label walls (what shoppers read on the store's signs anyway). */
  zones: z.array(z.object({ zoneId: ZoneId, name: z.string() })).optional(),
  /** Which zone each label hangs in, for label walls. */
  labels: z.array(z.object({ labelId: LabelId, zoneId: ZoneId })).optional(),
});
export type StorePlayerInfo = z.infer<typeof StorePlayerInfo>;

