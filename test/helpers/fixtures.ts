import { randomBytes } from 'node:crypto';
import { Profile, StoreConfig, type TokenEntry } from '#contracts';

/** A unique id per test, so topics and keys never collide with other tests or a running engine. */
export const uniqueId = (p: string) => `${p}-${randomBytes(4).toString('hex')}`;

/** A small store: three zones with a screen each, a few labels, a catalog over four categories. */
export function testStore(storeId: string): StoreConfig {
  const cats = ['kitchen', 'candles', 'garden', 'bags'];
  const catalog = cats.flatMap((c, ci) => Array.from({ length: 8 }, (_, i) => ({
    sku: `SKU-${ci}${i}`, name: `${c} item ${i}`, category: c, brand: '', price: 2 + i, inStock: i !== 7,
    ...(i === 1 ? { memberPrice: 1.5 + i } : {}), ...(i === 2 ? { promo: true } : {}) })));
  return StoreConfig.parse({
    storeId, name: `Test store ${storeId}`, currency: 'GBP', timezone: 'Europe/London', locale: 'en-GB',
    // Short turns, so tests see shoppers take turns within a few seconds.
    turns: { turnMs: 2000 },
    zones: [
      { zoneId: 'z-entrance', name: 'Entrance', categories: ['kitchen', 'garden'] },
      { zoneId: 'z-kitchen', name: 'Kitchen', categories: ['kitchen'] },
      { zoneId: 'z-candles', name: 'Candles', categories: ['candles'] },
    ],
    screens: [
      { screenId: 'scr-entrance-1', zoneId: 'z-entrance', slots: 4, template: 'hero' },
      { screenId: 'scr-kitchen-1', zoneId: 'z-kitchen', slots: 4 },
      { screenId: 'scr-candles-1', zoneId: 'z-candles', slots: 4 },
    ],
    labels: [{ labelId: 'L-1', sku: 'SKU-14', zoneId: 'z-candles' }, { labelId: 'L-2', sku: 'SKU-03', zoneId: 'z-kitchen' }],
    catalog,
  });
}

const consent = (personalization: boolean, displayName: boolean) => ({ personalization, displayName, associateAlerts: personalization });

/** Mia loves candles and consents to everything; Noah consents to nothing; Ava is personalized but nameless. */
export const testProfiles = (): Profile[] => [
  Profile.parse({ customerId: 'c-mia', displayName: 'Mia', tier: 'gold', points: 4200, lifecycle: 'active',
    affinities: { candles: 0.95, kitchen: 0.2 }, recentSkus: ['SKU-14', 'SKU-15'], skuCounts: { 'SKU-14': 4 },
    consent: consent(true, true), updatedAt: 1 }),
  Profile.parse({ customerId: 'c-noah', displayName: 'Noah', tier: 'silver', lifecycle: 'active',
    affinities: { candles: 0.9 }, recentSkus: ['SKU-16'], consent: consent(false, false), updatedAt: 1 }),
  Profile.parse({ customerId: 'c-ava', displayName: 'Ava', tier: 'member', lifecycle: 'active',
    affinities: { garden: 0.9 }, recentSkus: ['SKU-25'], consent: consent(true, false), updatedAt: 1 }),
];

export function testTokens(storeId: string): TokenEntry[] {
  return [
    ...['scr-entrance-1', 'scr-kitchen-1', 'scr-candles-1'].map((s) => ({ token: `tok-screen-${s}-${storeId}`, role: 'screen' as const, storeId, subject: s })),
    { token: `tok-assoc-${storeId}-xx`, role: 'associate', storeId, subject: 'assoc-1' },
    { token: `tok-assoc2-${storeId}-x`, role: 'associate', storeId, subject: 'assoc-2' },
    { token: `tok-gateway-${storeId}-x`, role: 'label-gateway', storeId, subject: 'gw-1' },
    { token: `tok-console-${storeId}-x`, role: 'console', storeId },
    { token: `tok-merch-${storeId}-xxx`, role: 'merchandiser', storeId },
  ];
}
