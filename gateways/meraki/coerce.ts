/**
 * Lenient readers for the values Meraki sends in more than one form (docs/gateways/meraki.md §Quirks):
 * numbers as numbers or numeric strings (v2 even as one-element arrays, `[]` when unknown), times as
 * epoch seconds, epoch milliseconds or ISO 8601, tags as arrays or one space-separated string.
 * Each returns undefined for anything it cannot read; none throws.
 */

export type Json = Record<string, unknown>;

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property only: a body's `__proto__` or `constructor` keys never reach anything inherited. */
export function field(o: unknown, key: string): unknown {
  return isObject(o) && Object.hasOwn(o, key) ? o[key] : undefined;
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A finite number, from a number, a numeric string, or a one-element array of either. */
export function toNumber(v: unknown): number | undefined {
  if (Array.isArray(v)) v = v.length === 1 && (typeof v[0] === 'number' || typeof v[0] === 'string') ? v[0] : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.length > 64) return undefined;
  const t = v.trim();
  if (!NUMERIC.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A trimmed, non-empty string of at most `max` characters. */
export function toText(v: unknown, max = 200): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length > 0 && t.length <= max ? t : undefined;
}

/** Strings from an array of strings, or from one string split on `split` (tags: whitespace and commas). */
export function toTextList(v: unknown, split?: RegExp): string[] {
  if (typeof v === 'string') return (split ? v.split(split) : [v]).map((s) => toText(s)).filter((s): s is string => s !== undefined);
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const item of v.slice(0, 100)) { const t = toText(item); if (t !== undefined) out.push(t); }
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Epoch milliseconds from epoch seconds (v2's `seenEpoch`), epoch milliseconds (told apart by size: below
 * 10^11 is seconds, i.e. before 1973 in milliseconds), numeric strings of either, or ISO 8601 (UTC when it
 * names no offset, as Meraki's times are UTC).
 */
export function toEpochMs(v: unknown): number | undefined {
  let ms: number;
  const n = toNumber(v);
  if (n !== undefined) ms = Math.abs(n) < 1e11 ? n * 1000 : n;
  else {
    const t = typeof v === 'string' ? v.trim() : '';
    const m = ISO.exec(t);
    if (!m) return undefined;
    ms = Date.parse(t.includes(':') && !m[1] ? `${t}Z` : t);
  }
  ms = Math.round(ms);
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

/** Meraki's documented noise floor: v1 and v2 report RSSI as dB above it (v1: "subtract 95 to get dBm"). */
export const NOISE_FLOOR_DBM = -95;

/**
 * Signal strength in whole dBm, within the contract's −150…20. Negative values are dBm already; positive
 * ones (v2's `"rssi": 47`) are dB above the noise floor, so 47 → −48 dBm; 0 is no reading. Anything out of
 * range is left out rather than clamped.
 */
export function toRssiDbm(v: unknown): number | undefined {
  const n = toNumber(v);
  if (n === undefined || n === 0) return undefined;
  const dbm = Math.round(n > 0 ? n + NOISE_FLOOR_DBM : n);
  return dbm >= -150 && dbm <= 20 ? dbm : undefined;
}
