/**
 * Shared by the Meraki tests, the conformance suite and the bench (not used at run time): a configuration
 * whose zone rules fit the fixtures, and a way to post a body to a running gateway.
 */
import type { StartedGateway } from '../kit/runtime.js';
import { MerakiConfig } from './config.js';

export const TEST_SECRET = 'fixture-shared-secret';
export const TEST_VALIDATOR = 'da6a17c407bb11dfeec7392a5042be0a4cc034b6';
export const TEST_KEY = 'test-pseudonym-key-0123456789abcdef';
/** The fixtures' observations are from 10:00:20–10:00:55 UTC on this day; tests run the clock at 10:01:00. */
export const FIXTURE_NOW = Date.parse('2024-05-14T10:01:00Z');
export const AP = { b0: '00:18:0a:13:dd:b0', b1: '00:18:0a:13:dd:b1', b2: '00:18:0a:13:dd:b2' } as const;

/** A valid configuration (any free port); `meraki` settings may be overridden. */
export function testConfig(meraki: Record<string, unknown> = {}, base: Record<string, unknown> = {}): MerakiConfig {
  return MerakiConfig.parse({
    gatewayId: 'meraki-test', storeId: 'store-1', mqtt: { url: 'mqtt://127.0.0.1:1' },
    http: { host: '127.0.0.1', port: 0 }, pseudonymKey: TEST_KEY, logLevel: 'debug', ...base,
    meraki: {
      validator: TEST_VALIDATOR, secret: TEST_SECRET,
      zones: [
        { zoneId: 'checkout', rect: { floorPlanId: 'g_100', x1: 0, y1: 0, x2: 10, y2: 5 } },
        { zoneId: 'produce', rect: { floorPlanId: 'Ground Floor', x1: 10, y1: 0, x2: 30, y2: 20 } },
        { zoneId: 'entrance', apTag: 'entrance' },
        { zoneId: 'bakery', apMac: '00:18:0A:13:DD:B2' },
        { zoneId: 'upstairs', floorPlan: 'First Floor' },
      ],
      ...meraki,
    },
  });
}

/** POSTs a body to the gateway's Meraki path: the status and the `error` of a refusal. */
export async function postBody(gw: StartedGateway, path: string, body: string): Promise<{ status: number; reason?: string; json?: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${gw.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try { json = JSON.parse(text) as Record<string, unknown>; } catch { json = undefined; }
  const reason = typeof json?.error === 'string' ? json.error : undefined;
  return { status: res.status, ...(reason ? { reason } : {}), ...(json ? { json } : {}) };
}

const octet = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** `n` v3 WiFi observations of distinct (locally administered) devices at `ts`, spread over the fixture zones. */
export function syntheticObservations(n: number, ts: number, salt = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    clientMac: ['02', octet(salt), octet(i >> 16), octet(i >> 8), octet(i), 'a0'].join(':'),
    ipv4: `10.2.${octet(i >> 8)}.${i & 0xff}`, ssid: 'Store Guest', os: 'Android', manufacturer: 'Samsung',
    locations: [{
      time: new Date(ts).toISOString(), x: (i * 7) % 30, y: (i * 3) % 5, lat: 51.5355, lng: -0.0699, variance: 2.5,
      floorPlanId: 'g_100', floorPlanName: 'Ground Floor', nearestApTags: i % 5 === 0 ? ['entrance'] : [],
      rssiRecords: [{ apMac: AP.b0, rssi: -50 - (i % 30) }, { apMac: AP.b1, rssi: -70 }, { apMac: AP.b2, rssi: -75 }],
    }],
  }));
}

/** A v3 WiFi POST body around some observations. */
export function v3Body(observations: unknown[], over: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: '3.0', secret: TEST_SECRET, type: 'WiFi', data: { networkId: 'N_24329156', observations }, ...over });
}
