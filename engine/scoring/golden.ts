import { z } from 'zod';

/** Golden cases of a model version: feature rows and the scores the exporter saw for them. */
export type Golden = { rows: Float32Array; n: number; expected: Float32Array };

const Matrix = z.array(z.array(z.number()).min(1)).min(1);
const Scores = z.array(z.union([z.number(), z.array(z.number()).length(1)])).min(1);

// The exporter's format is the source of truth; the alternatives keep older files loadable.
const GoldenFile = z.union([
  z.object({ inputs: Matrix, outputs: Scores }),
  z.object({ features: Matrix, scores: Scores }),
  z.object({ cases: z.array(z.object({ features: z.array(z.number()).min(1), score: z.number() })).min(1) }),
]);

/** Parses golden.json into one [n, F] block; a string is the reason it is unusable. */
export function parseGolden(raw: unknown, featureCount: number): Golden | string {
  const r = GoldenFile.safeParse(raw);
  if (!r.success) return `golden.json has an unknown shape: ${r.error.issues[0]?.message ?? 'invalid'}`;
  const g = r.data;
  const [rows, scores] = 'cases' in g
    ? [g.cases.map((c) => c.features), g.cases.map((c) => c.score)]
    : 'inputs' in g ? [g.inputs, g.outputs] : [g.features, g.scores];
  if (rows.length !== scores.length) return `golden.json has ${rows.length} rows but ${scores.length} scores`;
  const bad = rows.findIndex((row) => row.length !== featureCount);
  if (bad >= 0) return `golden.json row ${bad} has ${rows[bad]!.length} features, expected ${featureCount}`;
  const flat = new Float32Array(rows.length * featureCount);
  rows.forEach((row, i) => flat.set(row, i * featureCount));
  const expected = Float32Array.from(scores, (s) => (Array.isArray(s) ? s[0]! : s));
  return { rows: flat, n: rows.length, expected };
}

/** The first score that differs by more than `tol` (relative above 1); undefined when all match. */
export function goldenMismatch(actual: Float32Array, expected: Float32Array, tol = 1e-5): string | undefined {
  if (actual.length !== expected.length) return `model returned ${actual.length} scores for ${expected.length} golden rows`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) return `golden row ${i}: model ${a}, expected ${e}`;
  }
  return undefined;
}
