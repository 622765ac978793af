import type { CatalogItem, Profile, Rule, Targeting, Trigger, Visit } from '#contracts';
import type { StoreCatalog } from '../scoring/types.js';
import { daysUntil, inWindow, type LocalTime } from './local-time.js';

export type ScreenMode = 'shopper' | 'audience' | 'idle';

/** Everything a rule may look at for one screen at one instant. */
export type RuleContext = {
  storeId: string;
  zoneId: string;
  screenId: string;
  mode: ScreenMode;
  /** The consenting shopper whose turn it is (shopper mode only). */
  profile?: Profile;
  /** Their visit (shopper mode only). */
  visit?: Visit;
  now: number;
  local: LocalTime;
  catalog: StoreCatalog;
};

/** What a trigger found, for the actions and the shopper-facing words. */
export type TriggerHit = {
  type: Trigger['type'];
  /** Items the trigger brings forward (new arrivals, items for the life stage). */
  items: readonly CatalogItem[];
  /** The tapped item (eslTap). */
  tapped?: CatalogItem;
  stage?: string;
  daysUntil?: number;
  category?: string;
};

export type MatchResult =
  | { matched: true; hit?: TriggerHit }
  | { matched: false; why: string; /** When the rule could start matching by itself (dwell), epoch ms. */ wakeAt?: number };

const no = (why: string, wakeAt?: number): MatchResult => ({ matched: false, why, ...(wakeAt !== undefined ? { wakeAt } : {}) });
const list = (xs: readonly (string | number)[]) => xs.join(', ');

/** True when the rule needs a shopper: any condition on who they are, or any trigger. */
export function isShopperRule(r: Pick<Rule, 'target' | 'trigger'>): boolean {
  const t = r.target;
  return !!(r.trigger || t.tiers || t.lifecycle || t.rfm || t.affinities || t.lifeStages || t.consent);
}

/** Where and when: conditions that need no shopper. */
function placeAndTime(t: Targeting, c: RuleContext): string | undefined {
  if (t.stores && !t.stores.includes(c.storeId)) return `store ${c.storeId} not in [${list(t.stores)}]`;
  if (t.zones && !t.zones.includes(c.zoneId)) return `zone ${c.zoneId} not in [${list(t.zones)}]`;
  if (t.screens && !t.screens.includes(c.screenId)) return `screen ${c.screenId} not in [${list(t.screens)}]`;
  if (t.modes && !t.modes.includes(c.mode)) return `screen shows ${c.mode} content, rule is for [${list(t.modes)}]`;
  if (t.dates?.from && c.local.date < t.dates.from) return `starts ${t.dates.from} (store date ${c.local.date})`;
  if (t.dates?.to && c.local.date > t.dates.to) return `ended ${t.dates.to} (store date ${c.local.date})`;
  if (t.daysOfWeek && !t.daysOfWeek.includes(c.local.dow)) return `day ${c.local.dow} not in [${list(t.daysOfWeek)}] (1 = Monday)`;
  if (t.hours && !inWindow(c.local.minutes, t.hours.from, t.hours.to)) {
    const hh = String(Math.floor(c.local.minutes / 60)).padStart(2, '0');
    const mm = String(c.local.minutes % 60).padStart(2, '0');
    return `store time ${hh}:${mm} outside ${t.hours.from}–${t.hours.to}`;
  }
  return undefined;
}

