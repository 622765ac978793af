import { describe, expect, it } from 'vitest';
import { Experiment, Profile, Rule, ScreenContent, StoreConfig, type RuleInput, type Visit } from '#contracts';
import { createCapsLedger, NO_CAPS, type CapsView } from '../rules/caps.js';
import { rankHeuristic } from '../scoring/heuristic.js';
import type { RankRequest } from '../scoring/types.js';
import { indexStore } from '../stores/registry.js';
import type { ZoneShopper } from './consent.js';
import { decideZone, EMPTY_ZONE, type ZoneMemory } from './zone-decision.js';

const item = (sku: string, category: string, extra: object = {}) => ({ sku, name: `${category} ${sku}`, category, price: 4, ...extra });
const config = (extra: object = {}) => StoreConfig.parse({
  storeId: 's-001', name: 'Test', currency: 'EUR', timezone: 'Europe/Berlin',
  zones: [{ zoneId: 'z-k', name: 'Kitchen', categories: ['kitchen', 'candles'] }, { zoneId: 'z-kids', name: 'Kids', categories: ['toys'] }],
  screens: [{ screenId: 'scr-k-1', zoneId: 'z-k', slots: 4 }, { screenId: 'scr-kids', zoneId: 'z-kids', slots: 4 }],
  catalog: [
    ...Array.from({ length: 6 }, (_, i) => item(`K-${i}`, 'kitchen', i < 4 ? { family: 'lunch bag', name: `Lunch Bag ${i}` } : {})),
    ...Array.from({ length: 4 }, (_, i) => item(`C-${i}`, 'candles', i === 0 ? { memberPrice: 3 } : {})),
    ...Array.from({ length: 4 }, (_, i) => item(`T-${i}`, 'toys')),
    item('W-1', 'wine'), item('W-2', 'wine'),
  ],
  ...extra,
});
const NOW = Date.UTC(2026, 10, 23, 12);
const visit = (deviceId: string, customerId?: string, extra: Partial<Visit> = {}): Visit => ({ storeId: 's-001', deviceId, customerId, enteredAt: NOW - 60_000,
  lastSeenAt: NOW, lastEventTs: NOW, zoneId: 'z-k', zoneEnteredAt: NOW - 60_000, dwellMs: {}, zonesVisited: ['z-k'], eslSkus: [], eslCount: 0, ...extra });
const prof = (id: string, consent: [boolean, boolean] = [true, true], extra: object = {}) => Profile.parse({ customerId: id, displayName: 'Mia',
  lifecycle: 'active', affinities: { candles: 1 }, recentSkus: ['C-1'], consent: { personalization: consent[0], displayName: consent[1], associateAlerts: false }, ...extra });
const rank = async (req: RankRequest) => ({ items: rankHeuristic(req), ranker: 'heuristic' });
const rule = (r: Partial<RuleInput> & { ruleId: string }) => Rule.parse({ name: r.ruleId, actions: {}, version: 1, updatedAt: 0, updatedBy: 'test', ...r });

type Opts = { shoppers?: ZoneShopper[]; rules?: Rule[]; experiments?: Experiment[]; caps?: CapsView; memory?: ZoneMemory; now?: number; zoneId?: string; store?: StoreConfig; force?: boolean; explain?: boolean };
async function decide(o: Opts = {}) {
  const store = indexStore(o.store ?? config());
  const zoneId = o.zoneId ?? 'z-k';
  return decideZone({ store, zone: store.zones.get(zoneId)!, screens: store.screensByZone.get(zoneId)!, shoppers: o.shoppers ?? [],
    rules: o.rules ?? [], experiments: o.experiments, caps: o.caps ?? NO_CAPS, memory: o.memory ?? EMPTY_ZONE, now: o.now ?? NOW, force: o.force, explain: o.explain }, rank);
}
const frameOf = async (o: Opts = {}) => (await decide(o)).screens[0]!.frame;

