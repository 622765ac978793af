import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Profile, Rule, RuleInput, StoreConfig, Visit, type Trigger } from '#contracts';
import { localTime } from '../rules/local-time.js';
import { matchRule, isShopperRule, type RuleContext } from '../rules/match.js';
import { indexCatalog } from '../scoring/catalog.js';
import { planVisit } from '../simulator/plan.js';
import { seededRandom } from '../simulator/random.js';
import { loadDemoShoppers } from '../simulator/start.js';
import { rebaseDemoProfile, rebaseDemoStore } from './rebase.js';
import { DEMO_RULES_PATH, demoRules } from './rules.js';

const DAY = 86_400_000;
const raw = JSON.parse(readFileSync(DEMO_RULES_PATH, 'utf8')) as unknown[];
const rules = demoRules();
const store = StoreConfig.parse(JSON.parse(readFileSync(new URL('./store.s-001.json', import.meta.url), 'utf8')));
const byId = (id: string) => rules.find((r) => r.ruleId === id)!;
const triggerOf = <T extends Trigger['type']>(type: T) => rules.find((r) => r.trigger?.type === type)!;

const zones = new Set(store.zones.map((z) => z.zoneId));
const screens = new Set(store.screens.map((s) => s.screenId));
const skus = new Map(store.catalog.map((c) => [c.sku, c]));
const categories = new Set(store.catalog.map((c) => c.category));
const labelled = new Map(store.labels.map((l) => [l.sku, l.zoneId]));

describe('demoRules', () => {
  it('loads 5–7 rules, each a valid RuleInput with its own id', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
    expect(rules.length).toBeLessThanOrEqual(7);
    for (const r of raw) expect(RuleInput.safeParse(r).error).toBeUndefined();
    const ids = rules.map((r) => r.ruleId);
    expect(ids.every((id) => typeof id === 'string' && id.startsWith('r-demo-'))).toBe(true);
    expect(new Set(ids).size).toBe(rules.length);
  });

  it('names the rule and field of a bad file', () => {
    expect(() => demoRules('[{"ruleId":"r-x","name":"x","actions":{"boost":[{"skus":["A"],"factor":50}]}}]')).toThrow(/rule 0 \(r-x\) actions\.boost\.0\.factor/);
    expect(() => demoRules('{')).toThrow(/not JSON/);
  });

  it('refers only to stores, zones, screens, categories and SKUs the demo store has', () => {
    for (const r of rules) {
      const t = r.target ?? {};
      const a = r.actions;
      for (const s of t.stores ?? []) expect(s).toBe(store.storeId);
      for (const z of t.zones ?? []) expect(zones.has(z), `${r.ruleId}: zone ${z}`).toBe(true);
      for (const s of t.screens ?? []) expect(screens.has(s), `${r.ruleId}: screen ${s}`).toBe(true);
      const cats = [...Object.keys(t.affinities ?? {}), ...(a.boost ?? []).flatMap((b) => b.categories ?? []), ...(a.exclude?.categories ?? []),
        ...(r.trigger?.type === 'eslTap' ? r.trigger.categories ?? [] : [])];
      for (const c of cats) expect(categories.has(c), `${r.ruleId}: category ${c}`).toBe(true);
      const named = [...(a.pin ?? []), ...(a.boost ?? []).flatMap((b) => b.skus ?? []), ...(a.exclude?.skus ?? []),
        ...(r.trigger?.type === 'eslTap' ? r.trigger.skus ?? [] : [])];
      for (const s of named) expect(skus.has(s), `${r.ruleId}: sku ${s}`).toBe(true);
      for (const s of a.pin ?? []) expect(skus.get(s)!.inStock, `${r.ruleId}: pinned ${s} out of stock`).toBe(true);
    }
  });

  it('covers the triggers the demo can show, a place rule with hours and a place exclusion', () => {
    expect(new Set(rules.map((r) => r.trigger?.type).filter(Boolean))).toEqual(new Set(['birthday', 'dwell', 'winback', 'newArrivals', 'eslTap']));
    const place = rules.map((r) => Rule.parse({ ...r, version: 1, updatedAt: 0, updatedBy: 't' })).filter((r) => !isShopperRule(r));
    expect(place.some((r) => r.target.hours && r.actions.boost?.length)).toBe(true);
    expect(place.some((r) => r.actions.exclude)).toBe(true);
  });

  it('speaks English, German and Chinese in at least one rule', () => {
    const full = (t: unknown) => typeof t === 'object' && t !== null && ['en', 'de', 'zh-CN'].every((k) => k in t);
    expect(rules.some((r) => full(r.actions.headline) && full(r.actions.badge))).toBe(true);
  });

  it('shows the birthday treat once per visit and once a day', () => {
    expect(triggerOf('birthday').caps).toMatchObject({ perShopperPerVisit: 1, perShopperPerDay: 1 });
  });

  it('pins a promotion of the dwell zone, once per visit', () => {
    const r = triggerOf('dwell');
    const zone = store.zones.find((z) => z.zoneId === r.target!.zones![0])!;
    expect(r.target!.zones).toHaveLength(1);
    const pinned = r.actions.pin!.map((s) => skus.get(s)!);
    expect(pinned.some((c) => c.promo && zone.categories.includes(c.category))).toBe(true);
    expect(r.caps?.perShopperPerVisit).toBe(1);
  });

  it('waits for taps on SKUs that have a shelf label in the zones it shows on', () => {
    const r = triggerOf('eslTap');
    const t = r.trigger as Extract<Trigger, { type: 'eslTap' }>;
    for (const s of t.skus!) {
      expect(labelled.has(s), `no label for ${s}`).toBe(true);
      expect(r.target!.zones).toContain(labelled.get(s));
    }
    for (const s of r.actions.pin!) expect(t.skus).not.toContain(s);
  });
});