/** Who: conditions on the shopper's profile. */
function who(t: Targeting, p: Profile): string | undefined {
  if (t.tiers && !t.tiers.includes(p.tier)) return `tier ${p.tier} not in [${list(t.tiers)}]`;
  if (t.lifecycle && !t.lifecycle.includes(p.lifecycle)) return `lifecycle ${p.lifecycle} not in [${list(t.lifecycle)}]`;
  if (t.rfm) {
    if (!p.rfm) return 'no RFM scores yet';
    for (const k of ['r', 'f', 'm'] as const) {
      const range = t.rfm[k];
      if (range && (p.rfm[k] < range.min || p.rfm[k] > range.max)) return `${k.toUpperCase()} score ${p.rfm[k]} outside ${range.min}–${range.max}`;
    }
  }
  if (t.affinities) {
    for (const [cat, min] of Object.entries(t.affinities)) {
      const a = p.affinities[cat] ?? 0;
      if (a < min) return `affinity ${cat} ${a.toFixed(2)} below ${min}`;
    }
  }
  if (t.lifeStages && !(p.lifeStage && t.lifeStages.includes(p.lifeStage))) return `life stage ${p.lifeStage ?? 'unknown'} not in [${list(t.lifeStages)}]`;
  for (const k of t.consent ?? []) if (!p.consent[k]) return `no consent to ${k}`;
  return undefined;
}

/**
 * Does a rule apply to this screen now (pure)? Order of checks: enabled, place and time, then —
 * for rules about the shopper — a consenting shopper in a personal turn, who they are, the trigger.
 * The first failing check is the reason given. Frequency caps are checked by the caller.
 */
export function matchRule(rule: Rule, c: RuleContext): MatchResult {
  if (!rule.enabled) return no('disabled');
  const place = placeAndTime(rule.target, c);
  if (place) return no(place);
  if (!isShopperRule(rule)) return { matched: true };
  if (c.mode !== 'shopper' || !c.profile) return no(`needs one consenting shopper in a personal turn; the screen shows ${c.mode} content`);
  if (!c.profile.consent.personalization) return no('shopper has not consented to personalization');
  const person = who(rule.target, c.profile);
  if (person) return no(person);
  if (!rule.trigger) return { matched: true };
  return matchTrigger(rule.trigger, c.profile, c);
}

function matchTrigger(t: Trigger, p: Profile, c: RuleContext): MatchResult {
  switch (t.type) {
    case 'birthday': {
      if (!p.birthday) return no('no birthday on the profile');
      const days = daysUntilOnce(c.local, p.birthday);
      return days <= t.withinDays ? { matched: true, hit: { type: t.type, items: [], daysUntil: days } } : no(`birthday in ${days} days (within ${t.withinDays} needed)`);
    }
    case 'dwell': {
      const v = c.visit;
      if (!v || v.zoneId !== c.zoneId) return no('not in this zone');
      if (p.lastPurchaseAt !== undefined && p.lastPurchaseAt >= v.enteredAt) return no('bought something this visit');
      const dwell = (v.dwellMs[c.zoneId] ?? 0) + Math.max(0, c.now - v.zoneEnteredAt);
      const need = t.seconds * 1000;
      return dwell >= need ? { matched: true, hit: { type: t.type, items: [] } }
        : no(`in the zone ${Math.floor(dwell / 1000)} s of ${t.seconds} s`, c.now + (need - dwell));
    }
    case 'winback':
      return t.lifecycle.includes(p.lifecycle as 'dormant') ? { matched: true, hit: { type: t.type, items: [] } }
        : no(`lifecycle ${p.lifecycle}, not ${list(t.lifecycle)}`);
    case 'newArrivals': return newArrivals(t, p, c);
    case 'eslTap': {
      const taps = c.visit?.eslSkus ?? [];
      if (!taps.length) return no('no shelf label tapped this visit');
      const skus = t.skus && new Set(t.skus);
      const cats = t.categories && new Set(t.categories);
      const sku = taps.find((s) => {
        const cat = c.catalog.bySku.get(s)?.category;
        if (cat === undefined) return false; // a label of an item this store's catalog does not know
        if (!skus && !cats) return true;
        return (skus?.has(s) ?? false) || (cats && cat !== undefined ? cats.has(cat) : false);
      });
      if (!sku) return no(`tapped ${list(taps.slice(0, 5))}, none of the rule's`);
      return { matched: true, hit: { type: t.type, items: [], tapped: c.catalog.bySku.get(sku) } };
    }
    case 'lifeStage': {
      const stage = p.lifeStage;
      if (!stage) return no('no life stage on the profile');
      if (t.stages && !t.stages.includes(stage)) return no(`life stage ${stage} not in [${list(t.stages)}]`);
      const items = forStage(c.catalog, stage).slice(0, 24);
      return { matched: true, hit: { type: t.type, items, stage } };
    }
  }
}