describe('decideZone: who the screen serves', () => {
  it('is idle with nobody in the zone, audience with anonymous shoppers', async () => {
    expect((await frameOf()).reason).toBe('idle');
    expect((await frameOf({ shoppers: [{ visit: visit('d1') }] })).reason).toBe('audience');
  });
  it('personalizes for a consenting shopper and greets by first name', async () => {
    const f = await frameOf({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }] });
    expect(f).toMatchObject({ reason: 'shopper', template: 'hero', greeting: 'Welcome back, Mia', headline: 'Picked for you' });
  });
  it('greets on the birthday in the store\'s time zone', async () => {
    expect((await frameOf({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true], { birthday: '11-23' }) }] })).greeting).toBe('Happy birthday, Mia!');
    // 23:30 UTC on 22 Nov is already 23 Nov in Berlin.
    const late = Date.UTC(2026, 10, 22, 23, 30);
    expect((await frameOf({ now: late, shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true], { birthday: '11-23' }) }] })).greeting).toBe('Happy birthday, Mia!');
  });
  it('personalizes without a name when displayName consent is missing, not at all without personalization consent', async () => {
    const f = await frameOf({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, false]) }] });
    expect(f.reason).toBe('shopper');
    expect(f.greeting).toBeUndefined();
    const g = await frameOf({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [false, true]) }] });
    expect(g.reason).toBe('audience');
    expect(JSON.stringify(g)).not.toContain('Mia');
  });
});

describe('decideZone: what a public screen may say', () => {
  const ALLOWED = ['sku', 'name', 'price', 'memberPrice', 'image', 'badge', 'note'];
  it('builds a valid frame with only shopper-facing item fields and no history or scores', async () => {
    const d = await decide({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true], { skuCounts: { 'C-1': 4 }, browsedSkus: ['C-2'] }) }] });
    const f = d.screens[0]!.frame;
    expect(ScreenContent.parse({ ...f, seq: 1, decisionId: 'dec-1' })).toBeTruthy();
    for (const i of f.items) expect(Object.keys(i).every((k) => ALLOWED.includes(k))).toBe(true);
    expect(JSON.stringify(f)).not.toMatch(/browsed|bought|affinity|score|4×/);
    // …while the internal reasons are there for the decision message and the preview.
    expect(d.screens[0]!.items.flatMap((i) => i.why).join(' ')).toMatch(/bought|browsed|affinity/);
  });
  it('says a stated interest in words and a member saving with a formatted price', async () => {
    const f = await frameOf({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }] });
    expect(f.items.find((i) => i.sku.startsWith('C-'))?.note).toBe('Because you like candles');
    const k = await frameOf({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1', [true, true], { affinities: {} }) }] });
    expect(k.items.find((i) => i.sku === 'C-0')?.note).toBe('Members save €1.00');
  });
  it('speaks the store\'s language: catalog words, category labels, the frame\'s locale', async () => {
    const de = await frameOf({ store: config({ locale: 'de-DE', categoryLabels: { de: { candles: 'Kerzen' } } }), shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }] });
    expect(de).toMatchObject({ locale: 'de-DE', greeting: 'Willkommen zurück, Mia', headline: 'Für dich ausgesucht' });
    expect(de.items.find((i) => i.sku.startsWith('C-'))?.note).toBe('Weil du Kerzen magst');
    const zh = await frameOf({ store: config({ locale: 'zh-CN', categoryLabels: { 'zh-CN': { candles: '蜡烛' } } }), shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }] });
    expect(zh.headline).toBe('为您精选');
    expect(zh.items.find((i) => i.sku.startsWith('C-'))?.note).toBe('因为您喜欢蜡烛');
  });
});

