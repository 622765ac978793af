import { describe, expect, it } from 'vitest';
import { plannedTreatmentRate, shoppersPerArmFor } from './power.js';

describe('shoppers per arm (normal approximation, two proportions)', () => {
  it('p 0.50 vs 0.75 at 90 % power, α = 0.05 two-sided → n = 76.7 per arm (R, stats::power.prop.test help page)', () => {
    // The help page's example: power.prop.test(p1 = .50, p2 = .75, power = .90)  ## =>  n = 76.7
    expect(shoppersPerArmFor(0.5, 0.75, { power: 0.9 })!.toFixed(1)).toBe('76.7');
  });

  it('agrees with the closed form at the default 80 % power / 95 % confidence', () => {
    // Hand computation: p̄ = 0.625; (1.959964·√0.46875 + 0.841621·√0.4375)² / 0.25² = 57.673
    expect(shoppersPerArmFor(0.5, 0.75)).toBeCloseTo(57.673, 3);
  });

  it('is symmetric in the arms, and a lift half as large needs about four times the shoppers', () => {
    expect(shoppersPerArmFor(0.75, 0.5)).toBeCloseTo(shoppersPerArmFor(0.5, 0.75)!, 10);
    const big = shoppersPerArmFor(0.05, 0.07)!;
    const small = shoppersPerArmFor(0.05, 0.06)!;
    expect(small / big).toBeGreaterThan(3.5);
    expect(small / big).toBeLessThan(4.2);
  });

  it('is null with nothing to detect or a rate outside [0, 1]', () => {
    expect(shoppersPerArmFor(0.1, 0.1)).toBeNull();
    expect(shoppersPerArmFor(-0.1, 0.1)).toBeNull();
    expect(shoppersPerArmFor(0.5, 1.2)).toBeNull();
    expect(() => shoppersPerArmFor(0.1, 0.2, { power: 1 })).toThrow(RangeError);
  });

  it('plans the treatment rate from the holdout rate and a minimum lift', () => {
    expect(plannedTreatmentRate(0.05, 0.01)).toBeCloseTo(0.06, 12);
    expect(plannedTreatmentRate(0.995, 0.01)).toBeCloseTo(0.985, 12);
    expect(plannedTreatmentRate(0.05, 0)).toBeNull();
    expect(plannedTreatmentRate(0.5, 0.9)).toBeNull();
  });
});
