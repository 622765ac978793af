import type { EslEvent, IdentityEvent, InboundEvent, PosEvent, PresenceEvent } from '../contracts/events.js';
import type { StoreConfig, Zone } from '../contracts/store-config.js';
import { basketTotal, pickBasket } from './basket.js';
import { between, chance, hex, intBetween, pick, pickWeighted, type Random } from './random.js';

/** A demo member the simulator may walk through the store (a Profile fits). */
export type SimShopper = { customerId: string; affinities?: Readonly<Record<string, number>> };

/** Real-time pacing of a visit before `speed` divides it (ms). */
export const PACE = {
  dwellMs: [20_000, 90_000], transitMs: [5_000, 15_000], checkoutMs: [10_000, 40_000], leaveMs: [3_000, 10_000],
} as const;

export type PlanOptions = {
  store: StoreConfig;
  /** Members available for this visit (the runner leaves out those already in the store). */
  shoppers: readonly SimShopper[];
  random: Random;
  /** Epoch ms of the first event. */
  start: number;
  /** How much faster than real life the visit runs: dwell 20–90 s becomes 5–22.5 s at 4. */
  speed?: number;
  /** Events are `${idPrefix}-${n}`, n counting from firstId. */
  idPrefix?: string;
  firstId?: number;
  identifiedShare?: number;
  /** Share of identified shoppers who check out (anonymous ones check out half as often). */
  checkoutShare?: number;
  /** Target gap between presence pings while dwelling (scheduled ms). */
  pingEveryMs?: number;
};

/** One shopper's visit: its events in time order and what the runner needs to continue numbering. */
export type VisitPlan = { deviceId: string; customerId?: string; zones: string[]; events: InboundEvent[]; nextId: number; endsAt: number };

type Draft = Omit<PresenceEvent, 'id'> | Omit<EslEvent, 'id'> | Omit<PosEvent, 'id'> | Omit<IdentityEvent, 'id'>;

/** Entrance first (the zone named `z-entrance`, else the first), then 1–4 more, drawn towards the shopper's categories. */
export function pickRoute(random: Random, zones: readonly Zone[], affinities: Readonly<Record<string, number>> = {}): Zone[] {
  const entrance = zones.find((z) => z.zoneId === 'z-entrance') ?? zones[0]!;
  const rest = zones.filter((z) => z !== entrance);
  const route = [entrance];
  const stops = Math.min(rest.length, intBetween(random, 1, 4));
  for (let i = 0; i < stops; i++) {
    const z = pickWeighted(random, rest, (c) => 0.3 + c.categories.reduce((s, cat) => s + (affinities[cat] ?? 0), 0));
    rest.splice(rest.indexOf(z), 1);
    route.push(z);
  }
  return route;
}

/**
 * Plans one visit as canonical events (pure: all chance comes from `random`, all time from `start`):
 * presence pings through 2–5 zones, an identity link for ~70% of shoppers, shelf-label taps, a checkout
 * for ~60% of identified shoppers, and a final presence with `zoneId: null`.
 */
export function planVisit(o: PlanOptions): VisitPlan {
  const { store, random, speed = 4, idPrefix = 'sim', firstId = 1, identifiedShare = 0.7, checkoutShare = 0.6, pingEveryMs = 3_000 } = o;
  const scale = (range: readonly [number, number]): number => Math.round(between(random, range[0], range[1]) / speed);
  const { storeId } = store;
  const deviceId = `d-${hex(random, 16)}`;
  const shopper = o.shoppers.length > 0 && chance(random, identifiedShare) ? pick(random, o.shoppers) : undefined;
  const customerId = shopper?.customerId;
  const method = chance(random, 0.6) ? 'app-login' : 'captive-portal';
  const source = chance(random, 0.6) ? 'wifi' : 'ble';
  const route = pickRoute(random, store.zones, shopper?.affinities);
  const drafts: Draft[] = [];
  let identifiedAt = Infinity;
  const who = (ts: number) => (customerId !== undefined && ts >= identifiedAt ? { customerId } : {});
  const presence = (ts: number, zoneId: string | null): void => {
    // Only the shopper's own app knows who they are; Wi-Fi and BLE sightings are resolved by the engine.
    const viaApp = customerId !== undefined && method === 'app-login' && ts >= identifiedAt && chance(random, 0.3);
    drafts.push({ type: 'presence', ts, storeId, deviceId, zoneId, rssi: intBetween(random, -80, -50),
      source: viaApp ? 'app' : source, ...(viaApp ? who(ts) : {}) });
  };

  let t = o.start;
  route.forEach((zone, zi) => {
    if (zi > 0) t += scale(PACE.transitMs);
    const dwell = scale(PACE.dwellMs);
    const enter = t;
    if (zi === 0 && customerId !== undefined) {
      identifiedAt = enter + Math.round(dwell * between(random, 0.1, 0.4));
      drafts.push({ type: 'identity', ts: identifiedAt, storeId, deviceId, customerId, method });
    }
    const gap = Math.max(1, Math.min(pingEveryMs, Math.floor(dwell / 2)));
    for (let p = enter; p < enter + dwell; p += Math.max(1, Math.round(gap * between(random, 0.75, 1.25)))) presence(p, zone.zoneId);
    const labels = store.labels.filter((l) => l.zoneId === zone.zoneId);
    const taps = labels.length === 0 ? 0 : chance(random, 0.45) ? (chance(random, 0.3) ? 2 : 1) : 0;
    for (let k = 0; k < taps; k++) {
      const ts = enter + Math.round(dwell * between(random, 0.2, 0.9));
      const action = pick(random, ['button', 'nfc', 'pickup'] as const);
      const withDevice = action === 'nfc' || chance(random, 0.5);
      drafts.push({ type: 'esl', ts, storeId, labelId: pick(random, labels).labelId, action, ...who(ts), ...(withDevice ? { deviceId } : {}) });
    }
    t = enter + dwell;
  });

  if (chance(random, customerId !== undefined ? checkoutShare : checkoutShare / 2)) {
    const visited = new Set(route.flatMap((z) => z.categories));
    const lines = pickBasket(random, { catalog: store.catalog, affinities: shopper?.affinities, visitedCategories: visited, member: customerId !== undefined });
    if (lines.length > 0) {
      t += scale(PACE.checkoutMs);
      drafts.push({ type: 'pos', ts: t, storeId, transactionId: `${idPrefix}-T${firstId}`, ...(customerId !== undefined ? { customerId } : {}),
        currency: store.currency, total: basketTotal(lines), lines });
    }
  }
  t += scale(PACE.leaveMs);
  presence(t, null);

  drafts.sort((a, b) => a.ts - b.ts);
  const events = drafts.map((d, i) => ({ ...d, id: `${idPrefix}-${firstId + i}` }) as InboundEvent);
  return { deviceId, ...(customerId !== undefined ? { customerId } : {}), zones: route.map((z) => z.zoneId), events, nextId: firstId + events.length, endsAt: t };
}
