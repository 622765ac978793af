import { describe, expect, it } from 'vitest';
import { Profile } from '../../engine/contracts/profile.js';
import type { CatalogItem } from '../../engine/contracts/store-config.js';
import { seededRandom } from '../../engine/simulator/random.js';
import type { CustomerHistory } from './history.js';
import { buildProfile, selectCustomers, type ProfileContext } from './profiles.js';
import { DAY_MS, scoreRfm } from './rfm.js';

const asOf = Date.UTC(2011, 11, 9, 12);
const catalog: CatalogItem[] = Array.from({ length: 60 }, (_, i) => ({
  sku: `SKU-${i}`, name: `Item ${i}`, category: i % 2 ? 'bags' : 'kitchen & dining', brand: '', price: 2, inStock: i !== 3,
}));

function history(id: string, invoices: number, monetary: number, lastDaysAgo: number, skus = 70): CustomerHistory {
  const items = new Map(Array.from({ length: skus }, (_, i) => [`SKU-${i}`, { invoices: 1 + (i % 5), lastAt: asOf - (lastDaysAgo + i) * DAY_MS }] as const));
  return {
    customerId: id, invoices, monetary, firstPurchaseAt: asOf - 300 * DAY_MS, lastPurchaseAt: asOf - lastDaysAgo * DAY_MS,
    spendByCategory: { bags: monetary * 0.7, 'kitchen & dining': monetary * 0.3 }, items,
  };
}

const all = [history('1', 12, 5000, 2), history('2', 1, 40, 10, 4), history('3', 4, 300, 120), history('4', 2, 90, 200, 3)];
const ctx: ProfileContext = {
  asOf, catalog, thresholds: { silver: 100, gold: 1000, platinum: 4000 },
  score: scoreRfm(all.map((h) => ({ recencyDays: Math.round((asOf - h.lastPurchaseAt) / DAY_MS), frequency: h.invoices, monetary: h.monetary }))),
};
const consent = { personalization: true, displayName: true, associateAlerts: true };

describe('buildProfile', () => {
  const p = Profile.parse(buildProfile(all[0]!, consent, ctx, seededRandom(1)));
  it('fills RFM, tier, points, lifecycle and VIP from the history', () => {
    expect(p.customerId).toBe('c-1');
    expect(p.rfm).toMatchObject({ recencyDays: 2, frequency: 12, monetary: 5000 });
    expect(p.tier).toBe('platinum');
    expect(p.vip).toBe(true);
    expect(p.points).toBe(5000);
    expect(p.lifecycle).toBe('active');
    expect(p.updatedAt).toBe(p.lastPurchaseAt);
  });
  it('orders recent items newest first and bounds the lists', () => {
    expect(p.recentSkus[0]).toBe('SKU-0');
    expect(p.recentSkus.length).toBeLessThanOrEqual(50);
    expect(Object.keys(p.skuCounts ?? {})).toHaveLength(50);
    expect(p.affinities).toEqual({ bags: 0.85, 'kitchen & dining': 0.36 });
  });
  it('keeps older non-catalog items out of recentSkus', () => {
    const extra = history('9', 5, 500, 1, 0);
    extra.items.set('SKU-NOT-IN-CATALOG', { invoices: 1, lastAt: asOf - 400 * DAY_MS });
    for (let i = 0; i < 12; i++) extra.items.set(`SKU-${i}`, { invoices: 1, lastAt: asOf - i * DAY_MS });
    const q = Profile.parse(buildProfile(extra, consent, ctx, seededRandom(2)));
    expect(q.recentSkus).not.toContain('SKU-NOT-IN-CATALOG');
  });
  it('browses only unbought in-stock items of top categories', () => {
    const q = Profile.parse(buildProfile(all[1]!, consent, ctx, seededRandom(5)));
    for (const s of q.browsedSkus) {
      expect(all[1]!.items.has(s)).toBe(false);
      expect(s).not.toBe('SKU-3');
    }
    expect(q.lifecycle).toBe('new');
    expect(q.tier).toBe('member');
  });
  it('marks dormant and churned shoppers', () => {
    expect(buildProfile(all[2]!, consent, ctx, seededRandom(1)).lifecycle).toBe('dormant');
    expect(buildProfile(all[3]!, consent, ctx, seededRandom(1)).lifecycle).toBe('churned');
  });
});

describe('selectCustomers', () => {
  const pop = Array.from({ length: 200 }, (_, i) => history(String(1000 + i), 1 + (i % 6), i * 10, i % 50, 2));
  const tierOf = (h: CustomerHistory) => (h.monetary > 1900 ? 'platinum' : h.monetary > 1500 ? 'gold' : h.monetary > 500 ? 'silver' : 'member');
  const quotas = ['member', 'silver', 'gold', 'platinum'].map((t) => ({ name: t, min: 5, test: (h: CustomerHistory) => tierOf(h) === t }));
  it('biases to regulars, keeps some one-timers and fills every quota, sorted and deterministic', () => {
    const sel = selectCustomers(pop, seededRandom(3), { count: 40, quotas });
    expect(sel.length).toBeGreaterThanOrEqual(40);
    expect(sel.filter((h) => h.invoices < 3).length).toBe(5);
    for (const t of ['member', 'silver', 'gold', 'platinum']) expect(sel.filter((h) => tierOf(h) === t).length).toBeGreaterThanOrEqual(5);
    expect(sel.map((h) => h.customerId)).toEqual([...sel.map((h) => h.customerId)].sort());
    expect(selectCustomers(pop, seededRandom(3), { count: 40, quotas })).toEqual(sel);
  });
});
