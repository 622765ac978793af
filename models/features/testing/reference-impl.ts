/**
 * FROZEN COPY (test only) of the candidate generator and feature builder as they were before the
 * serving speed-up (commit fd9ecdb). features-equivalence.test.ts checks that the optimized code in
 * models/candidates and models/features produces bit-identical output. Do not "fix" this file.
 */
import type { ItemStats } from '../item-stats.js';
import type { FeatureContext, UserState } from '../user-state.js';
import { FEATURE_NAMES, daysToBirthday } from '../index.js';

type CandidateSource = 'repeat' | 'browsed' | 'knn' | 'zone' | 'popular';
type Candidate = { sku: string; source: CandidateSource };
type CandidateInput = {
  user: UserState; stats: ItemStats; zoneCategories?: readonly string[] | undefined;
  eslSkus?: readonly string[] | undefined; pool?: ReadonlySet<string> | undefined; limit?: number;
};
const CANDIDATE_CAPS = { repeat: 100, browsed: 20, knn: 70, zone: 20 } as const;
const NUM_FEATURES = FEATURE_NAMES.length;

/** Per-user aggregates computed once, then reused for every candidate. */
type UserAgg = {
  counts: ReadonlyMap<string, number>;
  recentPos: ReadonlyMap<string, number>;
  totalCount: number;
  /** Σ count(i) · cos(i, j) over own items i; max cos; Σ cos over the 10 newest items. */
  knnSum: ReadonlyMap<string, number>;
  knnMax: ReadonlyMap<string, number>;
  knnRecent: ReadonlyMap<string, number>;
  browsed: ReadonlySet<string>;
  browsedSim: ReadonlyMap<string, number>;
  esl: ReadonlySet<string>;
  eslSim: ReadonlyMap<string, number>;
};

/** Purchase counts: skuCounts when present, else 1 per recent SKU. */
function userCounts(u: UserState): Map<string, number> {
  const m = new Map<string, number>();
  if (u.skuCounts) for (const [k, v] of Object.entries(u.skuCounts)) if (v > 0) m.set(k, v);
  for (const s of u.recentSkus) if (!m.has(s)) m.set(s, 1);
  return m;
}

const bump = (m: Map<string, number>, k: string, v: number): void => { m.set(k, (m.get(k) ?? 0) + v); };
const maxTo = (m: Map<string, number>, k: string, v: number): void => { if (v > (m.get(k) ?? 0)) m.set(k, v); };

function simMaxOver(skus: Iterable<string>, stats: ItemStats): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of skus) for (const nb of stats.items.get(s)?.neighbors ?? []) maxTo(m, nb.sku, nb.sim);
  return m;
}

function aggregateUser(u: UserState, ctx: FeatureContext, stats: ItemStats): UserAgg {
  const counts = userCounts(u);
  const recentPos = new Map<string, number>();
  u.recentSkus.forEach((s, p) => { if (!recentPos.has(s)) recentPos.set(s, p); });
  let totalCount = 0;
  const knnSum = new Map<string, number>();
  const knnMax = new Map<string, number>();
  for (const [s, n] of counts) {
    totalCount += n;
    for (const nb of stats.items.get(s)?.neighbors ?? []) { bump(knnSum, nb.sku, n * nb.sim); maxTo(knnMax, nb.sku, nb.sim); }
  }
  const knnRecent = new Map<string, number>();
  for (const s of u.recentSkus.slice(0, 10)) for (const nb of stats.items.get(s)?.neighbors ?? []) bump(knnRecent, nb.sku, nb.sim);
  const eslSkus = ctx.eslSkus ?? [];
  return {
    counts, recentPos, totalCount, knnSum, knnMax, knnRecent,
    browsed: new Set(u.browsedSkus), browsedSim: simMaxOver(u.browsedSkus, stats),
    esl: new Set(eslSkus), eslSim: simMaxOver(eslSkus, stats),
  };
}

/** Returns at most `limit` distinct candidates, each with the source that first produced it. */
export function referenceGenerateCandidates(input: CandidateInput): Candidate[] {
  const { user, stats, pool } = input;
  const limit = input.limit ?? 200;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const ok = (s: string): boolean => !seen.has(s) && stats.items.has(s) && (!pool || pool.has(s));
  const take = (skus: Iterable<string>, source: CandidateSource, cap: number): void => {
    let n = 0;
    for (const s of skus) {
      if (out.length >= limit || n >= cap) return;
      if (!ok(s)) continue;
      seen.add(s);
      out.push({ sku: s, source });
      n++;
    }
  };

  const counts = userCounts(user);
  const recentPos = new Map<string, number>();
  user.recentSkus.forEach((s, p) => { if (!recentPos.has(s)) recentPos.set(s, p); });
  const own = [...counts].sort((a, b) =>
    b[1] - a[1] || (recentPos.get(a[0]) ?? 99) - (recentPos.get(b[0]) ?? 99) || (a[0] < b[0] ? -1 : 1));
  take(own.map((e) => e[0]), 'repeat', CANDIDATE_CAPS.repeat);
  take([...(input.eslSkus ?? []), ...user.browsedSkus], 'browsed', CANDIDATE_CAPS.browsed);

  const knn = new Map<string, number>();
  const seeds: [string, number][] = [...counts];
  for (const s of [...(input.eslSkus ?? []), ...user.browsedSkus]) seeds.push([s, 1]);
  for (const [s, n] of seeds) {
    const p = recentPos.get(s);
    const w = n * (p !== undefined && p < 10 ? 2 : 1);
    for (const nb of stats.items.get(s)?.neighbors ?? []) knn.set(nb.sku, (knn.get(nb.sku) ?? 0) + w * nb.sim);
  }
  take([...knn].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]), 'knn', CANDIDATE_CAPS.knn);

  const zones = input.zoneCategories ?? [];
  if (zones.length > 0) {
    const per = Math.max(1, Math.ceil(CANDIDATE_CAPS.zone / zones.length));
    for (const z of zones) take(stats.byCategory.get(z) ?? [], 'zone', per);
  }
  take(stats.byRecentPopularity, 'popular', limit);
  return out;
}

