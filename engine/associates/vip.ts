import type { AssociatesConfig, Profile } from '#contracts';

/**
 * Is this member a VIP for the store (docs/associates.md)? The profile's own `vip` flag, a tier the store
 * lists, or a lifetime spend (RFM monetary) at or above the store's threshold.
 */
export function isVip(p: Profile, cfg: AssociatesConfig): boolean {
  if (p.vip) return true;
  if (cfg.vipTiers.includes(p.tier)) return true;
  return cfg.vipMinSpend !== undefined && (p.rfm?.monetary ?? 0) >= cfg.vipMinSpend;
}

/** May associates hear about this member at all: a VIP who consented to associate alerts. */
export const alertable = (p: Profile | undefined, cfg: AssociatesConfig): p is Profile =>
  !!p && p.consent.associateAlerts === true && isVip(p, cfg);
