import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelManifest } from '#contracts';
import { buildDataset } from '../data/baskets.js';
import { loadOnlineRetail } from '../data/online-retail.js';
import { FEATURE_NAMES, loadItemStats } from '../features/index.js';
import { runOnnx } from '../onnx/run.js';
import { sha256, writeVersion } from './artifacts.js';
import { runPipeline } from './run-pipeline.js';

describe('CI-sized pipeline run (real data, small slice, few epochs)', () => {
  it('trains, evaluates against baselines, exports ONNX and clears a floor', async () => {
    const raw = loadOnlineRetail(undefined, { hash: false });
    const ds = buildDataset(raw.rows);
    const res = await runPipeline(ds, {
      seed: 1, months: 2, maxUsers: 150, cutoffs: ['2011-11-01'], log: () => {},
      specs: [{ name: 'mlp-ci', hidden: [16], lr: 0.003, l2: 1e-5, batch: 256, maxEpochs: 2, negPerUser: 20 }],
    });
    const c = res.cutoffs[0]!;
    expect(c.model.all.ndcg).toBeGreaterThan(0.15);
    expect(c.model.all.ndcg).toBeGreaterThan(c.baselines['popularity']!.all.ndcg);
    expect(c.model.all.recall).toBeGreaterThan(c.baselines['popularity']!.all.recall);
    expect(res.golden.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const root = mkdtempSync(join(tmpdir(), 'aislecast-model-'));
    try {
      const { dir, manifest } = writeVersion(res, { root, name: 'ci', createdAt: new Date(), seed: 1, dataSha256: 'x', rows: ds.rows });
      const onnx = readFileSync(join(dir, 'model.onnx'));
      expect(ModelManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).sha256).toBe(sha256(onnx));
      expect(manifest.features).toEqual([...FEATURE_NAMES]);
      const stats = loadItemStats(JSON.parse(readFileSync(join(dir, 'item-stats.json'), 'utf8')));
      expect(stats.items.size).toBeGreaterThan(3000);
      const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8')) as { n: number; inputs: number[]; outputs: number[] };
      const out = await runOnnx(new Uint8Array(onnx), Float32Array.from(golden.inputs), golden.n, FEATURE_NAMES.length);
      out.forEach((v, i) => expect(Math.abs(v - golden.outputs[i]!)).toBeLessThanOrEqual(1e-5));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
