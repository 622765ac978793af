import type { Lifecycle, Tier } from '../../engine/contracts/profile.js';

/** Spend cut-offs between tiers (inclusive lower bounds), from population quantiles. */
export type TierThresholds = { silver: number; gold: number; platinum: number };

/** Share of customers below each tier: silver from the median, gold from p80, platinum the top 4%. */
export const TIER_QUANTILES = { silver: 0.5, gold: 0.8, platinum: 0.96 } as const;

/** The q-quantile of a population (nearest rank on the sorted values). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty population');
  const sorted = values.slice().sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Tier cut-offs over every customer's spend. */
export function tierThresholds(monetary: readonly number[], qs: TierThresholds = TIER_QUANTILES): TierThresholds {
  return { silver: quantile(monetary, qs.silver), gold: quantile(monetary, qs.gold), platinum: quantile(monetary, qs.platinum) };
}

/** The tier a customer's spend earns: strictly above a cut-off reaches that tier. */
export function tierFor(monetary: number, t: TierThresholds): Tier {
  if (monetary > t.platinum) return 'platinum';
  if (monetary > t.gold) return 'gold';
  if (monetary > t.silver) return 'silver';
  return 'member';
}

/** Lifecycle rules of the demo data (days since the last purchase, invoices so far). */
export type LifecycleRules = { newWithinDays: number; dormantAfterDays: number; churnedAfterDays: number };

export const LIFECYCLE_RULES: LifecycleRules = { newWithinDays: 30, dormantAfterDays: 90, churnedAfterDays: 180 };

/** new: one purchase, recently; churned after 180 days; dormant after 90; otherwise active. */
export function lifecycleFor(recencyDays: number, frequency: number, rules: LifecycleRules = LIFECYCLE_RULES): Lifecycle {
  if (frequency <= 0) return 'prospect';
  if (recencyDays > rules.churnedAfterDays) return 'churned';
  if (recencyDays > rules.dormantAfterDays) return 'dormant';
  if (frequency === 1 && recencyDays <= rules.newWithinDays) return 'new';
  return 'active';
}
