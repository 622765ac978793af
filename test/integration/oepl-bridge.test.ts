import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEADLETTER_TOPIC, EslEvent, eventTopic, StoreConfig, type LabelUpdate } from '#contracts';
import { renderLabelBitmap } from '../../engine/labels/render-png.js';
import { OeplConfig } from '../../gateways/openepaperlink/config.js';
import { createDefinition } from '../../gateways/openepaperlink/gateway.js';
import { LED_COLORS } from '../../gateways/openepaperlink/led.js';
import { gatewayLogger, startGateway, type StartedGateway } from '../../gateways/kit/runtime.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { startApEmulator, type ApEmulator, type ImageUpload } from '../gateways/oepl-ap-emulator.js';

const MAC_1 = '0000021EDE3B3B15'; // a 2.9" tag showing L-1 (SKU-14, candles)
const MAC_2 = '0000021EDE3B3B16'; // a 4.2" tag showing L-2 (SKU-03, kitchen)

/** True when an uploaded PNG has exactly the pixels the engine's renderer draws for this frame and panel. */
function samePixels(up: ImageUpload, frame: LabelUpdate, display: 'bwr-296x128' | 'bwr-400x300'): boolean {
  const want = renderLabelBitmap(frame, display);
  if (!up.png || up.png.width !== want.width || up.png.height !== want.height) return false;
  const rgb = [[255, 255, 255], [0, 0, 0], [0xc0, 0, 0]];
  for (let p = 0; p < want.pixels.length; p++) {
    const [r, g, b] = rgb[want.pixels[p]!]!;
    if (up.png.data[p * 4] !== r || up.png.data[p * 4 + 1] !== g || up.png.data[p * 4 + 2] !== b) return false;
  }
  return true;
}

/**
 * The OpenEPaperLink bridge between a real engine (real broker and Redis) and the AP emulator: labels reach the tags as
 * the engine's own rendering (or as drawing commands), a flash lights the LED, a busy AP is asked again, a button press
 * is one `esl` event the engine takes, and after the engine restarts the bridge reconnects and the labels are restored.
 */
