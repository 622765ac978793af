import type { Profile } from '../contracts/profile.js';
import type { CatalogItem, StoreConfig } from '../contracts/store-config.js';

/**
 * The instant the demo profiles were computed at: the last invoice of UCI Online Retail
 * (2011-12-09 12:50, UK time read as UTC). scripts/build-demo-store.ts measures recency from here.
 */
export const DEMO_DATA_END_MS = Date.UTC(2011, 11, 9, 12, 50);

/** How far the demo's dates move so the data's last day is `now` (never backwards). Profiles and store share it. */
export const demoShift = (now: number, dataEnd = DEMO_DATA_END_MS): number => Math.max(0, now - dataEnd);

/**
 * Moves a demo profile's dates forward so the data's last day is `now`: recency, lifecycle and RFM stay as
 * built instead of every shopper ageing fourteen years into "churned". Only the demo loader should call this.
 */
export function rebaseDemoProfile(p: Profile, now: number, dataEnd = DEMO_DATA_END_MS): Profile {
  const shift = demoShift(now, dataEnd);
  const move = (t: number | undefined): number | undefined => (t === undefined ? undefined : t + shift);
  const lastPurchaseAt = move(p.lastPurchaseAt);
  const firstPurchaseAt = move(p.firstPurchaseAt);
  return {
    ...p,
    ...(lastPurchaseAt !== undefined ? { lastPurchaseAt } : {}),
    ...(firstPurchaseAt !== undefined ? { firstPurchaseAt } : {}),
    updatedAt: p.updatedAt + shift,
  };
}

/** An item's arrival moved by `shift`, as epoch ms (an ISO date reads as its UTC midnight, as the engine reads it). */
function moveArrival(item: CatalogItem, shift: number): CatalogItem {
  if (item.arrivedAt === undefined) return item;
  const at = typeof item.arrivedAt === 'number' ? item.arrivedAt : Date.parse(item.arrivedAt);
  return Number.isFinite(at) ? { ...item, arrivedAt: at + shift } : item;
}

/**
 * Moves the demo store's catalog `arrivedAt` dates forward by the same shift profiles get
 * ({@link rebaseDemoProfile}), so an item first sold in the data's last month arrived in the last month now
 * (`newArrivals`). Pure: returns a new config, the input is not changed. Only for the bundled demo store.
 */
export function rebaseDemoStore(config: StoreConfig, now: number, dataEnd = DEMO_DATA_END_MS): StoreConfig {
  const shift = demoShift(now, dataEnd);
  return { ...config, catalog: config.catalog.map((item) => moveArrival(item, shift)) };
}
