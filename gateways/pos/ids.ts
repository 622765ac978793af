import { createHash } from 'node:crypto';
import { ID_PATTERN } from '#contracts';
import { carriesPersonalId } from '../kit/scrub.js';
import type { CustomerMapping } from './config.js';

/** A configuration map's own entry (never one of Object.prototype's: a vendor may send `constructor` as an id). */
export function lookup<V>(map: Record<string, V> | undefined, key: string): V | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * An event or transaction id made from vendor ids: `prefix + raw` when that is a valid identifier
 * (`^[A-Za-z0-9._:-]{1,64}$`) and nothing in it looks like a MAC or an e-mail address; otherwise `prefix`,
 * `h` and 26 base32 characters of its SHA-256, so the same vendor id always gives the same canonical id
 * (docs/gateways/pos.md §Idempotency). Vendors' UUIDs (twelve hex digits after the last dash) and twelve-digit
 * numbers are exactly what a raw MAC looks like to the kit's privacy checks, hence the fallback.
 */
export function safeId(prefix: string, raw: string): string {
  const plain = `${prefix}${raw}`;
  if (ID_PATTERN.test(plain) && !carriesPersonalId(plain)) return plain;
  const digest = createHash('sha256').update(raw).digest();
  let out = '';
  for (let i = 0; out.length < 26; i++) out += 'abcdefghijklmnopqrstuvwxyz234567'[digest[i]! & 31];
  return `${prefix}h${out}`;
}

const usable = (s: string) => ID_PATTERN.test(s);

/**
 * The store's SKU for a line: the first candidate (vendor item ids, best first) found in `skuMap`, else the
 * first that is itself a valid identifier; undefined when none is (the line is left out).
 */
export function mapSku(skuMap: Record<string, string>, candidates: readonly unknown[]): string | undefined {
  const ids = candidates.map((c) => (typeof c === 'number' && Number.isSafeInteger(c) ? String(c) : c))
    .filter((c): c is string => typeof c === 'string' && c.trim() !== '').map((c) => c.trim());
  for (const id of ids) {
    const mapped = lookup(skuMap, id);
    if (mapped !== undefined) return mapped;
  }
  return ids.find(usable);
}

/**
 * The engine's customerId for a vendor customer id (docs/gateways/pos.md §Customers): the mapped id, else the
 * prefixed id in `prefix` mode; undefined when there is none or it is not a valid identifier (an e-mail address
 * never is one, nor a phone number written with `+` or spaces): the purchase is then published without a customer.
 */
export function mapCustomer(m: CustomerMapping, vendorId: unknown): string | undefined {
  const id = typeof vendorId === 'number' && Number.isSafeInteger(vendorId) ? String(vendorId) : vendorId;
  if (typeof id !== 'string' || id.trim() === '') return undefined;
  const mapped = lookup(m.map, id.trim());
  if (mapped !== undefined) return mapped;
  if (m.unmapped === 'drop') return undefined;
  const out = `${m.prefix}${id.trim()}`;
  return usable(out) ? out : undefined;
}
