import { createHash, randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { StoreConfig } from '../contracts/store-config.js';
import type { Logger } from '../platform/log.js';
import { EspresenseConfig } from '../../gateways/espresense/config.js';
import { definition as espresense } from '../../gateways/espresense/gateway.js';
import { createDeviceResolver } from '../../gateways/espresense/ids.js';
import { startGateway, type StartedGateway } from '../../gateways/kit/runtime.js';

/** A stable IRK-style ESPresense id for a simulated phone (what a node reports for a resolved iPhone). */
export const irkOf = (deviceId: string): string => `irk:${createHash('sha256').update(deviceId).digest('hex').slice(0, 32)}`;

/** A zone's node slug: the room its ESPresense node reports as. */
const roomOf = (zoneId: string) => zoneId.toLowerCase().replace(/[^a-z0-9-]/g, '-');

export type EspresenseTransport = {
  publish(topic: string, payload: string): Promise<void>;
  stats(): { readings: number };
  close(): Promise<void>;
};

/**
 * Simulated shoppers seen by ESPresense BLE nodes (`AISLE_SIM_VIA=espresense`, docs/gateways/espresense.md
 * §In the demo): one node per zone, reporting each simulated phone (an IRK id) in its zone every `everyMs`
 * on `espresense/devices/{id}/{room}` of the demo broker, as real nodes would; an in-process ESPresense
 * gateway per store turns those readings into pseudonymised presence, with its smoothing, debounce and
 * away timeout. A shopper who leaves is no longer reported and the gateway says so after `awayAfterMs`.
 * Identity links, taps and purchases name the phone by the gateway's pseudonym and go to the broker directly.
 */
export async function startEspresenseTransport(o: {
  store: StoreConfig; mqttUrl: string; log: Logger;
  direct(topic: string, payload: string): Promise<void>;
  everyMs?: number;
}): Promise<EspresenseTransport> {
  const key = randomBytes(24).toString('base64url');
  const rooms = Object.fromEntries(o.store.zones.map((z) => [roomOf(z.zoneId), z.zoneId]));
  const config = EspresenseConfig.parse({
    gatewayId: `demo-espresense-${o.store.storeId}`, storeId: o.store.storeId, mqtt: { url: o.mqttUrl }, http: { host: '127.0.0.1', port: 0 },
    pseudonymKey: key, logLevel: 'warn',
    espresense: { url: o.mqttUrl, topicPrefix: `espresense-${o.store.storeId}`, rooms, awayAfterMs: 15_000, staleMs: 6_000, dwellMs: 1_000, refreshMs: 10_000 },
  });
  const gw: StartedGateway = await startGateway(config, (rt) => espresense.setup(rt, config), { log: o.log.child({ mod: 'espresense-gateway' }) });
  const nodes = await mqtt.connectAsync(o.mqttUrl, { clientId: `aisle-sim-nodes-${randomBytes(4).toString('hex')}`, clean: true });
  const resolve = createDeviceResolver(key, {});
  const present = new Map<string, string>(); // simulated device → zone
  let readings = 0;
  const report = async (deviceId: string, zoneId: string) => {
    const id = irkOf(deviceId);
    const distance = 0.8 + Math.random() * 1.2;
    const rssi = Math.round(-59 - 20 * Math.log10(distance));
    await nodes.publishAsync(`${config.espresense.topicPrefix}/devices/${id}/${roomOf(zoneId)}`,
      JSON.stringify({ id, idType: 200, 'rssi@1m': -59, rssi, raw: distance, distance, int: 1000 }), { qos: 0 });
    readings++;
  };
  for (const room of Object.keys(rooms)) await nodes.publishAsync(`${config.espresense.topicPrefix}/rooms/${room}/status`, 'online', { qos: 1, retain: false });
  const timer = setInterval(() => {
    for (const [d, z] of present) void report(d, z).catch((err: unknown) => o.log.debug({ err }, 'simulated ESPresense reading failed'));
  }, o.everyMs ?? 2_000);
  timer.unref();

  return {
    async publish(topic, payload) {
      const ev = JSON.parse(payload) as { type: string; deviceId?: string; zoneId?: string | null };
      if (ev.type === 'presence' && ev.deviceId) {
        if (ev.zoneId === null || ev.zoneId === undefined) { present.delete(ev.deviceId); return; }
        present.set(ev.deviceId, ev.zoneId);
        await report(ev.deviceId, ev.zoneId);
        return;
      }
      const out = ev.deviceId ? { ...ev, deviceId: resolve(irkOf(ev.deviceId)).deviceId } : ev;
      await o.direct(topic, JSON.stringify(out));
    },
    stats: () => ({ readings }),
    async close() { clearInterval(timer); await nodes.endAsync(); await gw.close(); },
  };
}
