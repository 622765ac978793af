import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Profile } from '../contracts/profile.js';
import { StoreConfig } from '../contracts/store-config.js';
import { DEMO_DATA_END_MS, rebaseDemoProfile } from './rebase.js';

const DAY = 86_400_000;
const lines = readFileSync(new URL('./profiles.ndjson', import.meta.url), 'utf8').trim().split('\n');

describe('bundled demo data', () => {
  it('is a valid store and valid profiles whose skus are mostly in the catalog', () => {
    const store = StoreConfig.parse(JSON.parse(readFileSync(new URL('./store.s-001.json', import.meta.url), 'utf8')));
    expect(store.storeId).toBe('s-001');
    expect(store.currency).toBe('GBP');
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
