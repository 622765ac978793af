import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InboundEvent } from '#contracts';
import { loadGatewayConfig } from '../kit/config.js';
import { pseudonymize } from '../kit/pseudonym.js';
import { gatewayLogger, startGateway, type StartedGateway } from '../kit/runtime.js';
import { carriesPersonalId } from '../kit/scrub.js';
import { createRecordingClient } from '../kit/testing.js';
import { EspresenseConfig } from './config.js';
import { definition, setupEspresense, type EspresenseGateway } from './gateway.js';
import { createFakeInbound, loadFixture, type DeviceFixtures, type RoomFixtures } from './testing.js';

const KEY = 'k'.repeat(32);
const devices = loadFixture<DeviceFixtures>('devices');
const rooms = loadFixture<RoomFixtures>('rooms');
const IBEACON = 'iBeacon:e5b9e3a6-27e2-4c36-a257-7698da5fc140-100-42';

const config = (over: Record<string, unknown> = {}) => EspresenseConfig.parse({
  gatewayId: 'esp-test', storeId: 's-esp', mqtt: { url: 'mqtt://127.0.0.1:1' }, http: { host: '127.0.0.1', port: 0 }, pseudonymKey: KEY,
  espresense: { url: 'mqtt://127.0.0.1:1', rooms: { entrance: 'z-entrance', coffee: 'z-coffee', checkout: 'z-checkout' },
    known: { [IBEACON]: 'c-loyal-1' }, ...over },
});

let started: StartedGateway | undefined;
afterEach(async () => { await started?.close(); started = undefined; });

async function start(over: Record<string, unknown> = {}) {
  const cfg = config(over);
  const rec = createRecordingClient();
  const inbound = createFakeInbound();
  const logs: string[] = [];
  const log = gatewayLogger(cfg.gatewayId, 'debug', new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }));
  let gw!: EspresenseGateway;
  started = await startGateway(cfg, (rt) => { gw = setupEspresense(rt, cfg, { connect: () => inbound.client }); }, { log, publisherClient: rec.client });
  const events = () => rec.sent.map((m) => ({ topic: m.topic, event: InboundEvent.parse(JSON.parse(m.payload)) }));
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { cfg, rec, inbound, logs, gw, started, events, settle };
}

const rejectedTotal = async (s: StartedGateway) => (await s.runtime.metrics.rejected.get()).values.reduce((n, v) => n + v.value, 0);

