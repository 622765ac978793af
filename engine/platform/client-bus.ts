import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { createAckWindow } from './ack-window.js';
import type { Bus, MessageHandler } from './bus.js';
import type { Logger } from './log.js';

export type ClientBusOptions = {
  url: string; clientId: string; log: Logger; onMessage: MessageHandler;
  /** false: the broker keeps our subscriptions and queues QoS 1 messages while we are away. */
  clean?: boolean; connectTimeoutMs?: number;
  /** Messages worked on at once before the reader waits (the broker's own in-flight limit usually binds first). */
  maxUnacked?: number;
  /** Observes how many messages are held unacknowledged (metrics). */
  onUnacked?(n: number): void;
  /** The connection closed (the broker went away, or another client took this client id). */
  onClose?(): void;
};

/** mqtt.js sends a PUBACK when handleMessage's callback succeeds; an error skips it and goes on reading. */
const DEFERRED = Object.assign(new Error('acknowledgement deferred'), { deferred: true });
type Internals = { _sendPacket(packet: { cmd: 'puback'; messageId: number }, cb?: (err?: Error) => void): void };

/**
 * An external broker (Mosquitto, EMQX) with a persistent session (clean: false, fixed client id):
 * a short engine restart loses nothing published meanwhile (docs/contracts.md §MQTT topics and events).
 *
 * A QoS 1 message is acknowledged only once the handler's promise resolves — after its effect is
 * applied or durable (docs/delivery.md) — and in arrival order. mqtt.js would hold every later
 * packet until the handler's callback; instead the callback returns at once with "deferred" and the
 * PUBACK is sent from the ack window, so one slow commit does not serialise the session.
 */
export async function createClientBus({ url, clientId, log, onMessage, clean = false, connectTimeoutMs = 5000,
  maxUnacked = 1000, onUnacked, onClose }: ClientBusOptions): Promise<Bus> {
  const opts: IClientOptions = { clientId, clean, reconnectPeriod: 1000, connectTimeout: connectTimeoutMs, protocolVersion: 4, manualConnect: true };
  const client: MqttClient = mqtt.connect(url, opts);
  const window = createAckWindow(maxUnacked);
  let taking = true;
  let connection = 0; // PUBACKs are only valid on the connection that brought the message

  client.handleMessage = (packet: IPublishPacket, callback) => {
    if (!taking) { callback(DEFERRED); return; } // never acknowledged: redelivered to the next session
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    let r: void | Promise<void> = undefined;
    if (packet.qos === 0) {
      try { r = onMessage(packet.topic, payload); } catch (err) { log.error({ err }, 'inbound handler threw'); }
      if (r instanceof Promise) r.catch(() => {});
      callback();
      return;
    }
    const conn = connection;
    const messageId = packet.messageId!;
    const settle = window.hold(() => {
      if (conn === connection && client.connected) (client as unknown as Internals)._sendPacket({ cmd: 'puback', messageId });
    });
    onUnacked?.(window.size);
    try { r = onMessage(packet.topic, payload); } catch (err) { log.error({ err }, 'inbound handler threw'); }
    const ok = () => { settle(true); onUnacked?.(window.size); };
    if (r instanceof Promise) {
      r.then(ok, (err: unknown) => {
        // Not durable: never acknowledge it. Reconnecting makes the broker deliver it again.
        settle(false);
        onUnacked?.(window.size);
        log.error({ err, topic: packet.topic }, 'event not committed; reconnecting so the broker redelivers it');
        if (taking) client.stream?.destroy();
      });
    } else ok();
    const room = window.room();
    if (room) void room.then(() => callback(DEFERRED)); else callback(DEFERRED);
  };
  // Nagle off: docs/performance.md measured a p99 of 18 ms per hop with it on.
  client.on('connect', () => { (client.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true); log.info({ url: safe(url), clientId }, 'mqtt connected'); });
  client.on('close', () => {
    // Messages held from the lost connection come again (same session, not acknowledged).
    connection++;
    window.drop();
    onUnacked?.(0);
    onClose?.();
  });
  client.on('offline', () => log.warn({ clientId }, 'mqtt offline'));
  client.on('error', (err) => { if (!(err as { deferred?: boolean }).deferred) log.warn({ err: err.message }, 'mqtt error'); });
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
    get unacked() { return window.size; },
    async stopTaking(timeoutMs) {
      taking = false;
      await Promise.race([window.idle(), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
      if (window.size) log.warn({ clientId, held: window.size }, 'stopping with events not yet committed; the broker redelivers them');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      taking = false;
      // A graceful end waits for the broker; if it is gone, give up after a moment rather than stall shutdown.
      const graceful = client.endAsync(false).then(() => true, () => false);
      const done = await Promise.race([graceful, new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
      if (!done) client.end(true);
    },
  };
}

const safe = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
