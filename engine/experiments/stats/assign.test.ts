import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { assignArm, bucket, type ArmShare } from './assign.js';

const N = 100_000;
const ids = Array.from({ length: N }, (_, i) => `C-${String(i).padStart(6, '0')}`);

/** Pearson's chi-square statistic of a contingency table and its degrees of freedom, computed by hand. */
function chiSquare(table: number[][]): { stat: number; df: number } {
  const rows = table.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = table[0]!.map((_, j) => table.reduce((a, r) => a + r[j]!, 0));
  const total = rows.reduce((a, b) => a + b, 0);
  let stat = 0;
  table.forEach((r, i) => r.forEach((o, j) => {
    const e = (rows[i]! * cols[j]!) / total;
    stat += ((o - e) * (o - e)) / e;
  }));
  return { stat, df: (rows.length - 1) * (cols.length - 1) };
}

/** The arm of every id in experiment A against its arm in experiment B, as counts. */
function crossTable(expA: string, armsA: ArmShare[], expB: string, armsB: ArmShare[]): number[][] {
  const t = armsA.map(() => armsB.map(() => 0));
  for (const id of ids) {
    const i = armsA.findIndex((a) => a.armId === assignArm(expA, id, armsA));
    const j = armsB.findIndex((a) => a.armId === assignArm(expB, id, armsB));
    t[i]![j]!++;
  }
  return t;
}

// Upper 0.1 % points of chi-square, as printed in standard tables (e.g. Fisher & Yates, Statistical Tables,
// table IV): df 1 → 10.828, df 2 → 13.816, df 4 → 18.467, df 9 → 27.877. jstat's quantile must agree.
const CRITICAL_0_001: Record<number, number> = { 1: 10.828, 2: 13.816, 4: 18.467, 9: 27.877 };
const critical = (df: number) => {
  const c = jStat.chisquare.inv(0.999, df);
  expect(c).toBeCloseTo(CRITICAL_0_001[df]!, 3);
  return c;
};

