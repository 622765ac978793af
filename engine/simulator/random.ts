/** A source of uniform numbers in [0, 1): `Math.random` in production, a seeded PRNG in tests and builders. */
export type Random = () => number;

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence on every platform. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [min, max], both inclusive. */
export const intBetween = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

/** Uniform number in [min, max). */
export const between = (random: Random, min: number, max: number): number => min + random() * (max - min);

/** True with probability p. */
export const chance = (random: Random, p: number): boolean => random() < p;

/** One element, uniformly; throws on an empty list (a caller bug, not data). */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(random() * items.length)]!;
}

/** One element with probability proportional to its weight (non-positive weights never win unless all are). */
export function pickWeighted<T>(random: Random, items: readonly T[], weight: (item: T) => number): T {
  const ws = items.map((it) => Math.max(0, weight(it)));
  const total = ws.reduce((s, w) => s + w, 0);
  if (total <= 0) return pick(random, items);
  let u = random() * total;
  for (let i = 0; i < items.length; i++) {
    u -= ws[i]!;
    if (u < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `n` random lowercase hex digits. */
export function hex(random: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}
