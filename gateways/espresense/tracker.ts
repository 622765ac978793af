import type { Clock } from '../../engine/platform/clock.js';

/** The tracker's settings (docs/gateways/espresense.md §Choosing a zone). */
export type TrackerOptions = {
  clock: Clock;
  /** Room (node) → zone; readings from other rooms are not used. */
  rooms: Record<string, string>;
  awayAfterMs: number; staleMs: number; smoothing: number; switchMargin: number; dwellMs: number; maxDistance: number;
  /** 0: a present device's zone is published only when it changes. */
  refreshMs: number;
};

/** One device report from one node. `deviceId` is already the pseudonym. */
export type Reading = { deviceId: string; customerId?: string; room: string; distance: number; rssi?: number };

/** What the gateway should publish. */
export type Decision =
  | { kind: 'presence'; deviceId: string; zoneId: string | null; rssi?: number; ts: number }
  | { kind: 'identity'; deviceId: string; customerId: string; ts: number };

/** What a reading did besides its decisions: used, or ignored and why. */
export type ReadingUse = 'used' | 'unmapped_room' | 'too_far' | 'over_capacity';

/** Decisions to publish, and when the tracker next wants `tick()` (undefined: nothing pending). */
export type Step = { decisions: Decision[]; wakeAt?: number };

type NodeReading = { distance: number; rssi?: number; at: number };
type Device = {
  nodes: Map<string, NodeReading>;
  zoneId: string;
  heardAt: number;
  publishedAt: number;
  candidate?: { zoneId: string; since: number };
};

/** Devices tracked at once, at most: far beyond any store, a bound against a flood of made-up ids. */
export const MAX_DEVICES = 20_000;

const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/**
 * ESPresense readings → zone decisions, as a pure state machine with an injected clock (docs/gateways/espresense.md
 * §Choosing a zone). Per (device, node) an exponential moving average of the distance; the nearest zone among
 * fresh readings of nodes that are not offline wins, but only if nearer than the current zone by `switchMargin`
 * and for `dwellMs` without interruption, so a shopper between two nodes does not flap. A device's first
 * reading places it at once (with its `identity` first, for a configured member: once per visit); silence for
 * `awayAfterMs` ends the visit (zone null).
 */
