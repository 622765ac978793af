import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalogCategories, fetchStoreInfo } from './store-info.js';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => { vi.unstubAllGlobals(); });

describe('store info', () => {
  it('maps sku → category from the catalog, skipping malformed entries', () => {
    const m = catalogCategories({ catalog: [{ sku: 'A', category: 'Candles & Lights' }, { sku: 'B' }, null, 7,
      { sku: 'C', category: 'bags', price: 2 }] });
    expect([...m]).toEqual([['A', 'candles & lights'], ['C', 'bags']]);
    expect(catalogCategories({ catalog: 'x' }).size).toBe(0);
    expect(catalogCategories(null).size).toBe(0);
  });

  it('reads name, time zone and categories from the store configuration, with the token', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json({ storeId: 's-1', name: 'Corner', timezone: 'Europe/London',
      zones: [], catalog: [{ sku: 'SKU-1', category: 'coffee', name: 'Beans', price: 8 }] }));
    vi.stubGlobal('fetch', fetch);
    const info = await fetchStoreInfo('s-1', 'tok');
    expect(info).toMatchObject({ storeId: 's-1', name: 'Corner', timezone: 'Europe/London' });
    expect(info!.categories.get('SKU-1')).toBe('coffee');
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/stores/s-1');
    expect(fetch.mock.calls[0]![1]!.headers).toEqual({ authorization: 'Bearer tok' });
  });

  it('falls back to the store list (no categories), then to nothing', async () => {
    vi.stubGlobal('fetch', vi.fn(async (url: string) => (url === '/api/v1/stores'
      ? json([{ storeId: 's-1', name: 'Corner', zones: 1, screens: 2 }]) : json({ error: {} }, 403))));
    const info = await fetchStoreInfo('s-1', 'tok');
    expect(info).toMatchObject({ name: 'Corner' });
    expect(info!.categories.size).toBe(0);
    vi.stubGlobal('fetch', vi.fn(async () => { throw new Error('offline'); }));
    expect(await fetchStoreInfo('s-1', 'tok')).toBeUndefined();
  });
});
