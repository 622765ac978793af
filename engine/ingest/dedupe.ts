import { Lru } from '../platform/lru.js';

/**
 * Remembers recent event ids per store (bounded) so a redelivered or replayed event is ignored.
 * State-changing events (POS) are also de-duplicated durably in Redis by the pipeline.
 */
export function createDedupe(capacity = 200_000) {
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
