import type { Tier } from '#contracts';

/** Loyalty and RFM rules applied by the POS reducer. Defaults suit the demo store (GBP wholesaler data). */
export type LoyaltyRules = {
  /** Points per currency unit spent, before the tier multiplier. */
  pointsPerUnit: number;
  tierMultiplier: Record<Tier, number>;
  /** Lifetime points needed for each tier; purchases only ever upgrade. */
  tierThresholds: Record<Exclude<Tier, 'member'>, number>;
  /** Upper bound of recencyDays for r = 5, 4, 3, 2 (above the last: 1). */
  recencyDays: [number, number, number, number];
  /** Lower bound of frequency for f = 5, 4, 3, 2. */
  frequency: [number, number, number, number];
  /** Lower bound of monetary for m = 5, 4, 3, 2. */
  monetary: [number, number, number, number];
  /** Days without a purchase before an active customer is dormant, then churned. */
  dormantDays: number;
  churnedDays: number;
  /** Weight of one basket in the affinity moving average. */
  affinityRate: number;
  /** Platinum members are VIPs (docs/contracts.md §Profile). */
  platinumIsVip: boolean;
};

export const DEFAULT_LOYALTY_RULES: LoyaltyRules = {
  pointsPerUnit: 1,
  tierMultiplier: { member: 1, silver: 1.25, gold: 1.5, platinum: 2 },
  tierThresholds: { silver: 1_000, gold: 3_000, platinum: 10_000 },
  recencyDays: [14, 30, 60, 120],
  frequency: [12, 6, 3, 2],
  monetary: [4_000, 1_500, 700, 300],
  dormantDays: 90,
  churnedDays: 180,
  affinityRate: 0.2,
  platinumIsVip: true,
};
