import type { AlertVip, CatalogItem, Profile, StoreConfig, Visit } from '#contracts';
import type { Translator } from '../i18n/index.js';
import { daysUntil, type LocalTime } from '../rules/local-time.js';
import type { RankedItem } from '../scoring/types.js';

/** What an alert says about a member, before the hub numbers it. */
export type AlertBody = Omit<AlertVip, 'seq'>;

export type AlertFacts = {
  alertId: string;
  store: Pick<StoreConfig, 'storeId' | 'locale' | 'currency'> & { associates: { birthdayWithinDays: number } };
  catalog: ReadonlyMap<string, CatalogItem>;
  categoryOf(sku: string): string | undefined;
  profile: Profile;
  visit: Pick<Visit, 'zoneId' | 'eslSkus'>;
  zoneId: string;
  reason: 'arrived' | 'lingering';
  /** The member's ranking (best first): the first items not already bought recently become suggestions. */
  ranked: readonly RankedItem[];
  visitsThisYear?: number;
  local: LocalTime;
  now: number;
  createdAt: number;
  claimedBy?: AlertVip['claimedBy'];
  t: Translator;
};

const DAY = 86_400_000;
const LIST = 5;

/**
 * The alert an associate reads (pure; docs/associates.md §What an alert says): who (a first name only with
 * consent.displayName), tier, points, lifecycle, tags, recent purchases, what they looked at and did not buy
 * (today's shelf-label taps first, then browsing from the profile), 2–3 suggestions with a reason in the
 * store's language, and short talking points built from those facts. Never a raw score, and no customer id:
 * associates' handhelds get none (the clienteling copy on MQTT adds it).
 */
export function buildAlert(f: AlertFacts): AlertBody {
  const { profile: p, t, catalog } = f;
  const named = (sku: string) => { const c = catalog.get(sku); return c ? { sku, name: c.name } : undefined; };
  const bought = new Set(p.recentSkus);
  const lastPurchases = p.recentSkus.map(named).filter((x) => x !== undefined).slice(0, LIST);
  const tapped = f.visit.eslSkus.filter((s) => !bought.has(s));
  const browsedSkus = [...new Set([...tapped, ...p.browsedSkus.filter((s) => !bought.has(s))])];
  const browsed = browsedSkus.map(named).filter((x) => x !== undefined).slice(0, LIST);

  const topCategory = Object.entries(p.affinities).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const browsedSet = new Set(browsedSkus);
  const why = (item: CatalogItem): string => {
    if (browsedSet.has(item.sku)) return t.t('why.browsed');
    if ((p.skuCounts?.[item.sku] ?? 0) > 0 || bought.has(item.sku)) return t.t('why.boughtBefore');
    const cat = f.categoryOf(item.sku) ?? item.category;
    if ((p.affinities[cat] ?? 0) >= 0.3) return t.t('why.likes', { category: t.category(cat) });
    return t.t('why.popular');
  };
  // Browsed-not-bought first (the associate can show it).
  const picks: CatalogItem[] = [];
  for (const sku of browsedSkus) { const c = catalog.get(sku); if (c?.inStock && picks.length < 1) picks.push(c); }
  // Then the ranking's best items not bought lately; short of two, its best items at all (a repeat is worth a word too).
  for (const fresh of [true, false]) {
    for (const r of f.ranked) {
      if (picks.length >= 3 || (!fresh && picks.length >= 2)) break;
      if (!r.item.inStock || (fresh && bought.has(r.item.sku)) || picks.some((x) => x.sku === r.item.sku)) continue;
      picks.push(r.item);
    }
  }
  const suggestions = picks.map((item) => ({ sku: item.sku, name: item.name, why: why(item) }));

  const talkingPoints: string[] = [];
  if (p.birthday) {
    const days = daysUntil(f.local, p.birthday);
    if (days === 0) talkingPoints.push(t.t('talk.birthdayToday'));
    else if (days <= f.store.associates.birthdayWithinDays) talkingPoints.push(t.t('talk.birthdaySoon', { days }));
  }
  const firstTapped = tapped.map(named).find((x) => x !== undefined);
  if (firstTapped) talkingPoints.push(t.t('talk.tappedToday', { product: firstTapped.name }));
  else if (browsed[0]) talkingPoints.push(t.t('talk.browsed', { product: browsed[0].name }));
  if (p.lastPurchaseAt !== undefined && f.now - p.lastPurchaseAt >= 60 * DAY) talkingPoints.push(t.t('talk.backAfter', { days: Math.floor((f.now - p.lastPurchaseAt) / DAY) }));
  else if (lastPurchases[0]) talkingPoints.push(t.t('talk.lastBought', { product: lastPurchases[0].name }));
  if (topCategory) talkingPoints.push(t.t('talk.loves', { category: t.category(topCategory) }));
  if (p.points >= 500) talkingPoints.push(t.t('talk.points', { points: p.points }));

  const birthdayInDays = p.birthday ? daysUntil(f.local, p.birthday) : undefined;
  return {
    type: 'alert.vip', alertId: f.alertId, storeId: f.store.storeId, zoneId: f.zoneId, reason: f.reason,
    customer: {
      ...(p.consent.displayName && p.displayName ? { displayName: p.displayName } : {}),
      tier: p.tier, points: p.points, lifecycle: p.lifecycle, tags: p.tags.slice(0, 10), lastPurchases, browsed,
      ...(f.visitsThisYear !== undefined ? { visitsThisYear: f.visitsThisYear } : {}),
      ...(birthdayInDays !== undefined && birthdayInDays <= f.store.associates.birthdayWithinDays ? { birthdayInDays } : {}),
    },
    suggestions, talkingPoints: talkingPoints.slice(0, 4),
    ...(f.claimedBy ? { claimedBy: f.claimedBy } : {}),
    locale: f.store.locale, currency: f.store.currency, createdAt: f.createdAt, updatedAt: f.now,
  };
}
