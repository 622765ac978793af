import { performance } from 'node:perf_hooks';
import { DEADLETTER_TOPIC, DecisionMessage, type InboundEvent } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { deadLetter, decode } from './decode.js';
import type { Dedupe } from './dedupe.js';

export { decode, deadLetter } from './decode.js';
export { createDedupe, type Dedupe } from './dedupe.js';

export type IngestDeps = {
  isKnownStore(storeId: string): boolean;
  dedupe: Dedupe;
  /** Accepts a valid, first-seen event; `receivedAt` is performance.now() at receipt. */
  accept(event: InboundEvent, receivedAt: number): void;
  /** Events accepted but not yet finished; above maxInFlight the bus waits before acknowledging more. */
  inFlight(): number;
  whenBelow(limit: number): Promise<void>;
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>;
  /** A decision made by another engine instance (DESIGN.md §Scale). */
  remoteDecision?(msg: DecisionMessage): void;
  origin: string;
  clock: Clock; log: Logger; metrics?: Metrics; maxInFlight?: number;
};

/**
 * The MQTT inbound handler: decode, de-duplicate, dead-letter what is invalid, hand the rest on.
 * Never throws; returns a promise only to hold back acknowledgements while the engine is saturated.
 */
export function createIngest(d: IngestDeps) {
  const maxInFlight = d.maxInFlight ?? 20_000;
  // Labelled children resolved once: prom-client hashes the label set on every inc() otherwise.
  const accepted = new Map<string, { inc(): void }>();
  const acceptedFor = (type: string) => {
    let c = accepted.get(type);
    if (!c && d.metrics) accepted.set(type, (c = d.metrics.events.labels(type, 'accepted')));
    return c;
  };
  return function onMessage(topic: string, payload: Buffer): void | Promise<void> {
    const receivedAt = performance.now();
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
    if (!d.dedupe.first(ev.storeId, ev.id)) { d.metrics?.events.inc({ type: ev.type, outcome: 'duplicate' }); return; }
    acceptedFor(ev.type)?.inc();
    d.accept(ev, receivedAt);
    if (d.inFlight() > maxInFlight) return d.whenBelow(maxInFlight / 2);
  };
}
