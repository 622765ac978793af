import { describe, expect, it } from 'vitest';
import { Profile, Rule, Visit, type CatalogItem, type ProfileInput, type RuleInput } from '#contracts';
import { indexCatalog } from '../scoring/catalog.js';
import type { StoreCatalog } from '../scoring/types.js';
import { localTime } from './local-time.js';
import { isShopperRule, matchRule, type MatchResult, type RuleContext, type TriggerHit } from './match.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
/** Monday 2026-11-30: 10:00 in Berlin, 17:00 in Shanghai. */
const NOW = at('2026-11-30T09:00:00Z');

const item = (sku: string, category: string, extra: Partial<CatalogItem> = {}): CatalogItem =>
  ({ sku, name: sku, category, brand: '', price: 1, inStock: true, ...extra });
const baseCatalog = indexCatalog([item('A1', 'coffee'), item('A2', 'tea')]);

let nextId = 0;
const rule = (r: Partial<RuleInput> = {}): Rule =>
  Rule.parse({ ruleId: `r-${++nextId}`, name: 'test rule', version: 1, updatedAt: 0, updatedBy: 'test', actions: {}, ...r });

const CONSENT = { personalization: true, displayName: false, associateAlerts: false };
const shopper = (p: Partial<ProfileInput> = {}): Profile => Profile.parse({ customerId: 'c-1', consent: CONSENT, ...p });

const visit = (v: Partial<Visit> = {}): Visit => Visit.parse({
  storeId: 's-001', deviceId: 'd-1', customerId: 'c-1', enteredAt: NOW - 600_000, lastSeenAt: NOW, lastEventTs: NOW,
  zoneId: 'z-a', zoneEnteredAt: NOW - 10_000, dwellMs: {}, zonesVisited: ['z-a'], eslSkus: [], eslCount: 0, ...v,
});

type Ctx = Partial<RuleContext> & { tz?: string };
function ctx(over: Ctx = {}): RuleContext {
  const { tz = 'Europe/Berlin', ...rest } = over;
  const now = rest.now ?? NOW;
  return { storeId: 's-001', zoneId: 'z-a', screenId: 'scr-1', mode: 'shopper', profile: shopper(), visit: visit(),
    catalog: baseCatalog, now, local: localTime(now, tz), ...rest };
}

function expectNo(m: MatchResult, why: RegExp): void {
  expect(m.matched).toBe(false);
  if (!m.matched) expect(m.why).toMatch(why);
}
function hitOf(m: MatchResult): TriggerHit {
  expect(m.matched).toBe(true);
  if (!m.matched || !m.hit) throw new Error(`expected a trigger hit, got ${JSON.stringify(m)}`);
  return m.hit;
}