describe('the demo rules on the demo store', () => {
  const now = Date.parse('2026-11-30T09:30:00Z'); // a Monday, 09:30 in London
  const rebased = rebaseDemoStore(store, now);
  const catalog = indexCatalog(rebased.catalog);
  const stored = (r: RuleInput) => Rule.parse({ ...r, version: 1, updatedAt: 0, updatedBy: 'test' });
  const profiles = readFileSync(new URL('./profiles.ndjson', import.meta.url), 'utf8').trim().split('\n')
    .map((l) => rebaseDemoProfile(Profile.parse(JSON.parse(l)), now)).filter((p) => p.consent.personalization);
  const visit = (v: Partial<Visit>): Visit => Visit.parse({ storeId: 's-001', deviceId: 'd-1', enteredAt: now - 300_000, lastSeenAt: now, lastEventTs: now,
    zoneId: 'z-entrance', zoneEnteredAt: now - 5_000, dwellMs: {}, zonesVisited: ['z-entrance'], eslSkus: [], eslCount: 0, ...v });
  const ctx = (c: Partial<RuleContext>): RuleContext => ({ storeId: 's-001', zoneId: 'z-entrance', screenId: 'scr-entrance-1', mode: 'shopper',
    now, local: localTime(now, rebased.timezone), catalog, ...c });

  it('finds new arrivals for real shoppers once the store is rebased', () => {
    const r = stored(triggerOf('newArrivals'));
    const hits = profiles.map((p) => matchRule(r, ctx({ profile: p, visit: visit({ customerId: p.customerId }) }))).filter((m) => m.matched);
    expect(hits.length).toBeGreaterThan(profiles.length / 2);
    // Without rebasing, nothing in the catalog arrived in the last 30 days.
    const stale = indexCatalog(store.catalog);
    expect(profiles.some((p) => matchRule(r, ctx({ profile: p, catalog: stale })).matched)).toBe(false);
  });

  it('gives the birthday treat in the week before a real member\'s birthday, not after', () => {
    const r = stored(triggerOf('birthday'));
    const p = profiles.find((x) => x.birthday && x.birthday !== '02-29')!;
    const day = Date.parse(`2026-${p.birthday}T12:00:00Z`);
    const at = (t: number) => matchRule(r, ctx({ now: t, local: localTime(t, rebased.timezone), profile: p, visit: visit({ customerId: p.customerId }) })).matched;
    expect([at(day - 6 * DAY), at(day), at(day + 2 * DAY)]).toEqual([true, true, false]);
  });

  it('welcomes back dormant and churned members at the entrance', () => {
    const r = stored(byId('r-demo-winback'));
    const lapsed = profiles.filter((p) => p.lifecycle === 'dormant' || p.lifecycle === 'churned');
    expect(lapsed.length).toBeGreaterThan(10);
    expect(matchRule(r, ctx({ profile: lapsed[0], visit: visit({ customerId: lapsed[0]!.customerId }) })).matched).toBe(true);
  });

  it('fires the dwell offer after 20 s in Home, and the pairing after a cakestand tap', () => {
    const p = profiles[0]!;
    const dwell = stored(triggerOf('dwell'));
    const home = { zoneId: 'z-home', screenId: 'scr-home-1', profile: p };
    expect(matchRule(dwell, ctx({ ...home, visit: visit({ customerId: p.customerId, zoneId: 'z-home', zoneEnteredAt: now - 21_000 }) })).matched).toBe(true);
    expect(matchRule(dwell, ctx({ ...home, visit: visit({ customerId: p.customerId, zoneId: 'z-home', zoneEnteredAt: now - 12_000 }) })).matched).toBe(false);
    const tap = stored(triggerOf('eslTap'));
    const m = matchRule(tap, ctx({ profile: p, visit: visit({ customerId: p.customerId, eslSkus: ['SKU-22423'], eslCount: 1 }) }));
    expect(m.matched && m.hit?.tapped?.name).toBe('Regency Cakestand 3 Tier');
  });

  it('boosts breakfast in the kitchen only in the morning, and keeps Christmas at the entrance', () => {
    const breakfast = stored(byId('r-demo-breakfast'));
    const kitchen = { zoneId: 'z-kitchen', screenId: 'scr-kitchen-1', mode: 'idle' as const };
    expect(matchRule(breakfast, ctx(kitchen)).matched).toBe(true);
    const noon = Date.parse('2026-11-30T12:00:00Z');
    expect(matchRule(breakfast, ctx({ ...kitchen, now: noon, local: localTime(noon, rebased.timezone) })).matched).toBe(false);
    const christmas = stored(byId('r-demo-christmas-at-entrance'));
    expect(matchRule(christmas, ctx(kitchen)).matched).toBe(true);
    expect(matchRule(christmas, ctx({ mode: 'idle' })).matched).toBe(false);
  });
});

