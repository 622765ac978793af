import { describe, expect, it } from 'vitest';
import { createFrameLimiter, type FrameVerdict } from './rate-limit.js';

const run = (admit: (t: number) => FrameVerdict, times: number[]) => times.map((t) => admit(t));

describe('createFrameLimiter', () => {
  it('passes a burst, then drops with one warning per second', () => {
    const l = createFrameLimiter({ perSecond: 2, burst: 3, closeAfterDropped: 100 }, 0);
    expect(run(l.admit, [0, 0, 0, 0, 0])).toEqual(['pass', 'pass', 'pass', 'warn', 'drop']);
    expect(run(l.admit, [999, 999])).toEqual(['pass', 'drop']); // 999 ms refilled 1.998 frames; no second warning yet
    expect(run(l.admit, [1_000, 1_000, 1_000])).toEqual(['pass', 'warn', 'drop']); // a second after the first warning: one more
  });

  it('refills at the sustained rate and never above the burst', () => {
    const l = createFrameLimiter({ perSecond: 10, burst: 2, closeAfterDropped: 100 }, 0);
    expect(run(l.admit, [60_000, 60_000, 60_000])).toEqual(['pass', 'pass', 'warn']);
    // 10/s forever, one frame every 100 ms: never limited
    expect(run(l.admit, Array.from({ length: 1_000 }, (_, i) => 60_100 + i * 100)).every((v) => v === 'pass')).toBe(true);
  });

  it('closes a connection that keeps flooding; a quiet spell long enough to refill forgives', () => {
    const l = createFrameLimiter({ perSecond: 1, burst: 2, closeAfterDropped: 3 }, 0);
    expect(run(l.admit, [0, 0, 0, 0, 0])).toEqual(['pass', 'pass', 'warn', 'drop', 'drop']);
    expect(l.admit(2_000)).toBe('pass'); // full again: the flood is over
    expect(run(l.admit, [2_000, 2_000, 2_000, 2_000, 2_000])).toEqual(['pass', 'warn', 'drop', 'drop', 'close']);
    const m = createFrameLimiter({ perSecond: 1, burst: 2, closeAfterDropped: 3 }, 0);
    // over the rate without pause: the bucket never fills, drops add up
    expect(run(m.admit, [0, 0, 0, 500, 500, 1_000, 1_000])).toEqual(['pass', 'pass', 'warn', 'drop', 'drop', 'pass', 'close']);
  });

  it('refills nothing when the clock steps back', () => {
    const l = createFrameLimiter({ perSecond: 1, burst: 1, closeAfterDropped: 100 }, 10_000);
    expect(run(l.admit, [10_000, 5_000, 9_000, 10_999, 11_000])).toEqual(['pass', 'warn', 'drop', 'drop', 'pass']);
  });
});