describe('matchRule: place and time', () => {
  it('stores', () => {
    expect(matchRule(rule({ target: { stores: ['s-001', 's-002'] } }), ctx()).matched).toBe(true);
    expectNo(matchRule(rule({ target: { stores: ['s-002'] } }), ctx()), /store s-001 not in \[s-002\]/);
  });

  it('zones', () => {
    expect(matchRule(rule({ target: { zones: ['z-a'] } }), ctx()).matched).toBe(true);
    expectNo(matchRule(rule({ target: { zones: ['z-b', 'z-c'] } }), ctx()), /zone z-a not in \[z-b, z-c\]/);
  });

  it('screens', () => {
    expect(matchRule(rule({ target: { screens: ['scr-1'] } }), ctx()).matched).toBe(true);
    expectNo(matchRule(rule({ target: { screens: ['scr-2'] } }), ctx()), /screen scr-1 not in \[scr-2\]/);
  });

  it('modes', () => {
    const r = rule({ target: { modes: ['idle', 'audience'] } });
    expect(matchRule(r, ctx({ mode: 'idle', profile: undefined, visit: undefined })).matched).toBe(true);
    expect(matchRule(r, ctx({ mode: 'audience', profile: undefined, visit: undefined })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ mode: 'shopper' })), /shopper.*\[idle, audience\]/);
  });

  it('days of the week, 1 = Monday, in the store time zone', () => {
    expect(matchRule(rule({ target: { daysOfWeek: [1] } }), ctx()).matched).toBe(true);
    expectNo(matchRule(rule({ target: { daysOfWeek: [6, 7] } }), ctx()), /day 1 not in \[6, 7\]/);
    // 2026-11-29T23:30Z: Sunday in UTC, Monday in Berlin.
    const late = at('2026-11-29T23:30:00Z');
    const monday = rule({ target: { daysOfWeek: [1] } });
    expect(matchRule(monday, ctx({ now: late, tz: 'Europe/Berlin' })).matched).toBe(true);
    expectNo(matchRule(monday, ctx({ now: late, tz: 'UTC' })), /day 7 not in \[1\]/);
  });

  it('hours, start-inclusive and end-exclusive', () => {
    const r = rule({ target: { hours: { from: '10:00', to: '12:00' } } });
    expect(matchRule(r, ctx()).matched).toBe(true); // 10:00 Berlin
    expect(matchRule(r, ctx({ now: NOW + 2 * 3_600_000 - 60_000 })).matched).toBe(true); // 11:59
    expectNo(matchRule(r, ctx({ now: NOW + 2 * 3_600_000 })), /store time 12:00 outside 10:00–12:00/);
    expectNo(matchRule(r, ctx({ now: NOW - 30 * 60_000 })), /store time 09:30 outside 10:00–12:00/);
  });

  it('hours spanning midnight', () => {
    const r = rule({ target: { hours: { from: '22:00', to: '06:00' } } });
    expect(matchRule(r, ctx({ now: at('2026-11-29T23:30:00Z') })).matched).toBe(true); // 00:30 Berlin
    expectNo(matchRule(r, ctx()), /store time 10:00 outside 22:00–06:00/);
  });

  it('a 07:00–11:00 rule at one instant: matches in Shanghai, not in Berlin', () => {
    const r = rule({ target: { hours: { from: '07:00', to: '11:00' } } });
    const now = at('2026-11-30T02:00:00Z'); // 03:00 Berlin, 10:00 Shanghai
    expect(matchRule(r, ctx({ now, tz: 'Asia/Shanghai' })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ now, tz: 'Europe/Berlin' })), /store time 03:00 outside 07:00–11:00/);
    // And the other way round later in the day: 09:00 Berlin, 16:00 Shanghai.
    const later = at('2026-11-30T08:00:00Z');
    expect(matchRule(r, ctx({ now: later, tz: 'Europe/Berlin' })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ now: later, tz: 'Asia/Shanghai' })), /store time 16:00 outside 07:00–11:00/);
  });

  it('dates, inclusive on both ends', () => {
    const r = rule({ target: { dates: { from: '2026-11-30', to: '2026-12-24' } } });
    expect(matchRule(r, ctx()).matched).toBe(true); // first day
    expect(matchRule(r, ctx({ now: at('2026-12-24T22:59:00Z') })).matched).toBe(true); // 23:59 on the last day, Berlin
    expectNo(matchRule(r, ctx({ now: at('2026-12-24T23:00:00Z') })), /ended 2026-12-24 \(store date 2026-12-25\)/);
    expectNo(matchRule(r, ctx({ now: NOW - DAY })), /starts 2026-11-30 \(store date 2026-11-29\)/);
    // Only a start, only an end
    expect(matchRule(rule({ target: { dates: { from: '2026-01-01' } } }), ctx()).matched).toBe(true);
    expectNo(matchRule(rule({ target: { dates: { to: '2026-11-29' } } }), ctx()), /ended 2026-11-29/);
  });

  it('dates use the store-local date', () => {
    const r = rule({ target: { dates: { to: '2026-11-29' } } });
    const now = at('2026-11-29T20:00:00Z'); // 21:00 on the 29th in Berlin, 04:00 on the 30th in Shanghai
    expect(matchRule(r, ctx({ now, tz: 'Europe/Berlin' })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ now, tz: 'Asia/Shanghai' })), /ended 2026-11-29 \(store date 2026-11-30\)/);
  });

  it('gives the first failing condition as the reason', () => {
    const r = rule({ target: { stores: ['s-002'], zones: ['z-b'], tiers: ['gold'] } });
    expectNo(matchRule(r, ctx()), /^store /);
  });

  it('a disabled rule never matches and says so first', () => {
    expectNo(matchRule(rule({ enabled: false }), ctx()), /^disabled$/);
    expectNo(matchRule(rule({ enabled: false, target: { stores: ['s-002'] } }), ctx()), /^disabled$/);
    expect(matchRule(rule({ enabled: true }), ctx()).matched).toBe(true);
  });
});

