import { z } from 'zod';
import { CustomerId, EpochMs, Id, StoreId } from './ids.js';
import { AlertClaimed, AlertVip } from './ws.js';

/**
 * One associate's view of a member's profile (docs/associates.md §Audit): an alert delivered to their
 * handheld (live or replayed when they connect), or a claim. Who, when, which customer, which alert.
 */
export const AuditEntry = z.object({
  at: EpochMs,
  storeId: StoreId,
  associateId: Id,
  customerId: CustomerId,
  alertId: Id,
  action: z.enum(['alert', 'replay', 'claim', 'release']),
}).strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

/**
 * Engines only (Redis channel `alerts:changed`): an alert or a claim for associates connected to another
 * instance. `alert` is the full current state (with `customerId` kept for the audit), `claimed` a claim
 * change, `closed` an alert no longer open.
 */
export const AlertNotice = z.object({
  origin: z.string().min(1).max(128),
  storeId: StoreId,
  customerId: CustomerId,
  alert: AlertVip.omit({ seq: true }).optional(),
  claimed: AlertClaimed.omit({ seq: true }).optional(),
  closed: z.object({ alertId: Id }).strict().optional(),
}).strict();
export type AlertNotice = z.infer<typeof AlertNotice>;
