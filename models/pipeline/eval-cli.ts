/**
 * `npm run model:eval <versionDir>`: checks a version (manifest schema, sha256, feature list, golden outputs
 * through ONNX Runtime) and re-evaluates its per-cutoff models against every baseline.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelManifest } from '#contracts';
import { buildDataset } from '../data/baskets.js';
import { defaultRetailDir, loadOnlineRetail, type RetailData } from '../data/online-retail.js';
import { FEATURE_NAMES, loadItemStats } from '../features/index.js';
import { importOnnx } from '../onnx/export.js';
import { runOnnx } from '../onnx/run.js';
import { sha256 } from './artifacts.js';
import { metricsTable } from './model-card.js';
import { modelRanker } from './model-ranker.js';
import { evaluateAt } from './run-pipeline.js';

const dirArg = process.argv[2];
if (!dirArg) {
  console.error('usage: npm run model:eval -- <models/artifacts/<name>/<version>>');
  process.exit(2);
}
const dir = resolve(dirArg);
const problems: string[] = [];
const manifest = ModelManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
const onnx = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
if (sha256(onnx) !== manifest.sha256) problems.push('sha256 of model.onnx differs from the manifest');
if (JSON.stringify(manifest.features) !== JSON.stringify(FEATURE_NAMES)) problems.push('feature list differs from models/features');
loadItemStats(JSON.parse(readFileSync(join(dir, manifest.files?.itemStats ?? 'item-stats.json'), 'utf8')));
const golden = JSON.parse(readFileSync(join(dir, manifest.files?.golden ?? 'golden.json'), 'utf8')) as { n: number; inputs: number[]; outputs: number[]; tolerance: number };
const out = await runOnnx(onnx, Float32Array.from(golden.inputs), golden.n, FEATURE_NAMES.length);
let maxDiff = 0;
out.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - golden.outputs[i]!)); });
console.log(`${manifest.name} ${manifest.version}: golden ${golden.n} rows, ONNX Runtime vs recorded TS outputs max |diff| ${maxDiff.toExponential(2)}`);
if (!(maxDiff <= golden.tolerance)) problems.push(`golden max |diff| ${maxDiff} > ${golden.tolerance}`);

const evalModels = (manifest.files as { evalModels?: Record<string, string> } | undefined)?.evalModels ?? {};
if (Object.keys(evalModels).length > 0) {
  let raw: RetailData;
  try {
    raw = loadOnlineRetail(process.env.AISLE_DATA_DIR ?? defaultRetailDir());
  } catch (e) {
    console.error(`model:eval: ${(e as Error).message}`);
    process.exit(1);
  }
  if (raw.sha256 !== manifest.data.sha256) problems.push(`dataset sha256 ${raw.sha256} differs from the manifest's`);
  const ds = buildDataset(raw.rows);
  for (const [cutoff, file] of Object.entries(evalModels)) {
    const params = importOnnx(new Uint8Array(readFileSync(join(dir, file))));
    const r = evaluateAt(ds, cutoff, modelRanker('model', params));
    console.log('\n' + metricsTable({
      cutoff, users: r.users, candidateRecall: r.candidateRecall, baselines: r.baselines, model: r.model, params,
      selected: { spec: file, epochs: 0, valNdcg: NaN, valRecall: NaN, trainRows: 0 }, beatsBest: { ndcg: true, recall: true, bestNdcg: '', bestRecall: '' },
    }));
  }
}
if (problems.length) {
  console.error(`\nFAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('\nok');
