import fc from 'fast-check';
import { describeConformance, type ConformanceAdapter, type FeedOutcome } from '../kit/conformance.js';
import type { StartedGateway } from '../kit/runtime.js';
import { definition } from './gateway.js';
import {
  post, poslogHeaders, POSLOG_TOKEN, shopifyHeaders, signShopify, signSquare, squareHeaders, SQUARE_URL, testConfig, testSettings,
} from './test-support.js';

/** One vendor request: where it goes, its raw body and headers, and the personal data planted in it. */
type Req = { path: string; body: string; headers: Record<string, string>; personal: string[] };

async function feed(gw: StartedGateway, r: Req): Promise<FeedOutcome> {
  const { status, body } = await post(gw, r.path, r.body, r.headers);
  // An internal error would be answered 503 (the vendor retries), which would hide a bug here.
  if (body.reason === 'internal' || status >= 500 && status !== 503) throw new Error(`gateway failed: ${status} ${JSON.stringify(body)}`);
  const accepted = status === 200 && (body.outcome === 'published' || body.outcome === 'duplicate');
  return accepted ? { accepted } : { accepted, reason: typeof body.reason === 'string' ? body.reason : `status ${status}` };
}

const adapter = (valid: fc.Arbitrary<Req>, hostile: fc.Arbitrary<Req>): ConformanceAdapter<Req> => ({
  definition, config: testConfig(testSettings()), feed, valid, hostile,
  personal: (r) => r.personal, again: (r) => r,
});

// Personal data as shoppers give it: e-mail addresses and phone numbers written as people write them.
const email = fc.emailAddress();
const phone = fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 100, max: 999 }), fc.integer({ min: 1000000, max: 9999999 }))
  .map(([cc, a, b]) => `+${cc} ${a} ${b}`);