describe('espresense gateway', () => {
  it('subscribes to device reports and node status only', async () => {
    const t = await start({ topicPrefix: 'site-7/espresense' });
    await t.settle();
    expect(t.inbound.subscriptions).toEqual(['site-7/espresense/devices/+/+', 'site-7/espresense/rooms/+/status']);
  });

  it('turns every documented report into a presence event with a pseudonym; nothing raw leaves or is logged', async () => {
    const t = await start();
    for (const m of devices.messages) t.inbound.deliver(m); // through the client's message listener, as from the broker
    await t.settle();
    const out = t.events();
    const presence = out.filter((e) => e.event.type === 'presence');
    expect(presence.length).toBe(devices.messages.length);
    for (const [i, m] of devices.messages.entries()) {
      const [, , id, room] = m.topic.split('/');
      const ev = presence[i]!.event;
      expect(presence[i]!.topic).toBe('aisle/v1/stores/s-esp/presence');
      expect(ev).toMatchObject({ type: 'presence', storeId: 's-esp', zoneId: `z-${room}`, source: 'ble', rssi: JSON.parse(m.payload).rssi });
      expect(ev.type === 'presence' && ev.deviceId).toMatch(/^hm1-[a-z2-7]{26}$/);
      expect(t.rec.sent.some((s) => s.payload.includes(id!))).toBe(false);
    }
    // The same MAC behind known: and bare is one device; a bare-MAC id gets the kit's MAC pseudonym.
    const bare = presence.find((_, i) => devices.messages[i]!.kind === 'mac')!.event;
    expect(bare.type === 'presence' && bare.deviceId).toBe(pseudonymize(KEY, 'f0:d1:e2:c3:b4:a5'));
    const text = t.rec.sent.map((s) => s.payload).join('\n') + t.logs.join('\n');
    expect(carriesPersonalId(text)).toBe(false);
    for (const m of devices.messages) {
      const body = JSON.parse(m.payload) as { id?: string; mac?: string; name?: string };
      for (const personal of [body.id, body.mac, body.name]) if (personal) expect(text.includes(personal), personal).toBe(false);
    }
    expect(new Set(out.map((e) => e.event.id)).size).toBe(out.length);
  });

  it('a configured id (the loyalty app\'s iBeacon) gets an identity event before its presence, once per visit', async () => {
    const t = await start();
    const ibeacon = devices.messages.find((m) => m.kind === 'iBeacon')!;
    for (let i = 0; i < 3; i++) t.inbound.deliver(ibeacon);
    await t.settle();
    const out = t.events().map((e) => e.event);
    expect(out.map((e) => e.type)).toEqual(['identity', 'presence']);
    expect(out[0]).toMatchObject({ type: 'identity', customerId: 'c-loyal-1', method: 'app-login', deviceId: (out[1] as { deviceId: string }).deviceId });
    expect(t.rec.sent[0]!.topic).toBe('aisle/v1/stores/s-esp/identity');
  });

  it('ignores telemetry, settings and retained device reports: nothing published, nothing refused', async () => {
    const t = await start();
    for (const m of rooms.ignored) expect(await t.gw.onMessage(m.topic, m.payload)).toMatchObject({ accepted: true });
    expect(await t.gw.onMessage(devices.messages[0]!.topic, devices.messages[0]!.payload, true)).toEqual({ accepted: true, reason: 'ignored: retained' });
    await t.settle();
    expect(t.rec.sent).toEqual([]);
    expect(await rejectedTotal(t.started)).toBe(0);
  });

  it('refuses a bad report with a reason and counts it by code', async () => {
    const t = await start();
    expect(await t.gw.onMessage('espresense/devices/x1/entrance', '{"distance":"far"}')).toEqual({ accepted: false, reason: 'invalid_shape: distance: unreadable' });
    expect(await t.gw.onMessage('espresense/devices/x1/entrance', '{oops')).toMatchObject({ accepted: false, reason: expect.stringMatching(/^invalid_json/) });
    const counted = (await t.started.runtime.metrics.rejected.get()).values.map((v) => [v.labels.reason, v.value]);
    expect(counted).toEqual([['invalid_shape', 1], ['invalid_json', 1]]);
    expect(t.rec.sent).toEqual([]);
  });

  it('readings of unmapped rooms and beyond maxDistance change nothing, and say why', async () => {
    const t = await start();
    expect(await t.gw.onMessage('espresense/devices/x1/back-office', '{"distance":1}')).toEqual({ accepted: true, reason: 'ignored: unmapped_room' });
    expect(await t.gw.onMessage('espresense/devices/x1/entrance', '{"distance":12}')).toEqual({ accepted: true, reason: 'ignored: too_far' });
    expect(t.rec.sent).toEqual([]);
    expect(t.logs.filter((l) => l.includes('not in espresense.rooms')).length).toBe(1);
  });

  it('a device that goes silent leaves by timer; a node going offline drops its readings', async () => {
    const t = await start({ awayAfterMs: 150, staleMs: 150, dwellMs: 0 });
    await t.gw.onMessage('espresense/devices/apple:1005:9-12/entrance', '{"distance":1}');
    await t.gw.onMessage('espresense/devices/apple:1005:9-12/coffee', '{"distance":3}');
    await t.gw.onMessage('espresense/rooms/entrance/status', 'offline');
    await t.settle();
    expect(t.events().map((e) => e.event.type === 'presence' && e.event.zoneId)).toEqual(['z-entrance', 'z-coffee']);
    await new Promise((r) => setTimeout(r, 250));
    expect(t.events().map((e) => e.event.type === 'presence' && e.event.zoneId)).toEqual(['z-entrance', 'z-coffee', null]);
    const health = await fetch(`http://127.0.0.1:${t.started.port}/healthz/espresense`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ broker: true, devices: 0, offlineNodes: 1 });
  });

  it('closes its broker connection with the gateway', async () => {
    const t = await start();
    await t.started.close();
    started = undefined;
    expect(t.inbound.client.connected).toBe(false);
  });
});

describe('espresense configuration', () => {
  it('example.json is valid (secrets from the environment) and fills the documented defaults', () => {
    process.env.AISLE_PSEUDONYM_KEY = KEY;
    process.env.ESPRESENSE_MQTT_PASSWORD = 'node-broker-secret';
    try {
      const cfg = loadGatewayConfig(fileURLToPath(new URL('./example.json', import.meta.url)), definition.config);
      expect(definition.kind).toBe('espresense');
      expect(cfg.espresense.password).toBe('node-broker-secret');
      expect(cfg.pseudonymKey).toBe(KEY);
    } finally {
      delete process.env.AISLE_PSEUDONYM_KEY;
      delete process.env.ESPRESENSE_MQTT_PASSWORD;
    }
    expect(config().espresense).toMatchObject({ topicPrefix: 'espresense', awayAfterMs: 30_000, staleMs: 10_000, smoothing: 0.3,
      switchMargin: 0.5, dwellMs: 3_000, maxDistance: 10, refreshMs: 30_000 });
  });

  it('refuses what cannot work, naming the field', () => {
    const bad = (espresense: Record<string, unknown>) => EspresenseConfig.safeParse({ gatewayId: 'g', storeId: 's', mqtt: { url: 'mqtt://x' },
      pseudonymKey: KEY, espresense: { url: 'mqtt://x', rooms: { hall: 'z-1' }, ...espresense } });
    expect(bad({ rooms: {} }).success).toBe(false);
    expect(bad({ rooms: { 'a/b': 'z-1' } }).success).toBe(false);
    expect(bad({ topicPrefix: 'esp/#' }).success).toBe(false);
    expect(bad({ smoothing: 0 }).success).toBe(false);
    expect(bad({ known: { 'irk:ab': 'not an id!' } }).success).toBe(false);
    expect(bad({ extra: 1 }).success).toBe(false);
    expect(bad({}).success).toBe(true);
  });
});