describe('decideZone: idle and audience content', () => {
  it('fills every slot, from the zone first, with at most a third of a screen per product family', async () => {
    const f = await frameOf();
    expect(f.items).toHaveLength(4);
    expect(f.items.filter((i) => i.name.startsWith('Lunch Bag')).length).toBeLessThanOrEqual(1);
    expect(f.items.every((i) => /^(K|C)-/.test(i.sku))).toBe(true);
  });
  it('keeps content up for minDisplayMs while the shoppers in front stay the same, and re-sends nothing unchanged', async () => {
    const first = await decide({ shoppers: [{ visit: visit('d1') }] });
    expect(first.screens[0]!.send).toBe(true);
    const again = await decide({ shoppers: [{ visit: visit('d1') }, { visit: visit('d2') }], memory: first.memory, now: NOW + 1000 });
    expect(again.screens).toHaveLength(0); // nothing to decide: same consenting crowd, same rules, same page
    const changed = await decide({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }], memory: first.memory, now: NOW + 1000 });
    expect(changed.screens[0]).toMatchObject({ mode: 'shopper', send: true });
  });
  it('re-sends unchanged content before its TTL runs out as the same decision', async () => {
    const first = await decide({ shoppers: [{ visit: visit('d1') }] });
    const again = await decide({ shoppers: [{ visit: visit('d1') }], memory: first.memory, now: NOW + 16_000 }); // audience TTL 30 s
    expect(again.screens[0]).toMatchObject({ send: true, refresh: true });
    expect(again.screens[0]!.frame.decisionId).toBe(first.screens[0]!.frame.decisionId);
    const other = await decide({ shoppers: [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }], memory: first.memory, now: NOW + 16_000 });
    expect(other.screens[0]!.refresh).toBe(false);
    expect(other.screens[0]!.frame.decisionId).not.toBe(first.screens[0]!.frame.decisionId);
  });
  it('rotates idle content once per idleRotateMs', async () => {
    const first = await decide();
    const later = await decide({ memory: first.memory, now: NOW + 60_000 });
    expect(later.screens[0]!.send).toBe(true);
    expect(later.screens[0]!.frame.items.map((i) => i.sku)).not.toEqual(first.screens[0]!.frame.items.map((i) => i.sku));
  });
});

describe('decideZone: personal turns', () => {
  it('gives each of five consenting shoppers near one screen a personal turn (injected clock, no sleeps)', async () => {
    const shoppers = Array.from({ length: 5 }, (_, i) => ({ visit: visit(`d${i}`, `c-${i}`, { zoneEnteredAt: NOW - 60_000 + i * 100 }), profile: prof(`c-${i}`) }));
    let memory = EMPTY_ZONE;
    const served: string[] = [];
    for (let t = 0; t < 5; t++) {
      const d = await decide({ shoppers, memory, now: NOW + t * 8000 });
      memory = d.memory;
      for (const s of d.screens) if (s.send && s.customerId) served.push(s.customerId);
      expect(d.wakeAt).toBeLessThanOrEqual(NOW + (t + 1) * 8000);
    }
    expect(served).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
  });
  it('shows audience content instead of turns above the audience threshold', async () => {
    const shoppers = Array.from({ length: 7 }, (_, i) => ({ visit: visit(`d${i}`, `c-${i}`), profile: prof(`c-${i}`) }));
    const f = await frameOf({ shoppers });
    expect(f).toMatchObject({ reason: 'audience', headline: 'Popular with shoppers like you' });
    expect(f.greeting).toBeUndefined();
  });
});

