import { Profile, parseUntrusted } from '#contracts';
import type { Keys } from '../platform/keys.js';
import { createKeyedSerial } from '../platform/keyed-serial.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';

export type ProfileWriterDeps = {
  kv: Kv; keys: Keys; log: Logger; metrics?: Metrics; clock: { now(): number };
  /** This instance's id, in change notices, so its own notices don't evict what it just wrote. */
  origin: string;
  /** Told about every profile this instance wrote (the read cache keeps it). */
  written?(p: Profile): void;
  /** How long an event's de-dupe mark lives: longer than any redelivery or journal replay can take. */
  seenTtlMs?: number;
  maxAttempts?: number;
};

/** What a change does to a profile; undefined: nothing to write (e.g. a browse for an unknown customer). */
export type ProfileChange = (current: Profile | undefined, now: number) => Profile | undefined;

export type WriteOutcome = 'applied' | 'duplicate' | 'unchanged';

/**
 * The one way profiles change (docs/delivery.md): read, apply a pure change, and commit it together
 * with the event's de-dupe mark in one atomic step that also checks nobody wrote in between
 * (compare-and-set). Changes to one customer are serialised in this process; across instances a lost
 * race answers 'conflict' and the change is recomputed on the fresh profile. Throws when the store
 * cannot be reached, so the caller journals the event instead.
 */
export function createProfileWriter({ kv, keys, log, metrics, clock, origin, written, seenTtlMs = 30 * 86_400_000, maxAttempts = 20 }: ProfileWriterDeps) {
  const serially = createKeyedSerial();

  async function attempt(customerId: string, seenKey: string, change: ProfileChange): Promise<WriteOutcome> {
    const key = keys.profile(customerId);
    for (let i = 0; i < maxAttempts; i++) {
      const [raw, seen] = await kv.mget([key, seenKey]);
      if (seen !== null && seen !== undefined) return 'duplicate';
      let current: Profile | undefined;
      if (raw) {
        const parsed = parseUntrusted(Profile, safeJson(raw));
        // Never overwrite what cannot be read: the effect fails, and the journal sets it aside for an operator.
        if (!parsed.success) throw new Error(`profile ${customerId} in the store does not match the profile schema; not overwritten`);
        current = parsed.data;
      }
      const next = change(current, clock.now());
      if (!next) return 'unchanged';
      const r = await kv.commitOnce({ key, expected: raw ?? null, value: JSON.stringify(next), seenKey, seenTtlMs,
        channel: keys.profileChanged(), notice: `${origin}|${customerId}` });
      if (r === 'ok') { written?.(next); return 'applied'; }
      if (r === 'duplicate') return 'duplicate';
      metrics?.profileConflicts.inc();
    }
    throw new Error(`profile ${customerId}: still conflicting after ${maxAttempts} attempts`);
  }

  return {
    /**
     * Applies `change` to a customer's profile at most once per event (store + event id). The event's de-dupe mark
     * carries the profile's hash tag (`keys.seen`): the MGET and the script below touch one slot on a Redis Cluster.
     */
    applyOnce(customerId: string, storeId: string, eventId: string, change: ProfileChange): Promise<WriteOutcome> {
      return serially(customerId, () => attempt(customerId, keys.seen(customerId, storeId, eventId), change));
    },
  };
}
export type ProfileWriter = ReturnType<typeof createProfileWriter>;

const safeJson = (s: string): unknown => { try { return JSON.parse(s); } catch { return undefined; } };
