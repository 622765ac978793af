import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Profile } from '../contracts/profile.js';
import { StoreConfig } from '../contracts/store-config.js';
import { DEMO_DATA_END_MS, demoShift, rebaseDemoProfile, rebaseDemoStore } from './rebase.js';

const DAY = 86_400_000;
const lines = readFileSync(new URL('./profiles.ndjson', import.meta.url), 'utf8').trim().split('\n');
const readStore = () => StoreConfig.parse(JSON.parse(readFileSync(new URL('./store.s-001.json', import.meta.url), 'utf8')));
const epoch = (at: number | string | undefined): number => (typeof at === 'number' ? at : Date.parse(at!));

describe('bundled demo data', () => {
  it('is a valid store and valid profiles whose skus are mostly in the catalog', () => {
    const store = readStore();
    expect(store.storeId).toBe('s-001');
    expect(store.currency).toBe('GBP');
    expect(store.locale).toBe('en-GB');
    const skus = new Set(store.catalog.map((c) => c.sku));
    const profiles = lines.map((l) => Profile.parse(JSON.parse(l)));
    expect(profiles.length).toBeGreaterThanOrEqual(300);
    for (const p of profiles) {
      expect(p.lastPurchaseAt).toBeLessThanOrEqual(DEMO_DATA_END_MS);
      for (const s of p.browsedSkus) expect(skus.has(s)).toBe(true);
    }
  });
});

describe('rebaseDemoProfile', () => {
  it('shifts every date so the data ends now, keeping recency', () => {
    const p = Profile.parse(JSON.parse(lines[0]!));
    const now = Date.UTC(2026, 10, 23, 10);
    const q = rebaseDemoProfile(p, now);
    expect(Math.floor((now - q.lastPurchaseAt!) / DAY)).toBe(Math.floor((DEMO_DATA_END_MS - p.lastPurchaseAt!) / DAY));
    expect(q.firstPurchaseAt! - p.firstPurchaseAt!).toBe(now - DEMO_DATA_END_MS);
    expect(q.updatedAt - p.updatedAt).toBe(now - DEMO_DATA_END_MS);
    expect(q.rfm).toEqual(p.rfm);
  });
  it('leaves profiles without dates alone except updatedAt', () => {
    const p = Profile.parse({ customerId: 'c-1', updatedAt: 5 });
    const q = rebaseDemoProfile(p, DEMO_DATA_END_MS + 10);
    expect(q.lastPurchaseAt).toBeUndefined();
    expect(q.updatedAt).toBe(15);
  });
});

describe('the demo catalog', () => {
  const store = readStore();
  it('has an ISO arrival date on every item, none after the data ends', () => {
    for (const c of store.catalog) {
      expect(c.arrivedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(epoch(c.arrivedAt)).toBeLessThanOrEqual(DEMO_DATA_END_MS);
    }
  });
  it('groups variants into families of at least two items', () => {
    const sizes = new Map<string, number>();
    for (const c of store.catalog) if (c.family) sizes.set(c.family, (sizes.get(c.family) ?? 0) + 1);
    expect(sizes.get('Lunch Bag')).toBeGreaterThanOrEqual(5);
    for (const n of sizes.values()) expect(n).toBeGreaterThanOrEqual(2);
    for (const c of store.catalog) if (c.family) expect(c.name.toLowerCase().startsWith(c.family.toLowerCase())).toBe(true);
  });
  it('stages children\'s items', () => {
    const staged = store.catalog.filter((c) => c.lifeStages);
    expect(staged.length).toBeGreaterThanOrEqual(5);
    for (const c of staged) expect(c.name).toMatch(/child|kid|baby/i);
  });
});

describe('rebaseDemoStore', () => {
  const store = readStore();
  const now = Date.UTC(2026, 10, 23, 10);
  const moved = rebaseDemoStore(store, now);

  it('moves every arrival by the shift profiles get, keeping its age', () => {
    const p = rebaseDemoProfile(Profile.parse(JSON.parse(lines[0]!)), now);
    const shift = p.updatedAt - Profile.parse(JSON.parse(lines[0]!)).updatedAt;
    expect(shift).toBe(demoShift(now));
    moved.catalog.forEach((c, i) => {
      expect(typeof c.arrivedAt).toBe('number');
      expect(epoch(c.arrivedAt) - epoch(store.catalog[i]!.arrivedAt)).toBe(shift);
      expect(now - epoch(c.arrivedAt)).toBe(DEMO_DATA_END_MS - epoch(store.catalog[i]!.arrivedAt));
    });
  });
  it('makes the data\'s new lines the last 30 days\' arrivals, and still a valid store', () => {
    const recent = (cfg: typeof store, at: number) => cfg.catalog.filter((c) => at - epoch(c.arrivedAt) <= 30 * DAY && epoch(c.arrivedAt) <= at);
    expect(recent(store, now)).toHaveLength(0);
    expect(recent(moved, now).map((c) => c.sku)).toEqual(recent(store, DEMO_DATA_END_MS).map((c) => c.sku));
    expect(recent(moved, now).length).toBeGreaterThanOrEqual(10);
    expect(StoreConfig.parse(moved).catalog).toHaveLength(store.catalog.length);
  });
  it('changes nothing else and leaves its input alone', () => {
    const before = JSON.stringify(store);
    const q = rebaseDemoStore(store, now);
    expect(JSON.stringify(store)).toBe(before);
    expect({ ...q, catalog: q.catalog.map(({ arrivedAt: _a, ...c }) => c) }).toEqual({ ...store, catalog: store.catalog.map(({ arrivedAt: _a, ...c }) => c) });
  });
  it('reads epoch ms and ISO instants too, leaves items without a date alone, and never moves backwards', () => {
    const cfg = StoreConfig.parse({ storeId: 's-x', name: 'x', zones: [{ zoneId: 'z', name: 'Z' }], catalog: [
      { sku: 'A', name: 'a', category: 'c', price: 1, arrivedAt: DEMO_DATA_END_MS - DAY },
      { sku: 'B', name: 'b', category: 'c', price: 1, arrivedAt: '2011-12-08T12:50:00Z' },
      { sku: 'C', name: 'c', category: 'c', price: 1 },
    ] });
    const q = rebaseDemoStore(cfg, now);
    expect(q.catalog.map((c) => c.arrivedAt)).toEqual([now - DAY, now - DAY, undefined]);
    expect(rebaseDemoStore(cfg, DEMO_DATA_END_MS - 5 * DAY).catalog[0]!.arrivedAt).toBe(DEMO_DATA_END_MS - DAY);
  });
});
