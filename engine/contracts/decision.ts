import { z } from 'zod';
import { CustomerId, EpochMs, Id, ScreenId, Sku, StoreId, ZoneId } from './ids.js';
import { DecisionReason, LabelUpdate, ScreenContent } from './ws.js';

/**
 * Published on `aisle/v1/stores/{storeId}/decisions` for every decision, for analytics
 * (docs/contracts.md §Outbound topics). It carries the internal reasons but never a name or a
 * greeting; `customerId` is present only in shopper mode with consent.personalization.
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
  /** Merchandiser rules that shaped this frame, highest priority first. */
  rules: z.array(Id).max(100).optional(),
  eventId: Id.optional(),
  eventTs: EpochMs.optional(),
  createdAt: EpochMs,
  /** Which engine instance made it. */
  origin: z.string(),
}).strict();
export type DecisionMessage = z.infer<typeof DecisionMessage>;

/**
 * A screen frame for a socket another engine instance holds, on the engines-only topic
 * `aisle/v1/stores/{storeId}/frames` (docs/contracts.md §Scale). Checked against the topic's store
 * and the store's screens before any socket gets it.
 */
export const RemoteFrame = z.object({
  origin: z.string().min(1).max(128),
  storeId: StoreId,
  /** The frame as sent, seq excluded: each instance numbers its own sockets. */
  frame: ScreenContent.omit({ seq: true }),
  /**
   * A personal turn's exposure, for the instance whose socket confirms the impression (engines-only
   * topic; never on a screen): the member, their visit's start and their experiment arms.
   */
  exposure: z.object({
    customerId: CustomerId, visitStartedAt: EpochMs,
    arms: z.record(z.string().max(64), z.string().max(64)).refine((r) => Object.keys(r).length <= 20, 'at most 20 experiments'),
  }).strict().optional(),
}).strict();
export type RemoteFrame = z.infer<typeof RemoteFrame>;

/**
 * A shelf label's content on the same engines-only topic (docs/scale.md): with partitions, the instance that
 * decides a store publishes every label frame, so a label gateway connected to any instance gets it and every
 * instance keeps each label's latest content for the gateways that connect to it.
 */
export const RemoteLabel = z.object({
  origin: z.string().min(1).max(128),
  storeId: StoreId,
  label: LabelUpdate.omit({ seq: true }),
}).strict();
export type RemoteLabel = z.infer<typeof RemoteLabel>;
