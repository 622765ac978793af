import { describe, expect, it } from 'vitest';
import { ASSOCIATES_DEFAULTS, Profile, StoreConfig } from '#contracts';
import { createTranslator } from '../i18n/index.js';
import { localTime } from '../rules/local-time.js';
import { indexStore } from '../stores/registry.js';
import { buildAlert, type AlertFacts } from './alert-content.js';
import { alertable, isVip } from './vip.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const store = indexStore(StoreConfig.parse({ storeId: 's-1', name: 'S', currency: 'GBP', timezone: 'Europe/London', locale: 'en-GB',
  zones: [{ zoneId: 'z-1', name: 'Entrance', categories: ['candles', 'kitchen'] }],
  catalog: [
    { sku: 'A', name: 'Amber candle', category: 'candles', price: 5 },
    { sku: 'B', name: 'Brass lantern', category: 'candles', price: 20 },
    { sku: 'C', name: 'Copper pan', category: 'kitchen', price: 30 },
    { sku: 'D', name: 'Dish rack', category: 'kitchen', price: 12, inStock: false },
    { sku: 'E', name: 'Enamel mug', category: 'kitchen', price: 8 },
  ] }));
const all = { personalization: true, displayName: true, associateAlerts: true };
const vip = (over: object = {}) => Profile.parse({ customerId: 'c-1', displayName: 'Olivia', tier: 'platinum', points: 52_000, lifecycle: 'active',
  affinities: { candles: 0.9, kitchen: 0.2 }, recentSkus: ['A'], browsedSkus: ['B', 'A'], tags: ['prefers gift wrap'], consent: all,
  birthday: '12-02', lastPurchaseAt: NOW - 10 * 86_400_000, ...over });
const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({ alertId: 'al-1', store: store.config, catalog: store.catalog.bySku, categoryOf: store.categoryOf,
  profile: vip(), visit: { zoneId: 'z-1', eslSkus: [] }, zoneId: 'z-1', reason: 'arrived',
  ranked: ['C', 'A', 'D', 'E'].map((sku, i) => ({ item: store.catalog.bySku.get(sku)!, score: 1 - i / 10, why: ['bought 3× before'] })),
  visitsThisYear: 7, local: localTime(NOW, 'Europe/London'), now: NOW, createdAt: NOW, t: createTranslator('en-GB'), ...over });

describe('who is a VIP', () => {
  it('the profile flag, a listed tier, or a lifetime spend at the threshold', () => {
    const cfg = { ...ASSOCIATES_DEFAULTS, vipMinSpend: 1000 };
    expect(isVip(vip(), cfg)).toBe(true);
    expect(isVip(vip({ tier: 'gold' }), cfg)).toBe(false);
    expect(isVip(vip({ tier: 'gold', vip: true }), cfg)).toBe(true);
    expect(isVip(vip({ tier: 'member', rfm: { recencyDays: 3, frequency: 9, monetary: 1000, r: 5, f: 5, m: 5 } }), cfg)).toBe(true);
    expect(isVip(vip({ tier: 'member', rfm: { recencyDays: 3, frequency: 9, monetary: 999.99, r: 5, f: 5, m: 5 } }), cfg)).toBe(false);
    expect(isVip(vip({ tier: 'gold' }), { ...cfg, vipTiers: ['gold', 'platinum'] })).toBe(true);
  });
  it('alerts only with consent to associate alerts', () => {
    expect(alertable(vip(), ASSOCIATES_DEFAULTS)).toBe(true);
    expect(alertable(vip({ consent: { ...all, associateAlerts: false } }), ASSOCIATES_DEFAULTS)).toBe(false);
    expect(alertable(undefined, ASSOCIATES_DEFAULTS)).toBe(false);
  });
});

describe('what an alert says', () => {
  it('the facts, browsed-not-bought first among suggestions, talking points in the store\'s language', () => {
    const a = buildAlert(facts());
    expect(a).toMatchObject({ type: 'alert.vip', alertId: 'al-1', storeId: 's-1', zoneId: 'z-1', reason: 'arrived', locale: 'en-GB', currency: 'GBP',
      customer: { displayName: 'Olivia', tier: 'platinum', points: 52_000, lifecycle: 'active', tags: ['prefers gift wrap'], visitsThisYear: 7,
        birthdayInDays: 3, lastPurchases: [{ sku: 'A', name: 'Amber candle' }], browsed: [{ sku: 'B', name: 'Brass lantern' }] } });
    expect(a.customer.customerId).toBeUndefined();
    // B was browsed, not bought; C ranks first; A was bought lately and D is out of stock; E fills the third.
    expect(a.suggestions).toEqual([{ sku: 'B', name: 'Brass lantern', why: 'Browsed, not bought' }, { sku: 'C', name: 'Copper pan', why: 'Popular with similar shoppers' },
      { sku: 'E', name: 'Enamel mug', why: 'Popular with similar shoppers' }]);
    expect(a.talkingPoints).toEqual(['Birthday in 3 days', 'Looked at Brass lantern, has not bought it yet', 'Last bought Amber candle', 'Loves candles']);
  });
  it('short of two fresh suggestions, the best repeat purchase with its reason', () => {
    const a = buildAlert(facts({ profile: vip({ browsedSkus: [], recentSkus: ['A', 'C', 'E'] }) }));
    expect(a.suggestions).toEqual([{ sku: 'C', name: 'Copper pan', why: 'Bought it before' }, { sku: 'A', name: 'Amber candle', why: 'Bought it before' }]);
  });
  it('no name without consent to the name; a tap today leads the talking points; a long absence is said', () => {
    const a = buildAlert(facts({ profile: vip({ consent: { ...all, displayName: false }, lastPurchaseAt: NOW - 90 * 86_400_000, birthday: '06-01' }),
      visit: { zoneId: 'z-1', eslSkus: ['E'] } }));
    expect(a.customer.displayName).toBeUndefined();
    expect(a.customer.birthdayInDays).toBeUndefined();
    expect(a.customer.browsed.map((x) => x.sku)).toEqual(['E', 'B']);
    expect(a.talkingPoints.slice(0, 2)).toEqual(['Checked Enamel mug at the shelf today', 'First visit in 90 days']);
  });
  it('speaks German and Chinese', () => {
    const de = buildAlert(facts({ t: createTranslator('de-DE') }));
    expect(de.talkingPoints[0]).toBe('Geburtstag in 3 Tagen');
    expect(de.suggestions[0]!.why).toBe('Angesehen, nicht gekauft');
    const zh = buildAlert(facts({ t: createTranslator('zh-CN'), profile: vip({ birthday: '11-29' }) }));
    expect(zh.talkingPoints[0]).toBe('今天生日');
  });
});
