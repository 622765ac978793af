import { z } from 'zod';
import { parseUntrusted } from '#contracts';

/** Golden cases of a model version: feature rows and the scores recorded for them at export. */
export type Golden = { rows: Float32Array; n: number; expected: { label: string; scores: Float32Array }[]; tolerance: number };

// The format models/pipeline/golden.ts writes: row-major inputs, the TypeScript forward pass and
// what ONNX Runtime gave at export time.
const GoldenFile = z.object({
  features: z.array(z.string()).optional(),
  n: z.number().int().positive(),
  inputs: z.array(z.number()),
  outputs: z.array(z.number()),
  onnxOutputs: z.array(z.number()).optional(),
  tolerance: z.number().positive().optional(),
});

/** Parses golden.json for a model of `features`; a string is the reason it is unusable. */
export function parseGolden(raw: unknown, features: readonly string[], defaultTolerance = 1e-5): Golden | string {
  const r = parseUntrusted(GoldenFile, raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return `golden.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
  }
  const g = r.data;
  const F = features.length;
  if (g.features && (g.features.length !== F || g.features.some((f, i) => f !== features[i]))) return 'golden.json was made for another feature list';
  if (g.inputs.length !== g.n * F) return `golden.json has ${g.inputs.length} input values, expected n × F = ${g.n * F}`;
  const expected = [{ label: 'outputs', scores: g.outputs }, ...(g.onnxOutputs ? [{ label: 'onnxOutputs', scores: g.onnxOutputs }] : [])];
  const bad = expected.find((e) => e.scores.length !== g.n);
  if (bad) return `golden.json ${bad.label} has ${bad.scores.length} scores for ${g.n} rows`;
  return {
    rows: Float32Array.from(g.inputs), n: g.n, tolerance: Math.min(g.tolerance ?? defaultTolerance, defaultTolerance),
    expected: expected.map((e) => ({ label: e.label, scores: Float32Array.from(e.scores) })),
  };
}

/** The first score that differs by more than `tol` (relative above magnitude 1); undefined when all match. */
export function goldenMismatch(actual: Float32Array, golden: Golden): string | undefined {
  const tol = golden.tolerance;
  for (const { label, scores } of golden.expected) {
    for (let i = 0; i < scores.length; i++) {
      const a = actual[i]!, e = scores[i]!;
      if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) return `golden row ${i}: model ${a}, ${label} ${e} (tolerance ${tol})`;
    }
  }
  return undefined;
}
