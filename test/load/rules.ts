import type { RuleInput, StoreConfig } from '#contracts';

/**
 * `n` active rules for the bench store, a realistic mix of what merchandisers write: place rules
 * (boosts with opening hours, exclusions by zone) and shopper rules (tiers and interests, and every
 * trigger) with caps. All enabled, all aimed at the store, so every decision matches every one of them.
 */
export function benchRules(store: StoreConfig, n: number): RuleInput[] {
  const cats = [...new Set(store.catalog.map((c) => c.category))];
  const skus = store.catalog.filter((c) => c.inStock).map((c) => c.sku);
  const zone = (i: number) => store.zones[i % store.zones.length]!.zoneId;
  const cat = (i: number) => cats[i % cats.length]!;
  const sku = (i: number) => skus[(i * 7) % skus.length]!;
  const target = { stores: [store.storeId] };
  const kinds: ((i: number) => Omit<RuleInput, 'name'>)[] = [
    (i) => ({ target: { ...target, zones: [zone(i)], hours: { from: '06:00', to: '23:00' } }, actions: { boost: [{ categories: [cat(i)], factor: 1.5 }] } }),
    (i) => ({ target: { ...target, zones: [zone(i + 3)] }, actions: { exclude: { categories: [cat(i + 1)] } } }),
    (i) => ({ target: { ...target, tiers: ['gold', 'platinum'], affinities: { [cat(i)]: 0.2 } }, actions: { pin: [sku(i), sku(i + 1)] },
      caps: { perShopperPerVisit: 3 } }),
    (i) => ({ target, trigger: { type: 'dwell', seconds: 10 }, actions: { pin: [sku(i + 2)], headline: 'Take a closer look' }, caps: { perShopperPerVisit: 1 } }),
    (i) => ({ target, trigger: { type: 'birthday', withinDays: 7 }, actions: { boost: [{ categories: [cat(i + 2)], factor: 2 }] }, caps: { perShopperPerDay: 2 } }),
    (i) => ({ target, trigger: { type: 'winback' }, actions: { pin: [sku(i + 3)] }, caps: { perShopperPerDay: 1, perScreenPerHour: 100 } }),
    (i) => ({ target, trigger: { type: 'eslTap', categories: [cat(i)] }, actions: { boost: [{ categories: [cat(i + 4)], factor: 3 }] } }),
    (i) => ({ target, trigger: { type: 'newArrivals', days: 30 }, actions: { triggered: 2 } }),
  ];
  return Array.from({ length: n }, (_, i) => ({ ruleId: `r-bench-${i}`, name: `bench rule ${i}`, priority: (i * 37) % 1000, ...kinds[i % kinds.length]!(i) }));
}
