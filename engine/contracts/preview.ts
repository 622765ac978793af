import { z } from 'zod';
import { CustomerId, EpochMs, Id, ScreenId, Sku, StoreId, ZoneId } from './ids.js';
import { Profile } from './profile.js';
import { RuleInput, SCREEN_MODES } from './rule.js';
import { ScreenContent } from './ws.js';

/**
 * `POST /api/v1/rules/preview` (docs/rules.md §Preview): what a screen (or each screen of a zone)
 * would show for one shopper at a time, computed by the live decision code with the live rules,
 * caps and model, plus any draft rules, and with every internal reason.
 */
export const PreviewRequest = z.object({
  storeId: StoreId,
  screenId: ScreenId.optional(),
  zoneId: ZoneId.optional(),
  /** A member by id (their stored profile, and their live visit when they are in the store) … */
  customerId: CustomerId.optional(),
  /** … or a hand-made profile; neither: the screen as it would be with nobody in front of it. */
  profile: Profile.optional(),
  /** Decision time: epoch ms (up to the last instant a Date can hold) or an ISO 8601 instant; default now. */
  at: z.union([EpochMs.max(8_640_000_000_000_000, 'at most 8640000000000000 (+275760-09-13)'), z.iso.datetime({ offset: true })]).optional(),
  /** The shopper's visit so far, for dwell and shelf-label triggers; default their live visit, or just arrived. */
  visit: z.object({
    dwellSeconds: z.number().min(0).max(86_400).optional(),
    tappedSkus: z.array(Sku).max(20).optional(),
    /** Seconds since the visit began (a purchase after that counts as "this visit"). */
    visitSeconds: z.number().min(0).max(86_400).optional(),
  }).strict().optional(),
  /** Unpublished rules to try: applied as enabled, replacing live rules with the same id. */
  draft: z.array(RuleInput).max(50).optional(),
}).strict().refine((r) => !!(r.screenId || r.zoneId), { message: 'give a screenId or a zoneId', path: ['screenId'] })
  .refine((r) => !(r.customerId && r.profile), { message: 'give a customerId or a profile, not both', path: ['profile'] });
export type PreviewRequest = z.infer<typeof PreviewRequest>;

export const RuleOutcome = z.object({
  ruleId: Id,
  name: z.string(),
  /** matched: applied; capped: matched but a frequency cap stopped it; holdout: matched, but the shopper is in an experiment's baseline arm; not-matched: why not. */
  status: z.enum(['matched', 'capped', 'holdout', 'not-matched', 'disabled']),
  why: z.string(),
  /** What it did to this screen's items (matched rules only). */
  effects: z.array(z.string()).optional(),
});
export type RuleOutcome = z.infer<typeof RuleOutcome>;

export const PreviewItem = z.object({
  sku: Sku,
  /** The ranker's score, before rules. */
  score: z.number(),
  /** The ranker's reasons, then what rules and caps did. Internal: never on a screen. */
  why: z.array(z.string()),
  rules: z.array(Id),
});
export type PreviewItem = z.infer<typeof PreviewItem>;

export const PreviewScreen = z.object({
  screenId: ScreenId,
  mode: z.enum(SCREEN_MODES),
  ranker: z.string(),
  /** The frame the live path would send (without seq, which each socket numbers). */
  frame: ScreenContent.omit({ seq: true }),
  items: z.array(PreviewItem),
  rules: z.array(RuleOutcome),
});
export type PreviewScreen = z.infer<typeof PreviewScreen>;

export const PreviewResult = z.object({
  storeId: StoreId,
  zoneId: ZoneId,
  at: EpochMs,
  locale: z.string(),
  screens: z.array(PreviewScreen),
});
export type PreviewResult = z.infer<typeof PreviewResult>;
