import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { createHeuristicRanker } from './heuristic.js';
import { ModelHolder } from './model-holder.js';
import { createModelRanker } from './model-ranker.js';
import { writeTestVersion } from './test-model.fixture.js';
import { TEST_FEATURES, profile, request, testFeatures } from './test-features.fixture.js';
import type { Ranker } from './types.js';

const UP = [1, 0.5, 0.1];
const REVERSED = [-1, -0.5, -0.1];
let root: string;
let holder: ModelHolder<unknown>;
let metrics: ReturnType<typeof createMetrics>;
let ranker: Ranker;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aisle-ranker-'));
  metrics = createMetrics();
  holder = new ModelHolder({ loader: { expectedFeatures: TEST_FEATURES }, log: silentLogger(), metrics });
  ranker = createModelRanker({ holder, features: testFeatures, fallback: createHeuristicRanker(), log: silentLogger(), metrics });
});
afterEach(async () => {
  await holder.close();
  await rm(root, { recursive: true, force: true });
});

const version = (v: string, weights = UP) => writeTestVersion(root, { version: v, features: TEST_FEATURES, weights });
const shopper = profile({ skuCounts: { 'SKU-005': 3, 'SKU-002': 1 }, affinities: { candles: 0.8 } });
const skus = (r: { items: { item: { sku: string } }[] }) => r.items.map((i) => i.item.sku);

describe('createModelRanker', () => {
  it('ranks with the model: own items, then interest, then position; ≤ 3 readable reasons', async () => {
    await holder.load(await version('v1'));
    const r = await ranker.rank(request({ profile: shopper }));
    expect(r.ranker).toBe('model:test-ranker@v1');
    expect(skus(r)).toEqual(['SKU-005', 'SKU-002', 'SKU-001', 'SKU-003']);
    expect(r.items[0]!.why).toEqual(['bought 3× before', 'matches your interest in candles']);
    expect(r.items[0]!.score).toBeCloseTo(3 + 0.4 + 0.1 * (1 - 5 / 11), 5);
    expect(r.items.every((i) => i.why.length <= 3)).toBe(true);
    expect(r.items.some((i) => i.item.sku === 'SKU-011')).toBe(false); // out of stock
  });

  it('uses the fallback without a model, and without any consenting shopper', async () => {
    expect((await ranker.rank(request({ profile: shopper }))).ranker).toBe('heuristic');
    await holder.load(await version('v1'));
    expect((await ranker.rank(request())).ranker).toBe('heuristic');
    const noConsent = profile({ skuCounts: { 'SKU-005': 3 }, consent: { personalization: false, displayName: false, associateAlerts: false } });
    expect((await ranker.rank(request({ profile: noConsent }))).ranker).toBe('heuristic');
  });

  it('falls back for one call when the model run throws, and counts it', async () => {
    await holder.load(await version('v1'));
    await holder.current!.release(); // a real ORT failure: running a released session
    const r = await ranker.rank(request({ profile: shopper }));
    expect(r.ranker).toBe('heuristic');
    expect(r.items.length).toBe(4);
    expect(await metrics.registry.getSingleMetricAsString('aisle_scoring_errors_total')).toContain('kind="model"} 1');
  });

  it('ranks an audience as one merged user with non-personal reasons only', async () => {
    await holder.load(await version('v1'));
    const a = profile({ customerId: 'c-a', skuCounts: { 'SKU-004': 4 }, affinities: { candles: 1 } });
    const b = profile({ customerId: 'c-b', skuCounts: { 'SKU-004': 2, 'SKU-006': 2 }, affinities: {} });
    const r = await ranker.rank(request({ audience: [a, b] }));
    expect(r.ranker).toBe('model:test-ranker@v1');
    expect(skus(r).slice(0, 2)).toEqual(['SKU-004', 'SKU-006']); // mean counts 3 and 1
    const why = r.items.flatMap((i) => i.why);
    expect(why.some((w) => w.includes('bought'))).toBe(false);
    expect(why).toContain('matches your interest in candles');
  });

  it('keeps every call answered while a new version swaps in under 500 concurrent decisions', async () => {
    await holder.watch(root, 10).then(() => version('v1')).then(() => holder.poll());
    expect(holder.status().serving?.version).toBe('v1');
    const old = holder.current!;
    const req = request({ profile: shopper });
    let failures = 0, stop = false, swapped = false;
    const after: string[] = [];
    const worker = async () => {
      while (!stop) {
        const wasSwapped = swapped;
        try {
          const r = await ranker.rank(req);
          if (wasSwapped) after.push(`${r.ranker} ${r.items[0]!.item.sku}`);
          if (r.ranker === 'heuristic') failures++;
        } catch { failures++; }
      }
    };
    const workers = Array.from({ length: 500 }, worker);
    await new Promise((r) => setTimeout(r, 50));
    await version('v2', REVERSED);
    const t0 = Date.now();
    while (holder.status().serving?.version !== 'v2' && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 5));
    swapped = true;
    // Keep deciding until plenty of calls ran after the swap (bounded: a loaded CI machine is slow, not wrong).
    while (after.length <= 500 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(workers);
    expect(failures).toBe(0);
    expect(after.length).toBeGreaterThan(500);
    // The reversed model puts the least relevant in-stock item first: the last kitchen item, no affinity, no purchases.
    expect(new Set(after)).toEqual(new Set(['model:test-ranker@v2 SKU-010']));
    expect(old.released).toBe(true);
    expect(holder.status().retiring).toBe(0);
  }, 30_000);
});
