/**
 * The gateway end to end against a real Mosquitto: simulated ESPresense nodes publish what the firmware
 * publishes (status with a last will, device reports, telemetry); the test reads the canonical events on the
 * engine's topics. A private broker on a free port when mosquitto is installed, else MQTT_URL or the machine's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundEvent } from '#contracts';
import { silentLogger } from '../../engine/platform/log.js';
import { eventually } from '../../test/helpers/eventually.js';
import { pseudonymize } from '../kit/pseudonym.js';
import { startGateway, type StartedGateway } from '../kit/runtime.js';
import { carriesPersonalId } from '../kit/scrub.js';
import { EspresenseConfig } from './config.js';
import { definition } from './gateway.js';
import { canonicalId } from './ids.js';

const KEY = 'mosquitto-test-key-'.repeat(2);
const RUN = Math.random().toString(36).slice(2, 8);
const PREFIX = `esp-it-${RUN}/espresense`;
const STORE = `s-esp-${RUN}`;
const PHONE = 'apple:1005:9-12';
const LOYAL = 'iBeacon:e5b9e3a6-27e2-4c36-a257-7698da5fc140-100-42';
const WATCH = 'f0d1e2c3b4a5'; // a public address: the id is the MAC
const MOSQUITTO = '/usr/sbin/mosquitto';

let broker: ChildProcess | undefined;
let url = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
let gw: StartedGateway | undefined;
let engine: MqttClient | undefined;
const nodes: MqttClient[] = [];
const received: { topic: string; payload: string; at: number }[] = [];

const freePort = () => new Promise<number>((res, rej) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => res(p)); });
  srv.on('error', rej);
});
const accepts = (port: number) => new Promise<boolean>((res) => {
  const s = createConnection({ port, host: '127.0.0.1' }, () => { s.end(); res(true); });
  s.on('error', () => res(false));
});

/** An ESPresense node: announces itself online (retained) with `offline` as its last will, as the firmware does. */
async function startNode(room: string): Promise<MqttClient> {
  const status = `${PREFIX}/rooms/${room}/status`;
  const node = await mqtt.connectAsync(url, { clientId: `espresense-${room}-${RUN}`, reconnectPeriod: 0, keepalive: 5, protocolVersion: 4,
    will: { topic: status, payload: Buffer.from('offline'), retain: true, qos: 1 } });
  await node.publishAsync(status, 'online', { retain: true, qos: 1 });
  nodes.push(node);
  return node;
}
/** Fire and forget, as the firmware does (QoS 0); a node that lost its connection publishes nothing. */
const publish = (node: MqttClient, topic: string, payload: string) => { if (node.connected) node.publish(topic, payload, { qos: 0 }, () => undefined); };
const report = (node: MqttClient, room: string, id: string, distance: number, rssi = -70) =>
  publish(node, `${PREFIX}/devices/${id}/${room}`, JSON.stringify({ mac: '5e0f1a2b3c4d', id, 'rssi@1m': -65, rssi, raw: distance, distance, int: 500 }));

const events = () => received.map((m) => ({ ...m, event: InboundEvent.parse(JSON.parse(m.payload)) }));
const presenceOf = (rawId: string) => events().filter((e) => e.event.type === 'presence' && e.event.deviceId === pseudonymize(KEY, canonicalId(rawId)));
const zonesOf = (rawId: string) => presenceOf(rawId).map((e) => (e.event.type === 'presence' ? e.event.zoneId : undefined));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  if (!process.env.MQTT_URL && existsSync(MOSQUITTO)) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'esp-mosq-'));
    writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    broker = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await sleep(50);
    url = `mqtt://127.0.0.1:${port}`;
  }
  engine = await mqtt.connectAsync(url, { clientId: `engine-${RUN}`, protocolVersion: 4 });
  engine.on('message', (topic, payload) => received.push({ topic, payload: payload.toString(), at: Date.now() }));
  await engine.subscribeAsync(`aisle/v1/stores/${STORE}/+`, { qos: 1 });
  const config = EspresenseConfig.parse({
    gatewayId: `esp-it-${RUN}`, storeId: STORE, mqtt: { url }, http: { host: '127.0.0.1', port: 0 }, pseudonymKey: KEY,
    espresense: { url, topicPrefix: PREFIX, rooms: { entrance: 'z-entrance', coffee: 'z-coffee' }, known: { [LOYAL]: 'c-it-1' },
      awayAfterMs: 1_500, staleMs: 1_000, dwellMs: 400, smoothing: 0.5, refreshMs: 0 },
  });
  gw = await startGateway(config, (rt) => definition.setup(rt, config), { log: silentLogger() });
  await eventually(async () => ((await fetch(`http://127.0.0.1:${gw!.port}/healthz/espresense`)).ok ? true : undefined));
  await sleep(200); // the subscription follows the connection
}, 30_000);

