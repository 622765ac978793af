import type { Profile } from '../contracts/profile.js';

/**
 * The instant the demo profiles were computed at: the last invoice of UCI Online Retail
 * (2011-12-09 12:50, UK time read as UTC). scripts/build-demo-store.ts measures recency from here.
 */
export const DEMO_DATA_END_MS = Date.UTC(2011, 11, 9, 12, 50);

/**
 * Moves a demo profile's dates forward so the data's last day is `now`: recency, lifecycle and RFM stay as
 * built instead of every shopper ageing fourteen years into "churned". Only the demo loader should call this.
 */
export function rebaseDemoProfile(p: Profile, now: number, dataEnd = DEMO_DATA_END_MS): Profile {
  const shift = Math.max(0, now - dataEnd);
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
