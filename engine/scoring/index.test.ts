import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../platform/log.js';
import { createHeuristicRanker } from './heuristic.js';
import { createScoring, repoRoot, type Scoring } from './index.js';
import { writeTestVersion } from './test-model.fixture.js';
import { TEST_FEATURES, profile, request, testFeatures } from './test-features.fixture.js';

let root: string;
let scoring: Scoring | undefined;
beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'aisle-scoring-')); });
afterEach(async () => {
  await scoring?.close();
  scoring = undefined;
  await rm(root, { recursive: true, force: true });
});

const start = (o: { modelName?: string; pollMs?: number } = {}) =>
  createScoring({ modelRoot: root, fallback: createHeuristicRanker(), log: silentLogger(), features: testFeatures, pollMs: 20, ...o });
const write = (name: string, version: string, createdAt: string) =>
  writeTestVersion(join(root, name), { name, version, createdAt, features: TEST_FEATURES, weights: [1, 0.5, 0.1] });
const shopper = profile({ skuCounts: { 'SKU-005': 3 } });

describe('createScoring', () => {
  it('serves with the fallback and is not ready when no model exists, then picks up the first one dropped in', async () => {
    scoring = await start();
    expect(scoring.ready()).toBe(false);
    expect(scoring.status().serving).toBeUndefined();
    expect((await scoring.rank(request({ profile: shopper }))).ranker).toBe('heuristic');
    await write('ranker-a', 'v1', '2026-01-01T00:00:00Z');
    const t0 = Date.now();
    while (!scoring.ready() && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 10));
    expect(scoring.status().serving).toMatchObject({ name: 'ranker-a', version: 'v1' });
    expect((await scoring.rank(request({ profile: shopper }))).ranker).toBe('model:ranker-a@v1');
  });

  it('picks the newest version of the newest name, or the name it is given', async () => {
    await write('ranker-a', 'v1', '2026-01-01T00:00:00Z');
    await write('ranker-a', 'v2', '2026-02-01T00:00:00Z');
    await write('ranker-b', 'v1', '2026-03-01T00:00:00Z');
    scoring = await start();
    expect(scoring.status().serving).toMatchObject({ name: 'ranker-b', version: 'v1' });
    await scoring.close();
    scoring = await start({ modelName: 'ranker-a' });
    expect(scoring.ready()).toBe(true);
    expect(scoring.status().serving).toMatchObject({ name: 'ranker-a', version: 'v2' });
  });

  it('accepts a folder of versions directly (AISLE_MODEL_DIR pointing at one model)', async () => {
    await write('only', 'v7', '2026-01-01T00:00:00Z');
    scoring = await createScoring({ modelRoot: join(root, 'only'), fallback: createHeuristicRanker(), log: silentLogger(), features: testFeatures });
    expect(scoring.status().serving?.version).toBe('v7');
    await scoring.close();
    await scoring.close();
    expect(scoring.ready()).toBe(false);
  });

  it('finds the repo root from its own module', () => {
    const root = repoRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('aislecast');
    expect(existsSync(join(root, 'engine', 'scoring', 'index.ts'))).toBe(true);
  });
});

describe('model versions side by side (model experiments)', () => {
  const writeW = (version: string, createdAt: string, weights: number[]) =>
    writeTestVersion(join(root, 'ranker-a'), { name: 'ranker-a', version, createdAt, features: TEST_FEATURES, weights });

  it('ranks a request naming a pinned version with it, the rest with the serving one; unpinned, the serving one again', async () => {
    await writeW('v1', '2026-01-01T00:00:00Z', [1, 0.5, 0.1]);
    await writeW('v2', '2026-02-01T00:00:00Z', [-1, -0.5, -0.1]);
    scoring = await start();
    expect(scoring.status().serving?.version).toBe('v2');
    await scoring.pin(['v1', 'v2']);
    expect(scoring.status().pinned).toEqual(expect.arrayContaining([{ version: 'v1', state: 'ready' }, { version: 'v2', state: 'ready' }]));
    const asked = (modelVersion?: string) => scoring!.rank({ ...request({ profile: shopper }), ...(modelVersion ? { modelVersion } : {}) });
    const old = await asked('v1');
    const cur = await asked('v2');
    expect(old.ranker).toBe('model:ranker-a@v1');
    expect(cur.ranker).toBe('model:ranker-a@v2');
    expect((await asked()).ranker).toBe('model:ranker-a@v2');
    // Opposite weights: the two versions really rank differently.
    expect(old.items.map((i) => i.item.sku)).not.toEqual(cur.items.map((i) => i.item.sku));
    await scoring.pin([]);
    expect(scoring.status().pinned).toEqual([]);
    expect((await asked('v1')).ranker).toBe('model:ranker-a@v2');
  });

  it('reports a version it cannot pin (missing, or failing verification) and ranks its requests with the serving one', async () => {
    await writeW('v1', '2026-01-01T00:00:00Z', [1, 0.5, 0.1]);
    await writeTestVersion(join(root, 'ranker-a'), { name: 'ranker-a', version: 'v0', createdAt: '2025-12-01T00:00:00Z', features: TEST_FEATURES,
      weights: [1, 1, 1], tamper: 'sha256' });
    scoring = await start();
    await scoring.pin(['v0', 'nope']);
    const st = scoring.status().pinned;
    expect(st.find((p) => p.version === 'nope')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/no version nope/) });
    expect(st.find((p) => p.version === 'v0')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/sha256/i) });
    expect((await scoring.rank({ ...request({ profile: shopper }), modelVersion: 'v0' })).ranker).toBe('model:ranker-a@v1');
  });

  it('lists the versions on disk, newest first, with what each is used for', async () => {
    await writeW('v1', '2026-01-01T00:00:00Z', [1, 0.5, 0.1]);
    await writeW('v2', '2026-02-01T00:00:00Z', [1, 0.5, 0.1]);
    await writeW('v3', '2026-03-01T00:00:00Z', [1, 0.5, 0.1]);
    scoring = await start();
    await scoring.pin(['v1']);
    expect((await scoring.versions()).map((v) => [v.version, v.use])).toEqual([['v3', 'serving'], ['v2', 'available'], ['v1', 'pinned']]);
    expect((await scoring.versions())[0]).toMatchObject({ name: 'ranker-a', createdAt: '2026-03-01T00:00:00Z' });
  });

  it('reads the offline quality of the bundled versions from their manifests', async () => {
    scoring = await createScoring({ fallback: createHeuristicRanker(), log: silentLogger() });
    const versions = await scoring.versions();
    expect(versions.length).toBeGreaterThanOrEqual(2);
    for (const v of versions) {
      expect(v.quality).toMatchObject({ cutoff: '2011-11-01', gatePassed: true });
      expect(v.quality!.ndcg10).toBeGreaterThan(0.2);
      expect(v.quality!.recall10).toBeGreaterThan(0.1);
    }
    expect(versions.filter((v) => v.use === 'serving')).toHaveLength(1);
  });
});