describe('the simulator against the demo rules', () => {
  // The demo's simulated shoppers (engine/simulator, speed 4 as in `npm start`) must reach the rules'
  // thresholds: dwell is measured from the first ping in a zone to the first ping elsewhere.
  const shoppers = loadDemoShoppers();
  const random = seededRandom(42);
  const plans = Array.from({ length: 400 }, () => planVisit({ store, shoppers, random, start: 0, speed: 4 }));

  it('stays long enough in the dwell zone often', () => {
    const r = triggerOf('dwell');
    const t = r.trigger as Extract<Trigger, { type: 'dwell' }>;
    const zone = r.target!.zones![0]!;
    const stays: number[] = [];
    for (const p of plans) {
      const moves = p.events.filter((e) => e.type === 'presence');
      const i = moves.findIndex((e) => e.type === 'presence' && e.zoneId === zone);
      if (i < 0) continue;
      const out = moves.slice(i).find((e) => e.type === 'presence' && e.zoneId !== zone)!;
      stays.push(out.ts - moves[i]!.ts);
    }
    expect(stays.length).toBeGreaterThan(50);
    expect(stays.filter((ms) => ms >= t.seconds * 1000).length / stays.length).toBeGreaterThan(0.15);
  });

  it('taps the labels of the pairing rule', () => {
    const t = triggerOf('eslTap').trigger as Extract<Trigger, { type: 'eslTap' }>;
    const labels = new Set(store.labels.filter((l) => t.skus!.includes(l.sku)).map((l) => l.labelId));
    const tapped = plans.filter((p) => p.events.some((e) => e.type === 'esl' && labels.has(e.labelId)));
    expect(tapped.length / plans.length).toBeGreaterThan(0.05);
  });
});
