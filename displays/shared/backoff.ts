/**
 * @module shared/backoff
 * Reconnect delays: exponential backoff with jitter, capped. Pure, so it is tested without sockets.
 */

export interface BackoffOptions {
  /** First delay in ms (attempt 0). */
  baseMs: number;
  /** Upper bound in ms, before jitter is applied. */
  capMs: number;
  /** Share of the delay that is randomised, 0..1 (0.5 = "equal jitter"). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 500,   // first retry quickly: most drops are a proxy or engine restart
  capMs: 10_000, // a screen is never dark longer than ~10 s after the engine is back
  jitter: 0.5,   // spread a store's screens so they don't reconnect in lock-step
};

/** After the server rejects our credentials, retry rarely: the token will not fix itself. */
export const REJECTED_BACKOFF: BackoffOptions = { baseMs: 60_000, capMs: 60_000, jitter: 0.25 };

/**
 * Delay before reconnect attempt `attempt` (0-based).
 * The exponential part is `min(cap, base·2^attempt)`; the last `jitter` share of it is scaled by `random()`.
 * @example nextDelay(0, () => 1) // 500
 * @example nextDelay(10, () => 0) // 5000 (half of the 10 s cap)
 */
export function nextDelay(attempt: number, random: () => number = Math.random,
  opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp * (1 - opts.jitter) + exp * opts.jitter * r);
}
