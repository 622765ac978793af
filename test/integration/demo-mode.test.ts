import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTopic, type ScreenContent } from '#contracts';
import { createEngine, type Engine } from '../../engine/app.js';
import { loadConfig } from '../../engine/config.js';
import { connectWs } from '../helpers/ws-client.js';

/** The zero-setup shape `npm start` runs: embedded broker, in-memory store, the bundled demo store and profiles. */
describe('demo mode (no REDIS_URL, no MQTT_URL)', () => {
  let engine: Engine;
  let urls: Awaited<ReturnType<Engine['start']>>;
  beforeAll(async () => {
    engine = await createEngine(loadConfig({ PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { staticRoot: null });
    urls = await engine.start();
  });
  afterAll(async () => { await engine?.stop(); });

  it('personalizes a demo member who walks in, over the embedded broker', async () => {
    expect(engine.config.demo).toBe(true);
    const store = engine.stores.get('s-001')!;
    const screenCfg = store.config.screens.find((s) => s.zoneId !== 'z-entrance')!;
    // A demo member who consents to personalization and to their name.
    const { readFileSync } = await import('node:fs');
    const member = readFileSync(new URL('../../engine/demo/profiles.ndjson', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
      .find((p) => p.consent.personalization && p.consent.displayName && p.displayName);
    const token = engine.tokens.find((x) => x.role === 'screen' && x.subject === screenCfg.screenId)!.token;
    const screen = await connectWs(urls.port, { role: 'screen', token, storeId: 's-001', screenId: screenCfg.screenId });
    await screen.next((f) => f.type === 'screen.content');
    const gw = await mqtt.connectAsync(urls.mqttUrl, { reconnectPeriod: 0 });
    await gw.publishAsync(eventTopic('s-001', 'presence'), JSON.stringify({ type: 'presence', id: 'demo-1', ts: Date.now(), storeId: 's-001',
      deviceId: 'd-demo', customerId: member.customerId, zoneId: screenCfg.zoneId, source: 'app' }), { qos: 1 });
    const f = await screen.next<ScreenContent>((x) => x.type === 'screen.content' && x.reason === 'shopper');
    expect(f.greeting).toContain(member.displayName);
    expect(f.items.length).toBe(screenCfg.slots);
    expect(f.currency).toBe('GBP');
    // Ranked by the bundled ONNX model, not the fallback.
    expect(engine.rankerDescription()).toMatch(/^model ranker@\d{8}-\d{6}$/);
    const metrics = await (await fetch(`http://127.0.0.1:${urls.port}/metrics`)).text();
    expect(metrics).toMatch(/aisle_decisions_total\{reason="shopper",ranker="model:ranker@[\d-]+"\} [1-9]/);
    const ready = (await (await fetch(`http://127.0.0.1:${urls.port}/readyz`)).json()) as { checks: { model: { ok: boolean; detail: { serving?: { name: string } } } } };
    expect(ready.checks.model).toMatchObject({ ok: true, detail: { serving: { name: 'ranker' } } });
    await gw.endAsync();
    await screen.close();
  });
});
