import { Lru } from '../../engine/platform/lru.js';

/**
 * Vendor event ids already turned into canonical events (a webhook retried, a frame repeated): suppressed
 * here, and the engine de-duplicates by event id too. Bounded; `has`/`add` are O(1).
 */
export function createSeen(max = 100_000) {
  const lru = new Lru<string, true>(max);
  return {
    /** True the first time an id is offered, false for a duplicate. */
    first(id: string): boolean { if (lru.has(id)) return false; lru.set(id, true); return true; },
    forget(id: string): void { lru.delete(id); },
  };
}