describe('bucket', () => {
  it('is the first 52 bits of sha256("experimentId:customerId") over 2^52 (pinned: changing it reshuffles running experiments)', () => {
    // Expected values from the shell: printf 'exp-1:cust-1' | sha256sum → 15ece64fbebc0… ; 0x15ece64fbebc0 / 2^52.
    expect(bucket('exp-1', 'cust-1')).toBe(0x15ece64fbebc0 / 2 ** 52);
    expect(bucket('exp-1', 'cust-1')).toBe(0.08564605185414109);
    expect(bucket('checkout-banner', 'C-000042')).toBe(0xcf18c153c4a66 / 2 ** 52);
  });

  it('is sticky: the same ids give the same bucket, call after call', () => {
    for (const id of ids.slice(0, 1000)) expect(bucket('exp-1', id)).toBe(bucket('exp-1', id));
  });

  it('lies in [0, 1) and is uniform: 10 equal bins pass a chi-square test at p = 0.001 (df 9)', () => {
    const bins = new Array<number>(10).fill(0);
    let [lo, hi] = [1, 0];
    for (const id of ids) {
      const b = bucket('exp-uniform', id);
      [lo, hi] = [Math.min(lo, b), Math.max(hi, b)];
      bins[Math.floor(b * 10)]!++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const stat = bins.reduce((a, o) => a + ((o - N / 10) ** 2) / (N / 10), 0);
    expect(stat).toBeLessThan(critical(9));
  });
});

describe('assignArm', () => {
  const arms: ArmShare[] = [{ armId: 'treatment', share: 0.8 }, { armId: 'holdout', share: 0.2 }];

  it('is stable: the same experiment and customer always get the same arm', () => {
    const first = ids.slice(0, 2000).map((id) => assignArm('exp-1', id, arms));
    const again = ids.slice(0, 2000).map((id) => assignArm('exp-1', id, arms));
    expect(again).toEqual(first);
    expect(assignArm('exp-1', 'cust-1', arms)).toBe('treatment'); // bucket 0.0856 < 0.8
  });

  it('follows the cumulative ranges in the given order', () => {
    for (const id of ids.slice(0, 2000)) {
      expect(assignArm('exp-1', id, arms)).toBe(bucket('exp-1', id) < 0.8 ? 'treatment' : 'holdout');
    }
  });

  // Each arm's count is Binomial(N, share): it must lie within 4 standard deviations, √(N·share·(1 − share)),
  // of N·share. A correct hash fails this with probability about 6e-5 per arm.
  for (const split of [
    [{ armId: 'treatment', share: 0.8 }, { armId: 'holdout', share: 0.2 }],
    [{ armId: 'a', share: 0.45 }, { armId: 'b', share: 0.45 }, { armId: 'holdout', share: 0.1 }],
    [{ armId: 'a', share: 0.25 }, { armId: 'b', share: 0.25 }, { armId: 'c', share: 0.25 }, { armId: 'holdout', share: 0.25 }],
    [{ armId: 'treatment', share: 0.99 }, { armId: 'holdout', share: 0.01 }],
  ]) {
    it(`splits ${N} ids ${split.map((a) => `${a.armId} ${a.share}`).join(' / ')} within 4 sigma of each share`, () => {
      const counts = new Map<string, number>();
      for (const id of ids) {
        const arm = assignArm('exp-split', id, split);
        counts.set(arm, (counts.get(arm) ?? 0) + 1);
      }
      for (const a of split) {
        const sigma = Math.sqrt(N * a.share * (1 - a.share));
        expect(Math.abs((counts.get(a.armId) ?? 0) - N * a.share), a.armId).toBeLessThanOrEqual(4 * sigma);
      }
    });
  }

  // The arm in one experiment says nothing about the arm in another: Pearson's chi-square on the cross table of
  // the 100 000 ids, against the upper 0.1 % point of chi-square with (rows − 1)(cols − 1) degrees of freedom.
  it('is independent across experiments: 2×2 table, chi-square below 10.828 (df 1, p = 0.001)', () => {
    const { stat, df } = chiSquare(crossTable('exp-A', [{ armId: 't', share: 0.5 }, { armId: 'holdout', share: 0.5 }],
      'exp-B', arms));
    expect(df).toBe(1);
    expect(stat).toBeLessThan(critical(df));
  });

  it('is independent across experiments: 2×3 and 3×3 tables at p = 0.001', () => {
    const three: ArmShare[] = [{ armId: 'a', share: 0.5 }, { armId: 'b', share: 0.3 }, { armId: 'holdout', share: 0.2 }];
    const t23 = chiSquare(crossTable('exp-A', arms, 'exp-C', three));
    expect(t23.df).toBe(2);
    expect(t23.stat).toBeLessThan(critical(2));
    const t33 = chiSquare(crossTable('exp-C', three, 'exp-D', [{ armId: 'x', share: 0.2 }, { armId: 'y', share: 0.3 }, { armId: 'holdout', share: 0.5 }]));
    expect(t33.df).toBe(4);
    expect(t33.stat).toBeLessThan(critical(4));
  });

  it('the independence test can fail: the same experiment id twice gives a perfectly dependent table', () => {
    const { stat } = chiSquare(crossTable('exp-A', arms, 'exp-A', arms));
    expect(stat).toBeGreaterThan(1000 * critical(1));
  });

  it('moving share between neighbouring arms moves only the ids between the old and new boundary', () => {
    const before: ArmShare[] = [{ armId: 'treatment', share: 0.8 }, { armId: 'holdout', share: 0.2 }];
    const after: ArmShare[] = [{ armId: 'treatment', share: 0.7 }, { armId: 'holdout', share: 0.3 }];
    let moved = 0;
    for (const id of ids) {
      const [a, b, x] = [assignArm('exp-m', id, before), assignArm('exp-m', id, after), bucket('exp-m', id)];
      if (a === b) continue;
      moved++;
      expect([a, b]).toEqual(['treatment', 'holdout']); // nobody leaves the holdout
      expect(x >= 0.7 && x < 0.8).toBe(true);
    }
    expect(Math.abs(moved - N * 0.1)).toBeLessThanOrEqual(4 * Math.sqrt(N * 0.1 * 0.9));
  });

  it('with three arms, only the two arms whose boundary moved exchange ids; the holdout keeps all of its own', () => {
    const before: ArmShare[] = [{ armId: 'a', share: 0.4 }, { armId: 'b', share: 0.4 }, { armId: 'holdout', share: 0.2 }];
    const after: ArmShare[] = [{ armId: 'a', share: 0.3 }, { armId: 'b', share: 0.5 }, { armId: 'holdout', share: 0.2 }];
    for (const id of ids) {
      const [a, b, x] = [assignArm('exp-m3', id, before), assignArm('exp-m3', id, after), bucket('exp-m3', id)];
      if (a === b) continue;
      expect([a, b]).toEqual(['a', 'b']);
      expect(x >= 0.3 && x < 0.4).toBe(true);
    }
  });

  it('gives nobody to an arm with share 0, and refuses shares that do not sum to 1', () => {
    const withZero: ArmShare[] = [{ armId: 'off', share: 0 }, { armId: 'treatment', share: 0.5 }, { armId: 'holdout', share: 0.5 }];
    for (const id of ids.slice(0, 5000)) expect(assignArm('exp-z', id, withZero)).not.toBe('off');
    expect(() => assignArm('e', 'c', [])).toThrow(RangeError);
    expect(() => assignArm('e', 'c', [{ armId: 'a', share: 0.5 }, { armId: 'b', share: 0.4 }])).toThrow(RangeError);
    expect(() => assignArm('e', 'c', [{ armId: 'a', share: 1.5 }, { armId: 'b', share: -0.5 }])).toThrow(RangeError);
    expect(() => assignArm('e', 'c', [{ armId: 'a', share: Number.NaN }, { armId: 'b', share: 1 }])).toThrow(RangeError);
  });

  it('accepts shares whose float sum is a hair off 1 (0.1 × 10)', () => {
    const tenths = Array.from({ length: 10 }, (_, i) => ({ armId: `a${i}`, share: 0.1 }));
    for (const id of ids.slice(0, 1000)) expect(tenths.map((a) => a.armId)).toContain(assignArm('exp-t', id, tenths));
  });
});
