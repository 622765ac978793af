/** Shared by the POS gateway's tests (pos.test.ts, pos.conformance.test.ts); not used at run time. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { gatewayLogger, startGateway, type StartedGateway } from '../kit/runtime.js';
import { createRecordingClient } from '../kit/testing.js';
import { PosConfig } from './config.js';
import { definition } from './gateway.js';
import { SHOPIFY_HMAC_HEADER, SHOPIFY_TOPIC_HEADER, SHOPIFY_WEBHOOK_ID_HEADER } from './shopify.js';
import { SQUARE_SIGNATURE_HEADER } from './square.js';

export const STORE = 'store-1';
export const SQUARE_KEY = 'sq0wss-test-signature-key-5Kd93';
export const SQUARE_URL = 'https://pos-gw.example.com/square';
export const SHOPIFY_SECRET = 'shpss_test_0123456789abcdef';
export const POSLOG_TOKEN = 'poslog-test-token-7f3a9c2e';

/** The test store's POS settings: locations of this store and of another, a few SKU mappings, one mapped member. */
export const testSettings = (extra: { squareApi?: string; dir?: string; ackTimeoutMs?: number } = {}) => ({
  square: {
    signatureKey: SQUARE_KEY, notificationUrl: SQUARE_URL,
    locations: { L1NN4714D67HQ: STORE, LJ7TOKYOSHIBUYA: STORE, L0THERST0REXX: 'store-2' },
    ...(extra.squareApi ? { orderLookup: { accessToken: 'EAAAl-test-access-token', baseUrl: extra.squareApi, version: '2025-01-23' } } : {}),
  },
  shopify: { secret: SHOPIFY_SECRET, locations: { '71936901234': STORE, '71936909999': 'store-2' } },
  poslog: { token: POSLOG_TOKEN, locations: { 'S-0042': STORE, 'S-0099': 'store-2' }, timezone: 'Europe/Berlin', minAgeMs: 0, pollMs: 50, ...(extra.dir ? { dir: extra.dir } : {}) },
  skuMap: { W62UWFY35CWMYGVWK6TWJDNI: 'latte-oat', '44858553794691': 'mug-ceramic', '4006381333931': 'beans-espresso-1kg' },
  customers: { prefix: 'c:', map: { JDKYHBWT1D4F8MFH63DBMEN8Y4: 'm-1001' } },
  ...(extra.ackTimeoutMs ? { ackTimeoutMs: extra.ackTimeoutMs } : {}),
});

/** A parsed configuration (secrets resolved, defaults applied), as the kit hands it to `setup`. */
export function testConfig(pos: object = testSettings(), maxBuffered = 10_000): PosConfig {
  return PosConfig.parse({
    gatewayId: 'pos-test', storeId: STORE, mqtt: { url: 'mqtt://127.0.0.1:1', maxBuffered },
    http: { host: '127.0.0.1', port: 0 }, pseudonymKey: 'k'.repeat(32), logLevel: 'debug', pos,
  });
}

export const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export const signSquare = (body: string, key = SQUARE_KEY, url = SQUARE_URL): string => createHmac('sha256', key).update(url + body).digest('base64');
export const signShopify = (body: string, secret = SHOPIFY_SECRET): string => createHmac('sha256', secret).update(body).digest('base64');

export const squareHeaders = (body: string, sig = signSquare(body)) => ({ 'content-type': 'application/json', [SQUARE_SIGNATURE_HEADER]: sig });
export const shopifyHeaders = (body: string, webhookId?: string, topic = 'orders/create', sig = signShopify(body)) => ({
  'content-type': 'application/json', [SHOPIFY_HMAC_HEADER]: sig, [SHOPIFY_TOPIC_HEADER]: topic,
  ...(webhookId ? { [SHOPIFY_WEBHOOK_ID_HEADER]: webhookId } : {}),
});
export const poslogHeaders = (token = POSLOG_TOKEN) => ({ 'content-type': 'application/xml', authorization: `Bearer ${token}` });

export type Reply = { status: number; body: Record<string, unknown> };

/** POSTs to the gateway and reads its JSON answer. */
export async function post(gw: StartedGateway, path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Reply> {
  const res = await fetch(`http://127.0.0.1:${gw.port}${path}`, { method: 'POST', body, headers });
  const text = await res.text();
  let json: Record<string, unknown>;
  try { json = JSON.parse(text) as Record<string, unknown>; } catch { json = { text }; }
  return { status: res.status, body: json };
}

/** A started POS gateway on a recording broker client, with its log lines kept. */
export async function startPosGateway(config: PosConfig = testConfig()) {
  const rec = createRecordingClient();
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const gw = await startGateway(config, (rt) => definition.setup(rt, config), { log: gatewayLogger(config.gatewayId, 'debug', sink), publisherClient: rec.client });
  const events = () => rec.sent.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  return { gw, rec, logs, events };
}

/** Square's RetrieveOrder on loopback: answers the orders it holds, 404 for the rest; counts its calls. */
export async function startFakeSquareApi(orders: Record<string, unknown>) {
  const app = new Hono();
  const calls: { id: string; auth: string | undefined }[] = [];
  app.get('/v2/orders/:id', (c) => {
    const id = c.req.param('id');
    calls.push({ id, auth: c.req.header('authorization') });
    return Object.hasOwn(orders, id) ? c.json({ order: orders[id] }) : c.json({ errors: [{ code: 'NOT_FOUND' }] }, 404);
  });
  const server: Server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
