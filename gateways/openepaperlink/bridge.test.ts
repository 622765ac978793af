import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { EslEvent, eventTopic, type LabelUpdate } from '#contracts';
import { encodePng, renderLabelBitmap } from '../../engine/labels/render-png.js';
import { startApEmulator, type ApEmulator } from '../../test/gateways/oepl-ap-emulator.js';
import { gatewayLogger, startGateway, type StartedGateway } from '../kit/runtime.js';
import { createRecordingClient } from '../kit/testing.js';
import type { Bridge } from './bridge.js';
import { OeplConfig } from './config.js';
import { createDefinition } from './gateway.js';
import { LED_COLORS } from './led.js';

/** A stand-in engine: accepts a label-gateway hello, answers welcome, sends what the test says; records every hello. */
async function fakeEngine() {
  const server = createServer();
  const wss = new WebSocketServer({ server, path: '/ws' });
  const hellos: Record<string, unknown>[] = [];
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const hello = JSON.parse(String(data)) as Record<string, unknown>;
      hellos.push(hello);
      sockets.add(ws);
      ws.send(JSON.stringify({ type: 'welcome', role: 'label-gateway', storeId: hello.storeId, target: 'gw-1', seq: 0, heartbeatMs: 15_000, serverTime: Date.now() }));
    });
    ws.on('close', () => sockets.delete(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hellos,
    send(frame: unknown) { for (const s of sockets) s.send(JSON.stringify(frame)); },
    connected: () => sockets.size,
    dropAll() { for (const s of sockets) s.terminate(); },
    async close() { for (const s of sockets) s.terminate(); wss.close(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

const MAC_S = '0000021EDE3B3B15'; // a 2.9" tag
const MAC_L = '0000021EDE3B3B16'; // a 4.2" tag
const MAC_X = '0000021EDE3B3B99'; // the AP knows it, the bridge does not
const STORE = 's-oepl';

const eventually = async <T>(fn: () => T | undefined, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const label = (o: Partial<LabelUpdate> & { seq: number; labelId: string }): LabelUpdate => ({
  type: 'label.update', sku: 'SKU-1', name: 'Beeswax candle', price: 12.75, currency: 'GBP', locale: 'en-GB', ...o,
});

async function setup(mode: 'png' | 'json', extra: Record<string, unknown> = {}) {
  const engine = await fakeEngine();
  const ap = await startApEmulator({ tags: [{ mac: MAC_S, hwType: 1 }, { mac: MAC_L, hwType: 2 }, { mac: MAC_X, hwType: 1 }] });
  const config = OeplConfig.parse({
    gatewayId: 'oepl-test', storeId: STORE, mqtt: { url: 'mqtt://127.0.0.1:1' }, http: { host: '127.0.0.1', port: 0 }, pseudonymKey: 'k'.repeat(32), logLevel: 'debug',
    oepl: { engineUrl: engine.url, token: 'tok-gateway', accessPoint: ap.url, tags: { [MAC_S]: 'L-1', [MAC_L]: 'L-2' }, mode, debounceMs: 300, retry: { attempts: 4, backoffMs: 20 }, ...extra },
  });
  const rec = createRecordingClient();
  const logs: string[] = [];
  const log = gatewayLogger('oepl-test', 'debug', new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }));
  let bridge!: Bridge;
  const def = createDefinition({ backoff: { minMs: 50, maxMs: 200 }, onBridge: (b) => { bridge = b; } });
  const gw: StartedGateway = await startGateway(config, (rt) => def.setup(rt, config), { log, publisherClient: rec.client });
  await eventually(() => engine.connected() > 0 && ap.wsClients() > 0);
  const metric = async (name: string) => (await gw.runtime.metrics.registry.getSingleMetricAsString(name));
  return { engine, ap, gw, rec, logs, bridge, metric,
    async close() { await gw.close(); await engine.close(); await ap.close(); } };
}
type Setup = Awaited<ReturnType<typeof setup>>;

describe('OpenEPaperLink bridge (png) against the AP emulator and a stand-in engine', () => {
  let s: Setup;
  beforeAll(async () => { s = await setup('png'); });
  afterAll(async () => { await s?.close(); });

  it('says hello as a label gateway with the token and no gatewayId', () => {
    expect(s.engine.hellos[0]).toEqual({ type: 'hello', role: 'label-gateway', token: 'tok-gateway', storeId: STORE });
  });

  it('a label.update reaches its tag as a PNG of the panel\'s size, the engine\'s own rendering, not dithered', async () => {
    const l1 = label({ seq: 1, labelId: 'L-1', memberPrice: 9.5, promo: 'Member price' });
    const l2 = label({ seq: 1, labelId: 'L-2', name: 'Tea lights, 24 pack' });
    s.engine.send(l1);
    s.engine.send(l2);
    s.engine.send(label({ seq: 1, labelId: 'L-unmapped' }));
    const up1 = await eventually(() => s.ap.images.find((i) => i.mac === MAC_S));
    const up2 = await eventually(() => s.ap.images.find((i) => i.mac === MAC_L));
    expect(up1).toMatchObject({ dither: '0', contentType: 'image/png', png: { width: 296, height: 128 } });
    // The 4.2" tag: its panel came from the AP (hwType 2 in /get_db), not from the frame.
    expect(up2.png).toMatchObject({ width: 400, height: 300 });
    for (const [up, l, d] of [[up1, l1, 'bwr-296x128'], [up2, l2, 'bwr-400x300']] as const) {
      const want = renderLabelBitmap(l, d);
      const rgb = [[255, 255, 255], [0, 0, 0], [0xc0, 0, 0]];
      let same = 0;
      for (let p = 0; p < want.pixels.length; p++) {
        const [r, g, b] = rgb[want.pixels[p]!]!;
        if (up.png!.data[p * 4] === r && up.png!.data[p * 4 + 1] === g && up.png!.data[p * 4 + 2] === b) same++;
      }
      expect(same).toBe(want.pixels.length);
    }
    expect(await s.metric('aisle_oepl_label_frames_total')).toMatch(/outcome="unmapped"[^\n]* 1/);
  });

  it('content the tag already has is not sent again (a replay after a reconnect costs no refresh)', async () => {
    const before = s.ap.images.length;
    s.engine.send(label({ seq: 2, labelId: 'L-2', name: 'Tea lights, 24 pack' }));
    await eventually(() => s.bridge.idle() || undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.ap.images.length).toBe(before);
    expect(await s.metric('aisle_oepl_pushes_total')).toMatch(/kind="content",outcome="unchanged"[^\n]* [1-9]/);
  });

  it('a flash lights the LED in its colour for its duration; a flash that is long over (a replay) does not', async () => {
    s.engine.send(label({ seq: 3, labelId: 'L-1', name: 'Beeswax candle, personal', flash: { color: 'green', durationMs: 5000 }, updatedAt: Date.now() }));
    const led = await eventually(() => s.ap.leds.find((l) => l.mac === MAC_S));
    const bytes = Buffer.from(led.pattern, 'hex');
    expect(bytes[1]).toBe(LED_COLORS.green);
    expect(bytes[10]).toBe(2); // three rounds of two seconds cover five
    await eventually(() => s.ap.images.find((i) => i.mac === MAC_S && i !== s.ap.images[0]));
    const leds = s.ap.leds.length;
    s.engine.send(label({ seq: 4, labelId: 'L-2', flash: { color: 'red', durationMs: 5000 }, updatedAt: Date.now() - 60_000 }));
    await eventually(() => s.bridge.idle() || undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.ap.leds.length).toBe(leds);
    expect(await s.metric('aisle_oepl_pushes_total')).toMatch(/kind="flash",outcome="expired"[^\n]* 1/);
  });

  it('a busy AP ("come back later") is asked again with backoff, and the latest content wins', async () => {
    s.ap.busy(2);
    const before = s.ap.images.length;
    s.engine.send(label({ seq: 5, labelId: 'L-1', name: 'Busy one' }));
    await eventually(() => s.ap.busyAnswers.length >= 1 || undefined);
    s.engine.send(label({ seq: 6, labelId: 'L-1', name: 'Busy two' }));
    s.engine.send(label({ seq: 7, labelId: 'L-1', name: 'Busy three' }));
    const want = encodePng(renderLabelBitmap(label({ seq: 7, labelId: 'L-1', name: 'Busy three' }), 'bwr-296x128'));
    // The tag ends with the latest content. Usually in one upload (two and three wait while the AP is busy); on a
    // loaded machine two may reach the bridge after a retry already went out, so at most one earlier upload.
    await eventually(() => (s.ap.images.length > before && Buffer.compare(s.ap.images.at(-1)!.bytes, want) === 0) || undefined, 10_000);
    await eventually(() => s.bridge.idle() || undefined);
    expect(s.ap.busyAnswers.map((b) => b.status)).toEqual([409, 409]);
    const got = s.ap.images.slice(before);
    expect(got.length).toBeLessThanOrEqual(2);
    expect(Buffer.compare(got.at(-1)!.bytes, want)).toBe(0);
    expect(await s.metric('aisle_oepl_pushes_total')).toMatch(/kind="content",outcome="retried"[^\n]* 2/);
    if (got.length === 1) expect(await s.metric('aisle_oepl_pushes_total')).toMatch(/kind="content",outcome="coalesced"[^\n]* [1-9]/);
  });

  it('an AP that stays busy is given up on (counted, logged), and the bridge carries on', async () => {
    s.ap.busy(4, 503);
    s.engine.send(label({ seq: 8, labelId: 'L-2', name: 'Never arrives' }));
    await eventually(() => s.ap.busyAnswers.length >= 6 || undefined);
    await eventually(() => s.bridge.idle() || undefined);
    expect(await s.metric('aisle_oepl_pushes_total')).toMatch(/kind="content",outcome="failed"[^\n]* 1/);
    expect(s.logs.join('')).toContain('still busy');
    s.engine.send(label({ seq: 9, labelId: 'L-2', name: 'Arrives' }));
    const before = s.ap.images.length;
    await eventually(() => s.ap.images.length > before || undefined);
  });

  it('a button press (several frames) is one esl event with the labelId; the AP re-sending the record later is not a press', async () => {
    const from = s.rec.sent.length;
    s.ap.press(MAC_S, 'button1', 3);
    await eventually(() => s.rec.sent.length > from || undefined);
    await new Promise((r) => setTimeout(r, 400));
    const out = s.rec.sent.slice(from);
    expect(out).toHaveLength(1);
    expect(out[0]!.topic).toBe(eventTopic(STORE, 'esl'));
    const ev = EslEvent.parse(JSON.parse(out[0]!.payload));
    expect(ev).toMatchObject({ type: 'esl', storeId: STORE, labelId: 'L-1', action: 'button' });
    expect(out[0]!.payload).not.toContain(MAC_S);
    expect(out[0]!.payload.toUpperCase()).not.toContain(MAC_S.slice(4));
    // The engine reacts to the tap with new content: the AP re-sends the tag's record (still "button 1"), long after the window.
    s.engine.send(label({ seq: 10, labelId: 'L-1', name: 'After the tap' }));
    await eventually(() => s.bridge.idle() || undefined);
    await new Promise((r) => setTimeout(r, 400));
    expect(s.rec.sent.length - from).toBe(1);
    // NFC on the other tag, then a timed check-in and button 2 on the first: two more taps.
    s.ap.press(MAC_L, 'nfc', 1);
    await eventually(() => s.rec.sent.length - from === 2 || undefined);
    expect(JSON.parse(s.rec.sent.at(-1)!.payload)).toMatchObject({ labelId: 'L-2', action: 'nfc' });
    s.ap.checkIn(MAC_S);
    await new Promise((r) => setTimeout(r, 1100)); // a new check-in second
    s.ap.press(MAC_S, 'button2', 2);
    await eventually(() => s.rec.sent.length - from === 3 || undefined);
    expect(JSON.parse(s.rec.sent.at(-1)!.payload)).toMatchObject({ labelId: 'L-1', action: 'button' });
  });

  it('unknown tags and bad frames are counted and ignored; the AP\'s own errors are logged', async () => {
    const from = s.rec.sent.length;
    s.ap.press(MAC_X, 'button1', 1);
    s.ap.broadcastRaw('{"tags": 5}');
    s.ap.broadcastRaw('not json');
    s.ap.broadcastRaw('{"errMsg":"invalid jpg"}');
    const rejected = () => s.gw.runtime.metrics.registry.getSingleMetricAsString('aisle_gateway_rejected_total');
    let text = '';
    await eventually(() => (/invalid_json/.test(text) && /unknown_tag/.test(text)) || (void rejected().then((t) => { text = t; }), undefined));
    expect(text).toMatch(/reason="unknown_tag"[^\n]* [1-9]/);
    expect(text).toMatch(/reason="invalid_frame"[^\n]* 1/);
    expect(text).toMatch(/reason="invalid_json"[^\n]* 1/);
    await eventually(() => s.logs.join('').includes('invalid jpg') || undefined);
    expect(s.rec.sent.length).toBe(from);
    expect(s.logs.join('')).toContain('invalid jpg');
    expect(s.logs.join('')).toContain('tag not in oepl.tags');
  });

  it('reconnects to the engine with resumeSeq and takes the replay; and to the AP', async () => {
    s.engine.dropAll();
    s.ap.dropClients();
    await eventually(() => s.engine.hellos.length >= 2 || undefined);
    expect(s.engine.hellos[1]).toMatchObject({ type: 'hello', role: 'label-gateway', resumeSeq: 10 });
    expect(s.engine.hellos[1]).not.toHaveProperty('gatewayId');
    await eventually(() => s.engine.connected() > 0 && s.ap.wsClients() > 0 || undefined);
    const before = s.ap.images.length;
    s.engine.send(label({ seq: 11, labelId: 'L-1', name: 'After the reconnect' }));
    await eventually(() => s.ap.images.length > before || undefined);
  });
});

describe('OpenEPaperLink bridge (json)', () => {
  let s: Setup;
  beforeAll(async () => { s = await setup('json'); });
  afterAll(async () => { await s?.close(); });
  afterEach(async () => { await eventually(() => s.bridge.idle() || undefined); });

  it('a label.update reaches its tag as JSON drawing commands laid out for its panel', async () => {
    s.engine.send(label({ seq: 1, labelId: 'L-1', promo: 'Offer' }));
    s.engine.send(label({ seq: 1, labelId: 'L-2', memberPrice: 9.99 }));
    const small = await eventually(() => s.ap.jsons.find((j) => j.mac === MAC_S));
    const large = await eventually(() => s.ap.jsons.find((j) => j.mac === MAC_L));
    expect(s.ap.images).toEqual([]);
    const texts = (j: unknown) => (j as { text?: unknown[] }[]).flatMap((c) => (c.text ? [c.text] : []));
    expect(small.json).toContainEqual({ box: [0, 108, 296, 20, 2] });
    expect(texts(small.json)).toContainEqual(expect.arrayContaining(['£12.75', 'Signika-SB.ttf', 1, 2]));
    expect(texts(large.json)).toContainEqual(expect.arrayContaining(['£9.99', 'Signika-SB.ttf', 2, 2]));
    expect(Math.max(...texts(large.json).map((t) => t[6] as number))).toBeGreaterThan(46); // the 4.2" layout's big price
  });

  it('a busy AP is retried for JSON too', async () => {
    s.ap.busy(1);
    const before = s.ap.jsons.length;
    s.engine.send(label({ seq: 2, labelId: 'L-1', name: 'Retried' }));
    await eventually(() => s.ap.jsons.length > before || undefined);
    expect(s.ap.busyAnswers.at(-1)).toMatchObject({ route: '/jsonupload', status: 409 });
  });
});
