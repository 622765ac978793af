import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, buildFeatures, loadItemStats } from '../../models/features/index.js';
import { silentLogger } from '../platform/log.js';
import { createHeuristicRanker } from './heuristic.js';
import { ModelHolder } from './model-holder.js';
import { createModelRanker } from './model-ranker.js';
import { servingFeatures } from './serving-features.js';
import { profile, request, testItemStatsJson } from './test-features.fixture.js';
import { writeTestVersion } from './test-model.fixture.js';
import type { Ranker } from './types.js';

const weights = (w: Partial<Record<(typeof FEATURE_NAMES)[number], number>>) => FEATURE_NAMES.map((n) => w[n] ?? 0);
const W = weights({ ui_count_log: 2, i_cat_affinity: 1, ui_knn_max: 1, i_pop_log: 0.1 });
let root: string;
let holder: ModelHolder<ReturnType<typeof loadItemStats>>;
let ranker: Ranker;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aisle-features-'));
  holder = new ModelHolder({ loader: { expectedFeatures: FEATURE_NAMES, parseItemStats: loadItemStats }, log: silentLogger() });
  ranker = createModelRanker({ holder, features: servingFeatures, fallback: createHeuristicRanker(), log: silentLogger() });
  const r = await holder.load(await writeTestVersion(root, { version: 'v1', features: FEATURE_NAMES, weights: W, itemStats: testItemStatsJson() }));
  expect(r.ok).toBe(true);
});
afterEach(async () => {
  await holder.close();
  await rm(root, { recursive: true, force: true });
});

const shopper = profile({ skuCounts: { 'SKU-005': 3 }, recentSkus: ['SKU-005', 'SKU-001'], affinities: { candles: 0.8 } });

describe('servingFeatures (models/features + models/candidates behind the ranker)', () => {
  it('ranks with the shared builder and explains with readable reasons', async () => {
    const r = await ranker.rank(request({ profile: shopper, limit: 3 }));
    expect(r.ranker).toBe('model:test-ranker@v1');
    expect(r.items.map((i) => i.item.sku)).toEqual(['SKU-005', 'SKU-001', 'SKU-003']);
    expect(r.items[0]!.why.slice(0, 2)).toEqual(['bought 3× before', 'matches your interest in candles']);
    expect(r.items[2]!.why[0]).toBe('often bought with Item 1');
    expect(r.items.every((i) => i.why.length >= 1 && i.why.length <= 3)).toBe(true);
  });

  it('scores exactly what buildFeatures produces for the candidates', async () => {
    const stats = holder.current!.itemStats;
    const input = { profile: shopper, audience: false, catalog: request().catalog, context: request().context, stats };
    const items = servingFeatures.candidates(input);
    expect(items.some((it) => !it.inStock)).toBe(false);
    const x = new Float32Array(items.length * FEATURE_NAMES.length);
    servingFeatures.build(input, items, x);
    expect(x).toEqual(buildFeatures(shopper, request().context, items.map((it) => it.sku), stats));
    const r = await ranker.rank(request({ profile: shopper, limit: items.length }));
    const scores = await holder.current!.score(x, items.length);
    expect(r.items.map((i) => i.score)).toEqual([...scores].sort((a, b) => b - a));
  });

  it('gives an audience no personal reasons', async () => {
    const other = profile({ customerId: 'c-2', skuCounts: { 'SKU-007': 2 }, recentSkus: ['SKU-007'], affinities: { candles: 0.6 } });
    const r = await ranker.rank(request({ audience: [shopper, other], limit: 6 }));
    expect(r.ranker).toBe('model:test-ranker@v1');
    const why = r.items.flatMap((i) => i.why);
    expect(why.filter((w) => /bought|browsed|tapped/.test(w))).toEqual([]);
    expect(why).toContain('shared interest in candles');
  });
});
