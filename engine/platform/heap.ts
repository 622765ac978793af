import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The two V8 settings the overload governor uses (docs/performance.md §Overload). Both act on the whole
 * process, which is the engine's own (engine/main.ts).
 *
 * Where memory went before them: under 10,000–20,000 presence events/s the live heap stayed near
 * 100–130 MB, but V8 on a host with plenty of memory lets the old generation grow to about four times
 * what survived its last full collection before collecting again, and keeps the pages it grew into:
 * the engine's resident memory reached 520–630 MB, almost all of it garbage waiting for a collection.
 */

/**
 * After each full collection, lets the heap grow by at most `percent` of what survived it before the
 * next one (V8's `--heap-growing-percent`, read at every collection, so it takes effect at run time);
 * undefined gives the choice back to V8 (between 1.1× and 4×, by how fast it collects and allocates).
 */
export function limitHeapGrowth(percent: number | undefined): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent === undefined ? 0 : Math.max(1, Math.round(percent))}`);
}

let gc: ((opts?: unknown) => unknown) | null | undefined;

/**
 * A full, compacting collection now; afterwards V8 gives the pages it freed back to the system (resident
 * memory falls within about a second). Pauses the process for tens of milliseconds: the governor asks
 * for one only while memory is near the budget, and seldom. False if this V8 offers no way to do it.
 */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    const g = (globalThis as { gc?: () => unknown }).gc;
    if (typeof g === 'function') gc = g;
    else {
      // Without --expose-gc at start: a context made while the flag is on gets a `gc` function; the flag is turned off again at once.
      try { v8.setFlagsFromString('--expose-gc'); gc = runInNewContext('gc') as () => unknown; }
      catch { gc = null; }
      finally { v8.setFlagsFromString('--no-expose-gc'); }
    }
  }
  if (!gc) return false;
  gc();
  return true;
}
