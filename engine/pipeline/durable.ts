import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Effect } from '#contracts';
import type { Journal } from '../platform/journal.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';

export type DurableDeps = {
  /** Commits one effect to the store; throws when it cannot. */
  apply(effect: Effect): Promise<void>;
  /** True while the store answers. */
  isUp(): boolean;
  /** Absent with the in-memory store (the demo promises no durability, and memory never fails). */
  journal?: Journal;
  journalDir?: string;
  log: Logger; metrics?: Metrics;
  retryMs?: number;
  /** A journaled effect that fails this often while the store is up is set aside (poison). */
  maxReplayFailures?: number;
  /**
   * True for a failure of the store itself rather than of the effect (a timeout, a lost connection, a Redis Cluster
   * slot whose master is failing over while the client as a whole is up): such failures pause the replay and are
   * never counted towards poison.
   */
  unavailable?(err: unknown): boolean;
};

/**
 * Makes each transactional effect durable before its event is acknowledged (docs/delivery.md):
 * committed to the store, or — while the store is unreachable, or while older effects still wait in
 * the journal, so order is kept — appended to the local journal. The journal is replayed when the
 * store is back (and at start); effects are idempotent, so a replay interrupted by a crash just
 * runs again.
 */
export function createDurable({ apply, isUp, journal, journalDir, log, metrics, retryMs = 1000, maxReplayFailures = 5, unavailable = () => false }: DurableDeps) {
  let replaying: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const failures = new Map<string, number>();

  async function applyRecord(record: string): Promise<void> {
    let effect: Effect;
    try { effect = Effect.parse(JSON.parse(record)); } catch (err) {
      await setAside(record, `unreadable: ${(err as Error).message.slice(0, 200)}`);
      return;
    }
    try {
      await apply(effect);
      failures.delete(record);
      metrics?.journalReplayed.inc();
    } catch (err) {
      // With the store down the replay pauses; with it up, a record that keeps failing must not block the rest forever.
      if (!isUp() || unavailable(err)) throw err;
      const n = (failures.get(record) ?? 0) + 1;
      if (n < maxReplayFailures) { failures.set(record, n); throw err; }
      failures.delete(record);
      await setAside(record, (err as Error).message.slice(0, 200));
    }
  }

  async function setAside(record: string, reason: string): Promise<void> {
    metrics?.journalPoison.inc();
    log.error({ reason }, 'journal: an effect could not be applied and was set aside in poison.log for an operator');
    if (journalDir) await appendFile(join(journalDir, 'poison.log'), `${JSON.stringify({ at: Date.now(), reason, record })}\n`);
  }

  function replay(): Promise<void> {
    if (!journal || stopped) return Promise.resolve();
    if (replaying || !journal.pending) return replaying ?? Promise.resolve();
    if (!isUp()) { schedule(); return Promise.resolve(); }
    const drained = journal.drain(applyRecord).then(
      (done) => { if (done) log.info('journal drained: every journaled effect is in the store'); else schedule(); },
      (err: unknown) => { log.error({ err }, 'journal replay failed'); schedule(); });
    replaying = drained.finally(() => { replaying = undefined; });
    return replaying;
  }

  function schedule(): void {
    if (stopped || retry) return;
    retry = setTimeout(() => { retry = undefined; void replay(); }, retryMs);
    retry.unref();
  }

  return {
    /** Resolves once the effect is in the store or on disk; only then may its event be acknowledged. */
    async commit(effect: Effect): Promise<void> {
      if (!journal) return apply(effect);
      if (journal.pending === 0 && isUp()) {
        try { await apply(effect); return; } catch (err) {
          metrics?.redisErrors.inc({ op: `commit.${effect.kind}` });
          log.warn({ err: (err as Error).message, kind: effect.kind }, 'store unreachable: effect journaled');
        }
      }
      await journal.append(JSON.stringify(effect));
      metrics?.journalAppended.inc();
      if (isUp()) void replay(); else schedule();
    },
    /** Applies what the journal holds (at start, and when the store comes back). */
    replay,
    get pending(): number { return journal?.pending ?? 0; },
    async close(): Promise<void> {
      stopped = true;
      if (retry) clearTimeout(retry);
      await replaying;
      await journal?.close();
    },
  };
}
export type Durable = ReturnType<typeof createDurable>;
