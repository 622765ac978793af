import type { PosEvent } from '#contracts';
import type { Logger } from '../../engine/platform/log.js';
import type { GatewayMetrics } from '../kit/metrics.js';
import { BufferFullError, InvalidEventError, type Publisher } from '../kit/publisher.js';
import { createSeen } from '../kit/seen.js';

/**
 * What became of one vendor sale (docs/gateways/pos.md §Answers):
 * - `published`: the broker acknowledged its event (200);
 * - `duplicate`: it was published before (200, nothing published);
 * - `ignored`: well-formed, but not a sale of this store (another location, a web order, a void…): 200, so the
 *   vendor neither retries nor disables the subscription, and counted;
 * - `refused`: bad input (4xx with the reason), counted;
 * - `retry`: not published now (buffer full, broker slow, order lookup failed): 503, the vendor retries.
 */
export type Outcome =
  | { kind: 'published'; id: string }
  | { kind: 'duplicate'; id?: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'refused'; status: 400 | 401 | 403 | 413 | 415 | 422; reason: string }
  | { kind: 'retry'; reason: string };

/** A vendor sale turned into a canonical event, or why not. */
export type Built = { ok: true; event: PosEvent } | { ok: false; outcome: Outcome };

/** A sale that will not be published, with its outcome (as opposed to a vendor object still being read). */
export type NotBuilt = Extract<Built, { ok: false }>;
export const isNotBuilt = (x: object): x is NotBuilt => (x as { ok?: unknown }).ok === false;

export const ignored = (reason: string): NotBuilt => ({ ok: false, outcome: { kind: 'ignored', reason } });
export const refused = (status: 400 | 401 | 403 | 413 | 415 | 422, reason: string): NotBuilt => ({ ok: false, outcome: { kind: 'refused', status, reason } });

export type IntakeDeps = { publisher: Publisher; metrics: GatewayMetrics; log: Logger; ackTimeoutMs: number; seenMax?: number };

/**
 * Publishes vendor sales exactly once per vendor key (docs/gateways/pos.md §Idempotency): a sale whose key (its
 * vendor event id, or its order) was published before, or is being published, is a duplicate; a sale that was
 * not published (refused, ignored, failed) leaves no mark, so the vendor's retry is handled afresh.
 */
export function createIntake(d: IntakeDeps) {
  const seen = createSeen(d.seenMax);
  const inflight = new Map<string, Promise<Outcome>>();

  /** Counts a refusal in aisle_gateway_rejected_total{reason}; every request refused is counted. */
  function count(o: Outcome): Outcome {
    if (o.kind === 'duplicate') d.metrics.duplicates.inc();
    else if (o.kind !== 'published') d.metrics.rejected.inc({ reason: o.reason });
    return o;
  }

  /** Waits for a publication at most ackTimeoutMs; past it the answer is 503 while the event stays buffered. */
  async function bounded(job: Promise<Outcome>): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Outcome>((r) => { timer = setTimeout(() => r({ kind: 'retry', reason: 'broker_timeout' }), d.ackTimeoutMs); });
    try { return await Promise.race([job, late]); } finally { clearTimeout(timer); }
  }

  async function publish(event: PosEvent): Promise<Outcome> {
    try {
      await d.publisher.publish(event);
      d.log.info({ id: event.id, lines: event.lines.length, member: event.customerId !== undefined }, 'purchase published');
      return { kind: 'published', id: event.id };
    } catch (err) {
      if (err instanceof BufferFullError) return { kind: 'retry', reason: 'buffer_full' };
      if (err instanceof InvalidEventError) {
        d.log.warn({ id: event.id, err: err.message }, 'purchase not publishable');
        return { kind: 'refused', status: 422, reason: 'invalid_event' };
      }
      d.log.warn({ id: event.id, err: (err as Error).message }, 'purchase not published');
      return { kind: 'retry', reason: 'broker' };
    }
  }

  return {
    /** Counts and returns an outcome reached without a key (bad signature, unreadable body…). */
    reject: (o: Outcome): Outcome => count(o),
    /**
     * Handles one vendor sale known by `keys` (all of which name it): duplicates are answered at once, otherwise
     * `build` turns it into an event (it may call the vendor's API) and the answer waits for the broker.
     */
    async submit(keys: readonly string[], build: () => Built | Promise<Built>): Promise<Outcome> {
      const marked: string[] = [];
      for (const key of keys) {
        if (seen.first(key)) { marked.push(key); continue; }
        for (const k of marked) seen.forget(k);
        const pending = inflight.get(key);
        if (!pending) return count({ kind: 'duplicate' });
        const o = await bounded(pending);
        return count(o.kind === 'published' ? { kind: 'duplicate', id: o.id } : o);
      }
      const job = (async (): Promise<Outcome> => {
        try {
          const built = await build();
          return built.ok ? await publish(built.event) : built.outcome;
        } catch (err) {
          d.log.error({ err: (err as Error).message }, 'sale not handled');
          return { kind: 'retry', reason: 'internal' };
        }
      })().then((o) => {
        for (const k of marked) inflight.delete(k);
        if (o.kind !== 'published') for (const k of marked) seen.forget(k);
        return o;
      });
      for (const k of marked) inflight.set(k, job);
      return count(await bounded(job));
    },
  };
}
export type Intake = ReturnType<typeof createIntake>;
