import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PresenceEvent } from '#contracts';
import { manualClock } from '../../engine/platform/clock.js';
import { loadGatewayConfig } from '../kit/config.js';
import { pseudonymize } from '../kit/pseudonym.js';
import { gatewayLogger, startGateway, type StartedGateway } from '../kit/runtime.js';
import { carriesPersonalId } from '../kit/scrub.js';
import { createRecordingClient } from '../kit/testing.js';
import { toEpochMs, toRssiDbm } from './coerce.js';
import { MerakiConfig } from './config.js';
import { definition } from './gateway.js';
import { setupMerakiReceiver } from './receiver.js';
import { parseRelaxed, relaxNonFinite } from './relax-json.js';
import { FIXTURE_NOW, postBody, syntheticObservations, TEST_KEY, TEST_SECRET, TEST_VALIDATOR, testConfig, v3Body } from './testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => Date.parse(iso);
const device = (mac: string) => pseudonymize(TEST_KEY, mac);

const started: StartedGateway[] = [];
afterEach(async () => { for (const gw of started.splice(0)) await gw.close(); });

async function start(meraki: Record<string, unknown> = {}, base: Record<string, unknown> = {}) {
  const config = testConfig(meraki, base);
  const rec = createRecordingClient();
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const clock = manualClock(FIXTURE_NOW);
  const gw = await startGateway(config, (rt) => setupMerakiReceiver(rt, config, { clock }),
    { log: gatewayLogger(config.gatewayId, 'debug', sink), publisherClient: rec.client });
  started.push(gw);
  const counter = async (name: 'rejected' | 'duplicates', reason?: string) =>
    (await gw.runtime.metrics[name].get()).values.filter((v) => reason === undefined || v.labels.reason === reason).reduce((s, v) => s + v.value, 0);
  return {
    gw, rec, logs, clock, config, counter,
    events: () => rec.sent.map((m) => PresenceEvent.parse(JSON.parse(m.payload))),
    post: (body: string) => postBody(gw, config.meraki.path, body),
  };
}

/** Neither a published payload nor a log line carries a raw MAC, an e-mail, or any of `raw`. */
function expectNothingPersonal(t: Awaited<ReturnType<typeof start>>, raw: string[]) {
  const text = t.rec.sent.map((m) => m.payload).join('\n') + t.logs.join('');
  for (const m of t.rec.sent) expect(carriesPersonalId(m.payload)).toBe(false);
  for (const r of raw) expect(text.toLowerCase()).not.toContain(r.toLowerCase());
}

