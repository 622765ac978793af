/**
 * THE feature module of the ranker: pure, no I/O, shared by training and serving.
 * buildFeatures fills a row-major Float32Array [N, F] for N candidate SKUs of one user.
 */
import type { ItemStats } from './item-stats.js';
import { aggMatches, aggregateUser, type FeatureContext, type UserAgg, type UserState } from './user-state.js';

export * from './item-stats.js';
export * from './user-state.js';

export const FEATURE_NAMES = [
  // user
  'u_known', 'u_recency_log', 'u_frequency_log', 'u_monetary_log', 'u_tenure_log', 'u_distinct_log',
  // item
  'i_known', 'i_pop_log', 'i_pop_recent_log', 'i_trend', 'i_price_log', 'i_cat_affinity',
  // user × item
  'ui_bought', 'ui_count_log', 'ui_count_share', 'ui_recent_pos', 'ui_in_recent10',
  'ui_knn_sum_log', 'ui_knn_norm', 'ui_knn_max', 'ui_knn_recent',
  'ui_in_browsed', 'ui_browsed_sim',
  // real-time context (known flags first)
  'ctx_zone_known', 'ctx_zone_match',
  'ctx_dwell_known', 'ctx_dwell_log',
  'ctx_esl_known', 'ctx_esl_tapped', 'ctx_esl_sim',
  'ctx_hour_sin', 'ctx_hour_cos', 'ctx_wday_sin', 'ctx_wday_cos',
  'ctx_bday_known', 'ctx_bday_near',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const NUM_FEATURES = FEATURE_NAMES.length;
// buildFeatures writes the columns by position: keep it in step with FEATURE_NAMES.
if (NUM_FEATURES !== 36) throw new Error('models/features: update the column writes in buildFeatures to the new FEATURE_NAMES');

const DAY = 86_400_000;
const log1p = Math.log1p;

/** Days from `now` to the next "MM-DD" (0 on the day), or undefined when unknown/invalid. */
export function daysToBirthday(birthday: string | undefined, now: number): number | undefined {
  const m = birthday?.match(/^(\d{2})-(\d{2})$/);
  if (!m) return undefined;
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  let next = Date.UTC(d.getUTCFullYear(), +m[1]! - 1, +m[2]!);
  if (next < today) next = Date.UTC(d.getUTCFullYear() + 1, +m[1]! - 1, +m[2]!);
  return Math.round((next - today) / DAY);
}

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
 * FEATURE_NAMES order. Deterministic: the same inputs give the same bytes. `agg` (aggregateUser, e.g. the one the
 * candidate generator used for this request) is reused when it was computed for the same user, stats and
 * ctx.eslSkus; otherwise it is recomputed.
 */
export function buildFeatures(
  user: UserState, ctx: FeatureContext, skus: readonly string[], stats: ItemStats, out?: Float32Array, agg?: UserAgg,
): Float32Array {
  const F = NUM_FEATURES;
  const x = out ?? new Float32Array(skus.length * F);
  if (x.length < skus.length * F) throw new Error('buildFeatures: output too small');
  const a = agg && aggMatches(agg, user, ctx.eslSkus, stats) ? agg : aggregateUser(user, ctx, stats);
  const [uKnown, uRec, uFreq, uMon, uTen, uDist, zoneKnown, dwellKnown, dwellLog, eslKnown, hs, hc, ws, wc, bKnown, bNear] =
    sharedColumns(user, ctx, a) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const zones = new Set(ctx.zoneCategories ?? []);
  const freq = Math.max(1, user.rfm?.frequency ?? 0, a.maxCount);
  const totalB = Math.max(1, stats.totalBaskets);
  const recentB = Math.max(1, stats.recentBaskets);
  const logTotal = (v: number): number => Math.log((v + 1) / totalB);
  const aff = user.affinities;
  const total = a.totalCount;
  for (let r = 0, o = 0; r < skus.length; r++, o += F) {
    const sku = skus[r]!;
    const it = stats.items.get(sku);
    const pop = it?.popularity ?? 0;
    const rpop = it?.recentPopularity ?? 0;
    const n = a.counts.get(sku) ?? 0;
    const pos = a.recentPos.get(sku);
    const s = a.nb.slot(sku); // −1: no seed item reaches it (every neighbour value 0)
    const ks = s < 0 ? 0 : a.nb.sum(s);
    x[o] = uKnown; x[o + 1] = uRec; x[o + 2] = uFreq; x[o + 3] = uMon; x[o + 4] = uTen; x[o + 5] = uDist;
    x[o + 6] = it ? 1 : 0; x[o + 7] = log1p(pop); x[o + 8] = log1p(rpop);
    x[o + 9] = Math.log((rpop + 1) / recentB) - logTotal(pop);
    x[o + 10] = log1p(it?.price ?? 0); x[o + 11] = it ? aff[it.category] ?? 0 : 0;
    x[o + 12] = n > 0 || pos !== undefined ? 1 : 0; x[o + 13] = log1p(n); x[o + 14] = Math.min(1, n / freq);
    x[o + 15] = pos !== undefined ? 1 / (1 + pos) : 0; x[o + 16] = pos !== undefined && pos < 10 ? 1 : 0;
    x[o + 17] = log1p(ks); x[o + 18] = total > 0 ? ks / total : 0; x[o + 19] = s < 0 ? 0 : a.nb.max(s); x[o + 20] = s < 0 ? 0 : a.nb.recent(s);
    x[o + 21] = a.browsed.has(sku) ? 1 : 0; x[o + 22] = s < 0 ? 0 : a.nb.browsedSim(s);
    x[o + 23] = zoneKnown; x[o + 24] = it && zones.has(it.category) ? 1 : 0;
    x[o + 25] = dwellKnown; x[o + 26] = dwellLog;
    x[o + 27] = eslKnown; x[o + 28] = a.esl.has(sku) ? 1 : 0; x[o + 29] = s < 0 ? 0 : a.nb.eslSim(s);
    x[o + 30] = hs; x[o + 31] = hc; x[o + 32] = ws; x[o + 33] = wc;
    x[o + 34] = bKnown; x[o + 35] = bNear;
  }
  return x;
}
