import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { connectWs } from '../helpers/ws-client.js';

describe('HTTP API', () => {
  let t: TestEngine;
  let base: string;
  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field below
  const json = async (r: Response | Promise<Response>): Promise<any> => (await r).json();
  const consoleToken = () => `tok-console-${t.storeId}-x`;

  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    base = `http://127.0.0.1:${t.port}`;
  });
  afterAll(async () => { await t?.close(); });

  it('answers health, readiness with each dependency, and Prometheus metrics', async () => {
    expect((await json(get('/healthz'))).status).toBe('ok');
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    const body = await json(ready);
    expect(body.checks.broker).toMatchObject({ ok: true, detail: 'client' });
    expect(body.checks.store).toMatchObject({ ok: true, detail: 'redis' });
    expect(body.checks.model.ok).toBe(true);
    await t.publish('presence', { deviceId: 'd-1', zoneId: 'z-kitchen', source: 'wifi' });
    const text = await eventually(async () => { const x = await (await get('/metrics')).text(); return x.includes('aisle_decision_latency_seconds_count') && /aisle_events_total\{type="presence",outcome="accepted"\} [1-9]/.test(x) ? x : undefined; });
    expect(text).toMatch(/aisle_decisions_total\{reason="[a-z]+",ranker="[a-z-]+"\} \d+/);
    expect(text).toContain('aisle_ws_clients');
  });

  it('publishes an OpenAPI document', async () => {
    const doc = await json(get('/api/v1/openapi.json'));
    expect(doc.openapi).toBe('3.0.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/stores', '/api/v1/stores/{storeId}', '/api/v1/stores/{storeId}/live']));
  });

  it('requires a token and keeps stores apart', async () => {
    expect((await get('/api/v1/stores')).status).toBe(401);
    expect((await json(get('/api/v1/stores'))).error.code).toBe('auth.missing');
    expect((await get('/api/v1/stores', 'nope')).status).toBe(401);
    const list = await json(get('/api/v1/stores', consoleToken()));
    expect(list).toEqual([{ storeId: t.storeId, name: t.store.name, zones: 3, screens: 3 }]);
    const cfg = await json(get(`/api/v1/stores/${t.storeId}`, consoleToken()));
    expect(cfg.catalog).toHaveLength(32);
    expect((await get('/api/v1/stores/other-store', consoleToken())).status).toBe(403);
    // Staff setting up displays get each screen's own token; a screen token does not.
    const links = await json(get(`/api/v1/stores/${t.storeId}/screens`, consoleToken()));
    expect(links.find((l: { screenId: string }) => l.screenId === 'scr-kitchen-1').token).toBe(t.screenToken('scr-kitchen-1'));
    expect((await get(`/api/v1/stores/${t.storeId}/screens`, t.screenToken('scr-kitchen-1'))).status).toBe(403);
  });

  it('shows the live store: shoppers per zone (counts only) and screens online', async () => {
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    await screen.next((f) => f.type === 'screen.content');
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    const live = await eventually(async () => {
      const l = await json(get(`/api/v1/stores/${t.storeId}/live`, consoleToken()));
      return l.zones.find((z: { zoneId: string }) => z.zoneId === 'z-candles').shoppers === 1 && l.screens.find((s: { screenId: string }) => s.screenId === 'scr-candles-1').current?.reason === 'shopper' ? l : undefined;
    });
    expect(live.zones.find((z: { zoneId: string }) => z.zoneId === 'z-candles')).toMatchObject({ shoppers: 1, identified: 1 });
    expect(live.screens.find((s: { screenId: string }) => s.screenId === 'scr-candles-1')).toMatchObject({ online: true });
    expect(JSON.stringify(live)).not.toMatch(/c-mia|Mia|d-mia/);
    await screen.close();
  });

  it('rejects bad input with a 4xx naming the field, and only a merchandiser may replace a store', async () => {
    const merch = `tok-merch-${t.storeId}-xxx`;
    const put = (body: unknown, token = merch) => fetch(`${base}/api/v1/stores/${t.storeId}`, { method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect((await put(t.store, consoleToken())).status).toBe(403);
    const bad = await put({ ...t.store, zones: [{ zoneId: 'bad zone!', name: 'x' }] });
    expect(bad.status).toBe(400);
    const err = (await json(bad)).error;
    expect(err.code).toBe('validation');
    expect(err.issues[0].path).toEqual(['zones', 0, 'zoneId']);
    const badScreen = await put({ ...t.store, screens: [{ screenId: 'scr-x', zoneId: 'z-nowhere' }] });
    expect((await json(badScreen)).error.issues[0].path).toEqual(['screens', 0, 'zoneId']);
    expect((await put('{oops')).status).toBe(400);
    expect((await get('/api/v1/stores/bad%20id!', consoleToken())).status).toBe(400);
    const renamed = await put({ ...t.store, name: 'Renamed store' });
    expect(renamed.status).toBe(200);
    expect((await json(get(`/api/v1/stores/${t.storeId}`, consoleToken()))).name).toBe('Renamed store');
  });
});
