import { createHash } from 'node:crypto';

/** One arm's slice of the shoppers: `share` in [0, 1]; an experiment's shares sum to 1. */
export interface ArmShare {
  armId: string;
  share: number;
}

const TWO_POW_52 = 2 ** 52;
/** Shares must sum to 1 within this (the contract allows 1e-9; a little slack for float sums of many arms). */
const SUM_TOLERANCE = 1e-6;

/**
 * Where a shopper falls in an experiment, in [0, 1): the first 52 bits of sha256(`${experimentId}:${customerId}`).
 * docs/experiments-method.md §Assignment: deterministic and sticky (no state, no cache), uniform, and
 * independent across experiments because the experiment id is part of the hashed text. 52 bits fit a double
 * exactly, so every value is k / 2^52 and never 1. About 1.2 µs per call on this machine (bench-bucket.ts).
 * Ids match `^[A-Za-z0-9._:-]{1,64}$`; an experiment id containing ':' could alias another pair, which is
 * harmless here (the pair would still get one fixed, uniformly spread bucket).
 */
export function bucket(experimentId: string, customerId: string): number {
  const d = createHash('sha256').update(`${experimentId}:${customerId}`).digest();
  // 6 bytes = 48 bits, then the high 4 bits of the 7th byte.
  return (d.readUIntBE(0, 6) * 16 + (d[6]! >> 4)) / TWO_POW_52;
}

/**
 * The arm a shopper is in: arms take consecutive ranges of [0, 1) in the order given, each as wide as its share,
 * and the shopper's bucket picks one. Moving share between two neighbouring arms therefore moves only the shoppers
 * between the old and the new boundary (docs/experiments-method.md §Changing shares). An arm with share 0 gets
 * nobody. Throws RangeError for an empty list, a share outside [0, 1] or shares not summing to 1: the experiment
 * contract already refuses those at the edge, so reaching here with them is a bug.
 */
export function assignArm(experimentId: string, customerId: string, arms: readonly ArmShare[]): string {
  let total = 0;
  for (const a of arms) {
    if (!(a.share >= 0 && a.share <= 1)) throw new RangeError(`arm ${a.armId}: share ${a.share} is not in [0, 1]`);
    total += a.share;
  }
  if (arms.length === 0 || Math.abs(total - 1) > SUM_TOLERANCE) {
    throw new RangeError(`arm shares must sum to 1 (they sum to ${total})`);
  }
  const b = bucket(experimentId, customerId);
  let upper = 0;
  let last: string | undefined;
  for (const a of arms) {
    if (a.share === 0) continue;
    upper += a.share;
    last = a.armId;
    if (b < upper) return a.armId;
  }
  // Only when the float sum of the shares falls a hair short of 1 and b lands in that hair.
  return last!;
}
