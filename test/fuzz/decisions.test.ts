import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ScreenContent, type CatalogItem, type Profile, type Rule, type StoreConfig } from '#contracts';
import type { ZoneShopper } from '../../engine/decisions/consent.js';
import { decideZone, EMPTY_ZONE, type ZoneMemory } from '../../engine/decisions/zone-decision.js';
import { byPriority, selects } from '../../engine/rules/apply.js';
import { createCapsLedger, reachedCap, type CapsView } from '../../engine/rules/caps.js';
import { localTime } from '../../engine/rules/local-time.js';
import { matchRule, type RuleContext } from '../../engine/rules/match.js';
import { rankHeuristic } from '../../engine/scoring/heuristic.js';
import type { RankRequest, RankResult } from '../../engine/scoring/types.js';
import { indexStore } from '../../engine/stores/registry.js';
import { fuzzParams, fuzzTimeout } from './runs.js';
import { installProcessGuard } from './support/guard.js';
import { asRule, envOf, NAME_MARK, shopperArb, smallStoreArb, validRuleInput } from './support/rules.js';

// The decision core (engine/decisions/zone-decision.ts, docs/decisions.md) as a property: pure and in
// process, so it runs at unit speed. Each run: a small generated store, one of its zones, 0–5 valid
// rules (every trigger), a pool of shoppers (members or not, every consent, visits, taps, signal
// strengths) of whom a changing subset stands in the zone over 1–4 decisions, cap counts, any instant
// 2020–2035 in any of eight time zones, and a ranker that is the heuristic or one that returns any
// catalog items (out of stock too) with any scores (NaN included). Every frame is checked against
// what docs/decisions.md and docs/rules.md promise.

const guard = installProcessGuard();
afterAll(() => guard.uninstall());

const T0 = Date.UTC(2020, 0, 1);
const T1 = Date.UTC(2035, 11, 31);

type Ranking = { kind: 'heuristic' } | { kind: 'any'; order: number[]; scores: number[] };
const rankingArb: fc.Arbitrary<Ranking> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'heuristic' as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('any' as const), order: fc.array(fc.nat({ max: 1000 }), { maxLength: 30 }),
    scores: fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(0, 1, Number.NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 30 }) }), weight: 1 },
);

/** The ranker: the real heuristic, or one that proposes any catalog items (out of stock too) in any order with any scores. */
function rankerOf(r: Ranking): (req: RankRequest) => Promise<RankResult> {
  if (r.kind === 'heuristic') return async (req) => ({ items: rankHeuristic(req), ranker: 'heuristic' });
  return async (req) => {
    const all = [...req.catalog.bySku.values()];
    const seen = new Set<string>();
    const items = r.order.flatMap((k, i) => {
      const item = all[k % Math.max(1, all.length)];
      if (!item || seen.has(item.sku)) return [];
      seen.add(item.sku);
      return [{ item, score: r.scores[i % r.scores.length]!, why: ['fuzz ranker'] }];
    }).slice(0, req.limit);
    return { items, ranker: 'fuzz' };
  };
}

type Case = {
  now: number; store: StoreConfig; zoneId: string; rules: Rule[]; ranking: Ranking; capBase: Record<string, number>;
  pool: ZoneShopper[]; steps: { dt: number; present: number[]; rssi: (number | undefined)[]; force: boolean }[];
};

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: T0, max: T1 }).chain((now) => smallStoreArb(now).map((store) => ({ now, store })))
  .chain(({ now, store }) => {
    const env = envOf(store);
    const zones = store.zones.map((z) => z.zoneId).filter((z) => store.screens.some((s) => s.zoneId === z));
    const categories = [...new Set(store.catalog.map((c) => c.category))];
    return fc.record({
      now: fc.constant(now), store: fc.constant(store),
      zoneId: fc.constantFrom(...zones),
      rules: fc.array(validRuleInput(env), { maxLength: 5 }),
      ranking: rankingArb,
      capBase: fc.dictionary(fc.constantFrom('r-0', 'r-1', 'r-2', 'r-3', 'r-4'), fc.nat({ max: 3 }), { maxKeys: 5 }),
      pool: fc.constantFrom(...zones).chain((z) => fc.array(shopperArb(z, store.zones.map((x) => x.zoneId), store.catalog.map((c) => c.sku), now, categories), { maxLength: 8 })),
      steps: fc.array(fc.record({ dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 200_000 })),
        present: fc.array(fc.nat({ max: 7 }), { maxLength: 8 }), rssi: fc.array(fc.option(fc.integer({ min: -100, max: -30 }), { nil: undefined }), { maxLength: 8 }),
        force: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    }).map((c) => {
      // Rule ids: the rule's own, else r-<n>; one rule per id (the snapshot holds one).
      const byId = new Map<string, Rule>();
      c.rules.forEach((input, i) => { const r = asRule(input, `r-${i}`); byId.set(r.ruleId, r); });
      // The pool stands in the chosen zone; one profile per customer, as the profile store gives it.
      const profiles = new Map<string, Profile | undefined>();
      const pool = c.pool.map((s) => {
        const visit = { ...s.visit, zoneId: c.zoneId, zonesVisited: [c.zoneId] };
        const id = visit.customerId;
        if (id && !profiles.has(id)) profiles.set(id, s.profile);
        return { visit, profile: id ? profiles.get(id) : undefined };
      });
      return { ...c, rules: [...byId.values()], pool };
    });
  });

