import { describe, expect, it } from 'vitest';
import { Profile, Rule, Visit, type RuleInput } from '#contracts';
import { indexCatalog } from '../scoring/catalog.js';
import { capChecks, createCapsLedger, NO_CAPS, reachedCap, type CapsLedger } from './caps.js';
import { localTime } from './local-time.js';
import type { RuleContext } from './match.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const NOW = at('2026-11-30T09:00:00Z');
const catalog = indexCatalog([{ sku: 'A1', name: 'A1', category: 'coffee', brand: '', price: 1, inStock: true }]);

const rule = (ruleId: string, caps?: RuleInput['caps']): Rule =>
  Rule.parse({ ruleId, name: ruleId, version: 1, updatedAt: 0, updatedBy: 'test', actions: {}, ...(caps ? { caps } : {}) });
const profile = (customerId = 'c-1') => Profile.parse({ customerId, consent: { personalization: true, displayName: false, associateAlerts: false } });
const visit = (v: Partial<Visit> = {}): Visit => Visit.parse({
  storeId: 's-001', deviceId: 'd-1', customerId: 'c-1', enteredAt: NOW - 600_000, lastSeenAt: NOW, lastEventTs: NOW,
  zoneId: 'z-a', zoneEnteredAt: NOW - 10_000, dwellMs: {}, zonesVisited: ['z-a'], eslSkus: [], eslCount: 0, ...v,
});

function ctx(over: Partial<RuleContext> & { tz?: string } = {}): RuleContext {
  const { tz = 'Europe/Berlin', ...rest } = over;
  const now = rest.now ?? NOW;
  return { storeId: 's-001', zoneId: 'z-a', screenId: 'scr-1', mode: 'shopper', profile: profile(), visit: visit(), catalog,
    now, local: localTime(now, tz), ...rest };
}
const keysOf = (r: Rule, c: RuleContext) => capChecks(r, c).map((k) => k.key);
/** What the decision core does when a rule shaped a frame. */
const show = (ledger: CapsLedger, r: Rule, c: RuleContext, times = 1) => { for (let i = 0; i < times; i++) ledger.add(keysOf(r, c)); };

describe('capChecks', () => {
  it('nothing for a rule without caps', () => {
    expect(capChecks(rule('r-1'), ctx())).toEqual([]);
    expect(capChecks(rule('r-1', {}), ctx())).toEqual([]);
  });

  it('one check per cap the rule has, with its limit', () => {
    const all = rule('r-1', { perShopperPerVisit: 1, perShopperPerDay: 2, perScreenPerHour: 30 });
    const checks = capChecks(all, ctx());
    expect(checks.map((c) => c.limit)).toEqual([1, 2, 30]);
    expect(checks.map((c) => c.label)).toEqual(['1 per shopper per visit', '2 per shopper per day', '30 per screen per hour']);
    expect(new Set(checks.map((c) => c.key)).size).toBe(3);
    for (const c of checks) expect(c.key).toContain('r-1');

    expect(capChecks(rule('r-2', { perShopperPerDay: 2 }), ctx()).map((c) => c.label)).toEqual(['2 per shopper per day']);
    expect(capChecks(rule('r-3', { perScreenPerHour: 5 }), ctx()).map((c) => c.label)).toEqual(['5 per screen per hour']);
    expect(capChecks(rule('r-4', { perShopperPerVisit: 3 }), ctx()).map((c) => c.label)).toEqual(['3 per shopper per visit']);
  });

  it('only the caps the context supports: no shopper caps without a shopper and visit', () => {
    const all = rule('r-1', { perShopperPerVisit: 1, perShopperPerDay: 2, perScreenPerHour: 30 });
    const audience = capChecks(all, ctx({ mode: 'audience', profile: undefined, visit: undefined }));
    expect(audience.map((c) => c.label)).toEqual(['30 per screen per hour']);
    // A profile but no visit: per day only
    expect(capChecks(all, ctx({ visit: undefined })).map((c) => c.label)).toEqual(['2 per shopper per day', '30 per screen per hour']);
    // A visit without a profile: nothing per shopper
    expect(capChecks(all, ctx({ profile: undefined })).map((c) => c.label)).toEqual(['30 per screen per hour']);
  });

  it('keys differ between rules', () => {
    const c = ctx();
    const a = keysOf(rule('r-a', { perShopperPerVisit: 1, perShopperPerDay: 1, perScreenPerHour: 1 }), c);
    const b = keysOf(rule('r-b', { perShopperPerVisit: 1, perShopperPerDay: 1, perScreenPerHour: 1 }), c);
    for (const k of a) expect(b).not.toContain(k);
  });
});

