import type { ItemStats } from './item-stats.js';

/**
 * The user input of the feature builder: a structural subset of the engine's Profile
 * (engine/contracts/profile.ts), so a Profile can be passed as is. Training builds the same object from
 * the history before a cutoff.
 */
export type UserState = {
  rfm?: { recencyDays: number; frequency: number; monetary: number; r?: number; f?: number; m?: number } | undefined;
  lastPurchaseAt?: number | undefined;
  firstPurchaseAt?: number | undefined;
  /** Newest first, at most 50, distinct. */
  recentSkus: readonly string[];
  /** Viewed / tapped, not bought; newest first. */
  browsedSkus: readonly string[];
  /** Purchase counts (baskets containing the SKU) over the history. */
  skuCounts?: Readonly<Record<string, number>> | undefined;
  /** Category → share of purchases, 0..1. */
  affinities: Readonly<Record<string, number>>;
  /** "MM-DD". */
  birthday?: string | undefined;
  tier?: string | undefined;
};

/** The real-time part of the engine's RankContext (engine/scoring/types.ts) the features use. */
export type FeatureContext = {
  zoneCategories?: readonly string[] | undefined;
  /** Epoch ms of the decision. */
  now: number;
  dwellMs?: number | undefined;
  eslSkus?: readonly string[] | undefined;
};

/** Per candidate SKU: everything the user's seed items say about it (one entry per neighbour reached). */
export type NbAcc = {
  /** Σ count(i) · cos(i, j) over own items i. */
  sum: number;
  /** max cos over own items. */
  max: number;
  /** Σ cos over the 10 newest items. */
  recent: number;
  /** max cos over browsed items / label taps of this visit. */
  browsedSim: number;
  eslSim: number;
  /** Candidate kNN score: Σ count(i) · (2 if i is among the 10 newest else 1) · cos over own items, then + w · cos over taps and browsed items. */
  cand: number;
  /** True when a candidate seed (own item, tap, browsed item) reached this SKU (cand may round to 0). */
  seeded: boolean;
};

/**
 * The item statistics as integers, built once per ItemStats object (i.e. once per model version): an id per SKU
 * (the items in order, then any neighbour SKU that is not an item) and every neighbour list in one flat array
 * (`nb[start[id] .. start[id + 1])`, similarities in `sim`, as the exact doubles of item-stats.json).
 */
export type StatsIndex = { id: ReadonlyMap<string, number>; skus: readonly string[]; start: Int32Array; nb: Int32Array; sim: Float64Array };
const indexes = new WeakMap<ItemStats, StatsIndex>();
export function statsIndex(stats: ItemStats): StatsIndex {
  let ix = indexes.get(stats);
  if (ix) return ix;
  const id = new Map<string, number>();
  const skus: string[] = [];
  const idOf = (s: string): number => {
    let i = id.get(s);
    if (i === undefined) { id.set(s, (i = skus.length)); skus.push(s); }
    return i;
  };
  let total = 0;
  for (const [s, it] of stats.items) { idOf(s); total += it.neighbors.length; }
  const items = skus.length;
  const start = new Int32Array(items + 1);
  const nb = new Int32Array(total);
  const sim = new Float64Array(total);
  let q = 0;
  for (let i = 0; i < items; i++) {
    start[i] = q;
    for (const e of stats.items.get(skus[i]!)!.neighbors) { nb[q] = idOf(e.sku); sim[q] = e.sim; q++; }
  }
  start[items] = q;
  indexes.set(stats, (ix = { id, skus, start, nb, sim }));
  return ix;
}

const SUM = 0, MAX = 1, RECENT = 2, BROWSED_SIM = 3, ESL_SIM = 4, CAND = 5, W = 6;

/**
 * The neighbour aggregates of one user, integer-indexed: one slot per SKU reached, in the order first reached,
 * its values in one Float64Array (no object or Map entry per neighbour).
 */