describe('Meraki receiver: vendor fixtures', () => {
  it('answers the validator to GET, as text/plain', async () => {
    const t = await start();
    const res = await fetch(`http://127.0.0.1:${t.gw.port}/meraki`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(TEST_VALIDATOR);
  });

  it('v3 WiFi: one presence event per placed client, from its newest location; unmapped clients counted', async () => {
    const t = await start();
    const r = await t.post(fixture('v3-wifi.json'));
    expect(r).toMatchObject({ status: 200, json: { events: 3, duplicates: 0, skipped: { unmapped_zone: 1 } } });
    expect(t.events()).toEqual([
      { type: 'presence', id: expect.stringMatching(/^mk-[0-9a-f]{32}$/), ts: at('2024-05-14T10:00:50Z'), storeId: 'store-1',
        deviceId: device('a4:83:e7:4f:21:0c'), zoneId: 'checkout', rssi: -52, source: 'wifi' },
      expect.objectContaining({ deviceId: device('3c:22:fb:90:aa:17'), zoneId: 'produce', rssi: -63, ts: at('2024-05-14T10:00:45Z') }),
      expect.objectContaining({ deviceId: device('f0:99:b6:01:7e:5d'), zoneId: 'upstairs', rssi: -58 }),
    ]);
    expect(t.rec.sent.every((m) => m.topic === 'aisle/v1/stores/store-1/presence' && m.qos === 1)).toBe(true);
    expect(await t.counter('rejected', 'unmapped_zone')).toBe(1);
    expectNothingPersonal(t, ['a4:83:e7:4f:21:0c', '3c:22:fb:90:aa:17', 'f0:99:b6:01:7e:5d', '70:ef:00:12:34:56', 'ann.example@example.com']);
  });

  it('v3 BLE: source ble; a location nesting its floor plan ({ id, name, x, y }) is read too', async () => {
    const t = await start();
    expect((await t.post(fixture('v3-ble.json'))).status).toBe(200);
    expect(t.events().map((e) => [e.deviceId, e.zoneId, e.rssi, e.source])).toEqual([
      [device('d4:ca:6e:00:11:22'), 'entrance', -66, 'ble'],
      [device('e2:11:9a:42:c3:08'), 'produce', -62, 'ble'],
    ]);
  });

  it('v2 WiFi: positive RSSI is dB above the −95 dBm noise floor; the AP\'s tags hold for its observations; seenEpoch in seconds', async () => {
    const t = await start();
    expect((await t.post(fixture('v2-wifi-positive-rssi.json'))).status).toBe(200);
    expect(t.events().map((e) => [e.deviceId, e.zoneId, e.rssi, e.ts, e.source])).toEqual([
      [device('18:fe:34:fc:5a:7f'), 'entrance', -48, 1715680823000, 'wifi'],
      [device('74:da:38:56:0a:80'), 'entrance', -64, 1715680840000, 'wifi'],
    ]);
  });

  it('bare NaN / -NaN / Infinity / -Infinity tokens: read as missing; strings mentioning them untouched', async () => {
    const t = await start();
    const r = await t.post(fixture('v3-wifi-nan.txt'));
    expect(r.status).toBe(200);
    // NaN coordinates cannot fall in a rectangle: the nearest AP (strongest record) decides; a -Infinity RSSI falls back to latestRecord.
    expect(t.events().map((e) => [e.deviceId, e.zoneId, e.rssi])).toEqual([
      [device('28:c6:3f:31:5f:47'), 'bakery', -70],
      [device('80:32:53:97:db:19'), 'checkout', -61],
    ]);
  });

  it('latestRecord without locations: nearest AP (any MAC spelling), its RSSI as a string or a number, time as ISO or epoch seconds', async () => {
    const t = await start();
    expect((await t.post(fixture('v3-latest-record-only.json'))).status).toBe(200);
    expect(t.events().map((e) => [e.deviceId, e.zoneId, e.rssi, e.ts])).toEqual([
      [device('00:80:4c:c1:2e:56'), 'bakery', -58, at('2024-05-14T10:00:31Z')],
      [device('9c:b6:d0:aa:bb:01'), 'bakery', -64, 1715680833000],
    ]);
  });

  it('coordinates, RSSI and tags as strings; a time without an offset is UTC; version 3.1 routes as v3', async () => {
    const t = await start();
    expect((await t.post(fixture('v3-string-coordinates.json'))).status).toBe(200);
    expect(t.events().map((e) => [e.zoneId, e.rssi, e.ts])).toEqual([['checkout', -49, at('2024-05-14T10:00:50Z')]]);
  });
});

describe('Meraki receiver: refusals', () => {
  it('a wrong or missing secret is 403, counted as "secret", and publishes nothing', async () => {
    const t = await start();
    const body = JSON.parse(fixture('v3-wifi.json')) as Record<string, unknown>;
    expect(await t.post(JSON.stringify({ ...body, secret: 'nope' }))).toMatchObject({ status: 403, reason: 'secret' });
    expect(await t.post(JSON.stringify({ ...body, secret: undefined }))).toMatchObject({ status: 403, reason: 'secret' });
    expect(await t.post(JSON.stringify({ ...body, secret: 42 }))).toMatchObject({ status: 403, reason: 'secret' });
    expect(await t.counter('rejected', 'secret')).toBe(3);
    expect(t.rec.sent).toHaveLength(0);
  });

  it('routes on the major version: anything but 2.x or 3.x is 400 "version"; an unknown type is 400 "type", a missing one the configured source', async () => {
    const t = await start({ source: 'ble' });
    for (const version of ['1.0', '4.0', 'three', '', null, undefined, [3]]) {
      expect(await t.post(v3Body(syntheticObservations(1, FIXTURE_NOW), { version })), String(version)).toMatchObject({ status: 400, reason: 'version' });
    }
    expect(await t.counter('rejected', 'version')).toBe(7);
    expect(await t.post(v3Body([], { type: 'Zigbee' }))).toMatchObject({ status: 400, reason: 'type' });
    expect((await t.post(v3Body(syntheticObservations(1, FIXTURE_NOW, 1), { version: 3, type: undefined }))).status).toBe(200);
    expect((await t.post(v3Body(syntheticObservations(1, FIXTURE_NOW, 2), { version: '3.x' }))).status).toBe(200);
    expect(t.events().map((e) => e.source)).toEqual(['ble', 'wifi']);
  });

  it('bad JSON is 400 "invalid_json"; a body that is not an object, or without an object `data`, 400 "invalid_shape"', async () => {
    const t = await start();
    const nan = fixture('v3-wifi-nan.txt');
    for (const body of ['{', 'not json', nan.slice(0, nan.length / 2), '{"secret": NaNa}', '']) {
      expect(await t.post(body)).toMatchObject({ status: 400, reason: 'invalid_json' });
    }
    expect(await t.post('[1,2]')).toMatchObject({ status: 400, reason: 'invalid_shape' });
    expect(await t.post(JSON.stringify({ version: '3.0', secret: TEST_SECRET, type: 'WiFi', data: 'x' }))).toMatchObject({ status: 400, reason: 'invalid_shape' });
    expect(await t.post(v3Body({} as unknown as unknown[]))).toMatchObject({ status: 400, reason: 'invalid_shape' });
    expect(await t.counter('rejected', 'invalid_json')).toBe(5);
    expect(t.logs.join('')).not.toContain('NaNa');
  });

  it('a body over 5 MB is 413', async () => {
    const t = await start();
    const big = v3Body([{ clientMac: '02:00:00:00:00:01', pad: 'x'.repeat(5 * 1024 * 1024) }]);
    expect(await t.post(big)).toMatchObject({ status: 413, reason: 'too_large' });
    expect(await t.counter('rejected', 'too_large')).toBe(1);
    expect((await t.post(fixture('v3-ble.json'))).status).toBe(200);
  });

  it('stale, future and weak observations are skipped and counted; the POST still succeeds', async () => {
    const t = await start({ minRssi: -60, maxAgeSeconds: 18 });
    const r = await t.post(fixture('v3-wifi.json'));
    // 10:00:50 (−52 dBm) kept; 10:00:45 (−63) weak; 10:00:40 and 10:00:30 older than 18 s at 10:01:00.
    expect(r).toMatchObject({ status: 200, json: { events: 1, skipped: { weak_signal: 1, stale: 2 } } });
    const future = await t.post(v3Body(syntheticObservations(2, FIXTURE_NOW + 10 * 60_000)));
    expect(future).toMatchObject({ status: 200, json: { events: 0, skipped: { future_time: 2 } } });
    expect(await t.counter('rejected', 'stale')).toBe(2);
  });

  it('observations without a client MAC or a time are skipped as "invalid_observation"', async () => {
    const t = await start();
    const [good] = syntheticObservations(1, FIXTURE_NOW);
    const r = await t.post(v3Body([good, 'x', null, { clientMac: 7 }, { clientMac: '02:00:00:00:00:09', locations: [{ x: 1, y: 1 }] }]));
    expect(r).toMatchObject({ status: 200, json: { events: 1, skipped: { invalid_observation: 4 } } });
  });
});

describe('Meraki receiver: delivery', () => {
  it('a retried POST yields the same event ids and publishes nothing again', async () => {
    const t = await start();
    const body = fixture('v3-wifi.json');
    expect((await t.post(body)).status).toBe(200);
    const first = t.events().map((e) => e.id);
    expect(new Set(first).size).toBe(3);
    expect(await t.post(body)).toMatchObject({ status: 200, json: { events: 0, duplicates: 3 } });
    expect(t.rec.sent).toHaveLength(3);
    expect(await t.counter('duplicates')).toBe(3);
    // A fresh gateway (restarted) derives the very same ids, so the engine drops the repeat too.
    const u = await start();
    await u.post(body);
    expect(u.events().map((e) => e.id)).toEqual(first);
  });

  it('500 observations in one POST: all published, answered well under a second', async () => {
    const t = await start();
    const body = v3Body(syntheticObservations(500, FIXTURE_NOW - 5_000));
    await t.post(v3Body(syntheticObservations(10, FIXTURE_NOW - 5_000, 9))); // warm up
    const t0 = performance.now();
    const r = await t.post(body);
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ status: 200, json: { events: 500 } });
    expect(t.rec.sent).toHaveLength(510);
    expect(new Set(t.events().map((e) => e.deviceId)).size).toBe(510);
    expect(ms).toBeLessThan(1000);
  });

  it('a full buffer answers 503 "buffer_full"; Meraki\'s retry publishes the rest once the broker is back, nothing twice', async () => {
    const t = await start({}, { mqtt: { url: 'mqtt://127.0.0.1:1', maxBuffered: 3 } });
    const body = v3Body(syntheticObservations(5, FIXTURE_NOW));
    t.rec.setConnected(false);
    expect(await t.post(body)).toMatchObject({ status: 503, reason: 'buffer_full' });
    t.rec.setConnected(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(t.rec.sent).toHaveLength(3);
    expect(await t.post(body)).toMatchObject({ status: 200, json: { events: 2, duplicates: 3 } });
    expect(new Set(t.events().map((e) => e.id)).size).toBe(5);
    expect(t.rec.sent).toHaveLength(5);
  });

  it('answers only after the broker acknowledged: 503 "ack_timeout" while it is away, the retry waits for the same events', async () => {
    const t = await start({ ackTimeoutMs: 150 });
    const body = v3Body(syntheticObservations(2, FIXTURE_NOW));
    t.rec.setConnected(false);
    expect(await t.post(body)).toMatchObject({ status: 503, reason: 'ack_timeout' });
    const retry = t.post(body);
    setTimeout(() => t.rec.setConnected(true), 50);
    expect(await retry).toMatchObject({ status: 200, json: { events: 0, duplicates: 2 } });
    expect(t.rec.sent).toHaveLength(2);
  });
});