describe('decideZone: merchandiser rules', () => {
  it('excludes in every mode, so no wine reaches the kids\' zone screens', async () => {
    const noWine = rule({ ruleId: 'r-no-wine', target: { zones: ['z-kids'] }, actions: { exclude: { categories: ['wine'] } } });
    const boostWine = rule({ ruleId: 'r-wine', actions: { boost: [{ categories: ['wine'], factor: 10 }] } });
    const kids = await frameOf({ zoneId: 'z-kids', rules: [noWine, boostWine] });
    expect(kids.items.some((i) => i.sku.startsWith('W-'))).toBe(false);
    const kitchen = await frameOf({ rules: [noWine, boostWine] });
    expect(kitchen.items.some((i) => i.sku.startsWith('W-'))).toBe(true);
  });
  it('pins by priority, uses the rule\'s headline and badge in the store\'s language, and reports every rule', async () => {
    const low = rule({ ruleId: 'r-low', priority: 10, actions: { pin: ['T-1'] } });
    const high = rule({ ruleId: 'r-high', priority: 50, actions: { pin: ['T-3'], headline: { en: 'Toy week', de: 'Spielzeugwoche' }, badge: 'Top' } });
    const off = rule({ ruleId: 'r-off', enabled: false, actions: { pin: ['T-2'] } });
    const d = await decide({ store: config({ locale: 'de-DE' }), rules: [low, high, off], explain: true });
    const s = d.screens[0]!;
    expect(s.frame.items.slice(0, 2).map((i) => i.sku)).toEqual(['T-3', 'T-1']);
    expect(s.frame.headline).toBe('Spielzeugwoche');
    expect(s.frame.items[0]!.badge).toBe('Top');
    expect(s.rules).toEqual(['r-high', 'r-low']);
    expect(s.outcomes.find((o) => o.ruleId === 'r-off')?.status).toBe('disabled');
  });
  it('stops a rule at its cap per screen per hour, and says so', async () => {
    const ledger = createCapsLedger();
    const capped = rule({ ruleId: 'r-cap', actions: { pin: ['T-0'] }, caps: { perScreenPerHour: 2 } });
    let memory = EMPTY_ZONE;
    const pinned: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await decide({ rules: [capped], caps: ledger, memory, now: NOW + i * 61_000, force: true });
      memory = d.memory;
      const s = d.screens[0]!;
      if (s.send) ledger.add(s.capKeys);
      pinned.push(s.frame.items[0]!.sku === 'T-0');
    }
    expect(pinned).toEqual([true, true, false]);
    const d = await decide({ rules: [capped], caps: ledger, now: NOW + 3 * 61_000, explain: true });
    expect(d.screens[0]!.outcomes[0]).toMatchObject({ status: 'capped' });
  });
  it('wakes the zone when a dwell trigger will fire, and then shows its offer', async () => {
    const dwell = rule({ ruleId: 'r-dwell', trigger: { type: 'dwell', seconds: 90 }, actions: { pin: ['C-3'] } });
    const shoppers = [{ visit: visit('d1', 'c-1'), profile: prof('c-1') }]; // 60 s in the zone so far
    const before = await decide({ shoppers, rules: [dwell] });
    expect(before.screens[0]!.frame.items[0]!.sku).not.toBe('C-3');
    expect(before.wakeAt).toBe(NOW + 8000); // the turn ends first…
    const d2 = await decide({ shoppers, rules: [dwell], memory: before.memory, now: NOW + 8000 });
    expect(d2.wakeAt).toBeLessThanOrEqual(NOW + 30_000); // …then the dwell threshold at +30 s
    const after = await decide({ shoppers, rules: [dwell], memory: d2.memory, now: NOW + 30_000 });
    expect(after.screens[0]!.frame).toMatchObject({ headline: 'Take a closer look' });
    expect(after.screens[0]!.frame.items[0]!.sku).toBe('C-3');
  });
});

describe('decideZone: experiments', () => {
  const pin = rule({ ruleId: 'r-pin', target: { tiers: ['member', 'silver', 'gold', 'platinum'] }, actions: { pin: ['T-2'] } });
  const exp = (over: Partial<Experiment> = {}) => Experiment.parse({ experimentId: 'x-pin', name: 'Pin test', status: 'running', ruleId: 'r-pin',
    arms: [{ armId: 'treatment', name: 'On', share: 0.5, rule: 'on' }, { armId: 'holdout', name: 'Holdout', share: 0.5, rule: 'off' }],
    attributionHours: 24, version: 1, updatedAt: 0, updatedBy: 't', ...over });
  const turnOf = async (id: string, experiments: Experiment[]) =>
    (await decide({ rules: [pin], experiments, shoppers: [{ visit: visit(`d-${id}`, id), profile: prof(id) }], explain: true })).screens[0]!;

  it('splits personal turns into arms: the holdout never gets the rule, both arms are recorded', async () => {
    const seen = { treatment: 0, holdout: 0 };
    for (let i = 0; i < 40; i++) {
      const s = await turnOf(`c-${i}`, [exp()]);
      const arm = s.arms['x-pin'] as 'treatment' | 'holdout';
      seen[arm]++;
      expect(s.frame.items[0]!.sku === 'T-2').toBe(arm === 'treatment');
      expect(s.outcomes.find((o) => o.ruleId === 'r-pin')!.status).toBe(arm === 'treatment' ? 'matched' : 'holdout');
      expect((await turnOf(`c-${i}`, [exp()])).arms['x-pin']).toBe(arm); // sticky
    }
    expect(seen.treatment).toBeGreaterThan(5);
    expect(seen.holdout).toBeGreaterThan(5);
  });
  it('splits nobody when paused, outside its dates, or in another store; the rule then applies to all', async () => {
    for (const e of [exp({ status: 'paused' }), exp({ endAt: NOW - 1 }), exp({ startAt: NOW + 1 }), exp({ stores: ['s-other'] })]) {
      for (let i = 0; i < 10; i++) {
        const s = await turnOf(`c-${i}`, [e]);
        expect(s.arms).toEqual({});
        expect(s.frame.items[0]!.sku).toBe('T-2');
      }
    }
  });
  it('records no arm for audience or idle content', async () => {
    const d = await decide({ rules: [pin], experiments: [exp()], shoppers: [{ visit: visit('d1') }] });
    expect(d.screens[0]!.arms).toEqual({});
  });
});

