import { describe, expect, it } from 'vitest';
import { Profile, ScreenContent, type Visit } from '#contracts';
import { indexCatalog } from '../scoring/catalog.js';
import { rankHeuristic } from '../scoring/heuristic.js';
import { applyZoneQuota, buildFrame, planDecision, selectForScreen } from './decide.js';

const catalog = indexCatalog([
  { sku: 'SKU-1', name: 'Mug', category: 'kitchen', brand: '', price: 4, inStock: true },
  { sku: 'SKU-2', name: 'Candle', category: 'candles', brand: '', price: 3, memberPrice: 2.5, inStock: true },
  { sku: 'SKU-3', name: 'Tin', category: 'kitchen', brand: '', price: 2, inStock: true },
]);
const zone = { zoneId: 'z-k', name: 'Kitchen', categories: ['kitchen'] };
const screen = { screenId: 'scr-k-1', zoneId: 'z-k', slots: 2 };
const store = { storeId: 's-001', timezone: 'Europe/London' };
const visit = (deviceId: string, customerId?: string): Visit => ({ storeId: 's-001', deviceId, customerId, enteredAt: 0, lastSeenAt: 0,
  lastEventTs: 0, zoneId: 'z-k', zoneEnteredAt: 0, dwellMs: {}, zonesVisited: ['z-k'], eslSkus: [], eslCount: 0 });
const prof = (id: string, consent: [boolean, boolean], extra: object = {}) => Profile.parse({ customerId: id, displayName: 'Mia',
  lifecycle: 'active', affinities: { candles: 1 }, recentSkus: ['SKU-2'],
  consent: { personalization: consent[0], displayName: consent[1], associateAlerts: false }, ...extra });
const NOW = Date.UTC(2026, 10, 23, 12);
const plan = (shoppers: { visit: Visit; profile?: Profile }[]) => planDecision({ store, zone, screen, catalog, shoppers, now: NOW });

describe('planDecision', () => {
  it('is idle with nobody in the zone', () => {
    const p = plan([]);
    expect(p).toMatchObject({ reason: 'idle', template: 'grid' });
    expect(p.request.profile).toBeUndefined();
  });
  it('personalizes for one consenting shopper and greets by first name', () => {
    const p = plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true]) }]);
    expect(p).toMatchObject({ reason: 'shopper', template: 'hero', greeting: 'Welcome back, Mia' });
    expect(p.request.profile?.customerId).toBe('c-1');
  });
  it('greets on the birthday in the store\'s time zone', () => {
    expect(plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true], { birthday: '11-23' }) }]).greeting).toBe('Happy birthday, Mia!');
  });
  it('personalizes without a name when displayName consent is missing', () => {
    const p = plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, false]) }]);
    expect(p.reason).toBe('shopper');
    expect(p.greeting).toBeUndefined();
  });
  it('does not personalize without consent.personalization, even with displayName consent', () => {
    const p = plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [false, true]) }]);
    expect(p.reason).toBe('audience');
    expect(p.greeting).toBeUndefined();
    expect(p.request.profile).toBeUndefined();
    expect(p.request.audience).toEqual([]);
  });
  it('uses audience mode for several shoppers: consenting profiles only, never a name', () => {
    const p = plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true]) }, { visit: visit('d2', 'c-2'), profile: prof('c-2', [false, false]) },
      { visit: visit('d3') }]);
    expect(p.reason).toBe('audience');
    expect(p.greeting).toBeUndefined();
    expect(p.request.audience?.map((x) => x.customerId)).toEqual(['c-1']);
  });
  it('treats one anonymous shopper as an audience', () => {
    expect(plan([{ visit: visit('d1') }]).reason).toBe('audience');
  });
});

describe('applyZoneQuota', () => {
  const r = (sku: string, category: string) => ({ item: { sku, category } });
  it('keeps rank order but reserves half of the slots for the zone', () => {
    const ranked = [r('a', 'x'), r('b', 'x'), r('c', 'x'), r('d', 'z'), r('e', 'x'), r('f', 'z')];
    expect(applyZoneQuota(ranked, ['z'], 4).map((i) => i.item.sku)).toEqual(['a', 'b', 'd', 'f']);
  });
  it('fills with other items when the zone has too few', () => {
    expect(applyZoneQuota([r('a', 'x'), r('b', 'x'), r('c', 'z')], ['z'], 3).map((i) => i.item.sku)).toEqual(['a', 'b', 'c']);
    expect(applyZoneQuota([r('a', 'x'), r('b', 'x')], ['z'], 2).map((i) => i.item.sku)).toEqual(['a', 'b']);
  });
});

