import { z } from 'zod';
import { CustomerId, EpochMs, Id, LabelId, ScreenId, Sku, StoreId, ZoneId } from './ids.js';
import { Lifecycle, Tier } from './profile.js';
import { Role } from './tokens.js';

/** docs/contracts.md §WebSocket protocol. Every frame is a JSON object with a `type`. */

// ---------- client → server ----------

export const Hello = z.object({
  type: z.literal('hello'),
  role: Role,
  token: z.string().min(1).max(256),
  storeId: StoreId,
  screenId: ScreenId.optional(),
  associateId: Id.optional(),
  /** Label gateways name themselves; they receive every label of the store. */
  gatewayId: Id.optional(),
  /** Last seq the client saw; the server answers with the current frame at once. */
  resumeSeq: z.number().int().nonnegative().optional(),
});
export type Hello = z.infer<typeof Hello>;

export const Impression = z.object({
  type: z.literal('impression'),
  screenId: ScreenId,
  decisionId: Id,
  skus: z.array(Sku).max(24),
  renderedAt: EpochMs,
});
export type Impression = z.infer<typeof Impression>;

export const Claim = z.object({ type: z.literal('claim'), alertId: Id });
export type Claim = z.infer<typeof Claim>;

/** An associate gives a claimed alert back: everyone then sees `alert.claimed` with `associateId: null`. */
export const Release = z.object({ type: z.literal('release'), alertId: Id });
export type Release = z.infer<typeof Release>;

export const Ping = z.object({ type: z.literal('ping'), t: z.number().optional() });
export type Ping = z.infer<typeof Ping>;

export const ClientFrame = z.discriminatedUnion('type', [Hello, Impression, Claim, Release, Ping]);
export type ClientFrame = z.infer<typeof ClientFrame>;

// ---------- server → client ----------

export const Welcome = z.object({
  type: z.literal('welcome'),
  role: Role,
  storeId: StoreId,
  /** The screen / associate / gateway this connection is bound to. */
  target: z.string().optional(),
  /** The last seq sent to this target (0 if none yet). */
  seq: z.number().int().nonnegative(),
  heartbeatMs: z.number().int().positive(),
  serverTime: EpochMs,
});
export type Welcome = z.infer<typeof Welcome>;

/**
 * One item on a public screen: only words a shopper may read, for anyone standing there
 * (docs/contracts.md §WebSocket protocol). Scores, rule ids, purchase counts and every internal
 * reason go to the decision message instead, never to a screen.
 */
export const ContentItem = z.object({
  sku: Sku,
  name: z.string().max(120),
  price: z.number().nonnegative(),
  memberPrice: z.number().nonnegative().optional(),
  image: z.string().optional(),
  badge: z.string().max(24).optional(),
  /** A short shopper-facing line, e.g. "Because you like coffee". */
  note: z.string().max(60).optional(),
}).strict();
export type ContentItem = z.infer<typeof ContentItem>;

export const DecisionReason = z.enum(['shopper', 'audience', 'idle']);
export type DecisionReason = z.infer<typeof DecisionReason>;

export const ScreenContent = z.object({
  type: z.literal('screen.content'),
  seq: z.number().int().nonnegative(),
  screenId: ScreenId,
  storeId: StoreId.optional(),
  zoneId: ZoneId.optional(),
  decisionId: Id,
  reason: DecisionReason,
  template: z.enum(['hero', 'grid']),
  /** Only with consent.displayName, only in shopper mode. */
  greeting: z.string().max(80).optional(),
  headline: z.string().max(80).optional(),
  ttlMs: z.number().int().positive(),
  items: z.array(ContentItem).max(24),
  currency: z.string().optional(),
  /** BCP 47 language of the frame's words (the store's). */
  locale: z.string().max(35).optional(),
  createdAt: EpochMs.optional(),
  /** Source event time, for end-to-end latency measurement. */
  eventTs: EpochMs.optional(),
});
export type ScreenContent = z.infer<typeof ScreenContent>;

export const LabelColor = z.enum(['green', 'red', 'blue', 'yellow', 'white']);

/**
 * What one shelf label shows (docs/labels.md), complete: a label gateway draws it as it is, with no state of its
 * own. `memberPrice` and `promo` are public words (any shopper at the shelf reads them); a personal offer is
 * never named (no greeting, no customer id). `flash`: the label's LED, to guide a shopper to the item.
 */
