import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { InboundClient } from './gateway.js';

/** One message as the ESPresense broker delivers it. */
export type EspMessage = { topic: string; payload: string | Uint8Array; retained?: boolean };

/**
 * A stand-in for the connection to the ESPresense broker (tests and the conformance suite): records the
 * subscriptions and delivers messages through the client's `message` event, as mqtt.js does. Not used at run time.
 */
export function createFakeInbound() {
  const ee = new EventEmitter();
  const subscriptions: string[] = [];
  let connected = true;
  // defineProperty, not Object.assign: assign would copy the getter's value once and `connected` would never change.
  Object.defineProperty(ee, 'connected', { get: () => connected });
  // Like mqtt.js, `connect` follows the listener's registration, not the call that created the client.
  ee.on('newListener', (event) => { if (event === 'connect' && connected) setImmediate(() => ee.emit('connect')); });
  const client = Object.assign(ee, {
    subscribe(topics: string | string[], _opts: unknown, cb?: (err: Error | null) => void) {
      subscriptions.push(...(Array.isArray(topics) ? topics : [topics]));
      cb?.(null);
      return client;
    },
    async endAsync() { connected = false; },
  });
  return {
    client: client as unknown as InboundClient,
    subscriptions,
    /** Delivers one message to the gateway's listener. */
    deliver(m: EspMessage): void { ee.emit('message', m.topic, toBuffer(m.payload), { retain: m.retained ?? false }); },
  };
}

/** A payload as the MQTT client hands it over. */
export const toBuffer = (p: string | Uint8Array): Buffer => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p));

type FixtureFile = Record<string, unknown>;
/** The fixtures in gateways/espresense/fixtures/ (written from ESPresense's public documentation). */
export function loadFixture<T = FixtureFile>(name: 'devices' | 'rooms'): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}
export type DeviceFixture = EspMessage & { payload: string; kind: string; note: string };
export type DeviceFixtures = { messages: DeviceFixture[]; quirks: DeviceFixture[] };
type RoomFixture = EspMessage & { payload: string; note: string };
export type RoomFixtures = { status: RoomFixture[]; ignored: RoomFixture[] };
