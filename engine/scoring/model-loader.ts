import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelManifest, parseUntrusted } from '#contracts';
import { FEATURE_NAMES } from '../../models/features/index.js';
import { goldenMismatch, parseGolden } from './golden.js';

/** Why a version folder was not taken into service (stable codes; tests assert these). */
export type ModelLoadErrorCode =
  | 'manifest.missing' | 'manifest.invalid' | 'model.missing' | 'sha256.mismatch' | 'features.mismatch'
  | 'shape.mismatch' | 'onnx.invalid' | 'io.mismatch' | 'golden.missing' | 'golden.invalid' | 'golden.mismatch'
  | 'item-stats.missing' | 'item-stats.invalid' | 'load.failed';

export type ModelLoadError = { code: ModelLoadErrorCode; reason: string; dir: string; version?: string };

/** A verified model version with its live ORT session. */
export type LoadedModel<S = unknown> = {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly featureCount: number;
  readonly itemStats: S;
  /** Scores n rows of `featureCount` features (row-major); one batched ORT run. */
  score(features: Float32Array, n: number): Promise<Float32Array>;
  /** Frees the native session; the holder calls it once nothing runs on it any more. */
  release(): Promise<void>;
  /** True once release() was called: the session must not run again. */
  readonly released: boolean;
};

export type LoadResult<S> = { ok: true; model: LoadedModel<S> } | { ok: false; error: ModelLoadError };

export type ModelLoaderOptions<S> = {
  /** The manifest must list exactly these, in this order; default FEATURE_NAMES of models/features. */
  expectedFeatures?: readonly string[];
  /** Parses item-stats.json (throw on bad input); without it the file is not read and stats are undefined. */
  parseItemStats?: (raw: unknown) => S;
  /** Largest allowed golden difference (relative above magnitude 1); golden.json may only tighten it. Default 1e-5. */
  goldenTolerance?: number;
};

// One session, one intra-op thread, sequential execution (docs/performance.md §One ONNX Runtime session, one thread).
// A fresh object per session: ORT proxies the options and rejects frozen ones.
export const sessionOptions = (): ort.InferenceSession.SessionOptions => ({
  executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1,
  executionMode: 'sequential', graphOptimizationLevel: 'all',
});

class LoadFailure extends Error {
  constructor(readonly code: ModelLoadErrorCode, reason: string) { super(reason); }
}
const fail = (code: ModelLoadErrorCode, reason: string): never => { throw new LoadFailure(code, reason); };
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

async function readJson(path: string, missing: ModelLoadErrorCode, invalid: ModelLoadErrorCode): Promise<unknown> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) { return fail(missing, `cannot read ${path}: ${message(e)}`); }
  try { return JSON.parse(text); } catch (e) { return fail(invalid, `${path} is not JSON: ${message(e)}`); }
}

/** Checks the manifest against the feature contract before anything native is touched. */
function checkManifest(m: ModelManifest, expected: readonly string[]): void {
  const f = m.features;
  if (f.length !== expected.length || f.some((name, i) => name !== expected[i])) {
    const i = f.findIndex((name, k) => name !== expected[k]);
    fail('features.mismatch', `manifest lists ${f.length} features, serving expects ${expected.length}` +
      (i >= 0 ? `; first difference at ${i}: "${f[i]}" vs "${expected[i] ?? '(none)'}"` : ''));
  }
  const input = m.inputs.find((t) => t.name === 'features') ?? m.inputs[0]!;
  const last = input.shape.at(-1);
  if (input.shape.length !== 2 || last !== expected.length) {
    fail('shape.mismatch', `input "${input.name}" shape [${input.shape.join(', ')}] is not [N, ${expected.length}]`);
  }
}

/** Checks that the graph really has the input and output the manifest names, with F columns. */
function checkSession(session: ort.InferenceSession, inName: string, outName: string, F: number): void {
  if (!session.inputNames.includes(inName)) fail('io.mismatch', `graph has no input "${inName}" (has ${session.inputNames.join(', ')})`);
  if (!session.outputNames.includes(outName)) fail('io.mismatch', `graph has no output "${outName}" (has ${session.outputNames.join(', ')})`);
  const meta = session.inputMetadata[session.inputNames.indexOf(inName)];
  if (meta?.isTensor) {
    const last = meta.shape.at(-1);
    if (meta.type !== 'float32') fail('io.mismatch', `graph input "${inName}" is ${meta.type}, not float32`);
    if (typeof last === 'number' && last !== F) fail('shape.mismatch', `graph input "${inName}" has ${last} columns, manifest ${F}`);
  }
}

