import { performance } from 'node:perf_hooks';
import { DEADLETTER_TOPIC, DecisionMessage, EVENT_TYPES, parseTopic, type EventType, type InboundEvent } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { deadLetter, decode } from './decode.js';
import type { Dedupe } from './dedupe.js';

export { decode, deadLetter } from './decode.js';
export { createDedupe, type Dedupe } from './dedupe.js';

export type IngestDeps = {
  isKnownStore(storeId: string): boolean;
  /**
   * Ids seen recently, to drop redeliveries cheaply. Leave it out for transactional types: their
   * effects are de-duplicated durably, and a redelivery must wait for the first delivery's commit,
   * never be acknowledged ahead of it.
   */
  dedupe?: Dedupe;
  /** The event types this ingest takes; messages on other event types' topics are left to the session that takes them. */
  types: readonly EventType[];
  /**
   * Takes a valid, first-seen event; `receivedAt` is performance.now() at receipt. The message is
   * acknowledged when the returned promise resolves (applied, or its effect durable), never if it rejects.
   */
  accept(event: InboundEvent, receivedAt: number): void | Promise<void>;
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>;
  /** A decision made by another engine instance (docs/contracts.md §Scale). */
  remoteDecision?(msg: DecisionMessage): void;
  origin: string;
  clock: Clock; log: Logger; metrics?: Metrics;
};

/**
 * An MQTT inbound handler: decode, de-duplicate, dead-letter what is invalid, hand the rest on.
 * Never throws; the promise it may return holds the message's acknowledgement (docs/delivery.md).
 */
export function createIngest(d: IngestDeps) {
  // Labelled children resolved once: prom-client hashes the label set on every inc() otherwise.
  const accepted = new Map<string, { inc(): void }>();
  const acceptedFor = (type: string) => {
    let c = accepted.get(type);
    if (!c && d.metrics) accepted.set(type, (c = d.metrics.events.labels(type, 'accepted')));
    return c;
  };
  const mine = new Set<string>(d.types);
  const others = new Set<string>(EVENT_TYPES.filter((t) => !mine.has(t)));
  return function onMessage(topic: string, payload: Buffer): void | Promise<void> {
    const receivedAt = performance.now();
    // A wildcard subscription also brings the other session's event types: not ours to decode or dead-letter.
    if (others.size && others.has(topic.slice(topic.lastIndexOf('/') + 1)) && parseTopic(topic).kind === 'event') return;
    const r = decode(topic, payload, d.isKnownStore);
    if (r.ok === 'outbound') {
      if (r.kind === 'decisions' && d.remoteDecision) {
        try {
          const msg = DecisionMessage.safeParse(JSON.parse(payload.toString('utf8')));
          if (msg.success && msg.data.origin !== d.origin) d.remoteDecision(msg.data);
        } catch { /* not ours to judge: other tools may publish here */ }
      }
      return;
    }
    if (r.ok === false) {
      d.metrics?.events.inc({ type: topic.split('/')[4] ?? 'unknown', outcome: 'dead_letter' });
      d.metrics?.deadLetters.inc({ code: r.code });
      const dl = deadLetter(topic, payload, r.code, r.reason, d.clock.now());
      d.log.debug({ topic, reason: r.reason }, 'dead letter');
      d.publish(DEADLETTER_TOPIC, JSON.stringify(dl), 1).catch((err) => d.log.warn({ err: (err as Error).message }, 'dead letter not published'));
      return;
    }
    const ev = r.event;
    if (d.dedupe && !d.dedupe.first(ev.storeId, ev.id)) { d.metrics?.events.inc({ type: ev.type, outcome: 'duplicate' }); return; }
    acceptedFor(ev.type)?.inc();
    return d.accept(ev, receivedAt);
  };
}
