import type { IncomingMessage } from 'node:http';
import { clientAddress, createAddressMatcher } from './address.js';
import { tokenDigest, type Binding } from './auth.js';
import type { RefusalReason } from './codes.js';
import { HUB_DEFAULTS } from './defaults.js';
import type { HubOptions } from './types.js';

/** The places one connection holds: its address (unless exempt) and, once bound, its token. */
export type Slot = { address?: string; tokenKey?: string };

export type AdmissionOptions = Pick<HubOptions,
  'maxConnections' | 'maxConnectionsPerAddress' | 'maxConnectionsPerToken' | 'exemptAddresses' | 'trustedProxies'>;

/** Connection bounds of the WebSocket edge (docs/contracts.md §Security and privacy): total, per address, per token. */
export type Admission = {
  /** At the upgrade, with `open` sockets already: the client's address, or why the upgrade is refused (503). */
  upgrade(req: IncomingMessage, open: number): { address: string } | { refuse: RefusalReason };
  /** A socket opened from `address`: takes its place there; false when the address has none left. */
  open(slot: Slot, address: string): boolean;
  /** A hello passed authorization: takes a place of its token; false when the token has none left. */
  bind(slot: Slot, token: string, b: Binding): boolean;
  /** The socket closed: gives its places back. */
  release(slot: Slot): void;
};

/** Counts per key against a limit; keys leave the map at 0, so it holds only live keys. */
function createQuota(limit: number) {
  const counts = new Map<string, number>();
  return {
    take(key: string): boolean {
      const n = counts.get(key) ?? 0;
      if (n >= limit) return false;
      counts.set(key, n + 1);
      return true;
    },
    give(key: string): void {
      const n = (counts.get(key) ?? 0) - 1;
      if (n > 0) counts.set(key, n); else counts.delete(key);
    },
  };
}

/**
 * Creates the bounds. Throws at start-up on an address entry that is neither an address nor a CIDR range:
 * a typo must not silently trust, or exempt, nobody.
 */
export function createAdmission(o: AdmissionOptions = {}): Admission {
  const exempt = createAddressMatcher(o.exemptAddresses ?? HUB_DEFAULTS.exemptAddresses);
  const trusted = createAddressMatcher(o.trustedProxies ?? HUB_DEFAULTS.trustedProxies);
  const maxConnections = o.maxConnections ?? HUB_DEFAULTS.maxConnections;
  const perAddress = createQuota(o.maxConnectionsPerAddress ?? HUB_DEFAULTS.maxConnectionsPerAddress);
  const perToken = createQuota(o.maxConnectionsPerToken ?? HUB_DEFAULTS.maxConnectionsPerToken);
  return {
    upgrade(req, open) {
      if (open >= maxConnections) return { refuse: 'capacity' };
      return { address: clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for'], trusted) };
    },
    open(slot, address) {
      if (exempt(address)) return true;
      if (!perAddress.take(address)) return false;
      slot.address = address;
      return true;
    },
    bind(slot, token, b) {
      // A store-wide screen token serves many screens: it counts per screen (screens are checked to exist, so this is bounded).
      const key = b.role === 'screen' ? `${tokenDigest(token)}|${b.target ?? ''}` : tokenDigest(token);
      if (!perToken.take(key)) return false;
      slot.tokenKey = key;
      return true;
    },
    release(slot) {
      if (slot.address !== undefined) perAddress.give(slot.address);
      if (slot.tokenKey !== undefined) perToken.give(slot.tokenKey);
      slot.address = slot.tokenKey = undefined;
    },
  };
}