describe('selectForScreen', () => {
  const r = (sku: string, category: string) => ({ item: { sku, category } });
  it('caps a category at half the slots while others are available, then fills', () => {
    const ranked = [r('a', 'bags'), r('b', 'bags'), r('c', 'bags'), r('d', 'bags'), r('e', 'mugs'), r('f', 'tins')];
    expect(selectForScreen(ranked, ['bags', 'mugs', 'tins'], 4).map((i) => i.item.sku)).toEqual(['a', 'b', 'e', 'f']);
    expect(selectForScreen([r('a', 'bags'), r('b', 'bags'), r('c', 'bags')], ['bags'], 3).map((i) => i.item.sku)).toEqual(['a', 'b', 'c']);
  });
  it('keeps near-identical products ("Lunch Bag …") to a third of the slots while others are available', () => {
    const n = (sku: string, name: string) => ({ item: { sku, category: 'kitchen', name } });
    const ranked = [n('a', 'Lunch Bag Suki Design'), n('b', 'Lunch Bag Black Skull'), n('c', 'Lunch Bag Vintage Leaf'),
      n('d', 'Lunch Bag Pink Polkadot'), n('e', 'Recipe Box Pantry Yellow'), n('f', 'Set/5 Red Retrospot Bowls'), n('g', 'Cake Tins Pantry Design')];
    expect(selectForScreen(ranked, ['kitchen'], 6).map((i) => i.item.sku)).toEqual(['a', 'b', 'e', 'f', 'g', 'c']);
  });
});

describe('public content stays in the zone', () => {
  it('draws idle and audience content from the zone catalog, a shopper\'s from the whole store', () => {
    const zoneCatalog = indexCatalog([...catalog.inStock].filter((i) => i.category === 'kitchen').concat(
      { sku: 'SKU-9', name: 'Pan', category: 'kitchen', brand: '', price: 9, inStock: true }));
    const idle = planDecision({ store, zone, screen, catalog, zoneCatalog, shoppers: [], now: NOW });
    expect(idle.request.catalog).toBe(zoneCatalog);
    const shopper = planDecision({ store, zone, screen, catalog, zoneCatalog, shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true]) }], now: NOW });
    expect(shopper.request.catalog).toBe(catalog);
    expect(shopper.request.limit).toBe(screen.slots * 3);
    expect(shopper.slots).toBe(screen.slots);
  });
});

describe('buildFrame', () => {
  const ALLOWED = ['sku', 'name', 'price', 'memberPrice', 'image', 'badge', 'note'];
  it('builds a valid screen.content with only shopper-facing item fields', () => {
    const p = plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true]) }]);
    const items = selectForScreen(rankHeuristic(p.request), zone.categories, p.slots);
    const f = buildFrame(p, items, { screenId: 'scr-k-1', storeId: 's-001', zoneId: 'z-k', decisionId: 'dec-1', currency: 'GBP', locale: 'en-GB', now: NOW });
    expect(ScreenContent.parse({ ...f, seq: 1 })).toBeTruthy();
    expect(f.items).toHaveLength(2);
    expect(f.locale).toBe('en-GB');
    for (const i of f.items) expect(Object.keys(i).every((k) => ALLOWED.includes(k))).toBe(true);
    expect(f.items[0]).toMatchObject({ sku: 'SKU-2', badge: 'Member price' });
  });
  it('never tells whoever stands there what the shopper bought, browsed or scored', () => {
    const p = plan([{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true]) }]);
    const item = { sku: 'SKU-3', name: 'Tin', category: 'kitchen', brand: '', price: 2, inStock: true };
    const f = buildFrame(p, [{ item, score: 0.93, why: ['browsed, not bought yet', 'bought 4× before', 'affinity kitchen 0.93'] }],
      { screenId: 's', storeId: 's-001', zoneId: 'z', decisionId: 'd', currency: 'GBP', now: 0 });
    expect(f.items[0]!.badge).toBe('For you');
    expect(JSON.stringify(f)).not.toMatch(/browsed|bought|affinity|0\.93|4×/);
  });
  it('says a stated interest in words, within 60 characters', () => {
    const base = prof('c-1', [true, true]);
    const p = plan([{ visit: visit('d1', 'c-1'), profile: { ...base, affinities: { kitchen: 0.8 } } }]);
    const item = { sku: 'SKU-3', name: 'Tin', category: 'kitchen', brand: '', price: 2, inStock: true };
    const f = buildFrame(p, [{ item, score: 1, why: [] }], { screenId: 's', storeId: 's-001', zoneId: 'z', decisionId: 'd', currency: 'GBP', now: 0 });
    expect(f.items[0]!.note).toBe('Because you like kitchen');
  });
});