export const LabelUpdate = z.object({
  type: z.literal('label.update'),
  seq: z.number().int().nonnegative(),
  labelId: LabelId,
  sku: Sku,
  name: z.string().max(120),
  price: z.number().nonnegative(),
  memberPrice: z.number().nonnegative().optional(),
  promo: z.string().max(40).optional(),
  flash: z.object({ color: LabelColor, durationMs: z.number().int().positive().max(60_000) }).optional(),
  /** `base` (absent): catalog and rules; `personal`: a consenting shopper is near (reverts to base when they leave). */
  mode: z.enum(['base', 'personal']).optional(),
  currency: z.string().max(3).optional(),
  /** BCP 47 language of the label's words (the store's). */
  locale: z.string().max(35).optional(),
  display: z.enum(['bwr-296x128', 'bwr-400x300']).optional(),
  updatedAt: EpochMs.optional(),
});
export type LabelUpdate = z.infer<typeof LabelUpdate>;

export const Suggestion = z.object({ sku: Sku, name: z.string(), why: z.string() });

export const AlertVip = z.object({
  type: z.literal('alert.vip'),
  seq: z.number().int().nonnegative(),
  alertId: Id,
  storeId: StoreId,
  zoneId: ZoneId,
  /** `arrived` (absent): the visit began; `lingering`: the VIP stayed in a zone (configurable). An update re-sends the same alertId. */
  reason: z.enum(['arrived', 'lingering']).optional(),
  customer: z.object({
    customerId: CustomerId.optional(),
    /** Only with consent.displayName. */
    displayName: z.string().optional(),
    tier: Tier,
    points: z.number(),
    lifecycle: Lifecycle,
    tags: z.array(z.string()),
    lastPurchases: z.array(z.object({ sku: Sku, name: z.string() })),
    browsed: z.array(z.object({ sku: Sku, name: z.string() })),
    visitsThisYear: z.number().int().nonnegative().optional(),
    /** Days until the birthday, when it is within the store's window (0 = today). */
    birthdayInDays: z.number().int().nonnegative().optional(),
  }),
  suggestions: z.array(Suggestion),
  talkingPoints: z.array(z.string()),
  /** Who holds it now (also on replay after a reconnect). */
  claimedBy: z.object({ associateId: Id, claimedAt: EpochMs }).optional(),
  locale: z.string().max(35).optional(),
  currency: z.string().max(3).optional(),
  createdAt: EpochMs,
  updatedAt: EpochMs.optional(),
});
export type AlertVip = z.infer<typeof AlertVip>;

export const AlertClaimed = z.object({
  type: z.literal('alert.claimed'),
  seq: z.number().int().nonnegative(),
  alertId: Id,
  /** The associate who holds it; null: released, anyone may claim it again. */
  associateId: Id.nullable(),
  claimedAt: EpochMs,
});
export type AlertClaimed = z.infer<typeof AlertClaimed>;

/** Stable error codes; clients and tests match on these, never on the message. */
export const WS_ERROR_CODES = [
  'ws.invalid_json', 'ws.invalid_frame', 'ws.hello_required', 'ws.already_hello', 'ws.unauthorized',
  'ws.forbidden', 'ws.unknown_store', 'ws.unknown_target', 'ws.frame_too_large', 'ws.internal',
  'ws.rate_limited', 'ws.too_many_connections',
] as const;
export const WsErrorCode = z.enum(WS_ERROR_CODES);
export type WsErrorCode = z.infer<typeof WsErrorCode>;

export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: WsErrorCode,
  message: z.string(),
  /** For validation errors: the zod issue path. */
  path: z.array(z.union([z.string(), z.number()])).optional(),
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;

/** Answer to a client `ping`: browsers cannot see protocol-level pongs (docs/contracts.md §WebSocket protocol). */
export const Pong = z.object({ type: z.literal('pong'), t: z.number().optional(), serverTime: EpochMs });
export type Pong = z.infer<typeof Pong>;

export const ServerFrame = z.discriminatedUnion('type', [Welcome, ScreenContent, LabelUpdate, AlertVip, AlertClaimed, ErrorFrame, Pong]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** WS frames (either way) are at most 64 KiB. */
export const MAX_WS_FRAME_BYTES = 64 * 1024;
