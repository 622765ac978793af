/**
 * Which engine instance serves which stores (docs/scale.md). Pure: the lease loop (leases.ts) feeds it
 * what Redis says and does what it answers.
 *
 * Stores are grouped into a fixed number of partitions by a hash of the store id, so the grouping never
 * changes while instances come and go. Each partition's preferred owner is picked by rendezvous hashing
 * over the live instances: every instance computes the same answer from the same list, about 1/N of the
 * partitions each, and when an instance joins or leaves only the partitions it gains or loses move.
 */

/** FNV-1a, 32 bits, finalised: small, stable across versions and platforms (never Math.random or a Map's order). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // MurmurHash3's finaliser: FNV alone mixes its last bytes poorly, and ids like "a#3" and "b#3" differ only in one.
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The partition of a store, 0 ≤ p < partitions. */
export const partitionOf = (storeId: string, partitions: number): number => fnv1a(storeId) % partitions;

/** The live instance that should own partition `p` (highest rendezvous weight; ties by id). */
export function preferredOwner(p: number, live: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestW = -1;
  for (const id of live) {
    const w = fnv1a(`${id}#${p}`);
    if (w > bestW || (w === bestW && best !== undefined && id < best)) { best = id; bestW = w; }
  }
  return best;
}

export type PlanInput = {
  partitions: number;
  me: string;
  /** Live instances (this one included) with when each was first seen live, epoch ms. */
  live: ReadonlyMap<string, number>;
  /** Partitions this instance holds. */
  held: ReadonlySet<number>;
  /** Who holds each partition's lease now (absent or null: free). */
  holders: ReadonlyMap<number, string | null>;
  now: number;
  /** A newcomer must have been live this long before partitions are handed to it (no churn on a flapping start). */
  settleMs: number;
};

export type Plan = { acquire: number[]; release: number[] };

/**
 * Take the free partitions whose preferred owner is this instance (or whose lease still names it: let go locally); hand over the ones it holds whose
 * preferred owner is another instance that has settled. A partition held by a dead instance becomes
 * free when its lease expires, and the dead instance drops out of `live` at the same time, so its
 * partitions go to the survivors' preferences.
 */
export function plan(i: PlanInput): Plan {
  const ids = [...i.live.keys()].sort();
  const acquire: number[] = [];
  const release: number[] = [];
  for (let p = 0; p < i.partitions; p++) {
    const want = preferredOwner(p, ids);
    const holder = i.holders.get(p) ?? null;
    if (i.held.has(p)) {
      if (want !== undefined && want !== i.me && i.now - (i.live.get(want) ?? i.now) >= i.settleMs) release.push(p);
    } else if ((holder === null || holder === i.me) && (want === i.me || want === undefined)) acquire.push(p);
  }
  return { acquire, release };
}