const DAY = 86_400_000;
const log1p = Math.log1p;

/** User and context columns: the same for every candidate of one request. */
function sharedColumns(u: UserState, ctx: FeatureContext, agg: UserAgg): number[] {
  const known = agg.counts.size > 0 || u.rfm !== undefined ? 1 : 0;
  const recencyDays = u.lastPurchaseAt !== undefined ? Math.max(0, (ctx.now - u.lastPurchaseAt) / DAY) : u.rfm?.recencyDays ?? 0;
  const tenureDays = u.firstPurchaseAt !== undefined ? Math.max(0, (ctx.now - u.firstPurchaseAt) / DAY) : 0;
  const d = new Date(ctx.now);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const wday = d.getUTCDay();
  const bday = daysToBirthday(u.birthday, ctx.now);
  const dwell = ctx.dwellMs;
  return [
    known, log1p(recencyDays), log1p(u.rfm?.frequency ?? 0), log1p(u.rfm?.monetary ?? 0), log1p(tenureDays), log1p(agg.counts.size),
    ctx.zoneCategories && ctx.zoneCategories.length > 0 ? 1 : 0,
    dwell !== undefined ? 1 : 0, dwell !== undefined ? log1p(Math.max(0, dwell) / 1000) : 0,
    ctx.eslSkus !== undefined ? 1 : 0,
    Math.sin((2 * Math.PI * hour) / 24), Math.cos((2 * Math.PI * hour) / 24),
    Math.sin((2 * Math.PI * wday) / 7), Math.cos((2 * Math.PI * wday) / 7),
    bday !== undefined ? 1 : 0, bday !== undefined ? Math.exp(-Math.min(bday, 366 - bday) / 7) : 0,
  ];
}

/**
 * Fills `out` (allocated when omitted) with N = skus.length rows of NUM_FEATURES float32 values, in
 * FEATURE_NAMES order. Deterministic: the same inputs give the same bytes.
 */
export function referenceBuildFeatures(
  user: UserState, ctx: FeatureContext, skus: readonly string[], stats: ItemStats, out?: Float32Array,
): Float32Array {
  const F = NUM_FEATURES;
  const x = out ?? new Float32Array(skus.length * F);
  if (x.length < skus.length * F) throw new Error('buildFeatures: output too small');
  const agg = aggregateUser(user, ctx, stats);
  const [uKnown, uRec, uFreq, uMon, uTen, uDist, zoneKnown, dwellKnown, dwellLog, eslKnown, hs, hc, ws, wc, bKnown, bNear] =
    sharedColumns(user, ctx, agg) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const zones = new Set(ctx.zoneCategories ?? []);
  const freq = Math.max(1, user.rfm?.frequency ?? 0, ...agg.counts.values());
  const totalB = Math.max(1, stats.totalBaskets);
  const recentB = Math.max(1, stats.recentBaskets);
  skus.forEach((sku, r) => {
    const it = stats.items.get(sku);
    const pop = it?.popularity ?? 0;
    const rpop = it?.recentPopularity ?? 0;
    const n = agg.counts.get(sku) ?? 0;
    const pos = agg.recentPos.get(sku);
    const ks = agg.knnSum.get(sku) ?? 0;
    const row = [
      uKnown, uRec, uFreq, uMon, uTen, uDist,
      it ? 1 : 0, log1p(pop), log1p(rpop),
      Math.log((rpop + 1) / recentB) - Math.log((pop + 1) / totalB),
      log1p(it?.price ?? 0), it ? user.affinities[it.category] ?? 0 : 0,
      n > 0 || pos !== undefined ? 1 : 0, log1p(n), Math.min(1, n / freq),
      pos !== undefined ? 1 / (1 + pos) : 0, pos !== undefined && pos < 10 ? 1 : 0,
      log1p(ks), agg.totalCount > 0 ? ks / agg.totalCount : 0, agg.knnMax.get(sku) ?? 0, agg.knnRecent.get(sku) ?? 0,
      agg.browsed.has(sku) ? 1 : 0, agg.browsedSim.get(sku) ?? 0,
      zoneKnown, it && zones.has(it.category) ? 1 : 0,
      dwellKnown, dwellLog,
      eslKnown, agg.esl.has(sku) ? 1 : 0, agg.eslSim.get(sku) ?? 0,
      hs, hc, ws, wc,
      bKnown, bNear,
    ];
    x.set(row, r * F);
  });
  return x;
}
