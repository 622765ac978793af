import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Bus, MessageHandler } from './bus.js';
import type { Logger } from './log.js';

export type ClientBusOptions = {
  url: string; clientId: string; log: Logger; onMessage: MessageHandler;
  /** false: the broker keeps our subscriptions and queues QoS 1 messages while we are away. */
  clean?: boolean; connectTimeoutMs?: number;
};

/**
 * An external broker (Mosquitto, EMQX) with a persistent session (clean: false, fixed client id):
 * a short engine restart loses nothing published meanwhile (DESIGN.md §MQTT).
 */
export async function createClientBus({ url, clientId, log, onMessage, clean = false, connectTimeoutMs = 5000 }: ClientBusOptions): Promise<Bus> {
  const opts: IClientOptions = { clientId, clean, reconnectPeriod: 1000, connectTimeout: connectTimeoutMs, protocolVersion: 4, manualConnect: true };
  const client: MqttClient = mqtt.connect(url, opts);
  // Acknowledge a QoS 1 message only after the handler accepted it (backpressure when it returns a promise).
  client.handleMessage = (packet, callback) => {
    let r: void | Promise<void> = undefined;
    try { r = onMessage(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)); }
    catch (err) { log.error({ err }, 'inbound handler threw'); }
    if (r instanceof Promise) r.then(() => callback(), () => callback()); else callback();
  };
  // Nagle off: PERFORMANCE.md measured p99 18 ms with it on.
  client.on('connect', () => { (client.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true); log.info({ url: safe(url) }, 'mqtt connected'); });
  client.on('offline', () => log.warn('mqtt offline'));
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt error'));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`mqtt: no connection to ${safe(url)} within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    client.once('connect', () => { clearTimeout(t); resolve(); });
    client.connect();
  }).catch((err) => { client.end(true); throw err; });
  let closed = false;
  return {
    kind: 'client',
    url,
    subscribe: async (filter) => { await client.subscribeAsync(filter, { qos: 1 }); },
    publish: async (topic, payload, qos = 0) => { await client.publishAsync(topic, payload, { qos }); },
    isUp: () => client.connected,
    close: async () => {
      if (closed) return;
      closed = true;
      // A graceful end waits for the broker; if it is gone, give up after a moment rather than stall shutdown.
      const graceful = client.endAsync(false).then(() => true, () => false);
      const done = await Promise.race([graceful, new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
      if (!done) client.end(true);
    },
  };
}

const safe = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
