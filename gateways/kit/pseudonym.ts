import { createHmac } from 'node:crypto';

/** The pseudonym format (docs/gateways.md §Pseudonyms): `hm1-` and 26 lowercase base32 characters (130 bits of HMAC-SHA256). */
export const PSEUDONYM_PATTERN = /^hm1-[a-z2-7]{26}$/;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lowercase, no padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += ALPHABET[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** A MAC address in one spelling (12 lowercase hex digits), whatever separators and case the vendor used; undefined if it is not one. */
export function normalizeMac(raw: string): string | undefined {
  const hex = raw.trim().toLowerCase().replace(/[:.\-\s]/g, '');
  return /^[0-9a-f]{12}$/.test(hex) ? hex : undefined;
}

/**
 * A device's pseudonym: keyed HMAC-SHA256 of its identifier (a MAC is normalised first, so the same device
 * seen by Meraki as `aa:bb:…` and by ESPresense as `aabb…` gets the same pseudonym), base32, truncated.
 * Without the key nobody can go back to the identifier, nor link pseudonyms across stores with other keys.
 * Shaped so the engine's MAC guard never mistakes it for a MAC: a prefix, no separators inside.
 */
export function pseudonymize(key: string | Buffer, rawId: string, namespace = 'dev'): string {
  const id = normalizeMac(rawId) ?? rawId.trim();
  const mac = createHmac('sha256', key).update(`${namespace}\u0000${id}`).digest();
  return `hm1-${base32(mac.subarray(0, 17)).slice(0, 26)}`;
}