export class NbTable {
  readonly #ix: StatsIndex;
  /** Slot + 1 of each SKU id (0: not reached); ids past the items' (neighbour-only SKUs) included. */
  readonly #slotOf: Int32Array;
  #ids: Int32Array;
  #val: Float64Array;
  #seeded: Uint8Array;
  #n = 0;
  constructor(ix: StatsIndex) {
    this.#ix = ix;
    this.#slotOf = new Int32Array(ix.skus.length);
    // A shopper's items reach about 800 SKUs (demo profiles: mean 783, max 1,450): one growth at most.
    this.#ids = new Int32Array(1024);
    this.#val = new Float64Array(1024 * W);
    this.#seeded = new Uint8Array(1024);
  }
  /** Number of SKUs reached. */
  get size(): number { return this.#n; }
  /** The slot of SKU id `id`, created (all zero) when first reached. */
  acquire(id: number): number {
    const s = this.#slotOf[id]!;
    if (s !== 0) return s - 1;
    const n = this.#n++;
    if (n === this.#ids.length) this.#grow();
    this.#ids[n] = id;
    this.#slotOf[id] = n + 1;
    return n;
  }
  #grow(): void {
    const cap = this.#ids.length * 2;
    const ids = new Int32Array(cap); ids.set(this.#ids); this.#ids = ids;
    const val = new Float64Array(cap * W); val.set(this.#val); this.#val = val;
    const seeded = new Uint8Array(cap); seeded.set(this.#seeded); this.#seeded = seeded;
  }
  /** The slot of `sku`, or −1 when no seed item reached it. */
  slot(sku: string): number {
    const id = this.#ix.id.get(sku);
    return id === undefined ? -1 : this.#slotOf[id]! - 1;
  }
  sku(slot: number): string { return this.#ix.skus[this.#ids[slot]!]!; }
  seeded(slot: number): boolean { return this.#seeded[slot] === 1; }
  sum(slot: number): number { return this.#val[slot * W + SUM]!; }
  max(slot: number): number { return this.#val[slot * W + MAX]!; }
  recent(slot: number): number { return this.#val[slot * W + RECENT]!; }
  browsedSim(slot: number): number { return this.#val[slot * W + BROWSED_SIM]!; }
  eslSim(slot: number): number { return this.#val[slot * W + ESL_SIM]!; }
  cand(slot: number): number { return this.#val[slot * W + CAND]!; }
  /** The aggregate of `sku` as an object (tests, debugging); undefined when not reached. */
  get(sku: string): NbAcc | undefined {
    const s = this.slot(sku);
    return s < 0 ? undefined : { sum: this.sum(s), max: this.max(s), recent: this.recent(s), browsedSim: this.browsedSim(s), eslSim: this.eslSim(s), cand: this.cand(s), seeded: this.seeded(s) };
  }

  // Accumulation over one seed item's neighbour list, in list order (the order the values were defined with).
  /** An own item bought `n` times (candidate weight `w`): sum, max, cand. */
  addOwn(id: number, n: number, w: number): void {
    const { start, nb, sim } = this.#ix;
    for (let q = start[id]!, e = start[id + 1]!; q < e; q++) {
      const s = this.acquire(nb[q]!), v = this.#val, o = s * W, x = sim[q]!;
      v[o + SUM] = v[o + SUM]! + n * x;
      if (x > v[o + MAX]!) v[o + MAX] = x;
      v[o + CAND] = v[o + CAND]! + w * x;
      this.#seeded[s] = 1;
    }
  }
  /** One of the 10 newest items: recent. */
  addRecent(id: number): void {
    const { start, nb, sim } = this.#ix;
    for (let q = start[id]!, e = start[id + 1]!; q < e; q++) {
      const s = this.acquire(nb[q]!);
      const v = this.#val, o = s * W + RECENT;
      v[o] = v[o]! + sim[q]!;
    }
  }
  /** A label tap (`esl`) or browsed item with candidate weight `w`: cand, and eslSim or browsedSim. */
  addSeed(id: number, w: number, esl: boolean): void {
    const { start, nb, sim } = this.#ix;
    const k = esl ? ESL_SIM : BROWSED_SIM;
    for (let q = start[id]!, e = start[id + 1]!; q < e; q++) {
      const s = this.acquire(nb[q]!), v = this.#val, o = s * W, x = sim[q]!;
      v[o + CAND] = v[o + CAND]! + w * x;
      this.#seeded[s] = 1;
      if (x > v[o + k]!) v[o + k] = x;
    }
  }
}

/**
 * Per-user aggregates computed once per request, then reused for every candidate, and shared between the
 * candidate generator and the feature builder (pass the same object to both).
 */
export type UserAgg = {
  /** What it was computed from: reused only for the same user, stats and label taps. */
  user: UserState;
  stats: ItemStats;
  eslSkus: readonly string[];
  counts: ReadonlyMap<string, number>;
  recentPos: ReadonlyMap<string, number>;
  totalCount: number;
  /** max over own counts (0 without purchases). */
  maxCount: number;
  /** Neighbour aggregates, by slot (see NbTable). */
  nb: NbTable;
  browsed: ReadonlySet<string>;
  esl: ReadonlySet<string>;
};

/** Purchase counts: skuCounts when present, else 1 per recent SKU. */
export function userCounts(u: UserState): Map<string, number> {
  const m = new Map<string, number>();
  if (u.skuCounts) for (const k in u.skuCounts) { const v = u.skuCounts[k]!; if (v > 0) m.set(k, v); }
  for (const s of u.recentSkus) if (!m.has(s)) m.set(s, 1);
  return m;
}

const EMPTY: readonly string[] = [];

/**
 * One pass over the neighbour lists of the user's seed items. The accumulation order per SKU (own items in
 * count order, then label taps, then browsed items) is the one the candidate scores and features were
 * defined with, so every value is bit-identical to summing them separately.
 */
export function aggregateUser(u: UserState, ctx: Pick<FeatureContext, 'eslSkus'>, stats: ItemStats): UserAgg {
  const ix = statsIndex(stats);
  const counts = userCounts(u);
  const recentPos = new Map<string, number>();
  const recent = u.recentSkus;
  for (let p = 0; p < recent.length; p++) if (!recentPos.has(recent[p]!)) recentPos.set(recent[p]!, p);
  const nb = new NbTable(ix);
  // Only items have neighbour lists (the old `stats.items.get(s)?.neighbors`): ids of neighbour-only SKUs have none.
  const items = ix.start.length - 1;
  const itemId = (s: string): number => { const id = ix.id.get(s); return id !== undefined && id < items ? id : -1; };
  let totalCount = 0;
  let maxCount = 0;
  for (const [s, n] of counts) {
    totalCount += n;
    if (n > maxCount) maxCount = n;
    const id = itemId(s);
    if (id < 0) continue;
    const p = recentPos.get(s);
    nb.addOwn(id, n, n * (p !== undefined && p < 10 ? 2 : 1));
  }
  for (let r = 0; r < recent.length && r < 10; r++) {
    const id = itemId(recent[r]!);
    if (id >= 0) nb.addRecent(id);
  }
  const eslSkus = ctx.eslSkus ?? EMPTY;
  // Taps and browsed items as candidate seeds (count 1), and their max similarity features.
  const seed = (skus: readonly string[], esl: boolean): void => {
    for (const s of skus) {
      const id = itemId(s);
      if (id < 0) continue;
      const p = recentPos.get(s);
      nb.addSeed(id, p !== undefined && p < 10 ? 2 : 1, esl);
    }
  };
  seed(eslSkus, true);
  seed(u.browsedSkus, false);
  return {
    user: u, stats, eslSkus, counts, recentPos, totalCount, maxCount, nb,
    browsed: new Set(u.browsedSkus), esl: new Set(eslSkus),
  };
}

/** True when `agg` was computed for this user, item stats and label taps (so it can be reused). */
export function aggMatches(agg: UserAgg, u: UserState, eslSkus: readonly string[] | undefined, stats: ItemStats): boolean {
  if (agg.user !== u || agg.stats !== stats) return false;
  const e = eslSkus ?? EMPTY;
  if (e === agg.eslSkus) return true;
  if (e.length !== agg.eslSkus.length) return false;
  for (let i = 0; i < e.length; i++) if (e[i] !== agg.eslSkus[i]) return false;
  return true;
}
