import { z } from 'zod';
import { ZoneId } from '#contracts';
import { GatewayBase, Secret } from '../kit/config.js';
import { normalizeMac } from '../kit/pseudonym.js';

const Name = z.string().trim().min(1).max(200);
const Coordinate = z.number().finite();

/** Zone rules (docs/gateways/meraki.md §Zone mapping): each names one zone and one condition; the first rule that matches wins. */
export const ZoneRule = z.union([
  /** The observation lies on this floor plan (its id, or its name; names ignore case). */
  z.object({ zoneId: ZoneId, floorPlan: Name }).strict(),
  /** The nearest access point carries this tag (case ignored). */
  z.object({ zoneId: ZoneId, apTag: Name }).strict(),
  /** The nearest access point is this one (any MAC spelling). */
  z.object({ zoneId: ZoneId, apMac: z.string().refine((v) => normalizeMac(v) !== undefined, 'must be a MAC address').transform((v) => normalizeMac(v)!) }).strict(),
  /** The position (metres on the floor plan) lies in this rectangle, on this floor plan if one is named (its id, or its name). */
  z.object({
    zoneId: ZoneId,
    rect: z.object({ floorPlanId: Name.optional(), x1: Coordinate, y1: Coordinate, x2: Coordinate, y2: Coordinate }).strict(),
  }).strict(),
]);
export type ZoneRule = z.infer<typeof ZoneRule>;

const RESERVED_PATHS = ['/healthz', '/metrics'];

/** The Meraki receiver's own settings (docs/gateways/meraki.md §Configuration). */
export const MerakiSettings = z.object({
  /** The validator string the dashboard shows; the receiver answers it to `GET {path}`. */
  validator: z.string().min(1).max(200),
  /** The shared secret every POST carries in its body. */
  secret: Secret,
  /** Where Meraki posts (the dashboard's "POST URL" path). */
  path: z.string().regex(/^\/[A-Za-z0-9._~/-]{0,200}$/, 'must be an absolute URL path')
    .refine((p) => !RESERVED_PATHS.includes(p), 'is taken by the health and metrics endpoints').default('/meraki'),
  zones: z.array(ZoneRule).min(1).max(10_000),
  /** Observations weaker than this (dBm, after normalisation) are dropped. */
  minRssi: z.number().min(-150).max(20).optional(),
  /** Observations older than this are dropped: Meraki retries and re-sends late. */
  maxAgeSeconds: z.number().int().min(1).max(86_400).default(120),
  /** The source of a POST whose `type` is missing (a `type` of WiFi or BLE always wins). */
  source: z.enum(['wifi', 'ble']).default('wifi'),
  /** How long a POST waits for the broker's acknowledgements before answering 503 (its events stay buffered). */
  ackTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
}).strict();
export type MerakiSettings = z.infer<typeof MerakiSettings>;

/** A Meraki gateway's configuration file: the kit's common part and `meraki`. */
export const MerakiConfig = GatewayBase.extend({ meraki: MerakiSettings }).strict();
export type MerakiConfig = z.infer<typeof MerakiConfig>;