describe('matchRule: who', () => {
  it('tiers', () => {
    const r = rule({ target: { tiers: ['gold', 'platinum'] } });
    expect(matchRule(r, ctx({ profile: shopper({ tier: 'gold' }) })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ profile: shopper({ tier: 'silver' }) })), /tier silver not in \[gold, platinum\]/);
    expectNo(matchRule(r, ctx()), /tier member/); // the default tier
  });

  it('lifecycle', () => {
    const r = rule({ target: { lifecycle: ['new', 'active'] } });
    expect(matchRule(r, ctx({ profile: shopper({ lifecycle: 'active' }) })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ profile: shopper({ lifecycle: 'dormant' }) })), /lifecycle dormant not in \[new, active\]/);
  });

  describe('rfm', () => {
    const rfm = (r: number, f: number, m: number) => ({ recencyDays: 3, frequency: 4, monetary: 100, r, f, m });
    it('each score within its range, inclusive', () => {
      const rl = rule({ target: { rfm: { r: { min: 4, max: 5 }, f: { min: 2, max: 3 }, m: { min: 3 } } } });
      expect(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(4, 3, 5) }) })).matched).toBe(true);
      expect(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(5, 2, 3) }) })).matched).toBe(true);
      expectNo(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(3, 2, 3) }) })), /R score 3 outside 4–5/);
      expectNo(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(4, 4, 3) }) })), /F score 4 outside 2–3/);
      // m: { min: 3 } — max defaults to 5
      expectNo(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(4, 2, 2) }) })), /M score 2 outside 3–5/);
    });
    it('a max alone defaults the min to 1', () => {
      const rl = rule({ target: { rfm: { r: { max: 2 } } } });
      expect(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(1, 1, 1) }) })).matched).toBe(true);
      expectNo(matchRule(rl, ctx({ profile: shopper({ rfm: rfm(3, 1, 1) }) })), /R score 3 outside 1–2/);
    });
    it('a profile without RFM scores does not match', () => {
      expectNo(matchRule(rule({ target: { rfm: { r: { min: 1, max: 5 } } } }), ctx()), /no RFM scores yet/);
    });
  });

  it('affinities: every listed category must reach its threshold', () => {
    const r = rule({ target: { affinities: { coffee: 0.5, tea: 0.2 } } });
    expect(matchRule(r, ctx({ profile: shopper({ affinities: { coffee: 0.6, tea: 0.2 } }) })).matched).toBe(true);
    expect(matchRule(r, ctx({ profile: shopper({ affinities: { coffee: 0.5, tea: 0.9 } }) })).matched).toBe(true); // exactly the threshold
    expectNo(matchRule(r, ctx({ profile: shopper({ affinities: { coffee: 0.4, tea: 0.9 } }) })), /affinity coffee 0\.40 below 0\.5/);
    expectNo(matchRule(r, ctx({ profile: shopper({ affinities: { coffee: 0.9, tea: 0.1 } }) })), /affinity tea 0\.10 below 0\.2/);
    expectNo(matchRule(r, ctx({ profile: shopper({ affinities: { coffee: 0.9 } }) })), /affinity tea 0\.00 below 0\.2/);
  });

  it('life stages', () => {
    const r = rule({ target: { lifeStages: ['expecting', 'newborn'] } });
    expect(matchRule(r, ctx({ profile: shopper({ lifeStage: 'newborn' }) })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ profile: shopper({ lifeStage: 'toddler' }) })), /life stage toddler not in \[expecting, newborn\]/);
    expectNo(matchRule(r, ctx()), /life stage unknown not in/);
  });

  it('consent beyond personalization', () => {
    const r = rule({ target: { consent: ['displayName', 'associateAlerts'] } });
    const all = { personalization: true, displayName: true, associateAlerts: true };
    expect(matchRule(r, ctx({ profile: shopper({ consent: all }) })).matched).toBe(true);
    expectNo(matchRule(r, ctx({ profile: shopper({ consent: { ...all, associateAlerts: false } }) })), /no consent to associateAlerts/);
    expectNo(matchRule(r, ctx({ profile: shopper({ consent: { ...all, displayName: false } }) })), /no consent to displayName/);
  });
});

