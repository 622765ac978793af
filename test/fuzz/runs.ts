import type { Parameters } from 'fast-check';

/**
 * A pure decoder is cheap per run; a socket edge pays a round trip (or a few) per run; the decision core
 * is pure but decides a whole zone a few times per run; a heavy edge pays many round trips and decisions
 * per run (the rule preview, garbage in the rule store).
 */
export type EdgeKind = 'pure' | 'socket' | 'core' | 'heavy';

/** CI defaults (about 3 minutes for the whole fuzz project on 2 cores): test/fuzz/README.md §Runs. */
export const CI_RUNS: Readonly<Record<EdgeKind, number>> = { pure: 10_000, socket: 2_000, core: 2_000, heavy: 300 };
/** FUZZ_LONG=1: every edge, pure or socket. */
export const LONG_RUNS = 100_000;

/**
 * Runs per property: FUZZ_RUNS overrides every property; else FUZZ_LONG=1 gives 100,000 per edge;
 * else the CI default for the edge's kind.
 */
export function fuzzRuns(kind: EdgeKind, env: NodeJS.ProcessEnv = process.env): number {
  const explicit = env.FUZZ_RUNS?.trim();
  if (explicit) {
    const n = Number(explicit);
    if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got "${env.FUZZ_RUNS}"`);
    return n;
  }
  if (env.FUZZ_LONG === '1') return LONG_RUNS;
  return CI_RUNS[kind];
}

/**
 * fast-check parameters for one property: its runs, and FUZZ_SEED / FUZZ_PATH to replay a failure
 * (fast-check prints both when a property fails; combine with `-t "<property name>"`).
 */
export function fuzzParams<T = unknown>(kind: EdgeKind, env: NodeJS.ProcessEnv = process.env): Parameters<T> {
  const p: Parameters<T> = { numRuns: fuzzRuns(kind, env) };
  const seed = env.FUZZ_SEED?.trim();
  if (seed) {
    const n = Number(seed);
    if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got "${env.FUZZ_SEED}"`);
    p.seed = n;
  }
  const path = env.FUZZ_PATH?.trim();
  if (path) p.path = path;
  return p;
}

/**
 * A vitest timeout for one property: the project's 600 s, or more when the runs need it (FUZZ_LONG=1 on a
 * socket edge is 100,000 round trips), at up to `perRunMs` per run plus a minute for shrinking.
 */
export function fuzzTimeout(kind: EdgeKind, perRunMs: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(600_000, fuzzRuns(kind, env) * perRunMs + 60_000);
}
