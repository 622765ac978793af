import mqtt, { type MqttClient } from 'mqtt';
import { eventTopic, InboundEvent, parseUntrusted } from '#contracts';
import type { Logger } from '../../engine/platform/log.js';
import type { GatewayMetrics } from './metrics.js';

export class BufferFullError extends Error {
  constructor(readonly limit: number) { super(`gateway buffer full (${limit} events waiting for the broker)`); }
}
export class InvalidEventError extends Error {}

export type PublisherOptions = {
  url: string; clientId: string; log: Logger; metrics: GatewayMetrics;
  /** Events held while the broker is unreachable or has not acknowledged them yet; past it `publish` refuses. Default 10,000. */
  maxBuffered?: number;
  /** Injected client (tests); default mqtt.connect(url). */
  client?: MqttClient;
};

type Pending = { topic: string; payload: string; type: string; resolve: () => void; reject: (e: Error) => void };

/**
 * Publishes canonical events at QoS 1 (docs/gateways.md §Delivery). Each event is checked against the
 * engine's contract first. While the broker is unreachable, events wait in a bounded buffer, in order, and
 * go out when it is back; `publish` resolves when the broker acknowledged the event. When the buffer is
 * full `publish` rejects with BufferFullError (counted): a webhook then answers 503 so the vendor retries,
 * a stream receiver drops that presence reading (a newer one follows). Nothing is dropped silently.
 */
export function createPublisher(o: PublisherOptions) {
  const max = o.maxBuffered ?? 10_000;
  const client = o.client ?? mqtt.connect(o.url, { clientId: o.clientId, clean: false, reconnectPeriod: 1000, connectTimeout: 5000, protocolVersion: 4 });
  const queue: Pending[] = [];
  let inflight = 0;
  let closed = false;
  const gauge = () => o.metrics.buffered.set(queue.length + inflight);
  client.on('connect', () => { o.metrics.connected.set(1); o.log.info('broker connected'); pump(); });
  client.on('close', () => o.metrics.connected.set(0));
  client.on('offline', () => o.log.warn('broker unreachable; buffering events'));
  client.on('error', (err) => o.log.warn({ err: err.message }, 'broker error'));

  /** Sends what waits, in order, while connected; mqtt.js keeps QoS 1 messages until acknowledged. */
  function pump(): void {
    while (client.connected && queue.length) {
      const p = queue.shift()!;
      inflight++;
      client.publish(p.topic, p.payload, { qos: 1 }, (err) => {
        inflight--;
        if (err) { queue.unshift(p); gauge(); return; } // goes out again on the next connect
        o.metrics.published.inc({ type: p.type });
        gauge();
        p.resolve();
      });
    }
    gauge();
  }

  return {
    /** Validates and publishes one event; resolves once the broker acknowledged it. */
    publish(event: unknown): Promise<void> {
      const r = parseUntrusted(InboundEvent, event);
      if (!r.success) {
        const issue = r.error.issues[0];
        return Promise.reject(new InvalidEventError(`${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`));
      }
      if (closed) return Promise.reject(new Error('publisher closed'));
      if (queue.length + inflight >= max) {
        o.metrics.overflow.inc({ type: r.data.type });
        return Promise.reject(new BufferFullError(max));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ topic: eventTopic(r.data.storeId, r.data.type), payload: JSON.stringify(r.data), type: r.data.type, resolve, reject });
        pump();
      });
    },
    connected: () => client.connected,
    waiting: () => queue.length + inflight,
    client,
    /** Waits (bounded) for what is buffered to go out, then disconnects. */
    async close(timeoutMs = 5000): Promise<void> {
      closed = true;
      const end = Date.now() + timeoutMs;
      while (queue.length + inflight > 0 && Date.now() < end && client.connected) await new Promise((r) => setTimeout(r, 20));
      for (const p of queue.splice(0)) p.reject(new Error('publisher closed'));
      await client.endAsync();
    },
  };
}
export type Publisher = ReturnType<typeof createPublisher>;