// Vendor ids shaped like theirs (and long enough never to read as twelve hex digits, the privacy checks' MAC).
const squareId = (n: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${n}}$`));
const longNumber = fc.integer({ min: 10 ** 13, max: 2 ** 50 });
const cents = fc.integer({ min: 0, max: 99_999 });
const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'GBP', 'KWD', 'CAD');
/** A quantity as a string: a count, or a weight in kilograms or pounds. */
const qtyText = fc.oneof(fc.integer({ min: 1, max: 20 }).map(String), fc.integer({ min: 1, max: 5000 }).map((g) => String(g / 1000)));
/** A hostile string: anything, an e-mail, a number, a huge or a prototype-ish name. */
const junk = fc.oneof(fc.string(), email, fc.constantFrom('__proto__', 'constructor', '', ' ', '-1', '1e309', 'NaN', 'x'.repeat(5000)), fc.double().map(String));
const hostileValue = fc.oneof(junk, fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));

/** Replaces one field somewhere in a JSON object (path of keys) with a hostile value. */
function mutate(obj: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  if (obj === null || typeof obj !== 'object') return obj;
  const copy: Record<string, unknown> = Array.isArray(obj) ? [...obj] as unknown as Record<string, unknown> : { ...obj as Record<string, unknown> };
  const [head, ...rest] = path;
  copy[head!] = mutate(copy[head!], rest, value);
  return copy;
}

// ---- Square ----------------------------------------------------------------------------------------------------

const squareLine = fc.record({
  uid: squareId(22), catalog_object_id: fc.option(squareId(24), { nil: undefined }), name: fc.string({ maxLength: 20 }), quantity: qtyText,
  item_type: fc.constantFrom('ITEM', 'ITEM', 'CUSTOM_AMOUNT', undefined), amount: cents,
});
const squareEvent = fc.record({
  eventId: fc.uuid(), orderId: squareId(29), type: fc.constantFrom('order.created', 'order.updated'),
  state: fc.constantFrom('OPEN', 'COMPLETED', 'COMPLETED'), location: fc.constantFrom('L1NN4714D67HQ', 'LJ7TOKYOSHIBUYA', 'L0THERST0REXX'),
  customer: fc.option(fc.stringMatching(/^[A-Z0-9]{26}$/), { nil: undefined }), currency, lines: fc.array(squareLine, { minLength: 1, maxLength: 6 }),
  total: fc.integer({ min: 0, max: 9_999_999 }), email, phone, buyer: email,
}).map((g) => ({
  personal: [g.email, g.phone, g.buyer],
  json: {
    merchant_id: 'ML8M1AQ1GQG2K', type: g.type, event_id: g.eventId, created_at: '2026-11-29T12:00:00Z',
    data: { type: 'order', id: g.orderId, object: { order: {
      id: g.orderId, location_id: g.location, state: g.state, created_at: '2026-11-29T11:59:58.120Z',
      ...(g.customer ? { customer_id: g.customer } : {}),
      line_items: g.lines.map((l) => ({
        uid: l.uid, name: l.name, quantity: l.quantity, ...(l.catalog_object_id ? { catalog_object_id: l.catalog_object_id } : {}),
        ...(l.item_type ? { item_type: l.item_type } : {}), base_price_money: { amount: l.amount, currency: g.currency },
      })),
      total_money: { amount: g.total, currency: g.currency },
      fulfillments: [{ type: 'PICKUP', pickup_details: { recipient: { display_name: 'A Shopper', email_address: g.email, phone_number: g.phone } } }],
      tenders: [{ type: 'CARD', buyer_email_address: g.buyer }],
    } } },
  } as Record<string, unknown>,
}));
const signedSquare = (json: unknown, personal: string[]): Req => {
  const body = JSON.stringify(json);
  return { path: '/square', body, headers: squareHeaders(body), personal };
};
const ORDER = ['data', 'object', 'order'];
const squareHostile = fc.oneof(
  // A field of a well-formed event replaced, and the result signed as Square would.
  fc.tuple(squareEvent, fc.constantFrom(['type'], ['event_id'], ['data'], ['data', 'object'], ORDER, [...ORDER, 'id'], [...ORDER, 'location_id'],
    [...ORDER, 'customer_id'], [...ORDER, 'total_money'], [...ORDER, 'total_money', 'amount'], [...ORDER, 'total_money', 'currency'], [...ORDER, 'line_items'],
    [...ORDER, 'line_items', '0'], [...ORDER, 'line_items', '0', 'quantity'], [...ORDER, 'line_items', '0', 'catalog_object_id'],
    [...ORDER, 'line_items', '0', 'base_price_money', 'amount'], [...ORDER, 'state'], [...ORDER, 'created_at']), hostileValue)
    .map(([g, path, v]) => signedSquare(mutate(g.json, path, v), g.personal)),
  // The personal data in the ids themselves.
  squareEvent.map((g) => signedSquare(mutate(mutate(g.json, [...ORDER, 'customer_id'], g.personal[0]), [...ORDER, 'id'], g.personal[2]), g.personal)),
  // Signed wrongly, or not at all.
  fc.tuple(squareEvent, fc.oneof(fc.base64String(), fc.constant(''), fc.string())).map(([g, sig]) => {
    const body = JSON.stringify(g.json);
    return { path: '/square', body, headers: squareHeaders(body, sig || signSquare(body, 'wrong-key')), personal: g.personal };
  }),
  squareEvent.map((g) => { const body = JSON.stringify(g.json); return { path: '/square', body, headers: squareHeaders(body, signSquare(body, undefined, `${SQUARE_URL}/x`)), personal: g.personal }; }),
  // Not JSON, other JSON, or too large, signed.
  fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"__proto__":{"polluted":1},"type":"order.created","event_id":"e","data":{"object":{}}}', 'x'.repeat(2 * 1024 * 1024 + 1)))
    .map((body) => ({ path: '/square', body, headers: squareHeaders(body), personal: [] })),
);
describeConformance('pos: square', () => adapter(squareEvent.map((g) => signedSquare(g.json, g.personal)), squareHostile));

// ---- Shopify ---------------------------------------------------------------------------------------------------

const shopifyOrder = fc.record({
  webhookId: fc.option(fc.uuid(), { nil: undefined }), id: longNumber, source: fc.constantFrom('pos', 'pos', 'pos', 'web', 'shopify_draft_order'),
  location: fc.constantFrom(71936901234, 71936901234, 71936909999, null), customer: fc.option(longNumber, { nil: null }), currency,
  lines: fc.array(fc.record({ sku: fc.oneof(fc.stringMatching(/^[A-Z]{3,6}-[0-9]{2,4}$/), fc.constantFrom('', null)), variant: fc.option(longNumber, { nil: null }),
    price: cents, quantity: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 6 }),
  total: cents, email, phone, other: email,
}).map((g) => {
  const money = (c: number) => (g.currency === 'JPY' ? String(c) : g.currency === 'KWD' ? (c / 1000).toFixed(3) : (c / 100).toFixed(2));
  return {
    webhookId: g.webhookId, personal: [g.email, g.phone, g.other],
    json: {
      id: g.id, admin_graphql_api_id: `gid://shopify/Order/${g.id}`, name: '#1001', email: g.email, contact_email: g.email, phone: g.phone,
      source_name: g.source, location_id: g.location, currency: g.currency, total_price: money(g.total), created_at: '2026-11-29T10:30:00-05:00', cancelled_at: null,
      customer: g.customer === null ? null : { id: g.customer, email: g.other, phone: g.phone, first_name: 'Sam', admin_graphql_api_id: `gid://shopify/Customer/${g.customer}` },
      line_items: g.lines.map((l) => ({ sku: l.sku, variant_id: l.variant, price: money(l.price), quantity: l.quantity, title: 'Item', name: 'Item' })),
      billing_address: { phone: g.phone, address1: '1 Main St' },
    } as Record<string, unknown>,
  };
});
const signedShopify = (json: unknown, webhookId: string | undefined, personal: string[]): Req => {
  const body = JSON.stringify(json);
  return { path: '/shopify', body, headers: shopifyHeaders(body, webhookId), personal };
};
const shopifyHostile = fc.oneof(
  fc.tuple(shopifyOrder, fc.constantFrom(['id'], ['admin_graphql_api_id'], ['source_name'], ['location_id'], ['currency'], ['total_price'], ['customer'], ['customer', 'id'],
    ['customer', 'admin_graphql_api_id'], ['line_items'], ['line_items', '0'], ['line_items', '0', 'price'], ['line_items', '0', 'quantity'], ['line_items', '0', 'sku'],
    ['line_items', '0', 'variant_id'], ['created_at'], ['cancelled_at']), hostileValue)
    .map(([g, path, v]) => signedShopify(mutate(g.json, path, v), g.webhookId, g.personal)),
  shopifyOrder.map((g) => signedShopify(mutate(mutate(g.json, ['line_items', '0', 'sku'], g.personal[0]), ['customer', 'id'], g.personal[1]), g.webhookId, g.personal)),
  fc.tuple(shopifyOrder, fc.oneof(fc.base64String(), fc.string())).map(([g, sig]) => {
    const body = JSON.stringify(g.json);
    return { path: '/shopify', body, headers: shopifyHeaders(body, g.webhookId, 'orders/create', sig || signShopify(body, 'wrong')), personal: g.personal };
  }),
  fc.tuple(shopifyOrder, junk).map(([g, id]) => ({ ...signedShopify(g.json, undefined, g.personal), headers: { ...shopifyHeaders(JSON.stringify(g.json)), 'x-shopify-webhook-id': encodeURIComponent(id) } })),
  fc.oneof(fc.string(), fc.json()).map((body) => ({ path: '/shopify', body, headers: shopifyHeaders(body), personal: [] })),
);
describeConformance('pos: shopify', () => adapter(shopifyOrder.map((g) => signedShopify(g.json, g.webhookId, g.personal)), shopifyHostile));