afterAll(async () => {
  await gw?.close();
  for (const n of nodes) await n.endAsync().catch(() => undefined);
  await engine?.endAsync();
  broker?.kill('SIGTERM');
});

describe('espresense gateway against Mosquitto', () => {
  it('places, moves, identifies and lets go of devices, publishing canonical events on the engine\'s topics', async () => {
    const entrance = await startNode('entrance');
    const coffee = await startNode('coffee');

    // A phone near the entrance, a watch only the entrance node hears, the loyalty app's beacon at the coffee bar.
    let phone = { entrance: 1.0, coffee: 5.0 };
    let running = true;
    const loop = (async () => {
      while (running) {
        report(entrance, 'entrance', PHONE, phone.entrance);
        report(coffee, 'coffee', PHONE, phone.coffee);
        report(entrance, 'entrance', WATCH, 2.0, -75);
        report(coffee, 'coffee', LOYAL, 1.2, -66);
        publish(coffee, `${PREFIX}/rooms/coffee/telemetry`, JSON.stringify({ uptime: 10, freeHeap: 100_000, adverts: 5 }));
        await sleep(150);
      }
    })();

    await eventually(() => (zonesOf(PHONE)[0] === 'z-entrance' && zonesOf(LOYAL)[0] === 'z-coffee' && zonesOf(WATCH)[0] === 'z-entrance' ? true : undefined));
    const identity = events().filter((e) => e.event.type === 'identity');
    expect(identity.map((e) => e.event)).toEqual([expect.objectContaining({ deviceId: pseudonymize(KEY, canonicalId(LOYAL)), customerId: 'c-it-1', method: 'app-login' })]);
    expect(identity[0]!.topic).toBe(`aisle/v1/stores/${STORE}/identity`);

    // The phone walks to the coffee bar: one move, after the dwell.
    phone = { entrance: 6.0, coffee: 0.8 };
    const walkedAt = Date.now();
    await eventually(() => (zonesOf(PHONE).length === 2 ? true : undefined));
    expect(zonesOf(PHONE)).toEqual(['z-entrance', 'z-coffee']);
    expect(presenceOf(PHONE)[1]!.at - walkedAt).toBeGreaterThanOrEqual(400);

    // The entrance node loses power: the broker publishes its last will; the watch only it heard leaves after awayAfterMs.
    entrance.stream.destroy();
    const diedAt = Date.now();
    const health = async () => (await fetch(`http://127.0.0.1:${gw!.port}/healthz/espresense`)).json() as Promise<{ offlineNodes: number }>;
    await eventually(async () => ((await health()).offlineNodes === 1 ? true : undefined), 6_000);
    await eventually(() => (zonesOf(WATCH).length === 2 ? true : undefined), 6_000);
    expect(zonesOf(WATCH)).toEqual(['z-entrance', null]);
    expect(presenceOf(WATCH)[1]!.at - diedAt).toBeGreaterThanOrEqual(1_000);
    expect(zonesOf(PHONE)).toEqual(['z-entrance', 'z-coffee']); // still heard by the coffee node

    // Everyone leaves.
    running = false;
    await loop;
    await eventually(() => (zonesOf(PHONE).at(-1) === null && zonesOf(LOYAL).at(-1) === null ? true : undefined), 6_000);
    expect(zonesOf(LOYAL)).toEqual(['z-coffee', null]);
    expect(events().filter((e) => e.event.type === 'identity').length).toBe(1); // once per visit

    for (const m of events()) {
      expect(m.topic).toBe(`aisle/v1/stores/${STORE}/${m.event.type}`);
      expect(m.event.storeId).toBe(STORE);
      expect(carriesPersonalId(m.payload)).toBe(false);
      for (const raw of [PHONE, LOYAL, WATCH, '5e0f1a2b3c4d']) expect(m.payload.includes(raw)).toBe(false);
      if (m.event.type === 'presence') expect(m.event.source).toBe('ble');
    }
  }, 30_000);
});
