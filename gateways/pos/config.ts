import { z } from 'zod';
import { CustomerId, Sku, StoreId } from '#contracts';
import { GatewayBase, Secret } from '../kit/config.js';

const RESERVED_PATHS = ['/healthz', '/metrics'];
const Path = (fallback: string) => z.string().regex(/^\/[A-Za-z0-9._~/-]{0,200}$/, 'must be an absolute URL path')
  .refine((p) => !RESERVED_PATHS.includes(p), 'is taken by the health and metrics endpoints').default(fallback);
const VendorKey = z.string().min(1).max(200);
/** A vendor's location ids → store ids; only locations mapped to this gateway's `storeId` are taken (docs/gateways/pos.md §Locations). */
const Locations = z.record(VendorKey, StoreId);
const Currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code');

/** Square webhooks (docs/gateways/pos.md §Square). */
export const SquareSettings = z.object({
  path: Path('/square'),
  /** The subscription's signature key (Square Developer Console). */
  signatureKey: Secret,
  /** The notification URL exactly as registered with Square: the signature covers it, so it must match byte for byte. */
  notificationUrl: z.url(),
  /** Without it every location of the merchant is this store. */
  locations: Locations.optional(),
  /** Retrieves the order of a webhook that carries only its id (`order_created`, `order_updated`, `payment`). */
  orderLookup: z.object({
    accessToken: Secret,
    baseUrl: z.url().default('https://connect.squareup.com'),
    /** The `Square-Version` header; without it Square uses the application's version. */
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    timeoutMs: z.number().int().min(100).max(30_000).default(4_000),
  }).strict().optional(),
}).strict();

/** Shopify webhooks, POS orders only (docs/gateways/pos.md §Shopify). */
export const ShopifySettings = z.object({
  path: Path('/shopify'),
  /** The app's client secret (or the shop's webhook signing secret). */
  secret: Secret,
  /** `location_id` → store id: required, because every location of the shop posts to the same subscription. */
  locations: Locations.refine((m) => Object.keys(m).length > 0, 'name at least one location'),
  /** Topics taken; deliveries of other topics are acknowledged and ignored. */
  topics: z.array(z.string().regex(/^[a-z_]+\/[a-z_]+$/)).min(1).default(['orders/create', 'orders/paid']),
}).strict();

/** ARTS POSLog XML, posted or dropped in a folder (docs/gateways/pos.md §ARTS POSLog). */
export const PosLogSettings = z.object({
  path: Path('/poslog'),
  /** Bearer token of `POST {path}`; without it the HTTP endpoint is off. */
  token: Secret.refine((v) => v.length >= 16, 'must be at least 16 characters').optional(),
  /** A folder watched for `*.xml` files; processed ones move to `done/`, unreadable ones to `failed/`. */
  dir: z.string().min(1).optional(),
  pollMs: z.number().int().min(20).max(600_000).default(2_000),
  /** A file is taken once it has not changed for this long (writers should still write elsewhere and rename). */
  minAgeMs: z.number().int().min(0).max(600_000).default(1_000),
  /** `RetailStoreID` → store id; without it only a `RetailStoreID` equal to this gateway's `storeId` is taken. */
  locations: Locations.optional(),
  /** The currency of transactions that name none. */
  currency: Currency.optional(),
  /** IANA zone of timestamps written without an offset (tills usually write local time). */
  timezone: z.string().refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'unknown IANA time zone').default('UTC'),
  /** Elements whose text is the member's loyalty id, searched in this order anywhere in a transaction (namespace prefixes ignored). */
  loyaltyElements: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9._-]{0,100}$/)).min(1)
    .default(['LoyaltyID', 'LoyaltyAccountID', 'LoyaltyCardNumber', 'CustomerAccountID', 'CustomerID']),
}).strict().refine((p) => p.token !== undefined || p.dir !== undefined, 'needs a token (HTTP), a dir (folder), or both');

/** How a vendor's customer id becomes the engine's customerId (docs/gateways/pos.md §Customers). */
export const CustomerMapping = z.object({
  /** Vendor customer id → customerId; wins over the prefix. */
  map: z.record(VendorKey, CustomerId).default({}),
  /** Prepended to an unmapped vendor id (`prefix` mode). */
  prefix: z.string().regex(/^[A-Za-z0-9._:-]{0,32}$/).default(''),
  /** `prefix`: unmapped ids pass with the prefix; `drop`: only mapped customers are named, the rest buy anonymously. */
  unmapped: z.enum(['prefix', 'drop']).default('prefix'),
}).strict();
export type CustomerMapping = z.infer<typeof CustomerMapping>;

export const PosSettings = z.object({
  square: SquareSettings.optional(),
  shopify: ShopifySettings.optional(),
  poslog: PosLogSettings.optional(),
  /** Vendor item id (Square catalog object id, Shopify SKU or variant id, POSLog ItemID) → the store's SKU; unmapped ids pass as they are. */
  skuMap: z.record(VendorKey, Sku).default({}),
  customers: CustomerMapping.default({ map: {}, prefix: '', unmapped: 'prefix' }),
  /** How long a request waits for the broker's acknowledgement before answering 503 (its event stays buffered). */
  ackTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
}).strict().refine((p) => p.square || p.shopify || p.poslog, 'configure at least one of square, shopify, poslog');

/** The POS gateway's configuration file: the kit's common part and `pos`. */
export const PosConfig = GatewayBase.extend({ pos: PosSettings }).strict().superRefine((c, ctx) => {
  const paths = [c.pos.square?.path, c.pos.shopify?.path, c.pos.poslog?.token !== undefined ? c.pos.poslog.path : undefined].filter((p) => p !== undefined);
  if (new Set(paths).size !== paths.length) ctx.addIssue({ code: 'custom', path: ['pos'], message: 'square, shopify and poslog need different paths' });
  const here = (m: Record<string, string> | undefined) => m === undefined || Object.values(m).includes(c.storeId);
  for (const vendor of ['square', 'shopify', 'poslog'] as const) {
    if (!here(c.pos[vendor]?.locations)) ctx.addIssue({ code: 'custom', path: ['pos', vendor, 'locations'], message: `no location maps to storeId ${c.storeId}` });
  }
});
export type PosConfig = z.infer<typeof PosConfig>;
export type PosSettings = PosConfig['pos'];
