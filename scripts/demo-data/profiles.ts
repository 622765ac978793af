import type { Consent, ProfileInput, Tier } from '../../engine/contracts/profile.js';
import type { CatalogItem } from '../../engine/contracts/store-config.js';
import { chance, intBetween, shuffled, type Random } from '../../engine/simulator/random.js';
import { affinitiesFromSpend } from './affinity.js';
import type { CustomerHistory } from './history.js';
import { randomBirthday, randomFirstName, tagsFor } from './persona.js';
import { recencyDays, type RfmRaw } from './rfm.js';
import { lifecycleFor, tierFor, type TierThresholds } from './segments.js';

/** Everything computed once over the whole population that a single profile needs. */
export type ProfileContext = {
  asOf: number;
  score: (raw: RfmRaw) => { r: number; f: number; m: number };
  thresholds: TierThresholds;
  catalog: readonly CatalogItem[];
};

/** The most recent items kept even when they are not in the demo catalog (realism); older ones must be. */
const KEEP_ANY_RECENT = 10;

/** Raw RFM of a history as of a date. */
export const rawRfm = (h: CustomerHistory, asOf: number): RfmRaw =>
  ({ recencyDays: recencyDays(h.lastPurchaseAt, asOf), frequency: h.invoices, monetary: h.monetary });

/** A demo profile from a customer's real history, with an invented name, birthday, tags and the given consent. */
export function buildProfile(h: CustomerHistory, consent: Consent, ctx: ProfileContext, random: Random): ProfileInput {
  const raw = rawRfm(h, ctx.asOf);
  const tier = tierFor(h.monetary, ctx.thresholds);
  const affinities = affinitiesFromSpend(h.spendByCategory);
  const inCatalog = new Set(ctx.catalog.map((c) => c.sku));
  const items = [...h.items];
  const recentSkus = items.sort((a, b) => b[1].lastAt - a[1].lastAt || a[0].localeCompare(b[0]))
    .map(([sku]) => sku).filter((sku, i) => i < KEEP_ANY_RECENT || inCatalog.has(sku)).slice(0, 50);
  const skuCounts = Object.fromEntries(items.sort((a, b) => b[1].invoices - a[1].invoices || b[1].lastAt - a[1].lastAt)
    .slice(0, 50).map(([sku, v]) => [sku, v.invoices]));
  const name = randomFirstName(random);
  const birthday = chance(random, 0.6) ? randomBirthday(random) : undefined;
  return {
    customerId: `c-${h.customerId}`,
    displayName: name,
    tier,
    points: Math.floor(h.monetary),
    lifecycle: lifecycleFor(raw.recencyDays, raw.frequency),
    rfm: { ...raw, ...ctx.score(raw) },
    lastPurchaseAt: h.lastPurchaseAt,
    firstPurchaseAt: h.firstPurchaseAt,
    vip: tier === 'platinum',
    ...(birthday ? { birthday } : {}),
    affinities,
    recentSkus,
    browsedSkus: browsedFor(h, affinities, ctx.catalog, random),
    skuCounts,
    tags: tagsFor(random, { avgBasket: h.monetary / Math.max(1, h.invoices), affinities }),
    consent,
    updatedAt: h.lastPurchaseAt,
  };
}

/** 0–3 in-stock best sellers of the shopper's top categories they never bought ("browsed online"). */
export function browsedFor(h: CustomerHistory, affinities: Readonly<Record<string, number>>, catalog: readonly CatalogItem[], random: Random): string[] {
  const n = intBetween(random, 0, 3);
  const cats = new Set(Object.keys(affinities).slice(0, 3));
  const pool = catalog.filter((c) => c.inStock && cats.has(c.category) && !h.items.has(c.sku)).slice(0, 20);
  return shuffled(random, pool).slice(0, n).map((c) => c.sku);
}

/** A kind of customer the demo must show at least `min` of (a tier, a lifecycle stage...). */
export type Quota = { name: string; min: number; test: (h: CustomerHistory) => boolean };

export type SelectOptions = { count?: number; minFrequency?: number; lowFrequencyShare?: number; quotas?: readonly Quota[] };

/**
 * Picks the demo's customers: mostly ones with enough history (≥ minFrequency invoices), some one- and
 * two-timers, then tops up every quota (each tier, new shoppers...). Sorted by id for stable files.
 */
export function selectCustomers(histories: readonly CustomerHistory[], random: Random, opts: SelectOptions = {}): CustomerHistory[] {
  const { count = 450, minFrequency = 3, lowFrequencyShare = 0.12, quotas = [] } = opts;
  const regulars = shuffled(random, histories.filter((h) => h.invoices >= minFrequency));
  const others = shuffled(random, histories.filter((h) => h.invoices < minFrequency));
  const nLow = Math.min(others.length, Math.round(count * lowFrequencyShare));
  const chosen = new Set([...regulars.slice(0, count - nLow), ...others.slice(0, nLow)]);
  for (const q of quotas) {
    const have = [...chosen].filter(q.test).length;
    const extra = [...regulars, ...others].filter((h) => q.test(h) && !chosen.has(h)).slice(0, Math.max(0, q.min - have));
    for (const h of extra) chosen.add(h);
  }
  return [...chosen].sort((a, b) => a.customerId.localeCompare(b.customerId));
}