/** What the runs exercised: a property that never met a personal turn or an applied trigger would prove little. */
const seen = new Map<string, number>();
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
/** Situations every CI-sized run (≥ 2,000 runs) must have met at least once (the rarest, an applied birthday trigger, comes ~40 times). */
const MUST_SEE = ['mode shopper', 'mode audience', 'mode idle', 'greeting', 'pins', 'exclusion hit', 'capped', 'short of items', 'minRssi turn',
  ...['birthday', 'dwell', 'winback', 'newArrivals', 'eslTap', 'lifeStage'].map((t) => `trigger ${t}`)];

describe('fuzz: the decision core', () => {
  it('decideZone never throws; every frame is valid, full, free of excluded items, pins first, names only with consent; one screen per shopper', async () => {
    const params = fuzzParams<[Case]>('core');
    await fc.assert(fc.asyncProperty(caseArb, async (c) => {
      const store = indexStore(c.store);
      const zone = store.zones.get(c.zoneId)!;
      const screens = store.screensByZone.get(c.zoneId)!;
      const rank = rankerOf(c.ranking);
      const ledger = createCapsLedger();
      const caps: CapsView = { count: (ruleId, scope) => (c.capBase[ruleId] ?? 0) + ledger.count(ruleId, scope) };
      let memory: ZoneMemory = EMPTY_ZONE;
      let now = c.now;
      for (const [n, step] of c.steps.entries()) {
        now += step.dt;
        const present = [...new Set(step.present)].filter((i) => i < c.pool.length);
        const shoppers: ZoneShopper[] = present.map((i, k) => {
          const s = c.pool[i]!;
          const rssi = step.rssi[k] ?? s.visit.rssi;
          return { profile: s.profile, visit: { ...s.visit, lastSeenAt: now, lastEventTs: now, ...(rssi !== undefined ? { rssi } : {}) } };
        });
        let d: Awaited<ReturnType<typeof decideZone>>;
        try {
          d = await decideZone({ store, zone, screens, shoppers, rules: c.rules, caps, memory, now, force: step.force }, rank);
        } catch (err) { throw new Error(`decideZone threw at step ${n}: ${(err as Error).stack}`); }
        const problems = checkDecision(c, store, shoppers, caps, now, d);
        expect(problems, `step ${n} at ${new Date(now).toISOString()} (${c.store.timezone}): ${problems.join('\n')}`).toEqual([]);
        for (const s of d.screens) if (s.send) ledger.add(s.capKeys);
        memory = d.memory;
      }
    }), params);
    guard.assertClean(0, 'the decision core');
    if (params.numRuns! >= 2000 && !params.path) {
      expect(MUST_SEE.filter((w) => !seen.has(w)), `situations never generated (seen: ${JSON.stringify(Object.fromEntries(seen))})`).toEqual([]);
    }
  }, fuzzTimeout('core', 20));
});

