import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../models/features/index.js';
import { loadModelVersion } from './model-loader.js';
import { writeTestVersion } from './test-model.fixture.js';

const features = ['f0', 'f1', 'f2'];
const weights = [1, 2, 3];
let root: string;
beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'aisle-loader-')); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

describe('loadModelVersion', () => {
  it.each(['N', 'N1'] as const)('loads a verified version and scores a batch (output [%s])', async (outputShape) => {
    const dir = await writeTestVersion(root, { version: 'v1', features, weights, bias: 0.5, outputShape, itemStats: { a: 1 } });
    const r = await loadModelVersion(dir, { expectedFeatures: features, parseItemStats: (x) => x as { a: number } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.model.manifest.version).toBe('v1');
    expect(r.model.itemStats).toEqual({ a: 1 });
    const scores = await r.model.score(Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), 3);
    expect([...scores]).toEqual([1.5, 2.5, 3.5]);
    await r.model.release();
    expect(r.model.released).toBe(true);
  });

  it.each([
    ['sha256', 'sha256.mismatch'],
    ['features', 'features.mismatch'],
    ['golden', 'golden.mismatch'],
    ['corrupt-onnx', 'onnx.invalid'],
    ['manifest-json', 'manifest.invalid'],
    ['shape', 'shape.mismatch'],
  ] as const)('rejects a folder with tampered %s as %s', async (tamper, code) => {
    const dir = await writeTestVersion(root, { version: 'v2', features, weights, tamper });
    const r = await loadModelVersion(dir, { expectedFeatures: features });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.reason.length).toBeGreaterThan(10);
  });

  it('rejects a manifest whose features are right but the serving side expects another list', async () => {
    const dir = await writeTestVersion(root, { version: 'v3', features, weights });
    const r = await loadModelVersion(dir, { expectedFeatures: [...features, 'f3'] });
    expect(r.ok ? undefined : r.error.code).toBe('features.mismatch');
  });

  it('reports a missing folder, a missing golden file and unparseable item stats as values', async () => {
    expect(await loadModelVersion(join(root, 'nope'), { expectedFeatures: features })).toMatchObject({ ok: false, error: { code: 'manifest.missing' } });
    const dir = await writeTestVersion(root, { version: 'v4', features, weights });
    await writeFile(join(dir, 'golden.json'), '{"rows": 3}');
    expect(await loadModelVersion(dir, { expectedFeatures: features })).toMatchObject({ ok: false, error: { code: 'golden.invalid' } });
    const dir2 = await writeTestVersion(root, { version: 'v5', features, weights });
    const r = await loadModelVersion(dir2, { expectedFeatures: features, parseItemStats: () => { throw new Error('bad stats'); } });
    expect(r).toMatchObject({ ok: false, error: { code: 'item-stats.invalid', version: 'v5' } });
  });

  it('checks against FEATURE_NAMES of models/features by default', async () => {
    const good = await writeTestVersion(root, { version: 'v6', features: FEATURE_NAMES, weights: FEATURE_NAMES.map(() => 0.1) });
    const r = await loadModelVersion(good, {});
    expect(r.ok).toBe(true);
    if (r.ok) await r.model.release();
    const other = await writeTestVersion(root, { version: 'v7', features, weights });
    expect(await loadModelVersion(other, {})).toMatchObject({ ok: false, error: { code: 'features.mismatch' } });
  });
});