describe('decideZone: model experiments', () => {
  const modelExp = (over: Partial<Experiment> = {}) => Experiment.parse({ experimentId: 'x-model', name: 'New model', status: 'running', kind: 'model',
    arms: [{ armId: 'treatment', name: 'New', share: 0.5, model: 'v2' }, { armId: 'holdout', name: 'Current', share: 0.5, model: 'v1' }],
    attributionHours: 24, version: 1, updatedAt: 0, updatedBy: 't', ...over });
  /** A ranker that holds the versions in `held`: it names the version that really ranked, like engine/scoring does. */
  const rankHolding = (held: string[], asked: (string | undefined)[]) => async (req: RankRequest) => {
    asked.push(req.modelVersion);
    const v = req.modelVersion && held.includes(req.modelVersion) ? req.modelVersion : 'v1';
    return { items: rankHeuristic(req), ranker: req.profile ? `model:ranker@${v}` : 'heuristic' };
  };
  const turn = async (id: string, experiments: Experiment[], held = ['v1', 'v2'], asked: (string | undefined)[] = []) => {
    const store = indexStore(config());
    return (await decideZone({ store, zone: store.zones.get('z-k')!, screens: store.screensByZone.get('z-k')!, rules: [], experiments, caps: NO_CAPS,
      memory: EMPTY_ZONE, now: NOW, shoppers: [{ visit: visit(`d-${id}`, id), profile: prof(id) }] }, rankHolding(held, asked))).screens[0]!;
  };

  it('ranks each shopper\'s personal turn with the version of their arm, sticky, and records the arm', async () => {
    const seen = { treatment: 0, holdout: 0 };
    for (let i = 0; i < 40; i++) {
      const asked: (string | undefined)[] = [];
      const s = await turn(`c-${i}`, [modelExp()], ['v1', 'v2'], asked);
      const arm = s.arms['x-model'] as 'treatment' | 'holdout';
      seen[arm]++;
      expect(asked).toEqual([arm === 'treatment' ? 'v2' : 'v1']);
      expect(s.ranker).toBe(`model:ranker@${arm === 'treatment' ? 'v2' : 'v1'}`);
      expect((await turn(`c-${i}`, [modelExp()])).arms['x-model']).toBe(arm);
    }
    expect(seen.treatment).toBeGreaterThan(5);
    expect(seen.holdout).toBeGreaterThan(5);
  });
  it('leaves a shopper out of the experiment when their arm\'s version did not rank (not loaded)', async () => {
    let out = 0;
    for (let i = 0; i < 30; i++) {
      const s = await turn(`c-${i}`, [modelExp()], ['v1']);
      // Holdout shoppers (v1) are in; treatment shoppers were ranked by v1 instead of v2, so they are not counted.
      if (s.ranker.endsWith('@v1') && s.arms['x-model'] === undefined) out++;
      if (s.arms['x-model'] !== undefined) expect(s.arms['x-model']).toBe('holdout');
    }
    expect(out).toBeGreaterThan(5);
  });
  it('asks for no version when paused, in another store, or for audience content; runs beside a rule experiment', async () => {
    for (const e of [modelExp({ status: 'paused' }), modelExp({ stores: ['s-other'] })]) {
      const asked: (string | undefined)[] = [];
      expect((await turn('c-1', [e], ['v1', 'v2'], asked)).arms).toEqual({});
      expect(asked).toEqual([undefined]);
    }
    const store = indexStore(config());
    const asked: (string | undefined)[] = [];
    const d = await decideZone({ store, zone: store.zones.get('z-k')!, screens: store.screensByZone.get('z-k')!, rules: [], experiments: [modelExp()],
      caps: NO_CAPS, memory: EMPTY_ZONE, now: NOW, shoppers: [{ visit: visit('d1') }] }, rankHolding(['v1', 'v2'], asked));
    expect(d.screens[0]!.arms).toEqual({});
    expect(asked).toEqual([undefined]);
  });
});
