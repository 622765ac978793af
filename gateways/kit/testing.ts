import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';

/** A message the recording client was asked to publish. */
export type Recorded = { topic: string; payload: string; qos: number };

/**
 * A stand-in MQTT client for gateway tests and the conformance suite: records every publish and
 * acknowledges it at once (or holds acknowledgements while `offline`). Not used by any gateway at run time.
 */
export function createRecordingClient() {
  const ee = new EventEmitter();
  const sent: Recorded[] = [];
  let connected = true;
  const held: (() => void)[] = [];
  const client = Object.assign(ee, {
    publish(topic: string, payload: string, opts: { qos: number }, cb: (err?: Error) => void) {
      const ack = () => { sent.push({ topic, payload, qos: opts.qos }); cb(); };
      if (connected) queueMicrotask(ack); else held.push(ack);
      return client;
    },
    async endAsync() { connected = false; },
  });
  // A getter (Object.assign would copy its value once).
  Object.defineProperty(client, 'connected', { get: () => connected });
  return {
    client: client as unknown as MqttClient,
    sent,
    /** Simulates the broker going away (publishes wait) and coming back (they go out, in order). */
    setConnected(up: boolean) {
      connected = up;
      if (up) { for (const a of held.splice(0)) a(); ee.emit('connect'); } else ee.emit('close');
    },
  };
}
