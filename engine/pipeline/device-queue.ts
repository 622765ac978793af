import type { InboundEvent } from '#contracts';

type Job = { event: InboundEvent; receivedAt: number };
type Entry = Job & { done: () => void };

/**
 * Runs events of one key (a device) in order, one at a time, while different keys run concurrently.
 * Under overload a queued presence is replaced by a newer presence of the same device
 * (latest position wins, docs/performance.md); other event types are never dropped.
 * `push` resolves when the event has been applied (or replaced by a newer position of its device),
 * which is when its MQTT message may be acknowledged (docs/delivery.md).
 */
export function createDeviceQueue(run: (job: Job) => Promise<void>, onShed: () => void, onError: (err: unknown) => void) {
  const queues = new Map<string, Entry[]>();
  let inFlight = 0;
  let waiters: { limit: number; resolve: () => void }[] = [];
  const wake = () => {
    if (!waiters.length) return;
    waiters = waiters.filter((w) => (inFlight <= w.limit ? (w.resolve(), false) : true));
  };

  async function drain(key: string, q: Entry[]): Promise<void> {
    while (q.length) {
      const job = q[0]!;
      try { await run(job); } catch (err) { onError(err); }
      q.shift();
      job.done();
      inFlight--;
      wake();
    }
    queues.delete(key);
  }

  return {
    push(key: string, job: Job): Promise<void> {
      return new Promise<void>((done) => {
        const entry = { ...job, done };
        const q = queues.get(key);
        if (!q) {
          const nq = [entry];
          queues.set(key, nq);
          inFlight++;
          void drain(key, nq);
          return;
        }
        const last = q[q.length - 1]!;
        if (q.length > 1 && last.event.type === 'presence' && job.event.type === 'presence') {
          q[q.length - 1] = entry; // the running job (q[0]) is never replaced
          last.done(); // superseded: the newer position carries its device's state
          onShed();
          return;
        }
        q.push(entry);
        inFlight++;
      });
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
