import type { CatalogItem, Screen, ShelfLabel, Zone } from '../../engine/contracts/store-config.js';

/** A zone of the demo floor plan and its screens (the first screen's template and slots, then the rest). */
export type ZonePlan = Zone & { screens: readonly Pick<Screen, 'slots' | 'template'>[] };

/** The demo floor plan: every category of models/data/categories.ts lives in exactly one zone. */
export const DEMO_ZONES: readonly ZonePlan[] = [
  { zoneId: 'z-entrance', name: 'Entrance — Seasonal & Offers', categories: ['christmas', 'easter'],
    screens: [{ slots: 4, template: 'hero' }, { slots: 6, template: 'grid' }] },
  { zoneId: 'z-kitchen', name: 'Kitchen & Dining', categories: ['kitchen & dining'],
    screens: [{ slots: 6, template: 'grid' }, { slots: 4, template: 'grid' }] },
  { zoneId: 'z-home', name: 'Home, Candles & Lights',
    categories: ['candles & lights', 'home decor', 'clocks & frames', 'signs & plaques', 'textiles', 'other'],
    screens: [{ slots: 6, template: 'grid' }] },
  { zoneId: 'z-bags', name: 'Bags & Accessories', categories: ['bags', 'jewellery & accessories', 'bathroom'],
    screens: [{ slots: 4, template: 'grid' }] },
  { zoneId: 'z-kids', name: 'Toys, Party & Stationery', categories: ['toys & games', 'party', 'stationery'],
    screens: [{ slots: 5, template: 'grid' }] },
  { zoneId: 'z-garden', name: 'Garden & Storage', categories: ['garden', 'storage'],
    screens: [{ slots: 4, template: 'grid' }] },
];

export type Layout = { zones: Zone[]; screens: Screen[]; labels: ShelfLabel[] };

/** `L-000001` style label ids. */
export const labelId = (n: number): string => `L-${String(n).padStart(6, '0')}`;

/**
 * Zones, screens (`scr-<zone>-<n>`) and shelf labels for the best sellers of each zone. The entrance gets
 * its seasonal best sellers and the store's promotions; a product has at most one label.
 */
export function buildLayout(catalog: readonly CatalogItem[], plan: readonly ZonePlan[] = DEMO_ZONES, labelsPerZone = 8): Layout {
  const zones: Zone[] = plan.map(({ zoneId, name, categories }) => ({ zoneId, name, categories: [...categories] }));
  const screens: Screen[] = plan.flatMap((z) => z.screens.map((s, i) => ({
    screenId: `scr-${z.zoneId.replace(/^z-/, '')}-${i + 1}`, zoneId: z.zoneId, slots: s.slots, ...(s.template ? { template: s.template } : {}),
  })));
  const labelled = new Set<string>();
  const labels: ShelfLabel[] = [];
  const inStock = catalog.filter((c) => c.inStock);
  plan.forEach((z, zi) => {
    const cats = new Set(z.categories);
    const own = inStock.filter((c) => cats.has(c.category));
    // The entrance end-caps alternate its seasonal best sellers with the store's promotions.
    const mine = zi === 0 ? interleave(own, inStock.filter((c) => c.promo === true && !cats.has(c.category))) : own;
    for (const item of mine) {
      if (labels.filter((l) => l.zoneId === z.zoneId).length >= labelsPerZone) break;
      if (labelled.has(item.sku)) continue;
      labelled.add(item.sku);
      labels.push({ labelId: labelId(labels.length + 1), sku: item.sku, zoneId: z.zoneId });
    }
  });
  return { zones, screens, labels };
}

function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/** The zone that holds a category (the entrance's seasonal ones included); undefined if none does. */
export function zoneOfCategory(zones: readonly Zone[], category: string): string | undefined {
  return zones.find((z) => z.categories.includes(category))?.zoneId;
}
