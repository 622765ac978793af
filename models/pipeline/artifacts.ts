import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelManifest } from '#contracts';
import { FEATURE_NAMES } from '../features/index.js';
import { exportOnnx, INPUT_NAME, OUTPUT_NAME } from '../onnx/export.js';
import { modelCard } from './model-card.js';
import type { PipelineResult } from './run-pipeline.js';

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** Version names sort by time: YYYYMMDD-HHMMSS (UTC). */
export const versionName = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export type WriteOptions = { root: string; name: string; createdAt: Date; seed: number; dataSha256: string; rows: number; note?: string };

/** Writes model.onnx, manifest.json, golden.json, item-stats.json, MODEL_CARD.md and per-cutoff eval models. */
export function writeVersion(res: PipelineResult, o: WriteOptions): { dir: string; manifest: ModelManifest } {
  const version = versionName(o.createdAt);
  const dir = join(o.root, o.name, version);
  mkdirSync(join(dir, 'eval'), { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), res.onnx);
  writeFileSync(join(dir, 'item-stats.json'), JSON.stringify(res.itemStatsJson));
  writeFileSync(join(dir, 'golden.json'), JSON.stringify(res.golden));
  const evalModels: Record<string, string> = {};
  for (const c of res.cutoffs) {
    const f = `eval/model-${c.cutoff}.onnx`;
    writeFileSync(join(dir, f), exportOnnx(c.params));
    evalModels[c.cutoff] = f;
  }
  const F = FEATURE_NAMES.length;
  const metrics: Record<string, unknown> = { gate: res.gate, goldenMaxAbsDiff: res.golden.maxAbsDiff };
  for (const c of res.cutoffs) {
    const { params: _p, ...rest } = c;
    metrics[c.cutoff] = rest;
  }
  const manifest = ModelManifest.parse({
    name: o.name, version, createdAt: o.createdAt.toISOString(), sha256: sha256(res.onnx),
    inputs: [{ name: INPUT_NAME, type: 'float32', shape: ['N', F] }],
    outputs: [{ name: OUTPUT_NAME, type: 'float32', shape: ['N', 1] }],
    features: [...FEATURE_NAMES],
    metrics,
    data: {
      source: 'UCI Online Retail (Chen 2015, doi:10.24432/C5BW33, CC BY 4.0)', rows: o.rows, sha256: o.dataSha256,
      cleaning: 'drop rows without CustomerID, cancellations (C invoices), Quantity<=0, UnitPrice<=0, StockCode not ^\\d{5}[A-Za-z]{0,2}$',
      split: {
        testCutoffs: res.cutoffs.map((c) => c.cutoff), target: "each customer's first invoice on/after the cutoff",
        selection: 'month before each cutoff', finalModelTrainedThrough: new Date(res.finalAsOf).toISOString(),
      },
    },
    seed: o.seed,
    model: { spec: res.final.spec, epochs: res.final.epochs, valNdcg: res.final.valNdcg, opset: 17, irVersion: 8 },
    files: { model: 'model.onnx', golden: 'golden.json', itemStats: 'item-stats.json', card: 'MODEL_CARD.md', evalModels },
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, 'MODEL_CARD.md'), modelCard({
    name: o.name, version, createdAt: manifest.createdAt, features: FEATURE_NAMES, cutoffs: res.cutoffs, sha256: manifest.sha256,
    dataSha256: o.dataSha256, rows: o.rows, seed: o.seed, finalAsOf: new Date(res.finalAsOf).toISOString().slice(0, 10),
    spec: res.final.spec.name, epochs: res.final.epochs, gate: res.gate,
  }));
  return { dir, manifest };
}
