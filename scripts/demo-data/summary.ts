import type { Profile } from '../../engine/contracts/profile.js';
import type { StoreConfig } from '../../engine/contracts/store-config.js';
import { consentKey } from './persona.js';

const countBy = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
};

const DAY_MS = 86_400_000;
const epoch = (at: number | string): number => (typeof at === 'number' ? at : Date.parse(at));

/** Counts of the built demo data, printed by the builder and quoted in docs; `asOf` is the data's last instant. */
export function summarize(store: StoreConfig, profiles: readonly Profile[], asOf: number) {
  const families = countBy(store.catalog.filter((c) => c.family), (c) => c.family!);
  return {
    locale: store.locale,
    catalog: store.catalog.length,
    inStock: store.catalog.filter((c) => c.inStock).length,
    promos: store.catalog.filter((c) => c.promo).length,
    memberPrices: store.catalog.filter((c) => c.memberPrice !== undefined).length,
    categories: countBy(store.catalog, (c) => c.category),
    families: Object.keys(families).length,
    inFamilies: Object.values(families).reduce((a, b) => a + b, 0),
    /** Items whose arrivedAt is within 30 days of the data's end (so of now, once rebased), and within 90. */
    arrived30d: store.catalog.filter((c) => c.arrivedAt !== undefined && asOf - epoch(c.arrivedAt) <= 30 * DAY_MS).length,
    arrived90d: store.catalog.filter((c) => c.arrivedAt !== undefined && asOf - epoch(c.arrivedAt) <= 90 * DAY_MS).length,
    lifeStages: countBy(store.catalog.flatMap((c) => c.lifeStages ?? []), (s) => s),
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