describe('matchRule: shopper rules and screen modes', () => {
  const shopperRules = [
    rule({ target: { tiers: ['member'] } }),
    rule({ target: { affinities: { coffee: 0 } } }),
    rule({ target: { consent: ['personalization'] } }),
    rule({ trigger: { type: 'winback', lifecycle: ['dormant', 'churned'] } }),
  ];

  it('are recognised as shopper rules; place-only rules are not', () => {
    for (const r of shopperRules) expect(isShopperRule(r)).toBe(true);
    expect(isShopperRule(rule({ target: { zones: ['z-a'], hours: { from: '07:00', to: '11:00' }, modes: ['shopper'] } }))).toBe(false);
  });

  it('never match in audience or idle mode, even with a profile in the context', () => {
    const p = shopper({ lifecycle: 'dormant' });
    for (const r of shopperRules) {
      expect(matchRule(r, ctx({ profile: p })).matched).toBe(true);
      for (const mode of ['audience', 'idle'] as const) {
        expectNo(matchRule(r, ctx({ mode, profile: p })), new RegExp(`consenting shopper.*${mode}`));
      }
    }
  });

  it('never match without a shopper', () => {
    expectNo(matchRule(shopperRules[0]!, ctx({ profile: undefined })), /needs one consenting shopper/);
  });

  it('never match without consent to personalization', () => {
    const p = shopper({ lifecycle: 'dormant', consent: { personalization: false, displayName: true, associateAlerts: true } });
    for (const r of shopperRules) expectNo(matchRule(r, ctx({ profile: p })), /not consented to personalization/);
    // Even when the rule lists only other consents
    expectNo(matchRule(rule({ target: { consent: ['displayName'] } }), ctx({ profile: p })), /not consented to personalization/);
  });

  it('place-only rules match in every mode, with or without a shopper', () => {
    const r = rule({ target: { stores: ['s-001'], zones: ['z-a'] }, actions: { boost: [{ categories: ['coffee'], factor: 2 }] } });
    for (const mode of ['shopper', 'audience', 'idle'] as const) {
      expect(matchRule(r, ctx({ mode })).matched).toBe(true);
      expect(matchRule(r, ctx({ mode, profile: undefined, visit: undefined })).matched).toBe(true);
    }
    // No consent needed either
    expect(matchRule(r, ctx({ profile: shopper({ consent: { personalization: false, displayName: false, associateAlerts: false } }) })).matched).toBe(true);
  });

  it('a matching place-only rule has no trigger hit', () => {
    const m = matchRule(rule(), ctx());
    expect(m).toEqual({ matched: true });
  });
});

