import { describe, expect, it } from 'vitest';
import { Profile, Rule, StoreConfig, type Visit } from '#contracts';
import { createTranslator } from '../i18n/index.js';
import { localTime } from '../rules/local-time.js';
import { indexStore } from '../stores/registry.js';
import { zoneLabels, type LabelShopper } from './content.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const store = indexStore(StoreConfig.parse({ storeId: 's-1', name: 'S', currency: 'GBP', timezone: 'Europe/London', locale: 'en-GB',
  zones: [{ zoneId: 'z-1', name: 'Candles', categories: ['candles'] }],
  catalog: [
    { sku: 'A', name: 'Amber candle', category: 'candles', price: 5, memberPrice: 4 },
    { sku: 'B', name: 'Brass lantern', category: 'candles', price: 20 },
    { sku: 'C', name: 'Cedar wick', category: 'candles', price: 3, promo: true },
  ],
  labels: [{ labelId: 'L-A', sku: 'A', zoneId: 'z-1' }, { labelId: 'L-B', sku: 'B', zoneId: 'z-1', display: 'bwr-400x300' }, { labelId: 'L-C', sku: 'C', zoneId: 'z-1' }],
  labelPolicy: { maxFlashing: 1 } }));
const visit: Visit = { storeId: 's-1', deviceId: 'd-1', customerId: 'c-1', enteredAt: NOW - 60_000, lastSeenAt: NOW, lastEventTs: NOW, zoneId: 'z-1',
  zoneEnteredAt: NOW - 10_000, dwellMs: {}, zonesVisited: ['z-1'], eslSkus: [], eslCount: 0 };
const mia: LabelShopper = { profile: Profile.parse({ customerId: 'c-1', displayName: 'Mia', consent: { personalization: true, displayName: true, associateAlerts: false } }),
  visit, recommended: ['X', 'A', 'B'] };
const rule = (over: object) => Rule.parse({ ruleId: 'r-1', name: 'r', actions: {}, version: 1, updatedAt: 0, updatedBy: 't', ...over });
const run = (o: { shoppers?: LabelShopper[]; rules?: Rule[]; flashed?: Set<string>; personal?: boolean } = {}) => zoneLabels({
  store: { ...store.config, labelPolicy: { ...store.config.labelPolicy, personal: o.personal ?? true } }, catalog: store.catalog, zoneId: 'z-1',
  labels: store.config.labels, rules: o.rules ?? [], shoppers: o.shoppers ?? [], flashed: o.flashed ?? new Set(), now: NOW,
  local: localTime(NOW, 'Europe/London'), t: createTranslator('en-GB') });

describe('what shelf labels show', () => {
  it('with nobody near: name and price, the catalog promo, no member price, no flash', () => {
    const { bodies, flashedNow } = run();
    expect(bodies).toEqual([
      { type: 'label.update', labelId: 'L-A', sku: 'A', name: 'Amber candle', price: 5, currency: 'GBP', locale: 'en-GB', updatedAt: NOW },
      { type: 'label.update', labelId: 'L-B', sku: 'B', name: 'Brass lantern', price: 20, currency: 'GBP', locale: 'en-GB', display: 'bwr-400x300', updatedAt: NOW },
      { type: 'label.update', labelId: 'L-C', sku: 'C', name: 'Cedar wick', price: 3, promo: 'Offer', currency: 'GBP', locale: 'en-GB', updatedAt: NOW },
    ]);
    expect(flashedNow).toEqual([]);
  });
  it('near a consenting shopper: the member price on what is recommended to them, a flash on their top one, once per visit', () => {
    const { bodies, flashedNow } = run({ shoppers: [mia] });
    expect(bodies[0]).toMatchObject({ labelId: 'L-A', mode: 'personal', memberPrice: 4, promo: 'Member price', flash: { color: 'green', durationMs: 5000 } });
    expect(bodies[1]).toMatchObject({ labelId: 'L-B', mode: 'personal', promo: 'For you' });
    expect(bodies[1]!.flash).toBeUndefined(); // maxFlashing 1
    expect(bodies[1]!.memberPrice).toBeUndefined();
    expect(bodies[2]!.mode).toBeUndefined(); // not recommended to her
    expect(flashedNow).toEqual(['s-1|d-1|' + visit.enteredAt + '|L-A']);
    const again = run({ shoppers: [mia], flashed: new Set(flashedNow) });
    expect(again.bodies[0]!.flash).toBeUndefined();
    expect(again.bodies[0]!.memberPrice).toBe(4);
    expect(JSON.stringify(again.bodies)).not.toContain('Mia');
  });
  it('nothing personal when the store turns it off', () => {
    expect(run({ shoppers: [mia], personal: false }).bodies.every((b) => b.mode === undefined && b.memberPrice === undefined)).toBe(true);
  });
  it('a matching place rule\'s label promo on the items it brings forward; a shopper rule\'s only near a shopper it matches', () => {
    const place = rule({ ruleId: 'r-place', actions: { pin: ['B'], labelPromo: { en: 'Lantern week', de: 'Laternenwoche' } } });
    const gold = rule({ ruleId: 'r-gold', target: { tiers: ['gold'] }, actions: { boost: [{ skus: ['A'], factor: 2 }], labelPromo: 'Gold members: 20% off' } });
    const off = rule({ ruleId: 'r-off', enabled: false, actions: { pin: ['C'], labelPromo: 'never' } });
    expect(run({ rules: [place, gold, off] }).bodies.map((b) => b.promo)).toEqual([undefined, 'Lantern week', 'Offer']);
    const goldMia = { ...mia, profile: Profile.parse({ ...mia.profile, tier: 'gold' }) };
    expect(run({ rules: [place, gold], shoppers: [goldMia] }).bodies[0]!.promo).toBe('Gold members: 20% off');
    expect(run({ rules: [place, gold], shoppers: [mia] }).bodies[0]!.promo).toBe('Member price');
  });
});
