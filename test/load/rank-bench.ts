// Rank micro-benchmark: `npm run bench:rank [-- --iterations=5000 --warmup=2000 --reps=3 --model-root=DIR]`.
// See test/load/README.md §Rank micro-benchmark. One process, no network: what one ranking costs on this machine.
//
// It builds what the engine builds (engine/app.ts): the bundled demo store through the store registry (dates
// rebased to now), the demo profiles (rebased; only those consenting to personalization), createScoring()
// on models/artifacts (the newest verified version, item stats parsed by the loader), and the same personal
// request a zone decision makes (engine/decisions/zone-decision.ts planZone: store catalog, limit = slots × 3,
// zone categories, dwell, this visit's label taps). Measured, after warm-up, `--reps` times:
//   (a) the ONNX run for 200 candidates: the raw `session.run` on a session created with the engine's
//       sessionOptions() from the served model.onnx (feeds = real feature rows), and the ranker's own
//       `model.score()` call as seen from inside rank() (its `timing` hook: tensor + run + output check);
//   (b) the whole rank() of a personal request, through createRankChooser({ cacheMs: 0 }) (the engine's
//       `rankFresh`: no rank cache, so every call runs candidates, features, the model and the reasons);
//   (c) candidates and feature building alone (servingFeatures.candidates + build), and inside rank();
//   the batch: one run for 4 shoppers × 200 candidates against 4 runs of 200 (raw session), and whether the
//       batch's scores are bit-identical to the separate runs' (micro-batching would have to keep rankings exact).
// Per-call heap allocation: the median growth of V8's used heap over one call (calls during which a GC ran
// are dropped), with the GC count and time per 1,000 calls of the timed loops.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import * as ort from 'onnxruntime-node';
import type { Profile } from '#contracts';
import { rebaseDemoProfile, rebaseDemoStore } from '../../engine/demo/rebase.js';
import { silentLogger } from '../../engine/platform/log.js';
import { parseProfilesNdjson } from '../../engine/profiles/import.js';
import { createRankChooser } from '../../engine/scoring/choose.js';
import { createHeuristicRanker } from '../../engine/scoring/heuristic.js';
import { createScoring, repoRoot, type RankRequest, type RankTiming } from '../../engine/scoring/index.js';
import { sessionOptions } from '../../engine/scoring/model-loader.js';
import { servingFeatures } from '../../engine/scoring/serving-features.js';
import { loadStoreConfigs } from '../../engine/stores/load.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';