describe('triggers', () => {
  describe('birthday', () => {
    const r = rule({ trigger: { type: 'birthday', withinDays: 7 } });
    it('matches within N days, with the days left', () => {
      expect(hitOf(matchRule(r, ctx({ profile: shopper({ birthday: '12-03' }) }))).daysUntil).toBe(3);
      const edge = hitOf(matchRule(r, ctx({ profile: shopper({ birthday: '12-07' }) })));
      expect(edge.type).toBe('birthday');
      expect(edge.daysUntil).toBe(7);
      expect(edge.items).toEqual([]);
    });
    it('matches on the day itself with 0 days', () => {
      expect(hitOf(matchRule(r, ctx({ profile: shopper({ birthday: '11-30' }) }))).daysUntil).toBe(0);
    });
    it('does not match outside the window (incl. a birthday just passed)', () => {
      expectNo(matchRule(r, ctx({ profile: shopper({ birthday: '12-08' }) })), /birthday in 8 days \(within 7 needed\)/);
      expectNo(matchRule(r, ctx({ profile: shopper({ birthday: '11-29' }) })), /birthday in 364 days/);
    });
    it('does not match without a birthday', () => {
      expectNo(matchRule(r, ctx()), /no birthday on the profile/);
    });
    it('withinDays defaults to 7; 0 means only the day itself', () => {
      const d = rule({ trigger: { type: 'birthday' } as RuleInput['trigger'] });
      expect(matchRule(d, ctx({ profile: shopper({ birthday: '12-07' }) })).matched).toBe(true);
      expect(matchRule(d, ctx({ profile: shopper({ birthday: '12-08' }) })).matched).toBe(false);
      const today = rule({ trigger: { type: 'birthday', withinDays: 0 } });
      expect(matchRule(today, ctx({ profile: shopper({ birthday: '11-30' }) })).matched).toBe(true);
      expectNo(matchRule(today, ctx({ profile: shopper({ birthday: '12-01' }) })), /birthday in 1 days/);
    });
    it('counts in the store time zone across the year end', () => {
      const now = at('2026-12-31T20:00:00Z'); // already 1 January in Shanghai
      const zero = rule({ trigger: { type: 'birthday', withinDays: 0 } });
      const p = shopper({ birthday: '01-01' });
      expect(hitOf(matchRule(zero, ctx({ now, tz: 'Asia/Shanghai', profile: p }))).daysUntil).toBe(0);
      expectNo(matchRule(zero, ctx({ now, tz: 'Europe/Berlin', profile: p })), /birthday in 1 days/);
      expect(hitOf(matchRule(r, ctx({ now: at('2026-12-30T12:00:00Z'), profile: shopper({ birthday: '01-02' }) }))).daysUntil).toBe(3);
    });
  });

  describe('dwell', () => {
    const r = rule({ trigger: { type: 'dwell', seconds: 60 } });
    it('matches after N seconds in this zone', () => {
      const hit = hitOf(matchRule(r, ctx({ visit: visit({ zoneEnteredAt: NOW - 60_000 }) })));
      expect(hit.type).toBe('dwell');
      expect(matchRule(r, ctx({ visit: visit({ zoneEnteredAt: NOW - 90_000 }) })).matched).toBe(true);
    });
    it('not yet: says how long, and wakes exactly when the threshold will be reached', () => {
      const v = visit({ zoneEnteredAt: NOW - 20_000 });
      const m = matchRule(r, ctx({ visit: v }));
      expectNo(m, /in the zone 20 s of 60 s/);
      if (m.matched) throw new Error('unreachable');
      expect(m.wakeAt).toBe(NOW + 40_000);
      expect(matchRule(r, ctx({ visit: v, now: m.wakeAt! - 1 })).matched).toBe(false);
      expect(matchRule(r, ctx({ visit: v, now: m.wakeAt! })).matched).toBe(true);
    });
    it('counts closed dwell from earlier in the visit in this zone', () => {
      const back = visit({ zoneEnteredAt: NOW - 30_000, dwellMs: { 'z-a': 35_000, 'z-b': 500_000 } });
      expect(matchRule(r, ctx({ visit: back })).matched).toBe(true);
      const notQuite = visit({ zoneEnteredAt: NOW - 30_000, dwellMs: { 'z-a': 20_000 } });
      const m = matchRule(r, ctx({ visit: notQuite }));
      expectNo(m, /in the zone 50 s of 60 s/);
      if (!m.matched) expect(m.wakeAt).toBe(NOW + 10_000);
    });
    it('dwell in other zones does not count', () => {
      const v = visit({ zoneEnteredAt: NOW - 5_000, dwellMs: { 'z-b': 500_000 } });
      expectNo(matchRule(r, ctx({ visit: v })), /in the zone 5 s of 60 s/);
    });
    it('does not match when the shopper is in another zone (no wake-up)', () => {
      const m = matchRule(r, ctx({ visit: visit({ zoneId: 'z-b', zoneEnteredAt: NOW - 600_000, dwellMs: { 'z-a': 600_000 } }) }));
      expectNo(m, /not in this zone/);
      if (!m.matched) expect(m.wakeAt).toBeUndefined();
      expectNo(matchRule(r, ctx({ visit: undefined })), /not in this zone/);
    });
    it('a purchase during this visit blocks it (no wake-up)', () => {
      const v = visit({ zoneEnteredAt: NOW - 120_000 });
      const bought = matchRule(r, ctx({ visit: v, profile: shopper({ lastPurchaseAt: v.enteredAt + 1000 }) }));
      expectNo(bought, /bought something this visit/);
      if (!bought.matched) expect(bought.wakeAt).toBeUndefined();
      expectNo(matchRule(r, ctx({ visit: v, profile: shopper({ lastPurchaseAt: v.enteredAt }) })), /bought/);
      // A purchase before the visit does not block
      expect(matchRule(r, ctx({ visit: v, profile: shopper({ lastPurchaseAt: v.enteredAt - 1 }) })).matched).toBe(true);
    });
  });

  describe('winback', () => {
    it('matches dormant and churned shoppers by default, not active ones', () => {
      const r = rule({ trigger: { type: 'winback' } as RuleInput['trigger'] });
      expect(hitOf(matchRule(r, ctx({ profile: shopper({ lifecycle: 'dormant' }) }))).type).toBe('winback');
      expect(matchRule(r, ctx({ profile: shopper({ lifecycle: 'churned' }) })).matched).toBe(true);
      expectNo(matchRule(r, ctx({ profile: shopper({ lifecycle: 'active' }) })), /lifecycle active, not dormant, churned/);
      expectNo(matchRule(r, ctx({ profile: shopper({ lifecycle: 'new' }) })), /lifecycle new/);
    });
    it('follows a custom lifecycle list', () => {
      const r = rule({ trigger: { type: 'winback', lifecycle: ['churned'] } });
      expect(matchRule(r, ctx({ profile: shopper({ lifecycle: 'churned' }) })).matched).toBe(true);
      expectNo(matchRule(r, ctx({ profile: shopper({ lifecycle: 'dormant' }) })), /lifecycle dormant, not churned/);
    });
  });

  describe('newArrivals', () => {
    const catalog = indexCatalog([
      item('N1', 'coffee', { arrivedAt: NOW - 2 * DAY }),
      item('N2', 'tea', { arrivedAt: '2026-11-20' }),
      item('N3', 'bakery', { arrivedAt: '2026-10-01' }), // 60 days ago
      item('N4', 'candles', { arrivedAt: NOW - DAY }), // 4th favourite
      item('N5', 'coffee', { arrivedAt: NOW - DAY, inStock: false }),
      item('N6', 'coffee', { arrivedAt: NOW + DAY }), // announced, not arrived
      item('N7', 'coffee', { arrivedAt: '2026-11-29T08:00:00+01:00' }),
      item('N8', 'coffee'), // no arrival date
      item('N9', 'garden', { arrivedAt: NOW - DAY }), // affinity 0
      item('N10', 'bakery', { arrivedAt: NOW - 5 * DAY }),
    ]);
    const fan = shopper({ affinities: { coffee: 0.9, tea: 0.8, bakery: 0.7, candles: 0.6, garden: 0 } });
    const skus = (h: TriggerHit) => h.items.map((i) => i.sku);

    it('finds recent in-stock arrivals in the top categories, newest first (epoch ms, ISO date and ISO date-time)', () => {
      const r = rule({ trigger: { type: 'newArrivals' } as RuleInput['trigger'] }); // 30 days, top 3
      const hit = hitOf(matchRule(r, ctx({ catalog, profile: fan })));
      expect(hit.type).toBe('newArrivals');
      expect(skus(hit)).toEqual(['N7', 'N1', 'N10', 'N2']);
      expect(hit.category).toBe('coffee');
    });
    it('excludes items outside `days`, out of stock, not yet arrived, without a date', () => {
      const r = rule({ trigger: { type: 'newArrivals', days: 30, top: 10 } });
      const got = skus(hitOf(matchRule(r, ctx({ catalog, profile: fan }))));
      expect(got).toContain('N4'); // candles now within the top 10
      for (const sku of ['N3', 'N5', 'N6', 'N8', 'N9']) expect(got).not.toContain(sku);
    });
    it('`days` narrows the window', () => {
      const r = rule({ trigger: { type: 'newArrivals', days: 3, top: 3 } });
      expect(skus(hitOf(matchRule(r, ctx({ catalog, profile: fan }))))).toEqual(['N7', 'N1']);
      const wide = rule({ trigger: { type: 'newArrivals', days: 90, top: 3 } });
      expect(skus(hitOf(matchRule(wide, ctx({ catalog, profile: fan }))))).toContain('N3');
    });
    it('the window starts exactly `days` ago', () => {
      const edge = indexCatalog([item('E1', 'coffee', { arrivedAt: NOW - 30 * DAY }), item('E2', 'coffee', { arrivedAt: NOW - 30 * DAY - 1 })]);
      const r = rule({ trigger: { type: 'newArrivals', days: 30, top: 1 } });
      expect(skus(hitOf(matchRule(r, ctx({ catalog: edge, profile: fan }))))).toEqual(['E1']);
    });
    it('`top` limits the categories to the shopper\'s strongest', () => {
      const r = rule({ trigger: { type: 'newArrivals', days: 30, top: 1 } });
      expect(skus(hitOf(matchRule(r, ctx({ catalog, profile: fan }))))).toEqual(['N7', 'N1']);
      const teaFan = shopper({ affinities: { coffee: 0.1, tea: 0.9 } });
      const hit = hitOf(matchRule(r, ctx({ catalog, profile: teaFan })));
      expect(skus(hit)).toEqual(['N2']);
      expect(hit.category).toBe('tea');
    });
    it('equal affinities: categories by name', () => {
      const r = rule({ trigger: { type: 'newArrivals', days: 30, top: 1 } });
      expect(hitOf(matchRule(r, ctx({ catalog, profile: shopper({ affinities: { tea: 0.5, coffee: 0.5 } }) }))).category).toBe('coffee');
      expect(hitOf(matchRule(r, ctx({ catalog, profile: shopper({ affinities: { tea: 0.5, coffee: 0.4 } }) }))).category).toBe('tea');
    });
    it('no match when nothing arrived in the favourite categories', () => {
      const r = rule({ trigger: { type: 'newArrivals', days: 30, top: 3 } });
      expectNo(matchRule(r, ctx({ catalog, profile: shopper({ affinities: { toys: 0.9, shoes: 0.5 } }) })),
        /nothing arrived in the last 30 days in toys, shoes/);
      // Favourite categories with only older arrivals
      const recent = rule({ trigger: { type: 'newArrivals', days: 1, top: 3 } });
      expectNo(matchRule(recent, ctx({ catalog, profile: shopper({ affinities: { tea: 0.9, bakery: 0.5 } }) })),
        /nothing arrived in the last 1 days in tea, bakery/);
    });
    it('no match without favourite categories', () => {
      const r = rule({ trigger: { type: 'newArrivals', days: 30, top: 3 } });
      expectNo(matchRule(r, ctx({ catalog, profile: shopper() })), /no favourite categories yet/);
      expectNo(matchRule(r, ctx({ catalog, profile: shopper({ affinities: { coffee: 0 } }) })), /no favourite categories yet/);
    });
  });

  describe('eslTap', () => {
    const catalog = indexCatalog([item('E1', 'coffee'), item('E2', 'tea'), item('E3', 'coffee'), item('E4', 'tea')]);
    const tapped = (...eslSkus: string[]) => visit({ eslSkus, eslCount: eslSkus.length });

    it('any tap, the newest one', () => {
      const r = rule({ trigger: { type: 'eslTap' } });
      const hit = hitOf(matchRule(r, ctx({ catalog, visit: tapped('E2', 'E1', 'E3') })));
      expect(hit.type).toBe('eslTap');
      expect(hit.tapped?.sku).toBe('E2');
    });
    it('by SKU: the newest matching tap', () => {
      const r = rule({ trigger: { type: 'eslTap', skus: ['E1', 'E3'] } });
      expect(hitOf(matchRule(r, ctx({ catalog, visit: tapped('E2', 'E3', 'E1') }))).tapped?.sku).toBe('E3');
      expectNo(matchRule(r, ctx({ catalog, visit: tapped('E2', 'E4') })), /tapped E2, E4, none of the rule's/);
    });
    it('by category: the newest tap in one of them', () => {
      const r = rule({ trigger: { type: 'eslTap', categories: ['coffee'] } });
      const hit = hitOf(matchRule(r, ctx({ catalog, visit: tapped('E2', 'E1', 'E3') })));
      expect(hit.tapped?.sku).toBe('E1');
      expect(hit.tapped?.category).toBe('coffee');
      expectNo(matchRule(r, ctx({ catalog, visit: tapped('E4', 'E2') })), /none of the rule's/);
      // A tapped SKU the catalog does not know has no category
      expectNo(matchRule(r, ctx({ catalog, visit: tapped('X9') })), /none of the rule's/);
    });
    it('SKUs and categories together: either matches', () => {
      const r = rule({ trigger: { type: 'eslTap', skus: ['E4'], categories: ['coffee'] } });
      expect(hitOf(matchRule(r, ctx({ catalog, visit: tapped('E2', 'E4', 'E1') }))).tapped?.sku).toBe('E4');
      expect(hitOf(matchRule(r, ctx({ catalog, visit: tapped('E2', 'E3', 'E4') }))).tapped?.sku).toBe('E3');
    });
    it('no taps, or no visit, no match', () => {
      const r = rule({ trigger: { type: 'eslTap' } });
      expectNo(matchRule(r, ctx({ catalog, visit: tapped() })), /no shelf label tapped this visit/);
      expectNo(matchRule(r, ctx({ catalog, visit: undefined })), /no shelf label tapped/);
    });
  });

  describe('lifeStage', () => {
    const catalog = indexCatalog([
      item('L1', 'baby', { lifeStages: ['newborn'] }),
      item('L2', 'baby', { lifeStages: ['newborn', 'toddler'] }),
      item('L3', 'toys', { lifeStages: ['toddler'] }),
      item('L4', 'baby', { lifeStages: ['newborn'], inStock: false }),
      item('L5', 'baby'),
    ]);
    it('any stage: returns the in-stock items staged for the shopper\'s stage', () => {
      const r = rule({ trigger: { type: 'lifeStage' } });
      const hit = hitOf(matchRule(r, ctx({ catalog, profile: shopper({ lifeStage: 'newborn' }) })));
      expect(hit.type).toBe('lifeStage');
      expect(hit.stage).toBe('newborn');
      expect(hit.items.map((i) => i.sku)).toEqual(['L1', 'L2']);
      const toddler = hitOf(matchRule(r, ctx({ catalog, profile: shopper({ lifeStage: 'toddler' }) })));
      expect(toddler.items.map((i) => i.sku)).toEqual(['L2', 'L3']);
    });
    it('a stages list', () => {
      const r = rule({ trigger: { type: 'lifeStage', stages: ['expecting', 'toddler'] } });
      expect(hitOf(matchRule(r, ctx({ catalog, profile: shopper({ lifeStage: 'toddler' }) }))).stage).toBe('toddler');
      expectNo(matchRule(r, ctx({ catalog, profile: shopper({ lifeStage: 'newborn' }) })), /life stage newborn not in \[expecting, toddler\]/);
    });
    it('matches a stage no item is staged for, with no items', () => {
      const r = rule({ trigger: { type: 'lifeStage' } });
      const hit = hitOf(matchRule(r, ctx({ catalog, profile: shopper({ lifeStage: 'expecting' }) })));
      expect(hit.items).toEqual([]);
    });
    it('no life stage on the profile, no match', () => {
      expectNo(matchRule(rule({ trigger: { type: 'lifeStage' } }), ctx({ catalog })), /no life stage on the profile/);
    });
  });

  it('targeting is checked before the trigger', () => {
    const r = rule({ target: { tiers: ['gold'] }, trigger: { type: 'winback', lifecycle: ['dormant'] } });
    expectNo(matchRule(r, ctx({ profile: shopper({ lifecycle: 'dormant' }) })), /tier member not in \[gold\]/);
    expect(matchRule(r, ctx({ profile: shopper({ lifecycle: 'dormant', tier: 'gold' }) })).matched).toBe(true);
  });
});
