import { BlockList, isIP } from 'node:net';

/** Tests an address against a list of addresses and CIDR ranges. */
export type AddressMatcher = (address: string) => boolean;

const familyOf = (address: string): 'ipv4' | 'ipv6' | undefined => {
  const f = isIP(address);
  return f === 4 ? 'ipv4' : f === 6 ? 'ipv6' : undefined;
};

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`, so limits and lists see one address. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/**
 * Builds a matcher from entries such as `127.0.0.0/8`, `::1`, `10.1.2.3`. Throws a TypeError naming the entry
 * that is neither an address nor a range: the list comes from configuration and is checked once at start-up.
 */
export function createAddressMatcher(entries: readonly string[]): AddressMatcher {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [raw, prefix, extra] = entry.split('/');
    const addr = normalizeAddress(raw ?? '');
    const family = familyOf(addr);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 'ipv6' ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max && /^\d+$/.test(prefix!)))) {
      throw new TypeError(`not an IP address or CIDR range: ${JSON.stringify(entry)}`);
    }
    if (bits === undefined) list.addAddress(addr, family); else list.addSubnet(addr, bits, family);
  }
  return (address) => {
    const a = normalizeAddress(address);
    const family = familyOf(a);
    try { return family !== undefined && list.check(a, family); } catch { return false; } // e.g. a zone id BlockList refuses
  };
}

/**
 * The address a connection counts against. `X-Forwarded-For` is believed only when the peer is a trusted proxy,
 * and then only from the right: each trusted hop names the one before it, the first untrusted hop is the client.
 * An entry that is not a bare address (a port, garbage) ends the walk at the last hop we could believe.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: AddressMatcher): string {
  let addr = peer ? normalizeAddress(peer) : 'unknown';
  if (forwardedFor === undefined || !trusted(addr)) return addr;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    if (familyOf(hop) === undefined) return addr;
    addr = hop;
    if (!trusted(hop)) return hop;
  }
  return addr;
}