const arg = (name: string, dflt: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const v = a ? Number(a.slice(name.length + 3)) : dflt;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: not a number`);
  return v;
};
const ITER = arg('iterations', 5_000);
const WARM = arg('warmup', 2_000);
const REPS = Math.max(1, arg('reps', 3));
const RAW_ITER = ITER * 4; // the raw run is cheap: more samples for its tail
const root = repoRoot();
const modelRoot = process.argv.find((x) => x.startsWith('--model-root='))?.slice(13) ?? join(root, 'models', 'artifacts');

// ---- what the engine builds ------------------------------------------------------------------------------
const now = Date.now();
const stores = createStoreRegistry(loadStoreConfigs().map((s) => rebaseDemoStore(s, now)));
const store = stores.all()[0]!;
const profiles: Profile[] = parseProfilesNdjson(readFileSync(join(root, 'engine/demo/profiles.ndjson'), 'utf8')).profiles
  .map((p) => rebaseDemoProfile(p, now)).filter((p) => p.consent.personalization);

// The stage-timing hook (an older build without it ignores the option and leaves the in-rank rows out).
let sink: ((t: RankTiming) => void) | undefined;
const scoring = await createScoring({
  modelRoot, fallback: createHeuristicRanker(), log: silentLogger(), pollMs: 3_600_000, timing: (t) => sink?.(t),
});
const serving = scoring.status().serving;
if (!serving) {
  console.error(`no model version serving under ${modelRoot}: ${JSON.stringify(scoring.status().lastError ?? 'none found')}`);
  process.exit(1);
}
const rankFresh = createRankChooser({ model: scoring, log: silentLogger(), cacheMs: 0 });

/** A personal turn's request, as planZone makes it: the zone of screen `i`, its slots × 3, dwell, taps. */
const screens = store.config.screens;
const request = (i: number): RankRequest => {
  const screen = screens[i % screens.length]!;
  const zone = store.zones.get(screen.zoneId)!;
  const p = profiles[i % profiles.length]!;
  return {
    profile: p, catalog: store.catalog, limit: screen.slots * 3,
    context: { storeId: store.config.storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now,
      dwellMs: 5_000 + (i % 40) * 1_000, eslSkus: i % 5 === 0 ? [p.recentSkus[0] ?? store.catalog.inStock[0]!.sku] : [] },
  };
};

// The served version's item stats, parsed as the loader does, for the stand-alone stages.
const stats = servingFeatures.parseItemStats(JSON.parse(readFileSync(join(serving.dir, 'item-stats.json'), 'utf8')));
const F = servingFeatures.names.length;
const inputOf = (r: RankRequest) => ({ profile: r.profile!, audience: false, catalog: r.catalog, context: r.context, stats });

// A raw session like the engine's, and real feature rows of 64 shoppers to feed it.
const manifest = JSON.parse(readFileSync(join(serving.dir, 'manifest.json'), 'utf8')) as { inputs: { name: string }[]; outputs: { name: string }[] };
const bytes = readFileSync(join(serving.dir, 'model.onnx'));
const session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sessionOptions());
const inName = manifest.inputs[0]!.name;
const outName = manifest.outputs[0]!.name;
const matrices: Float32Array[] = [];
let nSum = 0, nCount = 0;
for (let i = 0; matrices.length < 64 && i < 10_000; i++) {
  const input = inputOf(request(i));
  const items = servingFeatures.candidates(input);
  nSum += items.length; nCount++;
  if (items.length !== 200) continue;
  const x = new Float32Array(200 * F);
  servingFeatures.build(input, items, x);
  matrices.push(x);
}
if (matrices.length === 0) throw new Error('no request with 200 candidates');

// ---- measuring -----------------------------------------------------------------------------------------
let gcCount = 0, gcMs = 0;
const gcSpans: [number, number][] = []; // [start, end] of each GC pause, performance.now() time
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) { gcCount++; gcMs += e.duration; gcSpans.push([e.startTime, e.startTime + e.duration]); }
}).observe({ entryTypes: ['gc'] });
const gcIn = (from: number, to: number) => gcSpans.some(([a, b]) => a < to && b > from);
const settleGc = () => new Promise<void>((r) => setImmediate(r)); // gc entries arrive asynchronously

type Summary = { p50: number; p90: number; p99: number; max: number; mean: number; cpu: number; gcPer1k: number; gcMsPer1k: number };
function summarize(us: Float64Array, gcs: number, gcTime: number, cpuUs = NaN): Summary {
  const s = Float64Array.from(us).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  let sum = 0;
  for (const v of s) sum += v;
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s[s.length - 1]!, mean: sum / s.length, cpu: cpuUs / s.length, gcPer1k: (gcs * 1000) / s.length, gcMsPer1k: (gcTime * 1000) / s.length };
}

/** Times `fn(i)` `iter` times after `warm` untimed calls; µs per call. */
async function time(fn: (i: number) => Promise<unknown> | unknown, iter: number, warm: number): Promise<Summary> {
  for (let i = 0; i < warm; i++) await fn(i);
  await settleGc();
  const t = new Float64Array(iter);
  const g0 = gcCount, m0 = gcMs;
  const c0 = process.cpuUsage();
  for (let i = 0; i < iter; i++) {
    const t0 = performance.now();
    await fn(warm + i);
    t[i] = (performance.now() - t0) * 1000;
  }
  const c = process.cpuUsage(c0);
  await settleGc();
  return summarize(t, gcCount - g0, gcMs - m0, c.user + c.system);
}

/** Median bytes of V8 heap growth over one call, dropping calls during which a GC ran (the heap shrank). */
async function allocPerCall(fn: (i: number) => Promise<unknown> | unknown, iter = 2_000): Promise<number> {
  const used = () => getHeapStatistics().used_heap_size;
  const probe: number[] = [];
  for (let i = 0; i < 200; i++) { const a = used(); probe.push(used() - a); }
  const base = probe.sort((a, b) => a - b)[probe.length >> 1]!; // the probe's own allocation
  const d: number[] = [];
  for (let i = 0; i < iter; i++) {
    const a = used();
    await fn(i);
    const b = used() - a - base;
    if (b >= 0) d.push(b);
  }
  d.sort((a, b) => a - b);
  return d[d.length >> 1] ?? NaN;
}

// One row of the report per measure; `gc: false` for loops that are not timed call by call on their own.
type Row = { name: string; reps: Summary[]; alloc?: number; gc: boolean };
const rows = new Map<string, Row>();
const record = (name: string, s: Summary, gc = true) => {
  let r = rows.get(name);
  if (!r) rows.set(name, (r = { name, reps: [], gc }));
  r.reps.push(s);
};
const runsWithGc: number[] = [];
const A = '(a) session.run, 200 rows (raw)', B = '(b) rank(), personal, cache off';
const C1 = '(c) candidates + user aggregate', C2 = '(c) feature matrix (build)';
const BATCH1 = 'batch: 1 run of 4×200 rows', BATCH4 = 'batch: 4 runs of 200 rows';

// In-rank stages, collected by the timing hook during (b), with the time each call ended (to place GC pauses).
let inRank: (RankTiming & { end: number })[] = [];
const stages = { candidates: '↳ in rank(): candidates', features: '↳ in rank(): features', run: '↳ in rank(): model.score (a)', rest: '↳ in rank(): top-k, reasons' } as const;

const feeds = matrices.map((x) => ({ [inName]: new ort.Tensor('float32', x, [200, F]) }));
const batch4 = Array.from({ length: 16 }, (_, b) => {
  const x = new Float32Array(800 * F);
  for (let k = 0; k < 4; k++) x.set(matrices[(b * 4 + k) % matrices.length]!, k * 200 * F);
  return { [inName]: new ort.Tensor('float32', x, [800, F]) };
});

// The batch's scores must be the separate runs' scores, bit for bit, for batching to be a pure speed-up.
let batchIdentical = true;
for (let b = 0; b < batch4.length; b++) {
  const all = (await session.run(batch4[b]!))[outName]!.data as Float32Array;
  for (let k = 0; k < 4; k++) {
    const one = (await session.run(feeds[(b * 4 + k) % feeds.length]!))[outName]!.data as Float32Array;
    for (let r = 0; r < 200; r++) if (!Object.is(one[r], all[k * 200 + r])) batchIdentical = false;
  }
}

console.log(`rank micro-benchmark — model ${serving.name}@${serving.version}; ${profiles.length} consenting demo shoppers, `
  + `store ${store.config.storeId} (${store.catalog.inStock.length} in stock); candidates per request: mean ${(nSum / nCount).toFixed(1)}`);
console.log(`${REPS} repetitions × ${ITER} timed calls (raw run: ${RAW_ITER}) after ${WARM} warm-up calls; node ${process.version}, `
  + `load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);

