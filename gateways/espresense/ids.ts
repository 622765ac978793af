import { normalizeMac, pseudonymize } from '../kit/pseudonym.js';

/**
 * One spelling per device for an ESPresense id. A bare MAC (a public address), or a MAC behind a one-word
 * prefix (`known:`, `mac:`, `tile:`, `sonos:`…, which ESPresense uses for devices it recognises by address),
 * is that MAC in 12 lowercase hex digits, so a device keeps its pseudonym when it is added to `known_macs`
 * and matches what other gateways call the same address. Anything else (`irk:…`, `iBeacon:…`, `apple:…`,
 * `msft:cdp:…`, `name:…`) is lower-cased: the firmware is consistent, configuration files may not be.
 */
export function canonicalId(raw: string): string {
  const id = raw.trim();
  const bare = normalizeMac(id);
  if (bare) return bare;
  const colon = id.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9]*$/.test(id.slice(0, colon))) {
    const inner = normalizeMac(id.slice(colon + 1));
    if (inner) return inner;
  }
  return id.toLowerCase();
}

/** Who an ESPresense id is for the engine: its pseudonym and, for a configured id, its member. */
export type ResolvedDevice = { deviceId: string; customerId?: string };

/**
 * Resolves raw ids to pseudonyms (keyed HMAC, gateways/kit/pseudonym.ts) and to members (`known`). The raw id
 * goes no further than this function: the tracker, the events and the logs only ever see the pseudonym.
 */
export function createDeviceResolver(key: string, known: Record<string, string>): (rawId: string) => ResolvedDevice {
  const members = new Map(Object.entries(known).map(([id, customerId]) => [canonicalId(id), customerId] as const));
  return (rawId) => {
    const id = canonicalId(rawId);
    const customerId = members.get(id);
    return { deviceId: pseudonymize(key, id), ...(customerId ? { customerId } : {}) };
  };
}
