import { NO_CONSENT, TIERS, type Profile, type PosEvent, type Rfm, type Tier } from '#contracts';
import type { LoyaltyRules } from './rules.js';

const DAY = 86_400_000;
const MAX_RECENT = 50;

const scoreBelow = (v: number, bounds: readonly number[]) => { const i = bounds.findIndex((b) => v <= b); return i === -1 ? 1 : 5 - i; };
const scoreAbove = (v: number, bounds: readonly number[]) => { const i = bounds.findIndex((b) => v >= b); return i === -1 ? 1 : 5 - i; };

/** RFM with its 1–5 scores from the configured cut points. */
export function scoreRfm(recencyDays: number, frequency: number, monetary: number, rules: LoyaltyRules): Rfm {
  return { recencyDays, frequency, monetary: Math.round(monetary * 100) / 100,
    r: scoreBelow(recencyDays, rules.recencyDays), f: scoreAbove(frequency, rules.frequency), m: scoreAbove(monetary, rules.monetary) };
}

/** The highest tier the points reach, never below the current one. */
export function tierFor(points: number, current: Tier, rules: LoyaltyRules): Tier {
  let t: Tier = current;
  for (const cand of ['silver', 'gold', 'platinum'] as const) {
    if (points >= rules.tierThresholds[cand] && TIERS.indexOf(cand) > TIERS.indexOf(t)) t = cand;
  }
  return t;
}

/** A profile for a customer first seen at the till: no consent until they give it. */
export function emptyProfile(customerId: string, now: number): Profile {
  return { customerId, tier: 'member', points: 0, lifecycle: 'prospect', vip: false, affinities: {}, recentSkus: [],
    browsedSkus: [], tags: [], consent: { ...NO_CONSENT }, updatedAt: now };
}

/**
 * Applies a completed transaction to a profile: RFM, points with the earn rules, tier upgrade,
 * lifecycle, recent items, per-SKU counts and category affinities. Pure.
 */
export function applyPurchase(p: Profile, pos: PosEvent, categoryOf: (sku: string) => string | undefined, rules: LoyaltyRules, now: number): Profile {
  const frequency = (p.rfm?.frequency ?? 0) + 1;
  const monetary = (p.rfm?.monetary ?? 0) + pos.total;
  const points = p.points + Math.floor(pos.total * rules.pointsPerUnit * rules.tierMultiplier[p.tier]);
  const tier = tierFor(points, p.tier, rules);
  const skus = [...new Set(pos.lines.map((l) => l.sku))];
  const bought = new Set(skus);
  const skuCounts = { ...(p.skuCounts ?? {}) };
  for (const s of skus) skuCounts[s] = (skuCounts[s] ?? 0) + 1;
  return {
    ...p,
    points, tier,
    vip: p.vip || (rules.platinumIsVip && tier === 'platinum'),
    lifecycle: frequency === 1 ? 'new' : 'active',
    rfm: scoreRfm(0, frequency, monetary, rules),
    lastPurchaseAt: Math.max(p.lastPurchaseAt ?? 0, pos.ts),
    firstPurchaseAt: p.firstPurchaseAt ?? pos.ts,
    recentSkus: [...skus, ...p.recentSkus.filter((s) => !bought.has(s))].slice(0, MAX_RECENT),
    browsedSkus: p.browsedSkus.filter((s) => !bought.has(s)),
    skuCounts: trimCounts(skuCounts),
    affinities: blendAffinities(p.affinities, pos, categoryOf, rules.affinityRate),
    updatedAt: now,
  };
}

/** Records a shelf-label tap (or an online view) as browsed-not-bought, newest first. */
export function applyBrowse(p: Profile, sku: string, now: number): Profile {
  if (p.browsedSkus[0] === sku) return p;
  return { ...p, browsedSkus: [sku, ...p.browsedSkus.filter((s) => s !== sku)].slice(0, MAX_RECENT), updatedAt: now };
}

/** Recency and lifecycle as of `now` (profiles age between purchases). */
export function refreshRecency(p: Profile, now: number, rules: LoyaltyRules): Profile {
  if (!p.rfm || p.lastPurchaseAt === undefined) return p;
  const recencyDays = Math.max(0, Math.floor((now - p.lastPurchaseAt) / DAY));
  if (recencyDays === p.rfm.recencyDays) return p;
  let lifecycle = p.lifecycle;
  if (recencyDays > rules.churnedDays) lifecycle = 'churned';
  else if (recencyDays > rules.dormantDays) lifecycle = 'dormant';
  else if (lifecycle === 'dormant' || lifecycle === 'churned') lifecycle = 'active';
  return { ...p, lifecycle, rfm: scoreRfm(recencyDays, p.rfm.frequency, p.rfm.monetary, rules) };
}

function blendAffinities(prev: Record<string, number>, pos: PosEvent, categoryOf: (sku: string) => string | undefined, rate: number) {
  const spend = new Map<string, number>();
  let total = 0;
  for (const l of pos.lines) {
    const c = categoryOf(l.sku);
    if (!c) continue;
    const v = l.qty * l.unitPrice || l.qty;
    spend.set(c, (spend.get(c) ?? 0) + v);
    total += v;
  }
  if (total === 0) return prev;
  const out: Record<string, number> = {};
  for (const [c, v] of Object.entries(prev)) out[c] = v * (1 - rate);
  for (const [c, v] of spend) out[c] = Math.min(1, (out[c] ?? 0) + (rate * v) / total);
  for (const [c, v] of Object.entries(out)) { if (v < 0.01) delete out[c]; else out[c] = Math.round(v * 1000) / 1000; }
  return out;
}

/** Keeps the 200 most-bought SKUs so a profile stays small. */
function trimCounts(counts: Record<string, number>): Record<string, number> {
  const entries = Object.entries(counts);
  if (entries.length <= 200) return counts;
  return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, 200));
}
