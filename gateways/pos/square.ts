import { z } from 'zod';
import type { Logger } from '../../engine/platform/log.js';
import type { PosSettings } from './config.js';
import { toAnswer, parseJsonObject, verifyHmac, type Answer, type RawRequest } from './http.js';
import { lookup } from './ids.js';
import { ignored, isNotBuilt, refused, type NotBuilt, type Intake } from './intake.js';
import { SquareOrder, squareOrderToEvent } from './square-order.js';

/** The signature header: base64 HMAC-SHA256, keyed with the subscription's signature key, of notification URL + raw body. */
export const SQUARE_SIGNATURE_HEADER = 'x-square-hmacsha256-signature';

const Envelope = z.object({
  type: z.string().max(100),
  event_id: z.string().min(1).max(200),
  created_at: z.string().nullish(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
/** `order_created` / `order_updated`: what Square's order webhooks carry; the line items must be retrieved. */
const OrderSummary = z.object({ order_id: z.string().min(1).max(200), location_id: z.string().min(1).max(200), state: z.string().nullish() });
const Payment = z.object({ order_id: z.string().min(1).max(200).nullish(), location_id: z.string().min(1).max(200), status: z.string() });

const TAKEN = new Set(['order.created', 'order.updated', 'payment.created', 'payment.updated']);

/** Which order a webhook is about, and the order itself when the payload carries it whole. */
type OrderRef = { orderId: string; locationId: string; order?: SquareOrder };

/** Reads the order reference out of a webhook, or says why there is none to take. */
function orderRef(type: string, object: Record<string, unknown>): OrderRef | NotBuilt {
  const own = (key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);
  if (own('order') !== undefined) {
    const r = SquareOrder.safeParse(own('order'));
    if (!r.success) return refused(400, 'shape');
    if (type === 'order.updated' && r.data.state !== 'COMPLETED') return ignored('state');
    return { orderId: r.data.id, locationId: r.data.location_id, order: r.data };
  }
  const summary = own('order_created') ?? own('order_updated');
  if (summary !== undefined) {
    const r = OrderSummary.safeParse(summary);
    if (!r.success) return refused(400, 'shape');
    if (type === 'order.updated' && r.data.state !== 'COMPLETED') return ignored('state');
    return { orderId: r.data.order_id, locationId: r.data.location_id };
  }
  if (own('payment') !== undefined) {
    const r = Payment.safeParse(own('payment'));
    if (!r.success) return refused(400, 'shape');
    if (r.data.status !== 'COMPLETED') return ignored('payment_status');
    if (!r.data.order_id) return ignored('no_order');
    return { orderId: r.data.order_id, locationId: r.data.location_id };
  }
  return refused(400, 'shape');
}

export type SquareDeps = { settings: PosSettings; storeId: string; intake: Intake; log: Logger };

/** Square's webhook endpoint (docs/gateways/pos.md §Square). */
export function createSquareHandler(d: SquareDeps): (req: RawRequest) => Promise<Answer> {
  const cfg = d.settings.square!;
  const here = (locationId: string) => cfg.locations === undefined || lookup(cfg.locations, locationId) === d.storeId;

  /** RetrieveOrder (`GET /v2/orders/{id}`): the order, or the outcome when it cannot be had. */
  async function retrieve(orderId: string): Promise<SquareOrder | NotBuilt> {
    const api = cfg.orderLookup;
    if (!api) return ignored('order_not_included');
    let res: Response;
    try {
      res = await fetch(`${api.baseUrl.replace(/\/$/, '')}/v2/orders/${encodeURIComponent(orderId)}`, {
        headers: { authorization: `Bearer ${api.accessToken}`, accept: 'application/json', ...(api.version ? { 'square-version': api.version } : {}) },
        signal: AbortSignal.timeout(api.timeoutMs),
      });
    } catch (err) {
      d.log.warn({ err: (err as Error).message }, 'square order lookup failed');
      return { ok: false, outcome: { kind: 'retry', reason: 'order_lookup' } };
    }
    if (res.status === 404) return ignored('order_not_found');
    if (!res.ok) {
      d.log.warn({ status: res.status }, 'square order lookup refused');
      return { ok: false, outcome: { kind: 'retry', reason: 'order_lookup' } };
    }
    const r = z.object({ order: SquareOrder }).safeParse(await res.json().catch(() => undefined));
    return r.success ? r.data.order : refused(422, 'order_shape');
  }

  return async (req) => {
    if (!verifyHmac(cfg.signatureKey, [cfg.notificationUrl, req.body], req.header(SQUARE_SIGNATURE_HEADER))) {
      return toAnswer(d.intake.reject({ kind: 'refused', status: 403, reason: 'signature' }));
    }
    const json = parseJsonObject(req.body);
    if (!json) return toAnswer(d.intake.reject({ kind: 'refused', status: 400, reason: 'json' }));
    const env = Envelope.safeParse(json);
    if (!env.success) return toAnswer(d.intake.reject({ kind: 'refused', status: 400, reason: 'shape' }));
    const { type, event_id: eventId, created_at: createdAt, data } = env.data;
    if (!TAKEN.has(type)) return toAnswer(d.intake.reject({ kind: 'ignored', reason: 'event_type' }));
    const ref = orderRef(type, data.object);
    if (isNotBuilt(ref)) return toAnswer(d.intake.reject(ref.outcome));
    if (!here(ref.locationId)) return toAnswer(d.intake.reject({ kind: 'ignored', reason: 'location' }));
    const outcome = await d.intake.submit([`square:evt:${eventId}`, `square:order:${ref.orderId}`], async () => {
      const order = ref.order ?? await retrieve(ref.orderId);
      if (isNotBuilt(order)) return order;
      if (!here(order.location_id)) return ignored('location');
      return squareOrderToEvent(order, { storeId: d.storeId, createdAt, skuMap: d.settings.skuMap, customers: d.settings.customers });
    });
    return toAnswer(outcome);
  };
}