// ---- ARTS POSLog -----------------------------------------------------------------------------------------------

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const poslogLine = fc.record({
  item: fc.oneof(fc.integer({ min: 10 ** 12, max: 10 ** 13 - 1 }).map(String), fc.integer({ min: 1000, max: 99999 }).map(String)),
  weighed: fc.boolean(), qty: qtyText, price: cents, voided: fc.boolean(),
});
const poslogTx = fc.record({
  store: fc.constantFrom('S-0042', 'S-0042', 'S-0099'), ws: fc.integer({ min: 1, max: 99 }), seq: fc.integer({ min: 1, max: 999_999 }),
  day: fc.constantFrom('2026-11-28', '2026-11-29', '2026-11-30'), currency: fc.constantFrom('EUR', 'SEK', 'JPY', 'USD'),
  cancel: fc.constantFrom(false, false, false, true), lines: fc.array(poslogLine, { minLength: 1, maxLength: 5 }),
  loyalty: fc.option(fc.tuple(fc.constantFrom('reward', 'ext'), fc.integer({ min: 100000, max: 999999 })), { nil: undefined }), email, phone,
});
type Tx = typeof poslogTx extends fc.Arbitrary<infer T> ? T : never;
function poslogXml(txs: Tx[]): string {
  const tx = txs.map((t) => {
    const lines = t.lines.map((l, i) => `<LineItem${l.voided ? ' VoidFlag="true"' : ''}><SequenceNumber>${i + 1}</SequenceNumber><Sale>`
      + `<ItemID>${l.item}</ItemID><RegularSalesUnitPrice>${(l.price / 100).toFixed(2)}</RegularSalesUnitPrice>`
      + `<Quantity UnitOfMeasureCode="${l.weighed ? 'KGM' : 'EA'}">${l.qty}</Quantity></Sale></LineItem>`).join('');
    const reward = t.loyalty?.[0] === 'reward' ? `<LineItem><LoyaltyReward><LoyaltyID>L-${t.loyalty[1]}</LoyaltyID></LoyaltyReward></LineItem>` : '';
    const ext = t.loyalty?.[0] === 'ext' ? `<x:Member><x:LoyaltyCardNumber>6019-${t.loyalty[1]}</x:LoyaltyCardNumber></x:Member>` : '';
    const total = t.lines.filter((l) => !l.voided).reduce((s, l) => s + l.price * Number(l.qty), 0) / 100;
    return `<Transaction${t.cancel ? ' CancelFlag="true"' : ''}><RetailStoreID>${t.store}</RetailStoreID><WorkstationID>${t.ws}</WorkstationID>`
      + `<SequenceNumber>${t.seq}</SequenceNumber><BusinessDayDate>${t.day}</BusinessDayDate><EndDateTime>${t.day}T18:04:11</EndDateTime>`
      + `<CurrencyCode>${t.currency}</CurrencyCode><RetailTransaction TransactionStatus="Finished">${lines}${reward}`
      + `<Total TotalType="TransactionGrandAmount">${total.toFixed(2)}</Total></RetailTransaction>${ext}`
      + `<x:Receipt><x:Email>${xmlEscape(t.email)}</x:Email><x:Phone>${t.phone}</x:Phone></x:Receipt></Transaction>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/" xmlns:x="urn:example:vendor">${tx}</POSLog>`;
}
const poslogDoc = fc.uniqueArray(poslogTx, { minLength: 1, maxLength: 3, selector: (t) => `${t.store}:${t.ws}:${t.seq}:${t.day}` })
  .map((txs): Req => ({ path: '/poslog', body: poslogXml(txs), headers: poslogHeaders(), personal: txs.flatMap((t) => [t.email, t.phone]) }));
const poslogHostile = fc.oneof(
  // A valid document with one element's text replaced by anything (escaped, so it stays XML), or the XML cut short.
  fc.tuple(poslogDoc, fc.constantFrom('RetailStoreID', 'WorkstationID', 'SequenceNumber', 'BusinessDayDate', 'EndDateTime', 'CurrencyCode', 'ItemID',
    'RegularSalesUnitPrice', 'Quantity', 'Total', 'LoyaltyID', 'LoyaltyCardNumber'), junk)
    .map(([r, el, v]) => ({ ...r, body: r.body.replace(new RegExp(`(<(?:x:)?${el}[^>]*>)[^<]*`), `$1${xmlEscape(v)}`), personal: v.includes('@') ? [...r.personal, v] : r.personal })),
  fc.tuple(poslogDoc, fc.nat()).map(([r, n]) => ({ ...r, body: r.body.slice(0, n % r.body.length) })),
  // The personal data where an id goes.
  poslogDoc.map((r) => ({ ...r, body: r.body.replace(/<ItemID>[^<]*/, `<ItemID>${xmlEscape(r.personal[0]!)}`).replace(/<LoyaltyID>[^<]*/, `<LoyaltyID>${xmlEscape(r.personal[0]!)}`) })),
  // Without the token, or with a wrong one.
  fc.tuple(poslogDoc, fc.oneof(fc.constant(undefined), fc.stringMatching(/^[A-Za-z0-9]{1,40}$/))).map(([r, t]) => ({
    ...r, headers: t === undefined ? { 'content-type': 'application/xml' } : poslogHeaders(t === POSLOG_TOKEN ? `${t}x` : t),
  })),
  // Not POSLog at all: anything, an entity bomb, deep nesting, prototype names, other roots.
  fc.oneof(fc.string(), fc.json(), fc.constantFrom(
    '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbb"><!ENTITY c "&b;&b;&b;&b;">]><POSLog>&c;</POSLog>',
    `${'<a>'.repeat(500)}${'</a>'.repeat(500)}`, '<POSLog><__proto__><polluted>1</polluted></__proto__></POSLog>', '<POSLog><constructor/></POSLog>',
    '<POSLog>text</POSLog>', '<POSLog/>', '<Transaction><RetailStoreID>S-0042</RetailStoreID></Transaction>', '<Invoice/>',
  )).map((body) => ({ path: '/poslog', body, headers: poslogHeaders(), personal: [] })),
);
describeConformance('pos: poslog', () => adapter(poslogDoc, poslogHostile));
