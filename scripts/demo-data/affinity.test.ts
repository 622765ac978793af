import { describe, expect, it } from 'vitest';
import { affinitiesFromSpend } from './affinity.js';

describe('affinitiesFromSpend', () => {
  it('scales shares so the top category reflects concentration', () => {
    expect(affinitiesFromSpend({ bags: 60, party: 30, garden: 10 })).toEqual({ bags: 0.8, party: 0.4, garden: 0.13 });
    expect(affinitiesFromSpend({ bags: 5 })).toEqual({ bags: 1 });
  });
  it('keeps at most six, drops tiny ones after three, and stays within 0..1', () => {
    const spend = { a: 100, b: 90, c: 1, d: 1, e: 50, f: 40, g: 30, h: 20 };
    const aff = affinitiesFromSpend(spend);
    expect(Object.keys(aff)).toEqual(['a', 'b', 'e', 'f', 'g', 'h']);
    for (const v of Object.values(aff)) { expect(v).toBeGreaterThan(0); expect(v).toBeLessThanOrEqual(1); }
    const few = affinitiesFromSpend({ a: 1000, b: 1, c: 1, d: 1 });
    expect(Object.keys(few)).toEqual(['a', 'b', 'c']);
  });
  it('is empty without spend', () => {
    expect(affinitiesFromSpend({})).toEqual({});
    expect(affinitiesFromSpend({ a: 0 })).toEqual({});
  });
});
