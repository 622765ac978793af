import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PosEvent } from '#contracts';
import { loadGatewayConfig } from '../kit/config.js';
import type { StartedGateway } from '../kit/runtime.js';
import { carriesPersonalId } from '../kit/scrub.js';
import { PosConfig } from './config.js';
import { mapCustomer, safeId } from './ids.js';
import { currencyExponent, fromMinorUnits, parseMoney, parseQuantity } from './money.js';
import { toEpochMs } from './time.js';
import {
  fixture, post, poslogHeaders, POSLOG_TOKEN, shopifyHeaders, signShopify, signSquare, squareHeaders, startFakeSquareApi,
  startPosGateway, STORE, testConfig, testSettings,
} from './test-support.js';

type Started = Awaited<ReturnType<typeof startPosGateway>>;
const rejected = async (gw: StartedGateway, reason: string) =>
  (await gw.runtime.metrics.rejected.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
const duplicates = async (gw: StartedGateway) => (await gw.runtime.metrics.duplicates.get()).values[0]?.value ?? 0;
/** What must never leave the gateway: every e-mail address and phone number in the fixtures. */
const PERSONAL = ['jane.doe@example.com', '+1 555-0100', 'sam.lee@example.com', 'ana.silva@example.com', '+1 613-555-0135',
  'li.wei@example.com', 'mila.novak@example.com', '+49 30 901820'];

describe('money, quantities, time and ids', () => {
  it('converts minor units with the currency exponent Intl reports, and parses decimals and quantities strictly', () => {
    expect([currencyExponent('JPY'), currencyExponent('USD'), currencyExponent('KWD'), currencyExponent('EUR')]).toEqual([0, 2, 3, 2]);
    expect(currencyExponent('QQQ')).toBeUndefined();
    expect(currencyExponent('usd')).toBeUndefined();
    expect(fromMinorUnits(1099, 2)).toBe(10.99);
    expect(fromMinorUnits(1500, 0)).toBe(1500);
    expect(fromMinorUnits(12345, 3)).toBe(12.345);
    expect(fromMinorUnits(10.5, 2)).toBeUndefined();
    expect(fromMinorUnits('1099', 2)).toBeUndefined();
    expect(parseMoney('199.00', 2)).toBe(199);
    expect(parseMoney('0.845', 2)).toBe(0.84); // toFixed's binary rounding: stated amounts are already rounded
    expect(parseMoney('1e3', 2)).toBeUndefined();
    expect(parseQuantity('0.42')).toBe(0.42);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(3)).toBe(3);
    expect(parseQuantity('0.420')).toBe(0.42);
    for (const bad of ['0', '-1', 'abc', '', '0.0000001', 'NaN', 'Infinity', null, Number.NaN]) expect(parseQuantity(bad)).toBeUndefined();
  });

  it('reads offsets as written and wall-clock times in the configured zone', () => {
    expect(toEpochMs('2026-11-29T14:02:10.201Z')).toBe(Date.UTC(2026, 10, 29, 14, 2, 10, 201));
    expect(toEpochMs('2026-11-29T10:30:00-05:00')).toBe(Date.UTC(2026, 10, 29, 15, 30));
    expect(toEpochMs('2026-11-29T17:38:53', 'Europe/Berlin')).toBe(Date.UTC(2026, 10, 29, 16, 38, 53));
    expect(toEpochMs('2026-07-01T12:00:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10));
    expect(toEpochMs('2026-11-29T17:38:53')).toBe(Date.UTC(2026, 10, 29, 17, 38, 53));
    expect(toEpochMs('2026-13-01T00:00:00')).toBeUndefined();
    expect(toEpochMs('yesterday')).toBeUndefined();
  });

  it('builds ids that are valid and never look like a MAC or an e-mail; maps customers', () => {
    expect(safeId('square:', 'eA3vssLHKJrv9H0IdJCM3gNqfdcZY')).toBe('square:eA3vssLHKJrv9H0IdJCM3gNqfdcZY');
    expect(safeId('x:', 'c164463c-92d5-33ca-9818-06da863a7f72')).toMatch(/^x:h[a-z2-7]{26}$/);
    // Twelve decimal digits (an old Shopify id, a barcode) stay as they are; twelve hex digits with a letter are hashed.
    expect(safeId('', '820982911946')).toBe('820982911946');
    const hexy = safeId('', '8209829119ae');
    expect(hexy).toMatch(/^h[a-z2-7]{26}$/);
    expect(safeId('', '8209829119ae')).toBe(hexy);
    expect(safeId('o', '8209829119ae')).toBe('o8209829119ae');
    expect(carriesPersonalId(safeId('x:', 'ann@example.com'))).toBe(false);
    expect(safeId('p:', 'a'.repeat(100))).toMatch(/^p:h[a-z2-7]{26}$/);
    const m = { map: { V1: 'member-1' }, prefix: 'c:', unmapped: 'prefix' as const };
    expect(mapCustomer(m, 'V1')).toBe('member-1');
    expect(mapCustomer(m, 'V2')).toBe('c:V2');
    expect(mapCustomer(m, 123)).toBe('c:123');
    expect(mapCustomer(m, 'ann@example.com')).toBeUndefined();
    expect(mapCustomer(m, 'constructor')).toBe('c:constructor');
    expect(mapCustomer({ ...m, unmapped: 'drop' }, 'V2')).toBeUndefined();
    expect(mapCustomer(m, undefined)).toBeUndefined();
  });
});

describe('square', () => {
  let s: Started;
  let api: Awaited<ReturnType<typeof startFakeSquareApi>>;
  const retrieved = JSON.parse(fixture('square-retrieve-order.json')) as { order: { id: string } };
  beforeAll(async () => {
    api = await startFakeSquareApi({ [retrieved.order.id]: retrieved.order });
    s = await startPosGateway(testConfig(testSettings({ squareApi: api.baseUrl })));
  });
  afterAll(async () => { await s.gw.close(); await api.close(); });

  it('takes a USD order: signature over URL + raw body, minor units to decimals, string quantities, the member mapped', async () => {
    const body = fixture('square-order-created-usd.json');
    const r = await post(s.gw, '/square', body, squareHeaders(body));
    expect(r).toEqual({ status: 200, body: { outcome: 'published', id: 'square:eA3vssLHKJrv9H0IdJCM3gNqfdcZY' } });
    const e = PosEvent.parse(s.events().at(-1));
    expect(e).toEqual({
      type: 'pos', id: 'square:eA3vssLHKJrv9H0IdJCM3gNqfdcZY', ts: Date.UTC(2026, 10, 29, 14, 2, 10, 201), storeId: STORE,
      transactionId: 'eA3vssLHKJrv9H0IdJCM3gNqfdcZY', customerId: 'm-1001', currency: 'USD', total: 16.05,
      lines: [{ sku: 'latte-oat', qty: 2, unitPrice: 4.5 }, { sku: 'HVHYTYDU6U3QJJCMWAXWPYR3', qty: 0.42, unitPrice: 2.99 }],
    });
    expect(s.rec.sent.at(-1)!.topic).toBe(`aisle/v1/stores/${STORE}/pos`);
  });

  it('takes a JPY order without customer_id: no decimals, no customer', async () => {
    const body = fixture('square-order-created-jpy.json');
    expect((await post(s.gw, '/square', body, squareHeaders(body))).status).toBe(200);
    const e = PosEvent.parse(s.events().at(-1));
    expect(e.currency).toBe('JPY');
    expect(e.total).toBe(2178);
    expect(e.customerId).toBeUndefined();
    expect(e.lines).toEqual([{ sku: 'MATCHA0LATTE0VARIATION0A', qty: 3, unitPrice: 580 }, { sku: 'DORAYAKI0VARIATION0B', qty: 1, unitPrice: 240 }]);
  });

  it('refuses a wrong signature with 403 (a wrong key, another URL, a changed body, none), counted, nothing published', async () => {
    const body = fixture('square-order-created-usd.json').replace('"amount": 1605', '"amount": 1');
    const before = s.rec.sent.length;
    const counted = await rejected(s.gw, 'signature');
    for (const sig of [signSquare(body, 'another-key'), signSquare(body, undefined, 'https://elsewhere.example.com/square'),
      signSquare(fixture('square-order-created-usd.json')), '', 'not base64 at all']) {
      const r = await post(s.gw, '/square', body, squareHeaders(body, sig));
      expect(r).toEqual({ status: 403, body: { outcome: 'refused', reason: 'signature' } });
    }
    expect(await rejected(s.gw, 'signature')).toBe(counted + 5);
    expect(s.rec.sent.length).toBe(before);
  });

  it('suppresses duplicates: the same event again, and the same order under another event', async () => {
    const body = fixture('square-order-created-usd.json');
    const before = s.rec.sent.length;
    const dups = await duplicates(s.gw);
    expect((await post(s.gw, '/square', body, squareHeaders(body))).body).toEqual({ outcome: 'duplicate' });
    const updated = JSON.parse(body) as { type: string; event_id: string };
    updated.type = 'order.updated';
    updated.event_id = '5d0c6f7a-1111-4222-8333-944455556666';
    const text = JSON.stringify(updated);
    expect((await post(s.gw, '/square', text, squareHeaders(text))).body).toEqual({ outcome: 'duplicate' });
    expect(s.rec.sent.length).toBe(before);
    expect(await duplicates(s.gw)).toBe(dups + 2);
  });

  it('acknowledges another location\'s order with 200 but publishes nothing (counted as location)', async () => {
    const order = JSON.parse(fixture('square-order-created-jpy.json')) as { event_id: string; data: { object: { order: { location_id: string; id: string } } } };
    order.event_id = '7e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
    order.data.object.order.location_id = 'L0THERST0REXX';
    order.data.object.order.id = 'OtherStoreOrder0000000000001';
    const body = JSON.stringify(order);
    const before = s.rec.sent.length;
    const counted = await rejected(s.gw, 'location');
    expect(await post(s.gw, '/square', body, squareHeaders(body))).toEqual({ status: 200, body: { outcome: 'ignored', reason: 'location' } });
    expect(await rejected(s.gw, 'location')).toBe(counted + 1);
    expect(s.rec.sent.length).toBe(before);
  });

  it('retrieves the order of an order_created summary once; the payment of that order is then a duplicate', async () => {
    const body = fixture('square-order-created-summary.json');
    expect((await post(s.gw, '/square', body, squareHeaders(body))).status).toBe(200);
    const e = PosEvent.parse(s.events().at(-1));
    expect(e).toMatchObject({ id: `square:${retrieved.order.id}`, transactionId: retrieved.order.id, total: 4.9, lines: [{ sku: 'latte-oat', qty: 1, unitPrice: 4.5 }] });
    expect(api.calls).toEqual([{ id: retrieved.order.id, auth: 'Bearer EAAAl-test-access-token' }]);
    const payment = fixture('square-payment-updated.json');
    expect((await post(s.gw, '/square', payment, squareHeaders(payment))).body).toEqual({ outcome: 'duplicate' });
    expect(api.calls.length).toBe(1);
  });

  it('ignores a summary whose order cannot be retrieved, or when no lookup is configured', async () => {
    const summary = fixture('square-order-created-summary.json').replaceAll('R7wGmN2pXc4KvB8sT1qLzYh5dJfZY', 'UnknownOrder000000000000001')
      .replace('d27f5a9e-5b1c-4f0e-9a51-2c7e0b3f4a18', 'aa27f5a9-5b1c-4f0e-9a51-2c7e0b3f4a18');
    expect((await post(s.gw, '/square', summary, squareHeaders(summary))).body).toEqual({ outcome: 'ignored', reason: 'order_not_found' });
    const plain = await startPosGateway();
    try {
      const body = fixture('square-order-created-summary.json');
      expect((await post(plain.gw, '/square', body, squareHeaders(body))).body).toEqual({ outcome: 'ignored', reason: 'order_not_included' });
    } finally { await plain.gw.close(); }
  });

  it('refuses a body over 2 MiB with 413 (read to the end, so the sender gets the answer), counted', async () => {
    const counted = await rejected(s.gw, 'too_large');
    const big = `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    expect(await post(s.gw, '/square', big, squareHeaders(big))).toEqual({ status: 413, body: { outcome: 'refused', reason: 'too_large' } });
    expect(await rejected(s.gw, 'too_large')).toBe(counted + 1);
  });

  it('refuses what is not JSON or not a webhook with 400, ignores other event types, and never logs an e-mail or a phone', async () => {
    for (const [body, reason] of [['{', 'json'], ['[]', 'json'], ['{"type":"order.created"}', 'shape']] as const) {
      expect(await post(s.gw, '/square', body, squareHeaders(body))).toEqual({ status: 400, body: { outcome: 'refused', reason } });
    }
    const other = JSON.stringify({ merchant_id: 'M', type: 'customer.created', event_id: 'e-1', data: { object: { customer: { email_address: 'jane.doe@example.com' } } } });
    expect((await post(s.gw, '/square', other, squareHeaders(other))).body).toEqual({ outcome: 'ignored', reason: 'event_type' });
    const out = s.rec.sent.map((m) => m.payload).join('\n') + s.logs.join('\n');
    for (const p of PERSONAL) expect(out).not.toContain(p);
  });
});

describe('shopify', () => {
  let s: Started;
  beforeAll(async () => { s = await startPosGateway(); });
  afterAll(async () => { await s.gw.close(); });
  const WEBHOOK_ID = 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043';

  it('takes a POS order of this store: HMAC of the raw body, decimal prices, SKU or variant mapped, member mapped, no e-mail or phone', async () => {
    const body = fixture('shopify-orders-create-pos.json');
    const r = await post(s.gw, '/shopify', body, shopifyHeaders(body, WEBHOOK_ID));
    expect(r).toEqual({ status: 200, body: { outcome: 'published', id: 'shopify:o5940139491234' } });
    const e = PosEvent.parse(s.events().at(-1));
    expect(e).toEqual({
      type: 'pos', id: 'shopify:o5940139491234', ts: Date.UTC(2026, 10, 29, 15, 30), storeId: STORE,
      transactionId: 'o5940139491234', customerId: 'c:7263526191234', currency: 'CAD', total: 47.35,
      lines: [{ sku: 'BEAN-DARK-340', qty: 2, unitPrice: 16.95 }, { sku: 'mug-ceramic', qty: 1, unitPrice: 8 }],
    });
    const out = s.rec.sent.map((m) => m.payload).join('\n') + s.logs.join('\n');
    for (const p of PERSONAL) expect(out).not.toContain(p);
    expect(out).not.toMatch(/Silva|Rideau/);
  });

  it('suppresses the same delivery again, and the same order under another webhook id', async () => {
    const body = fixture('shopify-orders-create-pos.json');
    const before = s.rec.sent.length;
    expect((await post(s.gw, '/shopify', body, shopifyHeaders(body, WEBHOOK_ID))).body).toEqual({ outcome: 'duplicate' });
    expect((await post(s.gw, '/shopify', body, shopifyHeaders(body, '11111111-2222-4333-8444-555566667777', 'orders/paid'))).body).toEqual({ outcome: 'duplicate' });
    expect((await post(s.gw, '/shopify', body, shopifyHeaders(body))).body).toEqual({ outcome: 'duplicate' });
    expect(s.rec.sent.length).toBe(before);
  });

  it('acknowledges and ignores web orders, other locations, cancelled orders and other topics (counted)', async () => {
    const before = s.rec.sent.length;
    const web = fixture('shopify-orders-create-web.json');
    expect(await post(s.gw, '/shopify', web, shopifyHeaders(web, 'c0ffee00-0000-4000-8000-000000000001'))).toEqual({ status: 200, body: { outcome: 'ignored', reason: 'source' } });
    const pos = JSON.parse(fixture('shopify-orders-create-pos.json')) as Record<string, unknown>;
    const other = JSON.stringify({ ...pos, id: 5940139500001, admin_graphql_api_id: 'gid://shopify/Order/5940139500001', location_id: 71936909999 });
    expect((await post(s.gw, '/shopify', other, shopifyHeaders(other))).body).toEqual({ outcome: 'ignored', reason: 'location' });
    const cancelled = JSON.stringify({ ...pos, id: 5940139500002, admin_graphql_api_id: null, cancelled_at: '2026-11-29T10:31:00-05:00' });
    expect((await post(s.gw, '/shopify', cancelled, shopifyHeaders(cancelled))).body).toEqual({ outcome: 'ignored', reason: 'cancelled' });
    const body = fixture('shopify-orders-create-pos.json');
    expect((await post(s.gw, '/shopify', body, shopifyHeaders(body, undefined, 'customers/create'))).body).toEqual({ outcome: 'ignored', reason: 'topic' });
    expect(await rejected(s.gw, 'source')).toBe(1);
    expect(s.rec.sent.length).toBe(before);
  });

  it('refuses a bad HMAC with 403 and bad JSON with 400', async () => {
    const body = fixture('shopify-orders-create-pos.json');
    expect((await post(s.gw, '/shopify', body, shopifyHeaders(body, undefined, 'orders/create', signShopify(body, 'wrong-secret')))).status).toBe(403);
    expect((await post(s.gw, '/shopify', `${body} `, shopifyHeaders(`${body} `, undefined, 'orders/create', signShopify(body)))).status).toBe(403);
    expect((await post(s.gw, '/shopify', 'nope', shopifyHeaders('nope'))).body).toEqual({ outcome: 'refused', reason: 'json' });
    const noLines = JSON.stringify({ id: 1, currency: 'CAD', total_price: '1.00' });
    expect((await post(s.gw, '/shopify', noLines, shopifyHeaders(noLines))).body).toEqual({ outcome: 'refused', reason: 'shape' });
  });
});

describe('ARTS POSLog', () => {
  let s: Started;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poslog-'));
    s = await startPosGateway(testConfig(testSettings({ dir })));
  });
  afterAll(async () => { await s.gw.close(); });

  it('takes a sale with a weighed item and the member from LoyaltyReward; voided lines left out; local time in the configured zone', async () => {
    const xml = fixture('poslog-sale-weighed.xml');
    const r = await post(s.gw, '/poslog', xml, poslogHeaders());
    expect(r).toEqual({ status: 200, body: { outcome: 'published', id: 'poslog:S-0042:3:10457:2026-11-29' } });
    expect(PosEvent.parse(s.events().at(-1))).toEqual({
      type: 'pos', id: 'poslog:S-0042:3:10457:2026-11-29', ts: Date.UTC(2026, 10, 29, 16, 38, 53), storeId: STORE,
      transactionId: 'S-0042:3:10457:2026-11-29', customerId: 'c:L-778812', currency: 'EUR', total: 19.74,
      lines: [{ sku: 'beans-espresso-1kg', qty: 1, unitPrice: 18.9 }, { sku: '2400123', qty: 0.42, unitPrice: 1.99 }],
    });
    const before = s.rec.sent.length;
    expect((await post(s.gw, '/poslog', xml, poslogHeaders())).body).toEqual({ outcome: 'duplicate' });
    expect(s.rec.sent.length).toBe(before);
    const out = s.rec.sent.map((m) => m.payload).join('\n') + s.logs.join('\n');
    for (const p of PERSONAL) expect(out).not.toContain(p);
  });

  it('takes the sale of a batch with the member in an x: extension; returns, cancellations, control and other stores\' transactions are not sales', async () => {
    const before = s.rec.sent.length;
    const r = await post(s.gw, '/poslog', fixture('poslog-extension-batch.xml'), poslogHeaders());
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      outcome: 'published',
      transactions: [
        { outcome: 'published', id: 'poslog:S-0042:7:2201:2026-11-29' },
        { outcome: 'ignored', reason: 'return' },
        { outcome: 'ignored', reason: 'cancelled' },
        { outcome: 'ignored', reason: 'not_a_sale' },
        { outcome: 'ignored', reason: 'location' },
      ],
    });
    expect(s.rec.sent.length).toBe(before + 1);
    expect(PosEvent.parse(s.events().at(-1))).toMatchObject({
      ts: Date.UTC(2026, 10, 29, 8, 15, 2), customerId: 'c:6019-4471-2208', currency: 'SEK', total: 49.8,
      lines: [{ sku: '7310865004703', qty: 2, unitPrice: 24.9 }],
    });
  });

  it('refuses without the bearer token (401), and a DOCTYPE, bad XML or another document (400)', async () => {
    const xml = fixture('poslog-sale-weighed.xml');
    expect((await post(s.gw, '/poslog', xml, { 'content-type': 'application/xml' })).status).toBe(401);
    expect((await post(s.gw, '/poslog', xml, poslogHeaders(`${POSLOG_TOKEN}x`))).body).toEqual({ outcome: 'refused', reason: 'auth' });
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><POSLog>&lol2;</POSLog>';
    expect((await post(s.gw, '/poslog', bomb, poslogHeaders())).body).toEqual({ outcome: 'refused', reason: 'xml_doctype' });
    expect((await post(s.gw, '/poslog', '<POSLog><Transaction>', poslogHeaders())).body).toEqual({ outcome: 'refused', reason: 'xml' });
    expect((await post(s.gw, '/poslog', '<Invoice/>', poslogHeaders())).body).toEqual({ outcome: 'refused', reason: 'not_poslog' });
  });

  it('takes files dropped in the folder, moving them to done/ (or failed/ when unreadable)', async () => {
    const xml = fixture('poslog-sale-weighed.xml').replaceAll('10457', '10458');
    writeFileSync(join(dir, 'tx-10458.xml'), xml);
    writeFileSync(join(dir, 'broken.xml'), '<POSLog>');
    writeFileSync(join(dir, 'notes.txt'), 'not mine');
    await expect.poll(() => readdirSync(dir).sort(), { timeout: 3000 }).toEqual(['done', 'failed', 'notes.txt']);
    expect(readdirSync(join(dir, 'done'))).toEqual(['tx-10458.xml']);
    expect(readdirSync(join(dir, 'failed'))).toEqual(['broken.xml']);
    expect(s.events().at(-1)).toMatchObject({ id: 'poslog:S-0042:3:10458:2026-11-29' });
  });
});

describe('delivery', () => {
  it('answers 503 while the broker has not acknowledged (the event stays buffered) and when the buffer is full; the retry is then a duplicate', async () => {
    const s = await startPosGateway(testConfig(testSettings({ ackTimeoutMs: 150 }), 1));
    try {
      s.rec.setConnected(false);
      const usd = fixture('square-order-created-usd.json');
      expect(await post(s.gw, '/square', usd, squareHeaders(usd))).toEqual({ status: 503, body: { outcome: 'retry', reason: 'broker_timeout' } });
      const jpy = fixture('square-order-created-jpy.json');
      expect(await post(s.gw, '/square', jpy, squareHeaders(jpy))).toEqual({ status: 503, body: { outcome: 'retry', reason: 'buffer_full' } });
      expect(s.rec.sent.length).toBe(0);
      s.rec.setConnected(true);
      await expect.poll(() => s.rec.sent.length).toBe(1);
      expect((await post(s.gw, '/square', usd, squareHeaders(usd))).body).toEqual({ outcome: 'duplicate', id: undefined });
      expect((await post(s.gw, '/square', jpy, squareHeaders(jpy))).body).toMatchObject({ outcome: 'published' });
      expect(s.rec.sent.length).toBe(2);
    } finally { await s.gw.close(); }
  });
});

describe('configuration', () => {
  it('reads the example with its secrets from the environment', () => {
    const env = { SQUARE_SIGNATURE_KEY: 'k1', SQUARE_ACCESS_TOKEN: 'k2', SHOPIFY_WEBHOOK_SECRET: 'k3', POSLOG_TOKEN: 'k'.repeat(24), AISLE_PSEUDONYM_KEY: 'p'.repeat(32) };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const c = loadGatewayConfig(new URL('./example.json', import.meta.url).pathname, PosConfig);
      expect(c.pos.square?.signatureKey).toBe('k1');
      expect(c.pos.shopify?.path).toBe('/shopify');
      expect(c.pos.poslog?.timezone).toBe('Europe/Berlin');
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    }
  });

  it('names the field when no location is this store\'s, two vendors share a path, or nothing is configured', () => {
    const base = { gatewayId: 'g', storeId: STORE, mqtt: { url: 'mqtt://x' }, pseudonymKey: 'k'.repeat(32) };
    const issues = (pos: object) => PosConfig.safeParse({ ...base, pos }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ shopify: { secret: 's', locations: { '1': 'store-2' } } })).toEqual(['pos.shopify.locations: no location maps to storeId store-1']);
    expect(issues({ shopify: { secret: 's', locations: { '1': STORE }, path: '/x' }, poslog: { token: POSLOG_TOKEN, path: '/x' } })).toEqual(['pos: square, shopify and poslog need different paths']);
    expect(issues({})?.[0]).toMatch(/configure at least one/);
    expect(issues({ poslog: { currency: 'EUR' } })?.[0]).toMatch(/needs a token/);
    expect(issues({ poslog: { token: POSLOG_TOKEN, timezone: 'Mars/Olympus' } })?.[0]).toMatch(/time zone/);
  });
});