/**
 * New arrivals in the shopper's favourite categories. Many rules may ask the same question of the same
 * shopper in one decision (one per screen, several rules): the answer is kept per profile for that instant
 * and catalog (a hit is never mutated by its users).
 */
type ArrivalsMemo = { now: number; catalog: StoreCatalog; byTrigger: Map<string, MatchResult> };
const arrivalsMemo = new WeakMap<Profile, ArrivalsMemo>();
function newArrivals(t: Extract<Trigger, { type: 'newArrivals' }>, p: Profile, c: RuleContext): MatchResult {
  let memo = arrivalsMemo.get(p);
  if (!memo || memo.now !== c.now || memo.catalog !== c.catalog) arrivalsMemo.set(p, (memo = { now: c.now, catalog: c.catalog, byTrigger: new Map() }));
  const k = `${t.top}|${t.days}`;
  const known = memo.byTrigger.get(k);
  if (known) return known;
  const top = Object.entries(p.affinities).filter(([, a]) => a > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, t.top).map(([k]) => k);
  let out: MatchResult;
  if (!top.length) out = no('no favourite categories yet');
  else {
    const since = c.now - t.days * 86_400_000;
    const cats = new Set(top);
    const items = arrivals(c.catalog).filter((a) => a.at >= since && a.at <= c.now && cats.has(a.item.category)).map((a) => a.item).slice(0, 24);
    out = items.length ? { matched: true, hit: { type: t.type, items, category: items[0]!.category } }
      : no(`nothing arrived in the last ${t.days} days in ${list(top)}`);
  }
  memo.byTrigger.set(k, out);
  return out;
}

/** Days to a birthday, once per store-local day object (one decision) and date. */
const daysMemo = new WeakMap<LocalTime, Map<string, number>>();
function daysUntilOnce(local: LocalTime, monthDay: string): number {
  let m = daysMemo.get(local);
  if (!m) daysMemo.set(local, (m = new Map()));
  let d = m.get(monthDay);
  if (d === undefined) m.set(monthDay, (d = daysUntil(local, monthDay)));
  return d;
}

type Arrival = { item: CatalogItem; at: number };
const arrivalCache = new WeakMap<StoreCatalog, Arrival[]>();
const stageCache = new WeakMap<StoreCatalog, Map<string, CatalogItem[]>>();

/** In-stock items with an arrival date, newest first (once per catalog). */
function arrivals(catalog: StoreCatalog): Arrival[] {
  let a = arrivalCache.get(catalog);
  if (!a) {
    a = [];
    for (const item of catalog.inStock) {
      if (item.arrivedAt === undefined) continue;
      const at = typeof item.arrivedAt === 'number' ? item.arrivedAt : Date.parse(item.arrivedAt);
      if (Number.isFinite(at)) a.push({ item, at });
    }
    a.sort((x, y) => y.at - x.at);
    arrivalCache.set(catalog, a);
  }
  return a;
}

/** In-stock items staged for a life stage (once per catalog). */
function forStage(catalog: StoreCatalog, stage: string): readonly CatalogItem[] {
  let m = stageCache.get(catalog);
  if (!m) {
    m = new Map();
    for (const item of catalog.inStock) for (const s of item.lifeStages ?? []) m.set(s, [...(m.get(s) ?? []), item]);
    stageCache.set(catalog, m);
  }
  return m.get(stage) ?? [];
}
