// Latency of one rank() call with the reference model: `npx tsx engine/scoring/bench-scoring.ts [calls] [modelRoot]`.
// Uses the bundled demo store and profiles; every call has a real shopper, so it runs the model path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Profile, StoreConfig } from '#contracts';
import { rebaseDemoProfile } from '../demo/rebase.js';
import { silentLogger } from '../platform/log.js';
import { indexCatalog } from './catalog.js';
import { createHeuristicRanker } from './heuristic.js';
import { createScoring, repoRoot } from './index.js';
import { loadModelVersion } from './model-loader.js';
import { servingFeatures } from './serving-features.js';
import type { RankRequest } from './types.js';

const calls = Number(process.argv[2] ?? 5_000);
const root = repoRoot();
const modelRoot = process.argv[3] ?? join(root, 'models', 'artifacts');
const store = StoreConfig.parse(JSON.parse(readFileSync(join(root, 'engine/demo/store.s-001.json'), 'utf8')));
const now = Date.now();
const profiles = readFileSync(join(root, 'engine/demo/profiles.ndjson'), 'utf8').split('\n').filter(Boolean)
  .map((l) => rebaseDemoProfile(Profile.parse(JSON.parse(l)), now))
  .map((p) => ({ ...p, consent: { ...p.consent, personalization: true } }));
const catalog = indexCatalog(store.catalog);

const scoring = await createScoring({ modelRoot, fallback: createHeuristicRanker(), log: silentLogger(), pollMs: 3_600_000 });
const serving = scoring.status().serving;
if (!serving) {
  console.error(`no model version serving under ${modelRoot}: ${JSON.stringify(scoring.status().lastError ?? 'none found')}`);
  process.exit(1);
}
const req = (i: number): RankRequest => {
  const zone = store.zones[i % store.zones.length]!;
  return {
    profile: profiles[i % profiles.length]!, catalog, limit: 6,
    context: { storeId: store.storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now, dwellMs: 20_000, eslSkus: [] },
  };
};

const warm = Math.min(500, calls);
for (let i = 0; i < warm; i++) await scoring.rank(req(i));
const t = new Float64Array(calls);
let modelCalls = 0;
for (let i = 0; i < calls; i++) {
  const r = req(i + warm);
  const t0 = performance.now();
  const out = await scoring.rank(r);
  t[i] = performance.now() - t0;
  if (out.ranker.startsWith('model:')) modelCalls++;
}
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const pct = (xs: Float64Array) => {
  const s = Float64Array.from(xs).sort();
  const q = (p: number) => us(s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
  return `p50 ${q(0.5)}  p90 ${q(0.9)}  p99 ${q(0.99)}  max ${us(s[s.length - 1]!)}`;
};
console.log(`model ${serving.name}@${serving.version}; ${calls} rank() calls, ${modelCalls} by the model, 200 candidates max, limit 6`);
console.log(`rank():      ${pct(t)}`);
await scoring.close();

// Where the time goes: the same requests, stage by stage, on the same version.
const loaded = await loadModelVersion(serving.dir, { expectedFeatures: servingFeatures.names, parseItemStats: servingFeatures.parseItemStats });
if (!loaded.ok) throw new Error(loaded.error.reason);
const m = loaded.model;
const stages = { candidates: new Float64Array(calls), features: new Float64Array(calls), ort: new Float64Array(calls) };
let nSum = 0;
for (let i = -warm; i < calls; i++) {
  const r = req(i + warm);
  const input = { profile: r.profile!, audience: false, catalog, context: r.context, stats: m.itemStats };
  const t0 = performance.now();
  const items = servingFeatures.candidates(input);
  const t1 = performance.now();
  const x = new Float32Array(items.length * m.featureCount);
  servingFeatures.build(input, items, x);
  const t2 = performance.now();
  await m.score(x, items.length);
  const t3 = performance.now();
  if (i < 0) continue;
  stages.candidates[i] = t1 - t0; stages.features[i] = t2 - t1; stages.ort[i] = t3 - t2; nSum += items.length;
}
console.log(`  candidates ${pct(stages.candidates)}  (mean N ${(nSum / calls).toFixed(0)})`);
console.log(`  features   ${pct(stages.features)}`);
console.log(`  ORT run    ${pct(stages.ort)}`);
await m.release();
