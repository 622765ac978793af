import { describe, expect, it } from 'vitest';
import type { Profile } from '#contracts';
import { generateCandidates } from '../candidates/index.js';
import { categorize, CATEGORIES } from '../data/categories.js';
import {
  buildFeatures, daysToBirthday, FEATURE_NAMES, ITEM_STATS_FORMAT, loadItemStats, NUM_FEATURES, type ItemStatsJson, type UserState,
} from './index.js';

const json: ItemStatsJson = {
  format: ITEM_STATS_FORMAT, asOf: '2011-12-10T00:00:00.000Z', windowDays: 30, totalBaskets: 100, recentBaskets: 10,
  skus: ['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4'], names: ['RED MUG', 'CANDLE', 'JUMBO BAG', 'XMAS TREE'],
  category: ['kitchen & dining', 'candles & lights', 'bags', 'christmas'],
  popularity: [50, 30, 20, 5], recentPopularity: [2, 5, 1, 4], price: [1.25, 2.5, 1.95, 4.95],
  nbIdx: [[1, 2], [0], [0], []], nbSim: [[0.5, 0.25], [0.5], [0.25], []],
};
const stats = loadItemStats(json);
const user: UserState = {
  rfm: { recencyDays: 3, frequency: 4, monetary: 120 }, lastPurchaseAt: Date.parse('2011-12-01T10:00:00Z'),
  recentSkus: ['SKU-1'], browsedSkus: ['SKU-3'], skuCounts: { 'SKU-1': 3 }, affinities: { 'kitchen & dining': 1 }, birthday: '12-24',
};
const ctx = { now: Date.parse('2011-12-05T14:30:00Z'), zoneCategories: ['candles & lights'], dwellMs: 30_000, eslSkus: ['SKU-2'] };
const col = (x: Float32Array, r: number, name: string): number => x[r * NUM_FEATURES + FEATURE_NAMES.indexOf(name as never)]!;

describe('feature builder', () => {
  it('has unique names and fills [N, F] in FEATURE_NAMES order', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    const x = buildFeatures(user, ctx, ['SKU-1', 'SKU-2', 'SKU-9'], stats);
    expect(x.length).toBe(3 * NUM_FEATURES);
    expect(col(x, 0, 'ui_bought')).toBe(1);
    expect(col(x, 0, 'ui_count_log')).toBeCloseTo(Math.log1p(3), 6);
    expect(col(x, 0, 'i_cat_affinity')).toBe(1);
    expect(col(x, 1, 'ctx_zone_match')).toBe(1);
    expect(col(x, 0, 'ctx_zone_match')).toBe(0);
    expect(col(x, 1, 'ctx_esl_tapped')).toBe(1);
    expect(col(x, 1, 'ui_knn_max')).toBeCloseTo(0.5, 6);
    expect(col(x, 1, 'ctx_dwell_known')).toBe(1);
    expect(col(x, 2, 'i_known')).toBe(0);
    expect(col(x, 0, 'ctx_bday_known')).toBe(1);
    expect(col(x, 0, 'u_recency_log')).toBeCloseTo(Math.log1p(4.1875), 5);
  });
  it('is deterministic (same bytes) and row order follows the candidate order', () => {
    const a = buildFeatures(user, ctx, ['SKU-1', 'SKU-2'], stats);
    const b = buildFeatures(user, ctx, ['SKU-1', 'SKU-2'], stats);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const c = buildFeatures(user, ctx, ['SKU-2', 'SKU-1'], stats);
    expect(Array.from(c.subarray(0, NUM_FEATURES))).toEqual(Array.from(a.subarray(NUM_FEATURES)));
  });
  it('unknown context gives known flags 0', () => {
    const x = buildFeatures({ recentSkus: [], browsedSkus: [], affinities: {} }, { now: 0 }, ['SKU-1'], stats);
    for (const n of ['u_known', 'ctx_zone_known', 'ctx_dwell_known', 'ctx_esl_known', 'ctx_bday_known']) expect(col(x, 0, n)).toBe(0);
  });
  it('accepts an engine Profile as the user state', () => {
    const p = { customerId: 'c-1', tier: 'member', points: 0, lifecycle: 'active', vip: false, affinities: {}, recentSkus: ['SKU-1'],
      browsedSkus: [], tags: [], consent: { personalization: true, displayName: false, associateAlerts: false }, updatedAt: 0 } as Profile;
    expect(buildFeatures(p, { now: 1 }, ['SKU-1'], stats).length).toBe(NUM_FEATURES);
  });
  it('days to birthday wraps the year', () => {
    expect(daysToBirthday('12-24', Date.parse('2011-12-20T12:00:00Z'))).toBe(4);
    expect(daysToBirthday('01-02', Date.parse('2011-12-31T00:00:00Z'))).toBe(2);
    expect(daysToBirthday(undefined, 0)).toBeUndefined();
  });
});

describe('candidates and categories', () => {
  it('generates bounded, distinct candidates with sources, respecting the pool', () => {
    const c = generateCandidates({ user, stats, zoneCategories: ['christmas'] });
    expect(c.map((x) => x.sku)).toEqual(['SKU-1', 'SKU-3', 'SKU-2', 'SKU-4']);
    expect(c.map((x) => x.source)).toEqual(['repeat', 'browsed', 'knn', 'zone']);
    expect(generateCandidates({ user, stats, pool: new Set(['SKU-2', 'SKU-4']), limit: 1 }).map((x) => x.sku)).toEqual(['SKU-2']);
  });
  it('loadItemStats rejects malformed documents', () => {
    expect(() => loadItemStats({ ...json, price: [1] })).toThrow();
    expect(() => loadItemStats({})).toThrow();
  });
  it('categorize maps descriptions to the fixed set', () => {
    expect(categorize('WHITE HANGING HEART T-LIGHT HOLDER')).toBe('candles & lights');
    expect(categorize('JUMBO BAG RED RETROSPOT')).toBe('bags');
    expect(categorize('PAPER CHAIN KIT 50\'S CHRISTMAS')).toBe('christmas');
    expect(categorize('SET OF 3 CAKE TINS PANTRY DESIGN')).toBe('kitchen & dining');
    expect(categorize('zzz')).toBe('other');
    for (const d of ['HAND WARMER OWL DESIGN', 'RED RETROSPOT UMBRELLA']) expect(CATEGORIES).toContain(categorize(d));
  });
});
