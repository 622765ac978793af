import { describe, expect, it } from 'vitest';
import { StoreConfig, type TokenEntry } from '#contracts';
import { silentLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { createStoreRegistry } from '../stores/registry.js';
import { createApi, type ApiDeps } from './index.js';

const store = (storeId: string) => StoreConfig.parse({ storeId, name: `Store ${storeId}`, timezone: 'Europe/Paris',
  zones: [{ zoneId: 'z-1', name: 'Z', categories: ['c'] }], screens: [{ screenId: 'scr-1', zoneId: 'z-1' }],
  catalog: [{ sku: 'S-1', name: 'Item', category: 'c', price: 3, brand: 'B' }] });
const TOKENS: TokenEntry[] = [
  { token: 'merch-token-s1-xxxxx', role: 'merchandiser', storeId: 's-1' },
  { token: 'merch-token-all-xxxx', role: 'merchandiser', storeId: '*' },
  { token: 'screen-token-s1-xxxx', role: 'screen', storeId: 's-1', subject: 'scr-1' },
];
const metrics = createMetrics();

function api(over: Partial<ApiDeps> = {}) {
  const stores = createStoreRegistry([store('s-1')]);
  const app = createApi({ stores, metrics, log: silentLogger(), startedAt: 0, live: () => ({}), screenToken: () => undefined,
    verify: (t) => TOKENS.find((x) => x.token === t),
    ready: () => ({ broker: { ok: true, detail: 'client' }, store: { ok: false, detail: 'redis' } }), ...over });
  return { app, stores };
}
const put = (body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}, path = '/api/v1/stores/s-1', token = 'merch-token-s1-xxxxx') =>
  new Request(`http://x${path}`, { method: 'PUT', body, duplex: 'half', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response | Promise<Response>): Promise<any> => (await r).json();

describe('API bodies', () => {
  it('refuses a body over the limit with 413 naming the limit, by Content-Length or as it streams', async () => {
    const { app } = api({ maxStoreBodyBytes: 1000 });
    const big = JSON.stringify({ ...store('s-1'), name: 'x'.repeat(2000) });
    const declared = await app.request(put(big, { 'content-length': String(big.length) }));
    expect(declared.status).toBe(413);
    expect((await json(declared)).error).toEqual({ code: 'body.too_large', message: expect.stringContaining('1000 bytes') });
    const streamed = await app.request(put(new Blob([big]).stream(), {}), undefined);
    expect(streamed.status).toBe(413);
  });

  it('other routes have the API-wide limit', async () => {
    const { app } = api({ maxBodyBytes: 100 });
    const r = await app.request(new Request('http://x/nowhere', { method: 'POST', body: 'y'.repeat(500), headers: { 'content-length': '500' } }));
    expect(r.status).toBe(413);
    expect((await json(r)).error.message).toContain('100 bytes');
  });

  it('names what is wrong with a body that is not JSON, is cut short, or is empty', async () => {
    const { app } = api();
    const text = JSON.stringify(store('s-1'));
    for (const [body, expected] of [[text.slice(0, 40), /not valid JSON: .*(end|Unterminated|Expected)/i], ['{oops', /not valid JSON/], ['', /empty/]] as const) {
      const r = await app.request(put(body));
      expect(r.status).toBe(400);
      const err = (await json(r)).error;
      expect(err.code).toBe('body.invalid_json');
      expect(err.message).toMatch(expected);
    }
  });

  it('refuses a body that is not declared JSON with 415', async () => {
    const { app } = api();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const r = await app.request(put(JSON.stringify(store('s-1')), { 'content-type': type }));
      expect(r.status).toBe(415);
      expect((await json(r)).error.code).toBe('body.unsupported_media_type');
    }
  });

  it('PUT replaces a configured store only: 404 for an unknown one, 503 when it cannot be stored', async () => {
    const { app, stores } = api({ saveStore: async () => { throw new Error('redis down'); } });
    const unknown = await app.request(put(JSON.stringify(store('s-9')), {}, '/api/v1/stores/s-9', 'merch-token-all-xxxx'));
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('store.not_found');
    const down = await app.request(put(JSON.stringify({ ...store('s-1'), name: 'New' })));
    expect(down.status).toBe(503);
    expect((await json(down)).error.code).toBe('store.unavailable');
    expect(stores.get('s-1')!.config.name).toBe('Store s-1');
  });

  it('PUT names a bad time zone', async () => {
    const { app } = api();
    const r = await app.request(put(JSON.stringify({ ...store('s-1'), timezone: 'Mars/Base' })));
    expect(r.status).toBe(400);
    expect((await json(r)).error.issues).toEqual([{ path: ['timezone'], message: expect.stringContaining('unknown time zone') }]);
  });
});

