import { describe, expect, it } from 'vitest';
import { createIdSource } from './ids.js';

describe('createIdSource', () => {
  it('gives hex ids of the asked length, distinct across many refills of the pool', () => {
    const next = createIdSource(6, 8);
    const ids = Array.from({ length: 5000 }, next);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('two sources do not repeat each other', () => {
    const a = createIdSource();
    const b = createIdSource();
    const seen = new Set(Array.from({ length: 2000 }, a));
    expect(Array.from({ length: 2000 }, b).some((id) => seen.has(id))).toBe(false);
  });
});