describe('reachedCap', () => {
  it('nothing is reached with no counts', () => {
    expect(reachedCap(rule('r-1', { perShopperPerVisit: 1, perShopperPerDay: 1, perScreenPerHour: 1 }), ctx(), NO_CAPS)).toBeUndefined();
    expect(reachedCap(rule('r-1'), ctx(), createCapsLedger())).toBeUndefined();
  });

  it('per shopper per visit: reached at the limit, reset by a new visit', () => {
    const ledger = createCapsLedger();
    const r = rule('r-1', { perShopperPerVisit: 2 });
    const c = ctx();
    show(ledger, r, c);
    expect(reachedCap(r, c, ledger)).toBeUndefined();
    show(ledger, r, c);
    expect(reachedCap(r, c, ledger)).toBe('shown 2×: cap 2 per shopper per visit');
    // Later in the same visit, in another zone and screen: still reached
    expect(reachedCap(r, ctx({ now: NOW + HOUR, zoneId: 'z-b', screenId: 'scr-9' }), ledger)).toMatch(/per shopper per visit/);
    // The next visit (a new enteredAt) starts again
    const next = ctx({ now: NOW + 2 * HOUR, visit: visit({ enteredAt: NOW + HOUR }) });
    expect(reachedCap(r, next, ledger)).toBeUndefined();
    // Another device's visit is not affected
    expect(reachedCap(r, ctx({ visit: visit({ deviceId: 'd-2' }) }), ledger)).toBeUndefined();
    // Nor another rule
    expect(reachedCap(rule('r-2', { perShopperPerVisit: 2 }), c, ledger)).toBeUndefined();
  });

  it('per shopper per day: reached at the limit, across visits; the next store-local day resets it', () => {
    const ledger = createCapsLedger();
    const r = rule('r-1', { perShopperPerDay: 1 });
    const tz = 'Asia/Shanghai';
    // 2026-11-29T17:00Z is 01:00 on 30 November in Shanghai; 2026-11-30T15:00Z is 23:00 the same local day.
    const early = ctx({ tz, now: at('2026-11-29T17:00:00Z'), visit: visit({ enteredAt: at('2026-11-29T16:50:00Z') }) });
    const late = ctx({ tz, now: at('2026-11-30T15:00:00Z'), visit: visit({ enteredAt: at('2026-11-30T14:50:00Z') }) });
    expect(early.local.date).toBe('2026-11-30');
    expect(late.local.date).toBe('2026-11-30');
    show(ledger, r, early);
    // Another UTC date, another visit, the same local day: reached
    expect(reachedCap(r, late, ledger)).toBe('shown 1×: cap 1 per shopper per day');
    // 2026-11-30T16:30Z: the same UTC date as `late`, but already 1 December in Shanghai
    const nextDay = ctx({ tz, now: at('2026-11-30T16:30:00Z') });
    expect(nextDay.local.date).toBe('2026-12-01');
    expect(reachedCap(r, nextDay, ledger)).toBeUndefined();
    // Another shopper the same day is not affected
    expect(reachedCap(r, ctx({ tz, now: at('2026-11-30T15:00:00Z'), profile: profile('c-2') }), ledger)).toBeUndefined();
  });

  it('per screen per hour: reached at the limit within the local hour; the next hour and other screens are free', () => {
    const ledger = createCapsLedger();
    const r = rule('r-1', { perScreenPerHour: 3 });
    const c = ctx({ mode: 'idle', profile: undefined, visit: undefined }); // 10:00 Berlin
    show(ledger, r, c, 2);
    expect(reachedCap(r, c, ledger)).toBeUndefined();
    show(ledger, r, c);
    expect(reachedCap(r, c, ledger)).toBe('shown 3×: cap 3 per screen per hour');
    const endOfHour = ctx({ mode: 'idle', profile: undefined, visit: undefined, now: NOW + HOUR - 60_000 }); // 10:59
    expect(reachedCap(r, endOfHour, ledger)).toMatch(/per screen per hour/);
    // The same rule counts shoppers' turns on this screen too
    expect(reachedCap(r, ctx(), ledger)).toMatch(/per screen per hour/);
    expect(reachedCap(r, ctx({ now: NOW + HOUR }), ledger)).toBeUndefined(); // 11:00
    expect(reachedCap(r, ctx({ screenId: 'scr-2' }), ledger)).toBeUndefined();
    // The same hour on the next day is another hour
    expect(reachedCap(r, ctx({ now: NOW + 24 * HOUR }), ledger)).toBeUndefined();
  });

  it('gives the first cap reached', () => {
    const ledger = createCapsLedger();
    const r = rule('r-1', { perShopperPerVisit: 5, perShopperPerDay: 5, perScreenPerHour: 1 });
    show(ledger, r, ctx());
    expect(reachedCap(r, ctx(), ledger)).toBe('shown 1×: cap 1 per screen per hour');
    show(ledger, r, ctx({ screenId: 'scr-2' }), 4);
    expect(reachedCap(r, ctx({ screenId: 'scr-3' }), ledger)).toBe('shown 5×: cap 5 per shopper per visit');
  });
});