describe('OpenEPaperLink bridge on a real engine', () => {
  const storeId = uniqueId('oepl');
  const base = testStore(storeId);
  const store = StoreConfig.parse({ ...base, labelPolicy: { minIntervalMs: 300, maxFlashing: 2 } });
  let t: TestEngine;
  let ap: ApEmulator;
  let gw: StartedGateway;
  let watch: TestWs;
  let sub: MqttClient;
  const esl: string[] = [];
  const deadLetters: string[] = [];
  const frames = (labelId: string, from = 0) => watch.frames.slice(from).filter((f): f is LabelUpdate => f.type === 'label.update' && f.labelId === labelId);
  const latest = (labelId: string) => frames(labelId).at(-1)!;
  const gatewayConfig = (over: Record<string, unknown> = {}) => OeplConfig.parse({
    gatewayId: uniqueId('oepl-gw'), storeId, mqtt: { url: inject('mosquittoUrl') }, http: { host: '127.0.0.1', port: 0 }, pseudonymKey: 'k'.repeat(32), logLevel: 'silent',
    oepl: { engineUrl: `http://127.0.0.1:${t.port}`, token: `tok-gateway-${storeId}-x`, accessPoint: ap.url, tags: { [MAC_1]: 'L-1', [MAC_2]: 'L-2' },
      mode: 'png', debounceMs: 1500, retry: { attempts: 5, backoffMs: 50 }, ...over },
  });
  const start = async (config: OeplConfig) => startGateway(config, (rt) => createDefinition({ backoff: { minMs: 100, maxMs: 1000 } }).setup(rt, config),
    { log: gatewayLogger(config.gatewayId, process.env.OEPL_DEBUG ? 'debug' : 'silent') });

  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, store });
    // Members' turns at the candles screen show SKU-14 first, so its label (L-1) follows them and flashes.
    const rule = await fetch(`http://127.0.0.1:${t.port}/api/v1/rules`, { method: 'POST', headers: { authorization: `Bearer tok-merch-${storeId}-xxx`, 'content-type': 'application/json' },
      body: JSON.stringify({ ruleId: 'r-candle', name: 'Candle first', target: { stores: [storeId], zones: ['z-candles'], tiers: ['member', 'silver', 'gold', 'platinum'] }, actions: { pin: ['SKU-14'] } }) });
    expect(rule.status).toBe(201);
    watch = await connectWs(t.port, { role: 'label-gateway', token: `tok-gateway-${storeId}-x`, storeId });
    sub = await mqtt.connectAsync(inject('mosquittoUrl'), { clientId: uniqueId('esl-watch'), reconnectPeriod: 0 });
    sub.on('message', (topic, payload) => { if (topic === DEADLETTER_TOPIC) deadLetters.push(String(payload)); else esl.push(String(payload)); });
    await sub.subscribeAsync([eventTopic(storeId, 'esl'), DEADLETTER_TOPIC], { qos: 1 });
    ap = await startApEmulator({ tags: [{ mac: MAC_1, hwType: 1 }, { mac: MAC_2, hwType: 2 }] });
    gw = await start(gatewayConfig());
  });
  afterAll(async () => {
    await gw?.close();
    await watch?.close();
    await sub?.endAsync();
    await ap?.close();
    await t?.close();
  });

  it('every label reaches its tag as a PNG of its panel\'s size: the engine\'s own rendering', async () => {
    const up1 = await eventually(() => ap.images.find((i) => i.mac === MAC_1), 10_000);
    const up2 = await eventually(() => ap.images.find((i) => i.mac === MAC_2), 10_000);
    expect(up1.png).toMatchObject({ width: 296, height: 128 });
    expect(up2.png).toMatchObject({ width: 400, height: 300 }); // the 4.2" panel, from the AP's hardware type
    expect(up1.dither).toBe('0');
    expect(samePixels(up1, latest('L-1'), 'bwr-296x128')).toBe(true);
    expect(samePixels(up2, latest('L-2'), 'bwr-400x300')).toBe(true);
    expect(latest('L-1')).toMatchObject({ sku: 'SKU-14', name: 'candles item 4' });
  });

  it('a consenting member\'s turn: the label flashes (LED in its colour) and shows its personal content', async () => {
    const from = watch.frames.length;
    const leds = ap.leds.length;
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    const personal = await watch.next<LabelUpdate>((f) => f.type === 'label.update' && f.labelId === 'L-1' && f.mode === 'personal', 10_000, from);
    expect(personal.flash).toMatchObject({ color: 'green' });
    const led = await eventually(() => ap.leds.slice(leds).find((l) => l.mac === MAC_1), 10_000);
    expect(Buffer.from(led.pattern, 'hex')[1]).toBe(LED_COLORS.green);
    await eventually(() => ap.images.filter((i) => i.mac === MAC_1).some((i) => samePixels(i, personal, 'bwr-296x128')) || undefined, 10_000);
  });

  it('a busy AP ("come back later") is asked again and the label gets there', async () => {
    ap.busy(2);
    const from = watch.frames.length;
    const uploads = ap.images.length;
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    const back = await watch.next<LabelUpdate>((f) => f.type === 'label.update' && f.labelId === 'L-1' && f.mode === undefined, 10_000, from);
    await eventually(() => ap.images.slice(uploads).find((i) => i.mac === MAC_1 && samePixels(i, latest('L-1'), 'bwr-296x128')), 10_000);
    expect(ap.busyAnswers.slice(-2).map((b) => b.status)).toEqual([409, 409]);
    expect(back.memberPrice).toBeUndefined();
    expect(await gw.runtime.metrics.registry.getSingleMetricAsString('aisle_oepl_pushes_total')).toMatch(/kind="content",outcome="retried"[^\n]* 2/);
  });

  it('a button press (several frames) is exactly one esl event on the engine\'s topic, with the labelId and no MAC; the engine takes it', async () => {
    const from = esl.length;
    ap.press(MAC_1, 'button1', 3);
    await eventually(() => (esl.length > from ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 2000));
    const got = esl.slice(from);
    expect(got).toHaveLength(1);
    const ev = EslEvent.parse(JSON.parse(got[0]!));
    expect(ev).toMatchObject({ type: 'esl', storeId, labelId: 'L-1', action: 'button' });
    expect(got[0]!.toUpperCase()).not.toContain(MAC_1.slice(4));
    expect(deadLetters.filter((d) => d.includes(ev.id))).toEqual([]);
    // The same press reported again (the AP re-sends the tag's record when its content changes) is not a second tap.
    ap.press(MAC_2, 'nfc', 0);
    await eventually(() => (esl.length > from + 1 ? true : undefined), 10_000);
    expect(JSON.parse(esl.at(-1)!)).toMatchObject({ labelId: 'L-2', action: 'nfc' });
  });

  it('in json mode a label reaches its tag as drawing commands for its panel', async () => {
    const ap2 = await startApEmulator({ tags: [{ mac: MAC_1, hwType: 1 }, { mac: MAC_2, hwType: 2 }] });
    const config = gatewayConfig({ mode: 'json', accessPoint: ap2.url });
    const gw2 = await start(config);
    try {
      const j1 = await eventually(() => ap2.jsons.find((j) => j.mac === MAC_1), 10_000);
      const j2 = await eventually(() => ap2.jsons.find((j) => j.mac === MAC_2), 10_000);
      const texts = (j: unknown) => (j as { text?: [number, number, string, string, number, number, number] }[]).flatMap((c) => (c.text ? [c.text] : []));
      expect(texts(j1.json).map((x) => x[2])).toEqual(expect.arrayContaining(['candles item 4', '£6.00', 'SKU-14']));
      expect(texts(j2.json).map((x) => x[2])).toEqual(expect.arrayContaining(['kitchen item 3', 'SKU-03']));
      for (const [j, w, h] of [[j1, 296, 128], [j2, 400, 300]] as const) {
        for (const x of texts(j.json)) { expect(x[0]).toBeLessThanOrEqual(w); expect(x[1]).toBeLessThan(h); }
      }
      expect(ap2.images).toEqual([]);
    } finally {
      await gw2.close();
      await ap2.close();
    }
  });

  it('after the engine restarts, the bridge reconnects and the labels are restored (changed content sent, unchanged not)', async () => {
    const port = t.port;
    const l2Uploads = ap.images.filter((i) => i.mac === MAC_2).length;
    await watch.close();
    // The hub first: engine.stop() closes the HTTP server before the hub, and Node's server.close() waits for upgraded
    // sockets, so with a gateway connected the stop would sit out its deadline and leave the sockets open (in a real
    // deployment the process exits and the sockets drop). Closing the hub sends the 1001 an orderly stop should.
    await t.engine.hub.close();
    await t.close();
    // The same store with SKU-14 repriced while the bridge was cut off.
    const repriced = StoreConfig.parse({ ...store, catalog: store.catalog.map((c) => (c.sku === 'SKU-14' ? { ...c, price: 7.25 } : c)) });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, store: repriced, env: { PORT: String(port) } });
    watch = await connectWs(t.port, { role: 'label-gateway', token: `tok-gateway-${storeId}-x`, storeId });
    await eventually(() => (frames('L-1').length && frames('L-2').length ? true : undefined), 10_000);
    expect(latest('L-1').price).toBe(7.25);
    await eventually(() => ap.images.find((i) => i.mac === MAC_1 && samePixels(i, latest('L-1'), 'bwr-296x128')), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(ap.images.filter((i) => i.mac === MAC_2).length).toBe(l2Uploads);
    expect(await gw.runtime.metrics.registry.getSingleMetricAsString('aisle_oepl_engine_connected')).toMatch(/ 1$/m);
  });
});
