import { z } from 'zod';
import type { PosLine } from '#contracts';
import type { CustomerMapping } from './config.js';
import { purchase } from './event.js';
import { mapCustomer, mapSku, safeId } from './ids.js';
import { ignored, refused, type Built } from './intake.js';
import { currencyExponent, fromMinorUnits, parseQuantity } from './money.js';
import { toEpochMs } from './time.js';

/** Square's Money: an integer amount in the currency's smallest unit (docs/gateways/pos.md §Money and quantities). */
const Money = z.object({ amount: z.number().int(), currency: z.string() });

/** The fields of a Square Order the gateway reads; everything else (names, notes, fulfilment contacts) is dropped unread. */
export const SquareOrder = z.object({
  id: z.string().min(1).max(200),
  location_id: z.string().min(1).max(200),
  state: z.string().nullish(),
  customer_id: z.string().nullish(),
  created_at: z.string().nullish(),
  total_money: Money,
  line_items: z.array(z.object({
    catalog_object_id: z.string().nullish(),
    /** A decimal string: "2", or "0.42" for an item sold by weight. */
    quantity: z.string(),
    item_type: z.string().nullish(),
    base_price_money: Money.nullish(),
    total_money: Money.nullish(),
  })).max(5_000).nullish(),
});
export type SquareOrder = z.infer<typeof SquareOrder>;

/** Orders in these states are no sale (docs/gateways/pos.md §Square). */
const NOT_SOLD = new Set(['CANCELED', 'DRAFT']);

export type SquareOrderContext = { storeId: string; createdAt?: string | null; skuMap: Record<string, string>; customers: CustomerMapping };

/**
 * A Square order as a `pos` event (docs/gateways/pos.md §Square): ITEM lines only (custom amounts and gift cards
 * are no catalog item), each at its `base_price_money`; the total is the order's `total_money` (taxes and tips
 * included); `customer_id` becomes the customer when there is one. The event's id is the order's, so whichever
 * webhook brings an order (order.created, order.updated, payment.updated, a retry), it is one purchase.
 */
export function squareOrderToEvent(order: SquareOrder, ctx: SquareOrderContext): Built {
  if (order.state && NOT_SOLD.has(order.state)) return ignored('state');
  const currency = order.total_money.currency;
  const exp = currencyExponent(currency);
  if (exp === undefined) return refused(422, 'currency');
  const total = fromMinorUnits(order.total_money.amount, exp);
  if (total === undefined || total < 0) return refused(422, 'total');
  const lines: PosLine[] = [];
  for (const li of order.line_items ?? []) {
    if (li.item_type && li.item_type !== 'ITEM') continue;
    const sku = mapSku(ctx.skuMap, [li.catalog_object_id]);
    if (sku === undefined) continue;
    const qty = parseQuantity(li.quantity);
    if (qty === undefined) return refused(422, 'quantity');
    const money = li.base_price_money ?? li.total_money;
    if (money && money.currency !== currency) return refused(422, 'currency');
    let unitPrice = 0;
    if (money) {
      const amount = fromMinorUnits(money.amount, exp);
      if (amount === undefined || amount < 0) return refused(422, 'price');
      unitPrice = li.base_price_money ? amount : Number((amount / qty).toFixed(exp));
    }
    lines.push({ sku, qty, unitPrice });
  }
  return purchase({
    id: safeId('square:', order.id),
    ts: toEpochMs(order.created_at) ?? toEpochMs(ctx.createdAt) ?? Date.now(),
    storeId: ctx.storeId,
    transactionId: safeId('', order.id),
    customerId: mapCustomer(ctx.customers, order.customer_id),
    currency, total, lines,
  });
}
