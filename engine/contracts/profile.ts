import { z } from 'zod';
import { CustomerId, EpochMs, Sku } from './ids.js';

export const TIERS = ['member', 'silver', 'gold', 'platinum'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

export const Lifecycle = z.enum(['prospect', 'new', 'active', 'dormant', 'churned']);
export type Lifecycle = z.infer<typeof Lifecycle>;

const Score = z.number().int().min(1).max(5);

export const Rfm = z.object({
  recencyDays: z.number().nonnegative(),
  frequency: z.number().int().nonnegative(),
  monetary: z.number().nonnegative(),
  r: Score, f: Score, m: Score,
});
export type Rfm = z.infer<typeof Rfm>;

export const Consent = z.object({
  personalization: z.boolean(),
  displayName: z.boolean(),
  associateAlerts: z.boolean(),
});
export type Consent = z.infer<typeof Consent>;

/** Consent defaults to "no" for anything not stated: privacy by construction. */
export const NO_CONSENT: Consent = Object.freeze({ personalization: false, displayName: false, associateAlerts: false });

/** docs/contracts.md §Profile. */
export const Profile = z.object({
  customerId: CustomerId,
  /** First name only; shown publicly only with consent.displayName. */
  displayName: z.string().max(40).optional(),
  tier: Tier.default('member'),
  points: z.number().int().nonnegative().default(0),
  lifecycle: Lifecycle.default('prospect'),
  rfm: Rfm.optional(),
  /** Epoch ms of the last purchase: lets recency be recomputed at any time. */
  lastPurchaseAt: EpochMs.optional(),
  /** Epoch ms of the first purchase. */
  firstPurchaseAt: EpochMs.optional(),
  vip: z.boolean().default(false),
  birthday: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD').optional(),
  lifeStage: z.string().max(40).optional(),
  affinities: z.record(z.string(), z.number().min(0).max(1)).default({}),
  /** Newest first, at most 50. */
  recentSkus: z.array(Sku).max(50).default([]),
  /** Viewed online or tapped in store, not bought; newest first. */
  browsedSkus: z.array(Sku).max(50).default([]),
  /** Purchase counts per SKU over the profile's history (optional; feeds the ranker's user×item features). */
  skuCounts: z.record(z.string(), z.number().nonnegative()).optional(),
  tags: z.array(z.string().max(80)).max(20).default([]),
  consent: Consent.default(NO_CONSENT),
  updatedAt: EpochMs.default(0),
});
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;
