import { describe, expect, it } from 'vitest';
import { isTimeZone, StoreConfig } from './store-config.js';

const base = { storeId: 's-1', name: 'Store', zones: [{ zoneId: 'z-1', name: 'Zone' }], catalog: [{ sku: 'S-1', name: 'Item', category: 'c', price: 1 }] };
const issues = (raw: unknown) => {
  const r = StoreConfig.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
};

describe('StoreConfig', () => {
  it('names every duplicate id with the path of the repeat and of the first one', () => {
    expect(issues({ ...base,
      zones: [{ zoneId: 'z-1', name: 'A' }, { zoneId: 'z-2', name: 'B' }, { zoneId: 'z-1', name: 'C' }],
      screens: [{ screenId: 'scr', zoneId: 'z-1' }, { screenId: 'scr', zoneId: 'z-2' }],
      catalog: [...base.catalog, { sku: 'S-2', name: 'x', category: 'c', price: 1 }, { sku: 'S-1', name: 'y', category: 'c', price: 2 }] })).toEqual([
      { path: ['zones', 2, 'zoneId'], message: 'duplicate zoneId z-1 (first at zones.0)' },
      { path: ['screens', 1, 'screenId'], message: 'duplicate screenId scr (first at screens.0)' },
      { path: ['catalog', 2, 'sku'], message: 'duplicate sku S-1 (first at catalog.0)' },
    ]);
  });

  it('checks a 40k-item catalog in one pass and still finds a duplicate at its end', () => {
    const catalog = Array.from({ length: 40_000 }, (_, i) => ({ sku: `S-${i}`, name: `Item ${i}`, category: 'c', price: 1 }));
    expect(issues({ ...base, catalog })).toEqual([]);
    catalog.push({ sku: 'S-39999', name: 'again', category: 'c', price: 1 });
    expect(issues({ ...base, catalog })).toEqual([{ path: ['catalog', 40_000, 'sku'], message: 'duplicate sku S-39999 (first at catalog.39999)' }]);
  });

  it('refuses a time zone that is not an IANA name, naming the field', () => {
    expect(StoreConfig.parse(base).timezone).toBe('UTC');
    expect(issues({ ...base, timezone: 'Europe/Berlin' })).toEqual([]);
    for (const tz of ['Mars/Olympus_Mons', '+01:00', '', 'Europe/Berlin; x']) {
      expect(issues({ ...base, timezone: tz })).toEqual([{ path: ['timezone'], message: expect.stringContaining('unknown time zone') }]);
    }
  });

  it('isTimeZone', () => {
    expect(['UTC', 'Europe/London', 'America/Port-au-Prince', 'Etc/GMT+5'].every(isTimeZone)).toBe(true);
    expect(['', 'Nowhere/City', '-05:00', '../etc'].some(isTimeZone)).toBe(false);
  });
});
