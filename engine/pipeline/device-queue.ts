import type { InboundEvent } from '#contracts';

type Job = { event: InboundEvent; receivedAt: number };

/**
 * Runs events of one key (a device) in order, one at a time, while different keys run concurrently.
 * Under overload a queued presence is replaced by a newer presence of the same device
 * (latest position wins, PERFORMANCE.md §4); other event types are never dropped.
 */
export function createDeviceQueue(run: (job: Job) => Promise<void>, onShed: () => void, onError: (err: unknown) => void) {
  const queues = new Map<string, Job[]>();
  let inFlight = 0;
  let waiters: { limit: number; resolve: () => void }[] = [];
  const wake = () => {
    if (!waiters.length) return;
    waiters = waiters.filter((w) => (inFlight <= w.limit ? (w.resolve(), false) : true));
  };

  async function drain(key: string, q: Job[]): Promise<void> {
    while (q.length) {
      const job = q[0]!;
      try { await run(job); } catch (err) { onError(err); }
      q.shift();
      inFlight--;
      wake();
    }
    queues.delete(key);
  }

  return {
    push(key: string, job: Job): void {
      const q = queues.get(key);
      if (!q) {
        const nq = [job];
        queues.set(key, nq);
        inFlight++;
        void drain(key, nq);
        return;
      }
      const last = q[q.length - 1]!;
      if (q.length > 1 && last.event.type === 'presence' && job.event.type === 'presence') {
        q[q.length - 1] = job; // the running job (q[0]) is never replaced
        onShed();
        return;
      }
      q.push(job);
      inFlight++;
    },
    /** Events accepted but not finished. */
    get inFlight(): number { return inFlight; },
    /** Resolves once at most `limit` events are in flight (backpressure for the bus). */
    whenBelow(limit: number): Promise<void> {
      return inFlight <= limit ? Promise.resolve() : new Promise((resolve) => waiters.push({ limit, resolve }));
    },
    /** Resolves when everything accepted so far has run. */
    idle(): Promise<void> { return this.whenBelow(0); },
  };
}
export type DeviceQueue = ReturnType<typeof createDeviceQueue>;
