import { createHash, randomBytes } from 'node:crypto';
import type { StoreConfig } from '../contracts/store-config.js';
import type { Logger } from '../platform/log.js';
import { MerakiConfig } from '../../gateways/meraki/config.js';
import { definition as meraki } from '../../gateways/meraki/gateway.js';
import { pseudonymize } from '../../gateways/kit/pseudonym.js';
import { startGateway, type StartedGateway } from '../../gateways/kit/runtime.js';

/** A stable, locally administered MAC for a simulated device (never a real vendor's). */
export function fakeMac(deviceId: string): string {
  const b = createHash('sha256').update(deviceId).digest().subarray(0, 6);
  b[0] = (b[0]! & 0xfc) | 0x02; // unicast, locally administered
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export type MerakiTransport = {
  /** What the simulator publishes: presence goes to the Meraki receiver as a Scanning API POST; the rest to the broker, linked by pseudonym. */
  publish(topic: string, payload: string): Promise<void>;
  /** Observations POSTed and how long the receiver took to answer. */
  stats(): { posts: number; observations: number; lastMs: number };
  close(): Promise<void>;
};

/**
 * Simulated shoppers seen through a Cisco Meraki receiver (`AISLE_SIM_VIA=meraki`, docs/gateways/meraki.md
 * §In the demo): an in-process Meraki gateway per store, as a real deployment would run it, receives
 * Scanning API v3 POSTs built from the simulator's presence (each device's phone as a locally administered
 * MAC, its zone as the nearest access point's tag) and publishes the canonical presence events itself,
 * pseudonymised. A move is POSTed at once; every device in the store is POSTed again every `refreshMs`, as
 * Meraki reports devices it keeps seeing (one that leaves is simply not seen again: the engine's visit
 * silence ends its visit). Identity links, shelf-label taps and purchases name the device by the same
 * pseudonym, as the loyalty app and the store's systems would, and go to the broker directly.
 */
export async function startMerakiTransport(o: {
  store: StoreConfig; mqttUrl: string; log: Logger;
  /** Publishes non-presence events straight to the broker. */
  direct(topic: string, payload: string): Promise<void>;
  refreshMs?: number;
}): Promise<MerakiTransport> {
  const key = randomBytes(24).toString('base64url');
  const secret = randomBytes(12).toString('base64url');
  const config = MerakiConfig.parse({
    gatewayId: `demo-meraki-${o.store.storeId}`, storeId: o.store.storeId, mqtt: { url: o.mqttUrl }, http: { host: '127.0.0.1', port: 0 },
    pseudonymKey: key, logLevel: 'warn',
    meraki: { validator: 'aislecast-demo', secret, zones: o.store.zones.map((z) => ({ zoneId: z.zoneId, apTag: z.zoneId })) },
  });
  const gw: StartedGateway = await startGateway(config, (rt) => meraki.setup(rt, config), { log: o.log.child({ mod: 'meraki-gateway' }) });
  const url = `http://127.0.0.1:${gw.port}/meraki`;
  const present = new Map<string, { zoneId: string; rssi?: number }>();
  const stats = { posts: 0, observations: 0, lastMs: 0 };
  const pseudonym = (deviceId: string) => pseudonymize(key, fakeMac(deviceId));

  const observation = (deviceId: string, zoneId: string, rssi: number | undefined, at: number) => ({
    clientMac: fakeMac(deviceId), ipv4: null, ipv6: null, ssid: 'Aislecast Demo', os: null, manufacturer: null,
    latestRecord: { time: new Date(at).toISOString(), nearestApMac: fakeMac(`ap-${zoneId}`), nearestApRssi: rssi ?? -60 },
    locations: [{ time: new Date(at).toISOString(), variance: 3, floorPlanName: 'Shop floor', nearestApTags: [zoneId],
      rssiRecords: [{ apMac: fakeMac(`ap-${zoneId}`), rssi: rssi ?? -60 }] }],
  });
  const post = async (devices: [string, { zoneId: string; rssi?: number }][]) => {
    if (!devices.length) return;
    const at = Date.now();
    const body = { version: '3.0', secret, type: 'WiFi', data: { networkId: 'N_aislecast_demo', observations: devices.map(([d, s]) => observation(d, s.zoneId, s.rssi, at)) } };
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    stats.posts++;
    stats.observations += devices.length;
    stats.lastMs = performance.now() - t0;
    if (res.status !== 200) o.log.warn({ status: res.status }, 'the Meraki receiver refused a simulated POST');
  };
  const timer = setInterval(() => { void post([...present]).catch((err: unknown) => o.log.debug({ err }, 'simulated Meraki POST failed')); }, o.refreshMs ?? 5_000);
  timer.unref();

  return {
    async publish(topic, payload) {
      const ev = JSON.parse(payload) as { type: string; deviceId?: string; zoneId?: string | null; rssi?: number };
      if (ev.type === 'presence' && ev.deviceId) {
        if (ev.zoneId === null || ev.zoneId === undefined) { present.delete(ev.deviceId); return; }
        const s = { zoneId: ev.zoneId, ...(ev.rssi !== undefined ? { rssi: ev.rssi } : {}) };
        present.set(ev.deviceId, s);
        await post([[ev.deviceId, s]]);
        return;
      }
      const out = ev.deviceId ? { ...ev, deviceId: pseudonym(ev.deviceId) } : ev;
      await o.direct(topic, JSON.stringify(out));
    },
    stats: () => ({ ...stats }),
    async close() { clearInterval(timer); await gw.close(); },
  };
}