describe('createCapsLedger', () => {
  it('counts each rule in each scope', () => {
    const l = createCapsLedger();
    expect(l.count('r-a', 's1')).toBe(0);
    l.add(['r-a|s1', 'r-b|s1']);
    l.add(['r-a|s1', 'r-a|s2']);
    expect(l.count('r-a', 's1')).toBe(2);
    expect(l.count('r-b', 's1')).toBe(1);
    expect(l.count('r-a', 's2')).toBe(1);
    expect(l.count('r-b', 's2')).toBe(0);
    expect(l.count('r-c', 's1')).toBe(0);
    l.add([]);
    expect(l.count('r-a', 's1')).toBe(2);
  });

  it('a scope may hold "|" (store and device ids do not, but a scope is split at the first one only)', () => {
    const l = createCapsLedger();
    l.add(['r-a|visit|s-1|d-1|5']);
    expect(l.count('r-a', 'visit|s-1|d-1|5')).toBe(1);
  });

  it('stays bounded: old scopes are forgotten, recent ones kept, without throwing', () => {
    const capacity = 10;
    const l = createCapsLedger(capacity);
    const scopes = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    expect(() => { for (const k of scopes) l.add([`r|${k}`]); }).not.toThrow();
    const remembered = scopes.filter((k) => l.count('r', k) > 0);
    expect(remembered.length).toBeLessThanOrEqual(capacity);
    expect(remembered.length).toBeGreaterThan(0);
    expect(l.count('r', 'k0')).toBe(0);
    expect(l.count('r', 'k999')).toBe(1);
    // Still counts correctly after evictions
    l.add(['r|k999']);
    expect(l.count('r', 'k999')).toBe(2);
  });

  it('a scope in use survives others coming and going', () => {
    const l = createCapsLedger(10);
    l.add(['r|hot']);
    for (let i = 0; i < 100; i++) { l.add([`r|cold${i}`]); l.add(['r|hot']); }
    expect(l.count('r', 'hot')).toBe(101);
  });

  it('NO_CAPS counts nothing', () => {
    expect(NO_CAPS.count('r', 'anything')).toBe(0);
  });

  it('reachedCap reads what capChecks keys count', () => {
    const l = createCapsLedger();
    const r = rule('r-k', { perShopperPerVisit: 1, perShopperPerDay: 5, perScreenPerHour: 5 });
    const c = ctx();
    expect(reachedCap(r, c, l)).toBeUndefined();
    l.add(capChecks(r, ctx()).map((k) => k.key));
    expect(reachedCap(r, ctx(), l)).toBe('shown 1×: cap 1 per shopper per visit');
  });
});
