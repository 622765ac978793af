import { z } from 'zod';
import { CustomerId, DeviceId, EpochMs, Sku, StoreId, ZoneId } from './ids.js';

/** Per (store, device) visit state, kept in Redis in the store's hash aisle:visits:{storeId} (field: deviceId) so another instance can take over. */
export const Visit = z.object({
  storeId: StoreId,
  deviceId: DeviceId,
  customerId: CustomerId.optional(),
  enteredAt: EpochMs,
  /** Engine time of the last event for this device (silence is measured from it). */
  lastSeenAt: EpochMs,
  /** Source time of the newest event applied (older events cannot move the shopper). */
  lastEventTs: EpochMs,
  zoneId: ZoneId,
  zoneEnteredAt: EpochMs,
  /** Closed dwell per zone, ms; the current zone's running dwell is now − zoneEnteredAt on top. */
  dwellMs: z.record(z.string(), z.number().nonnegative()),
  zonesVisited: z.array(ZoneId),
  /** Shelf labels tapped this visit, newest first. */
  eslSkus: z.array(Sku).max(20),
  eslCount: z.number().int().nonnegative(),
  /** Signal strength of the newest presence event that gave one, dBm (turn order tie-break, screens' minRssi). */
  rssi: z.number().min(-150).max(20).optional(),
});
export type Visit = z.infer<typeof Visit>;