function wrapSession<S>(dir: string, manifest: ModelManifest, session: ort.InferenceSession, itemStats: S): LoadedModel<S> {
  const F = manifest.features.length;
  const inName = (manifest.inputs.find((t) => t.name === 'features') ?? manifest.inputs[0]!).name;
  const outName = (manifest.outputs.find((t) => t.name === 'score') ?? manifest.outputs[0]!).name;
  let released: Promise<void> | undefined;
  // The input tensor of a reused feature block (the ranker's pool) is reused too while its row count is the same:
  // a tensor only points at the block, which ORT reads when the run starts.
  const tensors = new WeakMap<Float32Array, { n: number; feeds: Record<string, ort.Tensor> }>();
  const feedsFor = (features: Float32Array, n: number): Record<string, ort.Tensor> => {
    const hit = tensors.get(features);
    if (hit?.n === n) return hit.feeds;
    const feeds = { [inName]: new ort.Tensor('float32', features.length === n * F ? features : features.subarray(0, n * F), [n, F]) };
    tensors.set(features, { n, feeds });
    return feeds;
  };
  return {
    dir, manifest, featureCount: F, itemStats,
    async score(features, n) {
      const out = (await session.run(feedsFor(features, n)))[outName];
      // docs/contracts.md §Models: output float32 [N] or [N, 1]; both are n values row-major.
      if (!out || out.type !== 'float32' || (out.data as Float32Array).length !== n) {
        throw new Error(`model output "${outName}" is not ${n} float32 scores`);
      }
      return out.data as Float32Array;
    },
    release: () => (released ??= session.release()),
    get released() { return released !== undefined; },
  };
}

/**
 * Loads one version folder and verifies it completely: manifest, sha256, feature list, graph I/O,
 * golden scores and item stats. Never throws: a bad folder is an error value with a reason.
 */
export async function loadModelVersion<S = undefined>(dir: string, opts: ModelLoaderOptions<S>): Promise<LoadResult<S>> {
  let version: string | undefined;
  let session: ort.InferenceSession | undefined;
  try {
    const raw = await readJson(join(dir, 'manifest.json'), 'manifest.missing', 'manifest.invalid');
    version = typeof (raw as { version?: unknown })?.version === 'string' ? (raw as { version: string }).version : undefined;
    const parsed = parseUntrusted(ModelManifest, raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail('manifest.invalid', `manifest.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    const manifest = parsed.data;
    checkManifest(manifest, opts.expectedFeatures ?? FEATURE_NAMES);

    let bytes: Buffer;
    try { bytes = await readFile(join(dir, 'model.onnx')); } catch (e) { return fail('model.missing', `cannot read model.onnx: ${message(e)}`); }
    // The session is built from the very bytes that were hashed: no window to swap the file in between.
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== manifest.sha256) fail('sha256.mismatch', `model.onnx sha256 ${sha} does not match manifest ${manifest.sha256}`);

    const F = manifest.features.length;
    const inName = (manifest.inputs.find((t) => t.name === 'features') ?? manifest.inputs[0]!).name;
    const outName = (manifest.outputs.find((t) => t.name === 'score') ?? manifest.outputs[0]!).name;
    try {
      session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sessionOptions());
    } catch (e) { return fail('onnx.invalid', `onnxruntime cannot load model.onnx: ${message(e)}`); }
    checkSession(session, inName, outName, F);

    const goldenRaw = await readJson(join(dir, manifest.files?.golden ?? 'golden.json'), 'golden.missing', 'golden.invalid');
    const golden = parseGolden(goldenRaw, manifest.features, opts.goldenTolerance);
    if (typeof golden === 'string') return fail('golden.invalid', golden);
    const model = wrapSession<S>(dir, manifest, session, undefined as S);
    let actual: Float32Array;
    try { actual = await model.score(golden.rows, golden.n); } catch (e) { return fail('golden.mismatch', `golden run failed: ${message(e)}`); }
    const diff = goldenMismatch(actual, golden);
    if (diff) fail('golden.mismatch', diff);

    let itemStats = undefined as S;
    if (opts.parseItemStats) {
      const statsRaw = await readJson(join(dir, manifest.files?.itemStats ?? 'item-stats.json'), 'item-stats.missing', 'item-stats.invalid');
      try { itemStats = opts.parseItemStats(statsRaw); } catch (e) { return fail('item-stats.invalid', `item-stats.json: ${message(e)}`); }
    }
    return { ok: true, model: wrapSession(dir, manifest, session, itemStats) };
  } catch (e) {
    await session?.release().catch(() => undefined);
    if (e instanceof LoadFailure) return { ok: false, error: { code: e.code, reason: e.message, dir, version } };
    return { ok: false, error: { code: 'load.failed', reason: `unexpected: ${message(e)}`, dir, version } };
  }
}