export function createTracker(o: TrackerOptions) {
  const devices = new Map<string, Device>();
  // A Map, not the object: a node called `constructor` must not find an inherited property.
  const rooms = new Map(Object.entries(o.rooms));
  /** Listed rooms only: the set cannot grow with made-up room names. */
  const offline = new Set<string>();

  /** Nearest fresh distance (and its RSSI) per zone. */
  function zoneDistances(d: Device, now: number): Map<string, NodeReading> {
    const zones = new Map<string, NodeReading>();
    for (const [room, r] of d.nodes) {
      if (now - r.at > o.staleMs || offline.has(room)) continue;
      const zoneId = rooms.get(room)!;
      const best = zones.get(zoneId);
      if (!best || r.distance < best.distance) zones.set(zoneId, r);
    }
    return zones;
  }

  function presence(d: Device, deviceId: string, rssi: number | undefined, now: number): Decision {
    d.publishedAt = now;
    return { kind: 'presence', deviceId, zoneId: d.zoneId, ...(rssi !== undefined ? { rssi } : {}), ts: now };
  }

  /** Re-decides one device's zone: margin and dwell (the debounce). */
  function evaluate(deviceId: string, d: Device, now: number): Decision | undefined {
    const zones = zoneDistances(d, now);
    let best: [string, NodeReading] | undefined;
    for (const entry of zones) if (!best || entry[1].distance < best[1].distance) best = entry;
    if (!best || best[0] === d.zoneId) { d.candidate = undefined; return undefined; }
    const current = zones.get(d.zoneId)?.distance ?? Infinity;
    if (best[1].distance + o.switchMargin > current) { d.candidate = undefined; return undefined; }
    if (d.candidate?.zoneId !== best[0]) d.candidate = { zoneId: best[0], since: now };
    if (now - d.candidate.since < o.dwellMs) return undefined;
    d.zoneId = best[0];
    d.candidate = undefined;
    return presence(d, deviceId, best[1].rssi, now);
  }

  function deadline(d: Device): number | undefined {
    let at: number | undefined = d.heardAt + o.awayAfterMs;
    if (d.candidate) at = minOf(at, d.candidate.since + o.dwellMs);
    if (o.refreshMs > 0 && d.heardAt > d.publishedAt) at = minOf(at, d.publishedAt + o.refreshMs);
    return at;
  }

  function nextWake(): number | undefined {
    let at: number | undefined;
    for (const d of devices.values()) at = minOf(at, deadline(d));
    return at;
  }

  return {
    /** One device report. Readings from unmapped rooms, or farther than maxDistance, are not used. */
    reading(r: Reading): Step & { use: ReadingUse } {
      const zoneId = rooms.get(r.room);
      if (zoneId === undefined) return { decisions: [], use: 'unmapped_room' };
      const now = o.clock.now();
      offline.delete(r.room); // a node heard from is up, whatever order its status arrives in
      const d = devices.get(r.deviceId);
      if (r.distance > o.maxDistance) {
        // The node no longer vouches for the device: its older, nearer reading must not keep it there.
        if (!d?.nodes.delete(r.room)) return { decisions: [], use: 'too_far' };
        const moved = evaluate(r.deviceId, d, now);
        return { decisions: moved ? [moved] : [], wakeAt: deadline(d), use: 'too_far' };
      }
      const reading = { distance: r.distance, at: now, ...(r.rssi !== undefined ? { rssi: r.rssi } : {}) };
      if (!d) {
        if (devices.size >= MAX_DEVICES) return { decisions: [], use: 'over_capacity' };
        const fresh: Device = { nodes: new Map([[r.room, reading]]), zoneId, heardAt: now, publishedAt: now };
        devices.set(r.deviceId, fresh);
        const decisions: Decision[] = [];
        if (r.customerId) decisions.push({ kind: 'identity', deviceId: r.deviceId, customerId: r.customerId, ts: now });
        decisions.push(presence(fresh, r.deviceId, r.rssi, now));
        return { decisions, wakeAt: deadline(fresh), use: 'used' };
      }
      const prev = d.nodes.get(r.room);
      if (prev && now - prev.at <= o.staleMs) reading.distance = o.smoothing * r.distance + (1 - o.smoothing) * prev.distance;
      d.nodes.set(r.room, reading);
      d.heardAt = now;
      const moved = evaluate(r.deviceId, d, now);
      return { decisions: moved ? [moved] : [], wakeAt: deadline(d), use: 'used' };
    },

    /** A node's availability (its LWT): offline drops what it reported; devices only it saw leave after awayAfterMs. */
    status(room: string, online: boolean): Step {
      if (!rooms.has(room)) return { decisions: [] };
      if (online) { offline.delete(room); return { decisions: [], wakeAt: nextWake() }; }
      offline.add(room);
      const now = o.clock.now();
      const decisions: Decision[] = [];
      for (const [deviceId, d] of devices) {
        if (!d.nodes.delete(room)) continue;
        const moved = evaluate(deviceId, d, now);
        if (moved) decisions.push(moved);
      }
      return { decisions, wakeAt: nextWake() };
    },

    /** Timers: visits that ended, dwell that completed, zones due for a refresh. */
    tick(): Step {
      const now = o.clock.now();
      const decisions: Decision[] = [];
      for (const [deviceId, d] of devices) {
        if (now - d.heardAt >= o.awayAfterMs) {
          devices.delete(deviceId);
          decisions.push({ kind: 'presence', deviceId, zoneId: null, ts: now });
          continue;
        }
        for (const [room, r] of d.nodes) if (now - r.at > o.staleMs) d.nodes.delete(room);
        const moved = evaluate(deviceId, d, now);
        if (moved) { decisions.push(moved); continue; }
        if (o.refreshMs > 0 && d.heardAt > d.publishedAt && now - d.publishedAt >= o.refreshMs) {
          decisions.push(presence(d, deviceId, zoneDistances(d, now).get(d.zoneId)?.rssi, now));
        }
      }
      return { decisions, wakeAt: nextWake() };
    },

    /** Devices present now (counts for health; never their ids). */
    size: () => devices.size,
    /** Nodes currently known to be offline. */
    offlineNodes: () => offline.size,
  };
}
export type Tracker = ReturnType<typeof createTracker>;
