import type { Profile } from '#contracts';

const MAX_SKUS = 50;

/** Interleaves lists (first of each, then second of each, …) without repeats, up to `cap`. */
function interleave(lists: readonly (readonly string[])[], cap: number): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < cap && lists.some((l) => i < l.length); i++) {
    for (const l of lists) { const s = l[i]; if (s !== undefined && out.size < cap) out.add(s); }
  }
  return [...out];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * One user state for an audience (several consenting shoppers in front of one screen), so the
 * model runs once: mean affinities (absent = 0), mean purchase counts, recent and browsed items
 * interleaved across members (each member contributes equally) and capped, mean RFM. No identity
 * survives: the merged profile has a synthetic id, no name, no tags, no birthday.
 */
export function mergeAudience(profiles: readonly Profile[]): Profile {
  const n = profiles.length;
  const affinities: Record<string, number> = {};
  for (const p of profiles) for (const [c, v] of Object.entries(p.affinities)) affinities[c] = (affinities[c] ?? 0) + v / n;
  const skuCounts: Record<string, number> = {};
  for (const p of profiles) for (const [s, v] of Object.entries(p.skuCounts ?? {})) skuCounts[s] = (skuCounts[s] ?? 0) + v / n;
  const rfms = profiles.flatMap((p) => (p.rfm ? [p.rfm] : []));
  const round = (x: number) => Math.min(5, Math.max(1, Math.round(x)));
  const last = profiles.flatMap((p) => (p.lastPurchaseAt !== undefined ? [p.lastPurchaseAt] : []));
  return {
    customerId: 'audience', tier: 'member', points: 0, lifecycle: 'active', vip: false,
    affinities, skuCounts,
    recentSkus: interleave(profiles.map((p) => p.recentSkus), MAX_SKUS),
    browsedSkus: interleave(profiles.map((p) => p.browsedSkus), MAX_SKUS),
    rfm: rfms.length ? {
      recencyDays: mean(rfms.map((r) => r.recencyDays)), frequency: Math.round(mean(rfms.map((r) => r.frequency))),
      monetary: mean(rfms.map((r) => r.monetary)),
      r: round(mean(rfms.map((r) => r.r))), f: round(mean(rfms.map((r) => r.f))), m: round(mean(rfms.map((r) => r.m))),
    } : undefined,
    lastPurchaseAt: last.length ? Math.round(mean(last)) : undefined,
    tags: [], consent: { personalization: true, displayName: false, associateAlerts: false },
    updatedAt: Math.max(0, ...profiles.map((p) => p.updatedAt)),
  };
}
