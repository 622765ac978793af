import { randomBytes } from 'node:crypto';
import { StoreConfig } from '#contracts';
import { testStore, testTokens } from '../../helpers/fixtures.js';

/** Ids for one test: its store, its Redis prefix (≤ 32 chars, the engine's limit), its client ids. */
export function faultIds(tag: string) {
  const hex = randomBytes(4).toString('hex');
  return { hex, storeId: `sf-${tag}-${hex}`, prefix: `fault-${hex}:`, client: (role: string) => `fault-${tag}-${role}-${hex}` };
}

/** SKUs of the test store's candles and bags categories (never bought in these tests). */
export const BROWSE_SKUS = [...Array.from({ length: 8 }, (_, i) => `SKU-1${i}`), ...Array.from({ length: 8 }, (_, i) => `SKU-3${i}`)];

/**
 * The shared test store plus 20 shelf labels `L-x-N` on candles and bags SKUs in z-candles.
 * `thumbnailBytes` gives every product an inline (data: URI) image of about that size, for heavy frames.
 */
export function faultStore(storeId: string, o: { thumbnailBytes?: number } = {}): StoreConfig {
  const base = testStore(storeId);
  const extra = Array.from({ length: 20 }, (_, n) => ({ labelId: `L-x-${n}`, sku: BROWSE_SKUS[n % BROWSE_SKUS.length]!, zoneId: 'z-candles' }));
  const catalog = o.thumbnailBytes
    ? base.catalog.map((c) => ({ ...c, image: `data:image/png;base64,${randomBytes(Math.ceil((o.thumbnailBytes! * 3) / 4)).toString('base64')}` }))
    : base.catalog;
  return StoreConfig.parse({ ...base, catalog, labels: [...base.labels, ...extra] });
}

export const faultTokens = testTokens;
export const screenToken = (storeId: string, screenId: string) => `tok-screen-${screenId}-${storeId}`;
