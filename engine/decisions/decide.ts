import type { DecisionReason, Profile, Screen, ScreenContent, StoreConfig, Zone } from '#contracts';
import type { RankContext, RankRequest, RankedItem, StoreCatalog } from '../scoring/types.js';
import { canPersonalize, canShowName, consenting, monthDay, type ZoneShopper } from './consent.js';

export type DecisionPlan = {
  reason: DecisionReason;
  /** Set in shopper mode only. */
  profile?: Profile;
  audience: Profile[];
  greeting?: string;
  headline: string;
  template: 'hero' | 'grid';
  ttlMs: number;
  /** Items the screen shows; the ranker may be asked for more (shopper mode) so the zone quota can apply. */
  slots: number;
  request: RankRequest;
};

export type PlanInput = {
  store: Pick<StoreConfig, 'storeId' | 'timezone'>;
  zone: Zone; screen: Screen; catalog: StoreCatalog;
  /** The catalog limited to the zone's categories; idle and audience content comes from it. */
  zoneCatalog?: StoreCatalog;
  shoppers: readonly ZoneShopper[]; now: number;
};

export const TTL_MS = { shopper: 30_000, audience: 30_000, idle: 120_000 } as const;

/**
 * Chooses the mode for one screen (pure): nobody → idle; exactly one identified shopper who consents
 * to personalization → shopper; anyone else → audience, built only from consenting shoppers' shared
 * interests and never with a name. Consent gates everything personal.
 */
export function planDecision({ store, zone, screen, catalog, zoneCatalog, shoppers, now }: PlanInput): DecisionPlan {
  const ctxBase: RankContext = { storeId: store.storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now };
  const only = shoppers.length === 1 ? shoppers[0] : undefined;
  const slots = screen.slots;
  // Public content points to what is on the shelves around the screen, when the zone has enough of it.
  const nearby = zoneCatalog && zoneCatalog.inStock.length >= slots ? zoneCatalog : catalog;
  if (shoppers.length === 0) {
    return { reason: 'idle', audience: [], headline: `The best of ${zone.name}`, template: screen.template ?? 'grid',
      ttlMs: TTL_MS.idle, slots, request: { catalog: nearby, context: ctxBase, limit: slots } };
  }
  if (only && canPersonalize(only.profile)) {
    const p = only.profile;
    const v = only.visit;
    return {
      reason: 'shopper', profile: p, audience: [p],
      greeting: canShowName(p) ? greetingFor(p, now, store.timezone) : undefined,
      headline: 'Picked for you', template: 'hero', ttlMs: TTL_MS.shopper, slots,
      request: { profile: p, catalog, limit: slots * 3,
        context: { ...ctxBase, dwellMs: Math.max(0, now - v.zoneEnteredAt) + (v.dwellMs[zone.zoneId] ?? 0), eslSkus: v.eslSkus } },
    };
  }
  const audience = consenting(shoppers);
  return { reason: 'audience', audience, headline: audience.length ? 'Popular with shoppers like you' : `Popular in ${zone.name}`,
    template: screen.template === 'hero' && shoppers.length > 1 ? 'grid' : (screen.template ?? 'grid'), ttlMs: TTL_MS.audience, slots,
    request: { audience, catalog: nearby, context: ctxBase, limit: slots } };
}

/**
 * The items a screen shows, from a ranked list (any ranker): at most half of the slots per category and a
 * third per product family ("Lunch Bag …") while others are available, so a screen is not four of one
 * thing; then the zone quota below.
 */
export function selectForScreen<T extends { item: { category: string; name?: string } }>(ranked: readonly T[], zoneCategories: readonly string[], slots: number): T[] {
  const catCap = Math.max(1, Math.ceil(slots / 2));
  const familyCap = Math.max(1, Math.floor(slots / 3));
  const perCat = new Map<string, number>();
  const perFamily = new Map<string, number>();
  // Three tiers, each in rank order: within both caps; within the family cap only; the rest.
  const tiers: [T[], T[], T[]] = [[], [], []];
  for (const r of ranked) {
    const fam = familyOf(r.item.name);
    const n = perCat.get(r.item.category) ?? 0;
    const f = fam ? perFamily.get(fam) ?? 0 : 0;
    const tier = f >= familyCap ? 2 : n >= catCap ? 1 : 0;
    tiers[tier].push(r);
    if (tier === 0) perCat.set(r.item.category, n + 1);
    if (tier < 2 && fam) perFamily.set(fam, f + 1);
  }
  return applyZoneQuota(tiers.flat(), zoneCategories, slots);
}

