import { z } from 'zod';
import { PosEvent } from './events.js';
import { CustomerId, DeviceId, EpochMs, Id, Sku, StoreId } from './ids.js';

/**
 * A durable effect of a transactional event (docs/delivery.md): what the engine commits to Redis, or
 * to its local journal while Redis is unreachable. Every kind is idempotent: purchases and browses
 * carry the event's de-dupe identity (store + event id), a device link is a plain overwrite.
 */
export const PurchaseEffect = z.object({ kind: z.literal('purchase'), event: PosEvent.extend({ customerId: CustomerId }) });
export const BrowseEffect = z.object({
  kind: z.literal('browse'), storeId: StoreId, eventId: Id, customerId: CustomerId, sku: Sku, ts: EpochMs,
});
export const LinkEffect = z.object({ kind: z.literal('link'), deviceId: DeviceId, customerId: CustomerId });

export const Effect = z.discriminatedUnion('kind', [PurchaseEffect, BrowseEffect, LinkEffect]);
export type Effect = z.infer<typeof Effect>;
export type PurchaseEffect = z.infer<typeof PurchaseEffect>;
