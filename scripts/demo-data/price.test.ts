import { describe, expect, it } from 'vitest';
import { memberPrice, pickRetailPrice } from './price.js';

describe('pickRetailPrice', () => {
  it('takes the modal price of retail-size lines, ignoring trade lines', () => {
    const lines = [
      { quantity: 6, unitPrice: 2.95 }, { quantity: 2, unitPrice: 2.95 }, { quantity: 12, unitPrice: 2.95 },
      { quantity: 64, unitPrice: 2.55 }, { quantity: 128, unitPrice: 2.55 }, { quantity: 96, unitPrice: 2.55 },
      { quantity: 32, unitPrice: 2.55 }, { quantity: 1, unitPrice: 5.79 },
    ];
    expect(pickRetailPrice(lines)).toBe(2.95);
  });
  it('breaks ties towards the higher price', () => {
    expect(pickRetailPrice([{ quantity: 1, unitPrice: 1.25 }, { quantity: 1, unitPrice: 1.65 }])).toBe(1.65);
  });
  it('falls back to all lines when none are retail-size', () => {
    expect(pickRetailPrice([{ quantity: 48, unitPrice: 0.85 }])).toBe(0.85);
  });
  it('throws without priced lines', () => {
    expect(() => pickRetailPrice([])).toThrow(RangeError);
  });
});

describe('memberPrice', () => {
  it('is about 10% off, on a 5p step, and strictly below the price', () => {
    expect(memberPrice(2.95)).toBe(2.65);
    expect(memberPrice(10)).toBe(9);
    for (const p of [0.29, 0.42, 0.85, 1.25, 4.95, 12.75, 0.05]) {
      const m = memberPrice(p);
      expect(m).toBeLessThan(p);
      expect(m).toBeGreaterThan(0);
      expect(m).toBeGreaterThanOrEqual(Math.floor(p * 0.85 * 100) / 100 - 0.01);
    }
  });
});