for (let rep = 0; rep < REPS; rep++) {
  // (a) the raw run, 200 candidates; and what awaiting a setImmediate costs (ORT's node binding runs inside one).
  record(A, await time((i) => session.run(feeds[i % feeds.length]!), RAW_ITER, WARM));
  record('↳ a setImmediate hop alone', await time(() => new Promise((r) => setImmediate(r)), RAW_ITER, WARM));
  // (b) the whole rank(), no rank cache; the hook collects the stages inside the same calls.
  inRank = [];
  sink = (t) => inRank.push({ ...t, end: performance.now() });
  const b = await time((i) => {
    if (i === WARM) inRank = []; // the first timed call
    return rankFresh(request(i));
  }, ITER, WARM);
  sink = undefined;
  record(B, b);
  if (inRank.length > 0) {
    for (const [k, name] of Object.entries(stages)) record(name, summarize(Float64Array.from(inRank, (t) => t[k as keyof typeof stages] * 1000), 0, 0), false);
    // The run inside rank() also absorbs the GC pauses the rest of the call's allocation brings on: apart.
    const clean = inRank.filter((t) => !gcIn(t.end - t.rest - t.run, t.end - t.rest));
    record(`↳ in rank(): model.score, the runs no GC paused`, summarize(Float64Array.from(clean, (t) => t.run * 1000), 0, 0), false);
    runsWithGc.push(1 - clean.length / inRank.length);
  }
  // (c) the stages stand-alone: candidates (with the user aggregate), then the feature matrix.
  const out = new Float32Array(200 * F);
  const tc = new Float64Array(ITER), tf = new Float64Array(ITER);
  let c0 = process.cpuUsage();
  for (let i = -WARM; i < ITER; i++) {
    if (i === 0) c0 = process.cpuUsage();
    const input = inputOf(request(i + WARM));
    const t0 = performance.now();
    const items = servingFeatures.candidates(input);
    const t1 = performance.now();
    servingFeatures.build(input, items, out);
    const t2 = performance.now();
    if (i >= 0) { tc[i] = (t1 - t0) * 1000; tf[i] = (t2 - t1) * 1000; }
  }
  const cc = process.cpuUsage(c0);
  record(C1, summarize(tc, 0, 0), false);
  record(C2, summarize(tf, 0, 0), false);
  record('(c) both', summarize(Float64Array.from(tc, (v, i) => v + tf[i]!), 0, 0, cc.user + cc.system), false);
  // Batch: 4 shoppers × 200 in one run against 4 runs of 200, per group of 4 shoppers.
  record(BATCH1, await time((i) => session.run(batch4[i % batch4.length]!), ITER, WARM));
  record(BATCH4, await time(async (i) => {
    for (let k = 0; k < 4; k++) await session.run(feeds[(i * 4 + k) % feeds.length]!);
  }, ITER, WARM));
}