/** Everything a zone decision must hold; returns what it broke. */
function checkDecision(c: Case, store: ReturnType<typeof indexStore>, shoppers: readonly ZoneShopper[], caps: CapsView, now: number,
  d: Awaited<ReturnType<typeof decideZone>>): string[] {
  const out: string[] = [];
  const local = localTime(now, c.store.timezone);
  // The shopper a turn serves: the last visit of that customer whose profile allows personalization (zone-decision.ts planZone).
  const eligible = new Map<string, ZoneShopper>();
  for (const s of shoppers) if (s.visit.customerId && s.profile?.consent.personalization) eligible.set(s.visit.customerId, s);
  const slotsOf = new Map(c.store.screens.map((s) => [s.screenId, s]));
  const inStock = c.store.catalog.filter((i) => i.inStock);

  for (const s of d.screens) {
    const at = `${s.screenId} (${s.mode})`;
    const screen = slotsOf.get(s.screenId);
    if (!screen || screen.zoneId !== c.zoneId) { out.push(`${at}: not a screen of zone ${c.zoneId}`); continue; }
    const f = s.frame;
    const parsed = ScreenContent.safeParse({ ...f, seq: 1, decisionId: 'dec-fuzz' });
    if (!parsed.success) out.push(`${at}: frame fails ScreenContent: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
    if (f.screenId !== s.screenId || f.zoneId !== c.zoneId || f.storeId !== c.store.storeId || f.reason !== s.mode) out.push(`${at}: frame names ${f.screenId}/${f.zoneId}/${f.reason}`);
    for (const i of f.items) {
      if ((i.badge?.length ?? 0) > 24) out.push(`${at}: badge of ${i.badge!.length} characters on ${i.sku}`);
      if ((i.note?.length ?? 0) > 60) out.push(`${at}: note of ${i.note!.length} characters on ${i.sku}`);
    }
    const skus = f.items.map((i) => i.sku);
    if (new Set(skus).size !== skus.length) out.push(`${at}: an item twice: ${skus.join(',')}`);
    const notInStock = skus.filter((k) => !store.catalog.bySku.get(k)?.inStock);
    if (notInStock.length) out.push(`${at}: items not in stock or not in the catalog: ${notInStock.join(',')}`);

    // Who the screen serves: a consenting shopper in the zone (strong enough for minRssi), or nobody in particular.
    const who = s.mode === 'shopper' ? eligible.get(s.customerId ?? '') : undefined;
    if (s.mode === 'shopper') {
      if (!who) out.push(`${at}: personal turn for ${s.customerId}, who is not a consenting shopper in the zone`);
      else if (screen.minRssi !== undefined && !(who.visit.rssi !== undefined && who.visit.rssi >= screen.minRssi)) {
        out.push(`${at}: serves ${s.customerId} at ${who.visit.rssi} dBm, below the screen's minRssi ${screen.minRssi}`);
      }
    } else if (s.customerId !== undefined) out.push(`${at}: names customer ${s.customerId} outside a personal turn`);

    // Names: only in the greeting, only in a personal turn, only with consent to show it.
    const name = who?.profile?.consent.displayName && who.profile.displayName?.trim() ? who.profile.displayName.trim() : undefined;
    if (f.greeting !== undefined && (name === undefined || !f.greeting.includes(name))) out.push(`${at}: greeting "${f.greeting}" without consent to show a name`);
    if (JSON.stringify({ ...f, greeting: undefined }).includes(NAME_MARK)) out.push(`${at}: a shopper's name outside the greeting: ${JSON.stringify(f).slice(0, 300)}`);

    // The rules that apply here, matched independently of the plan: place and time, shopper, trigger, caps.
    const ctx: RuleContext = { storeId: c.store.storeId, zoneId: c.zoneId, screenId: s.screenId, mode: s.mode, profile: who?.profile, visit: who?.visit,
      now, local, catalog: store.catalog };
    const applied = [...c.rules].sort(byPriority).filter((r) => matchRule(r, ctx).matched && !reachedCap(r, ctx, caps));
    saw(`mode ${s.mode}`);
    if (f.greeting) saw('greeting');
    if (screen.minRssi !== undefined && s.mode === 'shopper') saw('minRssi turn');
    for (const r of applied) if (r.trigger) saw(`trigger ${r.trigger.type}`);
    if (c.rules.some((r) => matchRule(r, ctx).matched && reachedCap(r, ctx, caps))) saw('capped');
    if (applied.map((r) => r.ruleId).join(',') !== s.rules.join(',')) out.push(`${at}: rules applied ${s.rules.join(',')}, expected ${applied.map((r) => r.ruleId).join(',')}`);
    const excluded = (i: CatalogItem) => applied.some((r) => r.actions.exclude && selects(r.actions.exclude, i));
    const bad = skus.filter((k) => excluded(store.catalog.bySku.get(k)!));
    if (bad.length) out.push(`${at}: shows ${bad.join(',')}, excluded by a rule that applies`);
    // Pins first: by rule priority, each rule's in its order, in stock, not excluded, once, at most a screen's worth.
    const pins: string[] = [];
    for (const r of applied) for (const sku of r.actions.pin ?? []) {
      const item = store.catalog.bySku.get(sku);
      if (pins.length < screen.slots && item?.inStock && !excluded(item) && !pins.includes(sku)) pins.push(sku);
    }
    if (pins.length) saw('pins');
    if (inStock.some(excluded)) saw('exclusion hit');
    if (skus.slice(0, pins.length).join(',') !== pins.join(',')) out.push(`${at}: starts ${skus.join(',')}, pins are ${pins.join(',')}`);
    // Every slot filled when the store has enough in stock that no rule excludes; never more than the slots.
    const available = inStock.filter((i) => !excluded(i)).length;
    if (available < screen.slots) saw('short of items');
    if (skus.length !== Math.min(screen.slots, available)) out.push(`${at}: ${skus.length} items for ${screen.slots} slots (${available} available)`);
  }

  // No two screens of the zone serve the same shopper at once (the turn state after this decision, kept screens included).
  const serving = [...d.memory.turns.screens.values()].filter((t) => t.mode === 'shopper').map((t) => t.customerId);
  if (new Set(serving).size !== serving.length) out.push(`two screens serve one shopper: ${serving.join(',')}`);
  for (const id of serving) if (!eligible.has(id ?? '')) out.push(`a screen's turn belongs to ${id}, who is not a consenting shopper in the zone`);
  return out;
}
