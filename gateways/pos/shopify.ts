import { z } from 'zod';
import type { PosLine } from '#contracts';
import type { PosSettings } from './config.js';
import { purchase } from './event.js';
import { parseJsonObject, toAnswer, verifyHmac, type Answer, type RawRequest } from './http.js';
import { lookup, mapCustomer, mapSku, safeId } from './ids.js';
import { ignored, refused, type Built, type Intake } from './intake.js';
import { currencyExponent, parseMoney, parseQuantity } from './money.js';
import { toEpochMs } from './time.js';

/** Shopify's headers: base64 HMAC-SHA256 of the raw body keyed with the app secret; the delivery's id; the topic. */
export const SHOPIFY_HMAC_HEADER = 'x-shopify-hmac-sha256';
export const SHOPIFY_WEBHOOK_ID_HEADER = 'x-shopify-webhook-id';
export const SHOPIFY_TOPIC_HEADER = 'x-shopify-topic';

const NumericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,30}$/)]).transform(String);
const Gid = z.string().max(200).nullish();

/**
 * The exact id of a resource: Shopify's ids are 64-bit integers that JSON.parse may round past 2^53, so the
 * digits of `admin_graphql_api_id` (`gid://shopify/Order/820982911946154508`) win over the number.
 */
function exactId(numeric: string, gid: string | null | undefined, kind: string): string {
  const m = gid ? /^gid:\/\/shopify\/([A-Za-z]+)\/(\d{1,30})$/.exec(gid) : null;
  return m && m[1] === kind ? m[2]! : numeric;
}

/**
 * The fields of a Shopify order the gateway reads. `email`, `phone`, `customer.email`, addresses and the
 * rest are not in it, so they are dropped unread: nothing personal can reach an event or a log line.
 */
const ShopifyOrder = z.object({
  id: NumericId,
  admin_graphql_api_id: Gid,
  source_name: z.string().nullish(),
  location_id: NumericId.nullish(),
  currency: z.string(),
  total_price: z.string(),
  created_at: z.string().nullish(),
  processed_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  test: z.boolean().nullish(),
  customer: z.object({ id: NumericId, admin_graphql_api_id: Gid }).nullish(),
  line_items: z.array(z.object({
    sku: z.string().nullish(),
    variant_id: NumericId.nullish(),
    /** A decimal string in the shop's currency: "199.00". */
    price: z.string(),
    quantity: z.number(),
  })).max(5_000),
});
type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export type ShopifyContext = { storeId: string; settings: PosSettings };

/**
 * A Shopify POS order as a `pos` event (docs/gateways/pos.md §Shopify): only `source_name: "pos"` orders of a
 * location of this store; each line's SKU (or its variant id) through skuMap, at its `price`; the total is
 * `total_price`; the customer is `customer.id`, mapped. The event's id is the order's, so orders/create and
 * orders/paid of one order, or two subscriptions, are one purchase.
 */
export function shopifyOrderToEvent(order: ShopifyOrder, ctx: ShopifyContext): Built {
  const cfg = ctx.settings.shopify!;
  if (order.source_name !== 'pos') return ignored('source');
  if (!order.location_id || lookup(cfg.locations, order.location_id) !== ctx.storeId) return ignored('location');
  if (order.cancelled_at) return ignored('cancelled');
  if (order.test) return ignored('test_order');
  const orderId = exactId(order.id, order.admin_graphql_api_id, 'Order');
  const exp = currencyExponent(order.currency);
  if (exp === undefined) return refused(422, 'currency');
  const total = parseMoney(order.total_price, exp);
  if (total === undefined || total < 0) return refused(422, 'total');
  const lines: PosLine[] = [];
  for (const li of order.line_items) {
    const sku = mapSku(ctx.settings.skuMap, [li.sku, li.variant_id]);
    if (sku === undefined || li.quantity === 0) continue;
    const qty = parseQuantity(li.quantity);
    const unitPrice = parseMoney(li.price, exp);
    if (qty === undefined) return refused(422, 'quantity');
    if (unitPrice === undefined || unitPrice < 0) return refused(422, 'price');
    lines.push({ sku, qty, unitPrice });
  }
  return purchase({
    // Glued to a letter: a twelve-digit order id alone would look like a MAC address to the privacy checks.
    id: safeId('shopify:o', orderId),
    ts: toEpochMs(order.created_at) ?? toEpochMs(order.processed_at) ?? Date.now(),
    storeId: ctx.storeId,
    transactionId: safeId('o', orderId),
    customerId: order.customer ? mapCustomer(ctx.settings.customers, exactId(order.customer.id, order.customer.admin_graphql_api_id, 'Customer')) : undefined,
    currency: order.currency, total, lines,
  });
}

export type ShopifyDeps = { settings: PosSettings; storeId: string; intake: Intake };

/** Shopify's webhook endpoint (docs/gateways/pos.md §Shopify). */
export function createShopifyHandler(d: ShopifyDeps): (req: RawRequest) => Promise<Answer> {
  const cfg = d.settings.shopify!;
  return async (req) => {
    if (!verifyHmac(cfg.secret, [req.body], req.header(SHOPIFY_HMAC_HEADER))) {
      return toAnswer(d.intake.reject({ kind: 'refused', status: 403, reason: 'signature' }));
    }
    const topic = req.header(SHOPIFY_TOPIC_HEADER);
    if (topic !== undefined && !cfg.topics.includes(topic)) return toAnswer(d.intake.reject({ kind: 'ignored', reason: 'topic' }));
    const json = parseJsonObject(req.body);
    if (!json) return toAnswer(d.intake.reject({ kind: 'refused', status: 400, reason: 'json' }));
    const r = ShopifyOrder.safeParse(json);
    if (!r.success) return toAnswer(d.intake.reject({ kind: 'refused', status: 400, reason: 'shape' }));
    const order = r.data;
    const webhookId = req.header(SHOPIFY_WEBHOOK_ID_HEADER)?.trim();
    if (webhookId !== undefined && webhookId.length > 200) return toAnswer(d.intake.reject({ kind: 'refused', status: 400, reason: 'webhook_id' }));
    const orderId = exactId(order.id, order.admin_graphql_api_id, 'Order');
    const keys = [...(webhookId ? [`shopify:wh:${webhookId}`] : []), `shopify:order:${orderId}`];
    return toAnswer(await d.intake.submit(keys, () => shopifyOrderToEvent(order, { storeId: d.storeId, settings: d.settings })));
  };
}
