import { Lru } from '../platform/lru.js';

/**
 * Remembers recent event ids per store (bounded) so a redelivered or replayed event is ignored.
 * State-changing events (POS) are also de-duplicated durably in Redis by the pipeline.
 *
 * Used for presence only, where it saves work rather than keeping a promise (a presence event older
 * than its visit's newest moves nobody anyway): 50,000 ids cover redeliveries after a reconnect and
 * a gateway's retries (5 s at 10,000 events/s) in about 6 MB. 200,000 held 25 MB of a 300 MB budget
 * (docs/performance.md §Overload).
 */
export function createDedupe(capacity = 50_000) {
  const seen = new Lru<string, true>(capacity);
  return {
    /** True the first time an id is seen. */
    first(storeId: string, id: string): boolean {
      const key = `${storeId}\u0000${id}`;
      if (seen.has(key)) return false;
      seen.set(key, true);
      return true;
    },
    forget(storeId: string, id: string): void { seen.delete(`${storeId}\u0000${id}`); },
    get size(): number { return seen.size; },
  };
}
export type Dedupe = ReturnType<typeof createDedupe>;
