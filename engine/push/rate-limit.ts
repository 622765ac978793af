/** What to do with one inbound frame: handle it, drop it silently, drop it and tell the client, or close the connection. */
export type FrameVerdict = 'pass' | 'drop' | 'warn' | 'close';

export type FrameLimitOptions = {
  /** Sustained client frames per second. */
  perSecond: number;
  /** Frames a client may send at once after a quiet spell. */
  burst: number;
  /** Frames dropped in one flood (the bucket never got full again) before the connection is closed. */
  closeAfterDropped: number;
  /** At most one `warn` per this many ms. */
  warnEveryMs?: number;
};

/** Per-connection frame limiter (docs/contracts.md §Security and privacy: input edges are bounded). */
export type FrameLimiter = { admit(now: number): FrameVerdict };

/**
 * A token bucket per connection. Pure: the caller passes the time, so tests move a manual clock.
 * A flood ends only when the client is quiet long enough for the bucket to fill up again; a client that
 * stays above the rate keeps adding to its dropped count until it is closed.
 */
export function createFrameLimiter(o: FrameLimitOptions, now: number): FrameLimiter {
  const perMs = Math.max(o.perSecond, 0) / 1000;
  const burst = Math.max(o.burst, 1);
  const warnEveryMs = o.warnEveryMs ?? 1_000;
  let tokens = burst;
  let at = now;
  let dropped = 0;
  let warnedAt = Number.NEGATIVE_INFINITY;
  return {
    admit(t) {
      if (t > at) { tokens = Math.min(burst, tokens + (t - at) * perMs); at = t; } // a clock that steps back refills nothing
      if (tokens >= burst) dropped = 0;
      if (tokens >= 1) { tokens -= 1; return 'pass'; }
      if (++dropped > o.closeAfterDropped) return 'close';
      if (at - warnedAt >= warnEveryMs) { warnedAt = at; return 'warn'; }
      return 'drop';
    },
  };
}
