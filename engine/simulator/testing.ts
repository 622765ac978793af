import { StoreConfig } from '../contracts/store-config.js';

/** A small valid store for simulator tests: an entrance and three departments with labels and a catalog. */
export function testStore(): StoreConfig {
  const zones = [
    { zoneId: 'z-entrance', name: 'Entrance', categories: ['christmas'] },
    { zoneId: 'z-kitchen', name: 'Kitchen', categories: ['kitchen & dining'] },
    { zoneId: 'z-bags', name: 'Bags', categories: ['bags'] },
    { zoneId: 'z-garden', name: 'Garden', categories: ['garden'] },
  ];
  const catalog = zones.flatMap((z, zi) => Array.from({ length: 6 }, (_, i) => ({
    sku: `SKU-${zi}${i}`, name: `${z.name} item ${i}`, category: z.categories[0]!, brand: '', price: 1.5 + i,
    ...(i % 2 === 0 ? { memberPrice: 1.25 + i } : {}), inStock: i !== 5,
  })));
  return StoreConfig.parse({
    storeId: 's-001', name: 'Test', currency: 'GBP', timezone: 'Europe/London', zones,
    screens: zones.map((z) => ({ screenId: `scr-${z.zoneId}`, zoneId: z.zoneId, slots: 4 })),
    labels: zones.map((z, zi) => ({ labelId: `L-00000${zi + 1}`, sku: `SKU-${zi}0`, zoneId: z.zoneId })),
    catalog,
  });
}