describe('API reads', () => {
  it('a screen token reads only what its player shows', async () => {
    const { app } = api();
    const r = await json(app.request('/api/v1/stores/s-1', { headers: { authorization: 'Bearer screen-token-s1-xxxx' } }));
    expect(r).toMatchObject({ storeId: 's-1', name: 'Store s-1', currency: 'EUR', timezone: 'Europe/Paris', catalog: [{ sku: 'S-1', category: 'c' }] });
    expect(Object.keys(r).sort()).toEqual(['catalog', 'currency', 'labels', 'name', 'storeId', 'timezone', 'zones']);
    expect(JSON.stringify(r)).not.toMatch(/"price"|"screens"/);
  });
});

describe('OpenAPI', () => {
  it('documents the PUT body as the StoreConfig schema and the new error statuses', async () => {
    const doc = await json(api().app.request('/api/v1/openapi.json'));
    const put = doc.paths['/api/v1/stores/{storeId}'].put;
    expect(put.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StoreConfig' });
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '413', '415', '503']));
    expect(doc.components.schemas.StoreConfig.properties.catalog.type).toBe('array');
  });
});

describe('operator endpoints', () => {
  it('are open without an operator token, as before', async () => {
    const { app } = api();
    expect((await app.request('/metrics')).status).toBe(200);
    expect(await json(app.request('/readyz'))).toEqual({ status: 'not_ready', checks: expect.objectContaining({ store: { ok: false, detail: 'redis' } }) });
  });

  it('with an operator token: /metrics needs it, /readyz without it answers only its status', async () => {
    const { app } = api({ opsToken: 'ops-secret-0123456789' });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await json(app.request('/metrics'))).error.code).toBe('auth.missing');
    expect((await json(app.request('/metrics', { headers: { authorization: 'Bearer wrong' } }))).error.code).toBe('auth.invalid');
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer ops-secret-0123456789' } })).status).toBe(200);
    const anon = await app.request('/readyz');
    expect(anon.status).toBe(503);
    expect(await anon.json()).toEqual({ status: 'not_ready' });
    expect((await json(app.request('/readyz', { headers: { authorization: 'Bearer ops-secret-0123456789' } }))).checks.broker).toEqual({ ok: true, detail: 'client' });
  });
});

describe('security headers', () => {
  it('are on every response: JSON, errors and unknown routes', async () => {
    const { app } = api();
    for (const r of [await app.request('/healthz'), await app.request('/api/v1/stores'), await app.request('/nowhere'),
      await app.request(put('{oops'))]) {
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('let the page open its WebSocket on its own host, and echo no malformed Host', async () => {
    const { app } = api();
    const csp = (await app.request('http://shop.local:8080/healthz', { headers: { host: 'shop.local:8080' } })).headers.get('content-security-policy')!;
    expect(csp).toContain("connect-src 'self' ws://shop.local:8080 wss://shop.local:8080");
    const evil = (await app.request('http://x/healthz', { headers: { host: "x; script-src 'unsafe-inline'" } })).headers.get('content-security-policy')!;
    expect(evil).toContain("connect-src 'self' ;");
    expect(evil).toMatch(/script-src 'self';/);
  });
});