describe('Meraki payload quirks (pure)', () => {
  it('replaces bare non-finite tokens outside strings only', () => {
    expect(relaxNonFinite('{"x": NaN, "y": -NaN, "z": [Infinity,-Infinity, +Infinity]}')).toBe('{"x": null, "y": null, "z": [null,null, null]}');
    const s = '{"a": "NaN \\" NaN -Infinity", "b": "\\\\", "c": NaN}';
    expect(JSON.parse(relaxNonFinite(s))).toEqual({ a: 'NaN " NaN -Infinity', b: '\\', c: null });
    expect(relaxNonFinite('{"NaN": 1}')).toBe('{"NaN": 1}');
    expect(parseRelaxed('{"a": NaNx}').ok).toBe(false);
    expect(parseRelaxed('{"a": xNaN}').ok).toBe(false);
    expect(parseRelaxed('\ufeff{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseRelaxed('{"a": "unterminated NaN').ok).toBe(false);
  });
  it('reads times and RSSI in all their forms', () => {
    expect(toEpochMs(1715680823)).toBe(1715680823000);
    expect(toEpochMs('1715680823000')).toBe(1715680823000);
    expect(toEpochMs('2024-05-14T10:00:23Z')).toBe(1715680823000);
    expect(toEpochMs('2024-05-14T10:00:23')).toBe(1715680823000);
    expect(toEpochMs('2024-05-14T12:00:23+02:00')).toBe(1715680823000);
    expect(toEpochMs('2024-05-14T10:00:23.123456Z')).toBe(1715680823123);
    for (const bad of ['yesterday', -5, null, {}, '1e400', 'Tue May 14 2024']) expect(toEpochMs(bad)).toBeUndefined();
    expect([toRssiDbm(-52), toRssiDbm('-49'), toRssiDbm(47), toRssiDbm(0), toRssiDbm(-400), toRssiDbm(null), toRssiDbm(-52.6)])
      .toEqual([-52, -49, -48, undefined, undefined, undefined, -53]);
  });
});

describe('Meraki configuration', () => {
  it('example.json is valid (secrets from the environment); the schema is strict', async () => {
    process.env.AISLE_PSEUDONYM_KEY = TEST_KEY;
    process.env.MERAKI_SCANNING_SECRET = TEST_SECRET;
    try {
      const path = new URL('./example.json', import.meta.url).pathname;
      // gateways/cli.ts loads this module by its kind (`./meraki/gateway.js`); vitest cannot resolve that dynamic import, tsx can.
      expect(definition.kind).toBe('meraki');
      const config = loadGatewayConfig(path, definition.config);
      expect(config.meraki).toMatchObject({ secret: TEST_SECRET, path: '/meraki', maxAgeSeconds: 120, source: 'wifi' });
      expect(config.meraki.zones.find((z) => 'apMac' in z)).toEqual({ zoneId: 'bakery', apMac: '00180a13ddb2' });
    } finally {
      delete process.env.AISLE_PSEUDONYM_KEY;
      delete process.env.MERAKI_SCANNING_SECRET;
    }
    const ok = JSON.parse(JSON.stringify(testConfig())) as Record<string, Record<string, unknown>>;
    const bad = (meraki: Record<string, unknown>) => MerakiConfig.safeParse({ ...ok, meraki: { ...ok.meraki, ...meraki } }).success;
    expect(bad({})).toBe(true);
    expect(bad({ extra: 1 })).toBe(false);
    expect(bad({ path: '/healthz' })).toBe(false);
    expect(bad({ zones: [] })).toBe(false);
    expect(bad({ zones: [{ zoneId: 'a', apMac: 'not-a-mac' }] })).toBe(false);
    expect(bad({ zones: [{ zoneId: 'a', apTag: 'x', floorPlan: 'y' }] })).toBe(false);
    expect(bad({ source: 'app' })).toBe(false);
  });
});
