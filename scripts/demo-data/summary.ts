import type { Profile } from '../../engine/contracts/profile.js';
import type { StoreConfig } from '../../engine/contracts/store-config.js';
import { consentKey } from './persona.js';

const countBy = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
};

/** Counts of the built demo data, printed by the builder and quoted in docs. */
export function summarize(store: StoreConfig, profiles: readonly Profile[]) {
  return {
    catalog: store.catalog.length,
    inStock: store.catalog.filter((c) => c.inStock).length,
    promos: store.catalog.filter((c) => c.promo).length,
    memberPrices: store.catalog.filter((c) => c.memberPrice !== undefined).length,
    categories: countBy(store.catalog, (c) => c.category),
    zones: store.zones.length,
    screens: store.screens.length,
    labels: store.labels.length,
    profiles: profiles.length,
    tiers: countBy(profiles, (p) => p.tier),
    lifecycle: countBy(profiles, (p) => p.lifecycle),
    consent: countBy(profiles, (p) => consentKey(p.consent)),
    vipWithAlerts: profiles.filter((p) => (p.vip || p.tier === 'platinum') && p.consent.associateAlerts).length,
    birthdays: profiles.filter((p) => p.birthday).length,
    tagged: profiles.filter((p) => p.tags.length > 0).length,
  };
}
