import { eventTopic } from '#contracts';

/** One purchase to publish, and what it must do to its customer's profile. */
export type Purchase = { id: string; transactionId: string; customerId: string; total: number; sku: string };
/** What each customer's profile must show once every purchase was applied exactly once. */
export type Expected = Map<string, { frequency: number; monetary: number }>;
export type Message = { topic: string; payload: string };

/** SKUs of the test store's kitchen category: what these tests buy. */
export const KITCHEN_SKUS = Array.from({ length: 7 }, (_, i) => `SKU-0${i}`);

/**
 * `n` purchases spread round-robin over `customers` customers (`c-0`, `c-1`, …, or `customerIds`).
 * Every purchase has its own integer total (`firstTotal`, `firstTotal + 1`, …), so per customer the
 * frequency counts purchases applied and the monetary sum tells a doubled one from a lost one.
 * Customers start without a profile, so the expected frequency is the number of purchases sent to them.
 */
export function purchasePlan(o: { tag: string; n: number; customers?: number; customerIds?: string[]; firstTotal?: number }): { purchases: Purchase[]; expected: Expected } {
  const ids = o.customerIds ?? Array.from({ length: o.customers ?? 1 }, (_, k) => `c-${k}`);
  const expected: Expected = new Map(ids.map((c) => [c, { frequency: 0, monetary: 0 }]));
  const purchases = Array.from({ length: o.n }, (_, i) => {
    const customerId = ids[i % ids.length]!;
    const total = (o.firstTotal ?? 1) + i;
    const e = expected.get(customerId)!;
    e.frequency++;
    e.monetary += total;
    return { id: `${o.tag}-p${i}`, transactionId: `${o.tag}-T${i}`, customerId, total, sku: KITCHEN_SKUS[i % KITCHEN_SKUS.length]! };
  });
  return { purchases, expected };
}

/** The POS event (engine/contracts/events.ts) for a purchase, on its store's pos topic. */
export function posMessage(storeId: string, p: Purchase): Message {
  return { topic: eventTopic(storeId, 'pos'), payload: JSON.stringify({
    type: 'pos', id: p.id, ts: Date.now(), storeId, transactionId: p.transactionId, customerId: p.customerId,
    currency: 'GBP', total: p.total, lines: [{ sku: p.sku, qty: 1, unitPrice: p.total }] }) };
}

export function presenceMessage(storeId: string, id: string, body: { deviceId: string; zoneId: string | null; customerId?: string }): Message {
  return { topic: eventTopic(storeId, 'presence'), payload: JSON.stringify({ type: 'presence', id, ts: Date.now(), storeId, source: 'wifi', ...body }) };
}

export function eslMessage(storeId: string, id: string, body: { labelId: string; customerId: string }): Message {
  return { topic: eventTopic(storeId, 'esl'), payload: JSON.stringify({ type: 'esl', id, ts: Date.now(), storeId, action: 'nfc', ...body }) };
}
