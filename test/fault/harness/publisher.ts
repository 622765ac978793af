import mqtt, { type MqttClient } from 'mqtt';
import { RingLog } from './proc.js';
import type { Scope } from './scope.js';
import type { Message } from './plan.js';

/**
 * A gateway-like publisher: persistent session (clean: false, fixed client id), QoS 1, reconnects by
 * itself every 200 ms. mqtt.js keeps every unacknowledged QoS 1 publish and sends it again after a
 * reconnect, so `publishAll` resolves only once the broker acknowledged every message — across a broker
 * restart too (a resent message may reach the engine twice; the engine must de-duplicate it by id).
 */
export type Publisher = {
  readonly client: MqttClient;
  readonly log: RingLog;
  /** Messages the broker has acknowledged so far (all calls). */
  readonly acked: number;
  /**
   * Publishes in order; `ratePerSec` paces them (default: as fast as the broker takes them).
   * Resolves when the broker acknowledged all of them.
   */
  publishAll(msgs: readonly Message[], o?: { ratePerSec?: number }): Promise<void>;
  publish(msg: Message): Promise<void>;
};

export async function startPublisher(scope: Scope, url: string, clientId: string): Promise<Publisher> {
  const log = new RingLog(`publisher ${clientId}`, 100);
  scope.watch(log);
  const client = await mqtt.connectAsync(url, { clientId, clean: false, reconnectPeriod: 200, protocolVersion: 4, connectTimeout: 5000 });
  client.on('offline', () => log.note('offline'));
  client.on('reconnect', () => log.note('reconnecting'));
  client.on('connect', (ack) => log.note(`connected (sessionPresent=${ack.sessionPresent})`));
  client.on('error', (err) => log.note(`error: ${err.message}`));
  scope.defer(`publisher ${clientId}`, () => client.endAsync(true).catch(() => {}));
  let acked = 0;
  const one = (m: Message) => client.publishAsync(m.topic, m.payload, { qos: 1 }).then(() => { acked++; });
  return {
    client, log,
    get acked() { return acked; },
    publish: one,
    async publishAll(msgs, o = {}) {
      const pending: Promise<void>[] = [];
      if (!o.ratePerSec) { for (const m of msgs) pending.push(one(m)); }
      else {
        const t0 = Date.now();
        for (let i = 0; i < msgs.length; i++) {
          const due = t0 + (i * 1000) / o.ratePerSec;
          if (due > Date.now() + 1) await new Promise((r) => setTimeout(r, due - Date.now()));
          pending.push(one(msgs[i]!));
        }
      }
      await Promise.all(pending);
    },
  };
}