/** A product family: the first two words of the name ("lunch bag", "jumbo bag"); undefined for short names. */
const familyOf = (name: string | undefined): string | undefined => {
  const words = name?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  return words.length >= 3 ? words.slice(0, 2).join(' ') : undefined;
};

/**
 * The screen's items from a ranked list: best first, but at least half of the slots go to the zone's own
 * categories when the list has them, so a personal pick never crowds out what is on the shelf next to the screen.
 */
export function applyZoneQuota<T extends { item: { category: string } }>(ranked: readonly T[], zoneCategories: readonly string[], slots: number): T[] {
  if (!zoneCategories.length) return ranked.slice(0, slots);
  const zone = new Set(zoneCategories);
  const need = Math.min(Math.ceil(slots / 2), ranked.filter((r) => zone.has(r.item.category)).length);
  const out: T[] = [];
  let inZone = 0;
  for (const r of ranked) {
    if (out.length >= slots) break;
    const isZone = zone.has(r.item.category);
    if (!isZone && slots - out.length <= need - inZone) continue; // the remaining slots are reserved for the zone
    out.push(r);
    if (isZone) inZone++;
  }
  return out;
}

/** A greeting with the first name; only called when canShowName holds. */
export function greetingFor(p: Profile, now: number, timeZone: string): string {
  const name = p.displayName!.trim();
  if (p.birthday && p.birthday === monthDay(now, timeZone)) return `Happy birthday, ${name}!`;
  if (p.lifecycle === 'new' || p.lifecycle === 'prospect') return `Welcome, ${name}`;
  return `Welcome back, ${name}`;
}

/**
 * The screen frame for a plan and its ranked items (seq is assigned by the hub). Only shopper-facing
 * words reach it (docs/contracts.md §WebSocket protocol): the ranker's internal reasons, scores and
 * purchase counts stay in the decision message.
 */
export function buildFrame(plan: DecisionPlan, items: readonly RankedItem[], ids: { screenId: string; storeId: string; zoneId: string;
  decisionId: string; currency: string; locale?: string; now: number; eventTs?: number }): Omit<ScreenContent, 'seq'> {
  return {
    type: 'screen.content', screenId: ids.screenId, storeId: ids.storeId, zoneId: ids.zoneId, decisionId: ids.decisionId,
    reason: plan.reason, template: plan.template, greeting: plan.greeting, headline: plan.headline, ttlMs: plan.ttlMs,
    currency: ids.currency, locale: ids.locale, createdAt: ids.now, eventTs: ids.eventTs,
    items: items.map((r) => {
      const i = r.item;
      const note = noteFor(r, plan);
      return { sku: i.sku, name: i.name, price: i.price,
        ...(i.memberPrice !== undefined ? { memberPrice: i.memberPrice } : {}), ...(i.image ? { image: i.image } : {}),
        ...withBadge(badgeFor(r, plan.reason)), ...(note ? { note } : {}) };
    }),
  };
}

const withBadge = (badge: string | undefined) => (badge ? { badge } : {});

/**
 * A badge anyone in front of the screen may read: never what the shopper bought or browsed before
 * (a bystander could read it too), only that it is picked for them, a member price, an offer.
 */
function badgeFor(r: RankedItem, reason: DecisionReason): string | undefined {
  if (reason === 'shopper') return r.item.memberPrice !== undefined ? 'Member price' : 'For you';
  if (r.item.promo) return 'Offer';
  if (r.item.memberPrice !== undefined) return 'Member price';
  if (r.why.some((w) => w.includes('best seller'))) return 'Best seller';
  return undefined;
}

/** A shopper-facing line: a stated interest, never a score or a purchase history. */
function noteFor(r: RankedItem, plan: DecisionPlan): string | undefined {
  const cat = r.item.category;
  if (plan.reason === 'shopper' && (plan.profile?.affinities[cat] ?? 0) >= 0.3) return `Because you like ${cat}`.slice(0, 60);
  if (plan.reason === 'audience' && plan.audience.filter((p) => (p.affinities[cat] ?? 0) >= 0.3).length >= 2) return `Popular with shoppers here`;
  return undefined;
}

export { canPersonalize };
