import type { PresenceEvent, Visit } from '#contracts';

/** What a change did to zone occupancy: the decisions pipeline re-decides the screens of these zones. */
export type Transition = { left?: string; entered?: string; exited?: boolean };
export type VisitStep = { visit: Visit | undefined; transition: Transition };

/**
 * The visit state machine: enter on the first zone, move between zones, exit on `zoneId: null`.
 * Events older than the newest applied one are ignored for movement (MQTT may reorder across reconnects).
 * `now` is engine time: dwell and silence are measured on one clock, whatever the gateways' clocks say.
 */
export function applyPresence(v: Visit | undefined, ev: PresenceEvent, now: number): VisitStep {
  if (!v) {
    if (ev.zoneId === null) return { visit: undefined, transition: {} };
    return {
      visit: { storeId: ev.storeId, deviceId: ev.deviceId, customerId: ev.customerId, enteredAt: now, lastSeenAt: now,
        lastEventTs: ev.ts, zoneId: ev.zoneId, zoneEnteredAt: now, dwellMs: {}, zonesVisited: [ev.zoneId], eslSkus: [], eslCount: 0,
        ...(ev.rssi !== undefined ? { rssi: ev.rssi } : {}) },
      transition: { entered: ev.zoneId },
    };
  }
  const customerId = ev.customerId ?? v.customerId;
  const rssi = ev.rssi ?? v.rssi;
  if (ev.ts < v.lastEventTs) return { visit: { ...v, lastSeenAt: now, customerId }, transition: {} };
  if (ev.zoneId === null) return { visit: undefined, transition: { left: v.zoneId, exited: true } };
  if (ev.zoneId === v.zoneId) {
    const identified = customerId !== v.customerId;
    return { visit: { ...v, lastSeenAt: now, lastEventTs: ev.ts, customerId, ...(rssi !== undefined ? { rssi } : {}) },
      // A shopper identified in place changes what the zone's screens should show.
      transition: identified ? { entered: v.zoneId } : {} };
  }
  return {
    visit: { ...v, customerId, ...(rssi !== undefined ? { rssi } : {}), lastSeenAt: now, lastEventTs: ev.ts, zoneId: ev.zoneId, zoneEnteredAt: now,
      dwellMs: closeDwell(v, now), zonesVisited: v.zonesVisited.includes(ev.zoneId) ? v.zonesVisited : [...v.zonesVisited, ev.zoneId] },
    transition: { left: v.zoneId, entered: ev.zoneId },
  };
}

/** A shelf-label interaction during the visit. */
export function applyEslTap(v: Visit, sku: string, now: number): Visit {
  return { ...v, lastSeenAt: now, eslSkus: [sku, ...v.eslSkus.filter((s) => s !== sku)].slice(0, 20), eslCount: v.eslCount + 1 };
}

/** Links the visit to a member once the device is identified. */
export function identify(v: Visit, customerId: string): Visit {
  return v.customerId === customerId ? v : { ...v, customerId };
}

/** True when the device has been silent longer than the configured window: the visit ends. */
export const isExpired = (v: Visit, now: number, silenceMs: number): boolean => now - v.lastSeenAt > silenceMs;

/** Dwell in the current zone so far. */
export const currentDwell = (v: Visit, now: number): number => (v.dwellMs[v.zoneId] ?? 0) + Math.max(0, now - v.zoneEnteredAt);

function closeDwell(v: Visit, now: number): Record<string, number> {
  return { ...v.dwellMs, [v.zoneId]: (v.dwellMs[v.zoneId] ?? 0) + Math.max(0, now - v.zoneEnteredAt) };
}
