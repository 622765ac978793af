import { z } from 'zod';
import { CustomerId, EpochMs, Id, ScreenId, Sku, StoreId, ZoneId } from './ids.js';
import { DecisionReason, ScreenContent } from './ws.js';

/**
 * Published on `aisle/v1/stores/{storeId}/decisions` for every decision: analytics read it, and the
 * instance holding the screen's socket pushes `frame` (docs/contracts.md §Outbound topics, §Scale).
 * `customerId` is present only in shopper mode with consent.personalization.
 */
export const DecisionMessage = z.object({
  decisionId: Id,
  storeId: StoreId,
  zoneId: ZoneId,
  screenId: ScreenId,
  reason: DecisionReason,
  customerId: CustomerId.optional(),
  shoppers: z.number().int().nonnegative(),
  items: z.array(z.object({ sku: Sku, score: z.number(), why: z.string() })),
  ranker: z.string(),
  eventId: Id.optional(),
  eventTs: EpochMs.optional(),
  createdAt: EpochMs,
  /** The frame as sent, seq excluded: each instance numbers its own sockets. */
  frame: ScreenContent.omit({ seq: true }),
  /** Which engine instance made it (so it can skip its own echo). */
  origin: z.string(),
});
export type DecisionMessage = z.infer<typeof DecisionMessage>;
