import { normalizeMac } from '../kit/pseudonym.js';
import { field, isObject, toEpochMs, toNumber, toRssiDbm, toText, toTextList, type Json } from './coerce.js';

/**
 * One client observation, whatever the payload version: what the zone rules and the event need. `clientMac`
 * is the raw identifier: it is only ever handed to `pseudonymize` (docs/gateways/meraki.md §Privacy).
 */
export type Sighting = {
  clientMac: string;
  ts?: number;
  rssi?: number;
  /** The nearest access point, 12 lowercase hex digits. */
  apMac?: string;
  /** Lowercased. */
  apTags: string[];
  floorIds: string[];
  /** Lowercased. */
  floorNames: string[];
  x?: number;
  y?: number;
};

export type Source = 'wifi' | 'ble';
export type PayloadRefusal = 'version' | 'type' | 'invalid_shape';
export type Payload =
  | { ok: true; version: 2 | 3; source: Source; sightings: Sighting[]; invalid: number }
  | { ok: false; reason: PayloadRefusal };

const TAG_SPLIT = /[\s,]+/;
const lower = (xs: (string | undefined)[]) => xs.filter((s): s is string => s !== undefined).map((s) => s.toLowerCase());
const present = (xs: (string | undefined)[]) => xs.filter((s): s is string => s !== undefined);

/** The major version Meraki says to route on: "3.0", "3.1", "3.x", 3 → 3; "2.0", "2.1" → 2; anything else undefined. */
export function majorVersion(v: unknown): 2 | 3 | undefined {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^v?(\d{1,3})(?:\.(?:\d{1,6}|x))*$/i.exec(text);
  const major = m ? Number(m[1]) : undefined;
  return major === 2 || major === 3 ? major : undefined;
}

/** v3 names the radio `WiFi` or `BLE`, v2 `DevicesSeen` or `BluetoothDevicesSeen`; either is accepted with either version. */
export function sourceOf(type: unknown, fallback: Source): Source | undefined {
  if (type === undefined || type === null) return fallback;
  const t = typeof type === 'string' ? type.trim().toLowerCase() : undefined;
  if (t === 'wifi' || t === 'wi-fi' || t === 'devicesseen') return 'wifi';
  if (t === 'ble' || t === 'bluetooth' || t === 'bluetoothdevicesseen') return 'ble';
  return undefined;
}

/** The newest of v3's `locations` (by `time`; untimed ones only when none is timed, the last of them). */
function newestLocation(locations: unknown): { loc?: Json; ts?: number } {
  let best: { loc?: Json; ts?: number } = {};
  if (!Array.isArray(locations)) return best;
  for (const loc of locations) {
    if (!isObject(loc)) continue;
    const ts = toEpochMs(field(loc, 'time'));
    if (!best.loc || (ts ?? -1) >= (best.ts ?? -1)) best = { loc, ts };
  }
  return best;
}

/** The strongest of a location's `rssiRecords`: the nearest access point and its signal. */
function strongestRecord(records: unknown): { apMac?: string; rssi?: number } {
  let best: { apMac?: string; rssi?: number } = {};
  if (!Array.isArray(records)) return best;
  for (const r of records.slice(0, 100)) {
    const rssi = toRssiDbm(field(r, 'rssi'));
    if (rssi !== undefined && (best.rssi === undefined || rssi > best.rssi)) best = { apMac: normalizeMac(toText(field(r, 'apMac')) ?? ''), rssi };
  }
  return best;
}

/** v3: one observation per client, its recent `locations`, or only `latestRecord` when it could not be placed. */
function readV3(o: Json): Sighting | undefined {
  const clientMac = toText(field(o, 'clientMac'), 100);
  if (!clientMac) return undefined;
  const { loc, ts: locTs } = newestLocation(field(o, 'locations'));
  const latest = field(o, 'latestRecord');
  const plan = field(loc, 'floorPlan'); // some firmware nests { id, name, x, y } instead of flat fields
  const strongest = strongestRecord(field(loc, 'rssiRecords'));
  const latestAp = normalizeMac(toText(field(latest, 'nearestApMac')) ?? '');
  const ts = locTs ?? toEpochMs(field(latest, 'time'));
  return {
    clientMac,
    ...(ts !== undefined ? { ts } : {}),
    ...optional('rssi', strongest.rssi ?? toRssiDbm(field(latest, 'nearestApRssi'))),
    ...optional('apMac', loc ? strongest.apMac ?? latestAp : latestAp ?? strongest.apMac),
    apTags: lower(toTextList(field(loc, 'nearestApTags'), TAG_SPLIT)),
    floorIds: present([toText(field(loc, 'floorPlanId')), toText(field(plan, 'id'))]),
    floorNames: lower([toText(field(loc, 'floorPlanName')), toText(field(plan, 'name'))]),
    ...optional('x', toNumber(field(loc, 'x')) ?? toNumber(field(plan, 'x'))),
    ...optional('y', toNumber(field(loc, 'y')) ?? toNumber(field(plan, 'y'))),
  };
}

/** v2: one POST per access point; the AP's MAC, tags and floors hold for all its observations. */
function readV2(o: Json, ap: Pick<Sighting, 'apMac' | 'apTags' | 'floorNames'>): Sighting | undefined {
  const clientMac = toText(field(o, 'clientMac'), 100);
  if (!clientMac) return undefined;
  const location = field(o, 'location');
  return {
    clientMac,
    ...optional('ts', toEpochMs(field(o, 'seenEpoch')) ?? toEpochMs(field(o, 'seenTime'))),
    ...optional('rssi', toRssiDbm(field(o, 'rssi'))),
    ...optional('apMac', ap.apMac),
    apTags: ap.apTags,
    floorIds: [],
    floorNames: ap.floorNames,
    ...optional('x', toNumber(field(location, 'x'))),
    ...optional('y', toNumber(field(location, 'y'))),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * A Meraki POST body (already JSON, secret already checked) → its sightings. Refuses the whole POST only for
 * an unknown major version or radio type, or when `data` is not an object or `observations` not an array;
 * an unreadable observation is counted in `invalid` and the rest go on.
 */
export function readPayload(body: Json, fallback: Source): Payload {
  const version = majorVersion(field(body, 'version'));
  if (!version) return { ok: false, reason: 'version' };
  const source = sourceOf(field(body, 'type'), fallback);
  if (!source) return { ok: false, reason: 'type' };
  const data = field(body, 'data');
  if (!isObject(data)) return { ok: false, reason: 'invalid_shape' };
  const observations = field(data, 'observations') ?? [];
  if (!Array.isArray(observations)) return { ok: false, reason: 'invalid_shape' };
  const ap = version === 2 ? {
    apMac: normalizeMac(toText(field(data, 'apMac')) ?? ''),
    apTags: lower(toTextList(field(data, 'apTags'), TAG_SPLIT)),
    floorNames: lower(toTextList(field(data, 'apFloors'))),
  } : undefined;
  const sightings: Sighting[] = [];
  let invalid = 0;
  for (const o of observations) {
    const s = isObject(o) ? (ap ? readV2(o, ap) : readV3(o)) : undefined;
    if (s) sightings.push(s); else invalid++;
  }
  return { ok: true, version, source, sightings, invalid };
}
