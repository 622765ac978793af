import { performance } from 'node:perf_hooks';
import { DEADLETTER_TOPIC, EVENT_TYPES, parseTopic, RemoteFrame, RemoteLabel, type EventType, type InboundEvent, parseUntrusted } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { deadLetter, decode, type StoreRefs } from './decode.js';
import type { Dedupe } from './dedupe.js';

export { decode, deadLetter, type StoreRefs } from './decode.js';
export { createDedupe, type Dedupe } from './dedupe.js';

export type IngestDeps = {
  isKnownStore(storeId: string): boolean;
  /** Zones and labels of each store; events naming others are dead-lettered. */
  refs?: StoreRefs;
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
  /**
   * A frame another engine instance made for a screen, already checked against the topic's store
   * (docs/contracts.md §Scale); the receiver checks the screen belongs to the store and holds its socket.
   */
  remoteFrame?(msg: RemoteFrame): void;
  /** A shelf label's content from the instance that decides its store (docs/scale.md). */
  remoteLabel?(msg: RemoteLabel): void;
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
  const remote = (outcome: string) => d.metrics?.remoteFrames.inc({ outcome });
  function takeRemoteFrame(topicStore: string, payload: Buffer): void {
    let json: unknown;
    try { json = JSON.parse(payload.toString('utf8')); } catch { remote('invalid'); return; }
    // MQTT 3.1.1 has no "no local": this instance's own frames come back, and are dropped first, unparsed.
    if ((json as { origin?: unknown } | null)?.origin === d.origin) return;
    if ((json as { label?: unknown } | null)?.label !== undefined) {
      const lab = parseUntrusted(RemoteLabel, json);
      if (!lab.success) { remote('invalid'); return; }
      if (lab.data.storeId !== topicStore) { remote('store_mismatch'); return; }
      remote('label');
      d.remoteLabel?.(lab.data);
      return;
    }
    const msg = parseUntrusted(RemoteFrame, json);
    if (!msg.success) { remote('invalid'); return; }
    if (msg.data.storeId !== topicStore || (msg.data.frame.storeId !== undefined && msg.data.frame.storeId !== topicStore)) { remote('store_mismatch'); return; }
    remote('accepted');
    d.remoteFrame!(msg.data);
  }
  const others = new Set<string>(EVENT_TYPES.filter((t) => !mine.has(t)));
  return function onMessage(topic: string, payload: Buffer): void | Promise<void> {
    const receivedAt = performance.now();
    const t = parseTopic(topic); // once per message: decode takes it as parsed
    // A wildcard subscription also brings the other session's event types: not ours to decode or dead-letter.
    if (t.kind === 'event' && others.has(t.type)) return;
    // Another instance's store (several engines share a broker, docs/contracts.md §Scale): not ours to judge.
    if (t.kind === 'event' && !d.isKnownStore(t.storeId)) { d.metrics?.events.inc({ type: t.type, outcome: 'other_store' }); return; }
    const r = decode(topic, payload, d.isKnownStore, d.refs, t);
    if (r.ok === 'outbound') {
      if (r.kind === 'frames' && d.remoteFrame) takeRemoteFrame(r.storeId, payload);
      return;
    }
    if (r.ok === false) {
      // A label value never comes from input as is: unknown topic types count as "other".
      const t = topic.split('/')[4] ?? '';
      d.metrics?.events.inc({ type: (EVENT_TYPES as readonly string[]).includes(t) ? t : 'other', outcome: 'dead_letter' });
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