// Allocation per call (after everything is warm).
rows.get(A)!.alloc = await allocPerCall((i) => session.run(feeds[i % feeds.length]!));
rows.get(B)!.alloc = await allocPerCall((i) => rankFresh(request(i)));
{
  const out = new Float32Array(200 * F);
  rows.get(C1)!.alloc = await allocPerCall((i) => servingFeatures.candidates(inputOf(request(i))));
  const prepared = Array.from({ length: 64 }, (_, i) => { const input = inputOf(request(i)); return { input, items: servingFeatures.candidates(input) }; });
  rows.get(C2)!.alloc = await allocPerCall((i) => { const p = prepared[i % 64]!; servingFeatures.build(p.input, p.items, out); });
}

// ---- report: the median over repetitions of each percentile -----------------------------------------------
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
console.log('\nµs per call, median of the repetitions\' percentiles (CPU: process CPU time of the loop per call, all threads; GC: collections and ms per 1,000 calls of the timed loop; alloc: median V8 heap growth per call)\n');
console.log('| measure | p50 | p90 | p99 | max | mean | CPU | GC /1k | GC ms /1k | alloc/call |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows.values()) {
  const m = (k: keyof Summary) => med(r.reps.map((s) => s[k]));
  const cpu = m('cpu');
  console.log(`| ${r.name} | ${f(m('p50'))} | ${f(m('p90'))} | ${f(m('p99'))} | ${f(m('max'))} | ${f(m('mean'))} | ${Number.isNaN(cpu) ? '' : f(cpu)} `
    + `| ${r.gc ? m('gcPer1k').toFixed(1) : ''} | ${r.gc ? m('gcMsPer1k').toFixed(1) : ''} | ${r.alloc !== undefined ? `${(r.alloc / 1024).toFixed(1)} KiB` : ''} |`);
}
const g = (name: string) => med(rows.get(name)?.reps.map((s) => s.p50) ?? [NaN]);
console.log(`\nbatch: one run of 4×200 rows takes ${(g(BATCH1) / g(BATCH4) * 100).toFixed(0)}% of four runs of 200 (p50); `
  + `scores ${batchIdentical ? 'bit-identical' : 'NOT bit-identical'} to the separate runs`);
if (runsWithGc.length) console.log(`a GC pause fell inside ${(med(runsWithGc) * 100).toFixed(1)}% of the model runs inside rank()`);
console.log(`targets: (a) p99 ≤ 150 µs, (b) p99 ≤ 1,000 µs`);

await session.release();
await scoring.close();
