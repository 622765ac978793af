import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ExperimentInput, parseUntrusted } from '#contracts';

/** The demo store's experiments (engine/demo/README.md §Demo experiment). */
export const DEMO_EXPERIMENTS_PATH = new URL('./experiments.json', import.meta.url);

/**
 * The demo experiments, validated with `ExperimentInput` (defaults filled in), in file order. Throws with the
 * experiment and field named when the file is not a valid list: a broken demo file must stop start-up, not be
 * skipped. Each has a fixed `e-demo-…` id and tests an `r-demo-…` rule, so seed them after the demo rules.
 */
export function demoExperiments(text: string = readFileSync(DEMO_EXPERIMENTS_PATH, 'utf8')): ExperimentInput[] {
  let json: unknown;
  try { json = JSON.parse(text); } catch (err) { throw new Error(`demo experiments: not JSON (${(err as Error).message})`); }
  const r = parseUntrusted(z.array(ExperimentInput), json);
  if (!r.success) {
    const is = r.error.issues[0]!;
    const [i, ...path] = is.path;
    const id = typeof i === 'number' ? (json as { experimentId?: unknown }[])[i]?.experimentId : undefined;
    throw new Error(`demo experiments: ${typeof i === 'number' ? `experiment ${i}${typeof id === 'string' ? ` (${id})` : ''}` : 'the list'}${path.length ? ` ${path.join('.')}` : ''}: ${is.message}`);
  }
  return r.data;
}
