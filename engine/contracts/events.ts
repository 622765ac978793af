import { z } from 'zod';
import { CustomerId, DeviceId, EpochMs, Id, LabelId, Sku, StoreId, ZoneId } from './ids.js';

/** docs/contracts.md §MQTT topics and events: the four inbound event types, also the last topic level. */
export const EVENT_TYPES = ['presence', 'esl', 'pos', 'identity'] as const;
export const EventType = z.enum(EVENT_TYPES);
/** Types whose effects are durable: their own MQTT session, acknowledged after commit (docs/delivery.md). */
export const TRANSACTIONAL_TYPES = ['pos', 'identity', 'esl'] as const satisfies readonly (typeof EVENT_TYPES[number])[];
export type EventType = z.infer<typeof EventType>;

/** Inbound payloads are at most 64 KiB (docs/contracts.md §MQTT topics and events). */
export const MAX_EVENT_BYTES = 64 * 1024;

const Base = z.object({ id: Id, ts: EpochMs, storeId: StoreId });

export const PresenceEvent = Base.extend({
  type: z.literal('presence'),
  deviceId: DeviceId,
  customerId: CustomerId.optional(),
  /** null: the device left the store. */
  zoneId: ZoneId.nullable(),
  rssi: z.number().min(-150).max(20).optional(),
  source: z.enum(['wifi', 'ble', 'app']),
});
export type PresenceEvent = z.infer<typeof PresenceEvent>;

export const EslEvent = Base.extend({
  type: z.literal('esl'),
  labelId: LabelId,
  action: z.enum(['button', 'nfc', 'pickup']),
  customerId: CustomerId.optional(),
  /** Present when the gateway could tie the interaction to a device. */
  deviceId: DeviceId.optional(),
});
export type EslEvent = z.infer<typeof EslEvent>;

export const PosLine = z.object({
  sku: Sku,
  /** Weighed items carry decimal quantities. */
  qty: z.number().positive().finite(),
  unitPrice: z.number().nonnegative().finite(),
});
export type PosLine = z.infer<typeof PosLine>;

export const PosEvent = Base.extend({
  type: z.literal('pos'),
  transactionId: Id,
  customerId: CustomerId.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'),
  total: z.number().nonnegative().finite(),
  lines: z.array(PosLine).min(1).max(500),
});
export type PosEvent = z.infer<typeof PosEvent>;

export const IdentityEvent = Base.extend({
  type: z.literal('identity'),
  deviceId: DeviceId,
  customerId: CustomerId,
  method: z.enum(['app-login', 'captive-portal', 'pos']),
});
export type IdentityEvent = z.infer<typeof IdentityEvent>;

export const InboundEvent = z.discriminatedUnion('type', [PresenceEvent, EslEvent, PosEvent, IdentityEvent]);
export type InboundEvent = z.infer<typeof InboundEvent>;

/** Dead letters keep at most 4 KiB of the offending payload. */
export const DEAD_LETTER_PAYLOAD_BYTES = 4 * 1024;

export const DeadLetterReason = z.enum([
  'invalid_json', 'invalid_shape', 'store_mismatch', 'type_mismatch', 'too_large', 'unknown_type', 'unknown_store', 'bad_topic',
  'unknown_zone', 'unknown_label',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/** Published on `aisle/v1/deadletter`. `reason` is `code: detail`, `code` one of DeadLetterReason. */
export const DeadLetter = z.object({
  topic: z.string(),
  reason: z.string(),
  code: DeadLetterReason,
  receivedAt: EpochMs,
  payload: z.string().max(DEAD_LETTER_PAYLOAD_BYTES),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
