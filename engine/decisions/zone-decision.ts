import type { Experiment, Profile, Rule, RuleOutcome, Screen, ScreenContent, Visit, Zone } from '#contracts';
import { armOf, runningByRule, runningModelExperiment } from '../experiments/running.js';
import { applyRules, byPriority, type Applied, type RuledItem } from '../rules/apply.js';
import { reachedCap, capChecks, type CapsView } from '../rules/caps.js';
import { localTime, daysUntil } from '../rules/local-time.js';
import { isShopperRule, matchRule, type RuleContext, type ScreenMode } from '../rules/match.js';
import type { RankRequest, RankResult, StoreCatalog } from '../scoring/types.js';
import type { StoreEntry } from '../stores/registry.js';
import { canPersonalize, consenting, type ZoneShopper } from './consent.js';
import { selectForScreen } from './select.js';
import { planTurns, type TurnConfig, type TurnPlan, type ZoneTurns, NO_TURNS } from './turns.js';
import { badge, greeting, headline, note, translatorFor, type WordsInput } from './words.js';

export const TTL_MS = { shopper: 30_000, audience: 30_000, idle: 120_000 } as const;
/** Identified shoppers whose shared interests shape audience content. */
const AUDIENCE_SAMPLE = 12;

/** What a screen last got, to keep content steady and avoid re-sending the same frame. */
export type Showing = { inputKey: string; contentKey: string; crowdKey: string; mode: ScreenMode; since: number; sentAt: number; ttlMs: number;
  /** Whose personal turn it is (shopper mode), and the SKUs on the screen: shelf labels follow them. */
  customerId?: string; skus?: readonly string[];
  /** The decision on the screen: an unchanged frame re-sent before its TTL runs out keeps it (players update in place). */
  decisionId: string };

/** A zone's memory between decisions: turns and what each screen shows. */
export type ZoneMemory = { turns: ZoneTurns; showing: ReadonlyMap<string, Showing> };
export const EMPTY_ZONE: ZoneMemory = { turns: NO_TURNS, showing: new Map() };

export type ZoneInput = {
  store: Pick<StoreEntry, 'config' | 'catalog' | 'zoneCatalogs'>;
  zone: Zone;
  screens: readonly Screen[];
  shoppers: readonly ZoneShopper[];
  rules: readonly Rule[];
  caps: CapsView;
  memory: ZoneMemory;
  now: number;
  /**
   * Re-decide every screen now, past minDisplayMs (rules or the store changed, the preview). Frames
   * still go out only where the content changed.
   */
  force?: boolean;
  /** Names a new decision; default `dec-<counter>` (the live path passes random ids). */
  newId?: () => string;
  /** Experiments (docs/experiments.md): a running one splits the shoppers of its rule's personal turns into arms. */
  experiments?: readonly Experiment[];
  /**
   * Say for every rule why it did or did not apply, and what it did (`outcomes`; the preview asks). The live
   * path leaves this off: it then skips, unexamined, the rules that cannot apply to a screen (another store,
   * zone or screen, disabled, or about a shopper outside a personal turn), with the same frames.
   */
  explain?: boolean;
};

/** One screen's part of the plan: who it serves, the rules that apply, what to ask the ranker. */
export type ScreenPlan = {
  screen: Screen;
  turn: TurnPlan;
  profile?: Profile;
  visit?: Visit;
  audience: Profile[];
  applied: Applied[];
  outcomes: RuleOutcome[];
  request: RankRequest;
  /** experimentId → armId, for the experiments whose rule matched this shopper's turn, and the model experiment. */
  arms: Record<string, string>;
  /** The model experiment's arm of this turn's shopper: the version asked for (request.modelVersion). */
  modelArm?: { experimentId: string; version: string };
  inputKey: string;
  crowdKey: string;
  /** Nothing new to show: the screen keeps its content (no ranking, no frame). */
  keep: boolean;
};

export type ZonePlan = { input: ZoneInput; screens: ScreenPlan[]; turns: ZoneTurns; wakeAt?: number };

export type ScreenDecision = {
  screenId: string;
  mode: ScreenMode;
  customerId?: string;
  /** The frame, without seq (each socket numbers its own). */
  frame: Omit<ScreenContent, 'seq'>;
  /** The same decision re-sent before its TTL runs out: not a new decision (no decision message, no cap count). */
  refresh: boolean;
  items: { sku: string; score: number; why: string[]; rules: string[] }[];
  /** Every rule: applied or not, why, and what it did (only with `explain`; empty on the live path). */
  outcomes: RuleOutcome[];
  ranker: string;
  /** Rules that applied (matched, not capped), highest priority first. */
  rules: string[];
  /** experimentId → armId of the turn's shopper, for experiments whose rule matched (exposure, attribution). */
  arms: Record<string, string>;
  /** When the turn's shopper's visit began ("the same visit" for attribution). */
  visitStartedAt?: number;
  /** Cap counters of the rules that put something on the frame: counted once it is sent. */
  capKeys: string[];
  /** False when the screen already shows exactly this. */
  send: boolean;
};

export type ZoneDecision = { screens: ScreenDecision[]; memory: ZoneMemory; wakeAt?: number };

const turnConfig = (input: ZoneInput): TurnConfig => input.store.config.turns;

/**
 * Step 1 (pure): who each screen serves (turns), which rules apply to it and what to rank. Screens
 * whose inputs did not change keep their content and cost nothing.
 */
export function planZone(input: ZoneInput): ZonePlan {
  const { store, zone, screens, shoppers, now, memory } = input;
  const cfg = turnConfig(input);
  const local = localTime(now, store.config.timezone);
  const byCustomer = new Map<string, ZoneShopper>();
  for (const s of shoppers) if (s.visit.customerId && canPersonalize(s.profile)) byCustomer.set(s.visit.customerId, s);
  const eligible = [...byCustomer.values()].map((s) => ({ customerId: s.visit.customerId!, zoneEnteredAt: s.visit.zoneEnteredAt, rssi: s.visit.rssi }));
  const { plans, turns, wakeAt: turnWake } = planTurns(memory.turns, screens, eligible, shoppers.length, now, cfg);
  const wakes: number[] = turnWake !== undefined ? [turnWake] : [];
  const audienceAll = consenting(shoppers);
  const audience = [...audienceAll].sort((a, b) => (a.customerId < b.customerId ? -1 : 1)).slice(0, AUDIENCE_SAMPLE);
  const crowdKey = audienceAll.map((p) => p.customerId).sort().join(',');
  const zoneCatalog = store.zoneCatalogs.get(zone.zoneId);
  const explain = input.explain === true;
  const page = Math.floor(now / cfg.idleRotateMs);
  const experiments = runningByRule(input.experiments ?? [], store.config.storeId, now);
  const modelExperiment = runningModelExperiment(input.experiments ?? [], store.config.storeId, now);

  const out = plans.map((turn): ScreenPlan => {
    const screen = screens.find((s) => s.screenId === turn.screenId)!;
    const who = turn.customerId ? byCustomer.get(turn.customerId) : undefined;
    const profile = who?.profile;
    const mode: ScreenMode = turn.mode === 'shopper' && !profile ? 'audience' : turn.mode;
    const ctx: RuleContext = { storeId: store.config.storeId, zoneId: zone.zoneId, screenId: screen.screenId, mode, profile, visit: who?.visit,
      now, local, catalog: store.catalog };
    const applied: Applied[] = [];
    const outcomes: RuleOutcome[] = [];
    const arms: Record<string, string> = {};
    const rules = explain ? allInOrder(input.rules) : rulesFor(input.rules, store.config.storeId, zone.zoneId, screen.screenId, mode === 'shopper' && !!profile);
    for (const rule of rules) {
      const m = matchRule(rule, ctx);
      if (!m.matched) {
        if (explain) outcomes.push({ ruleId: rule.ruleId, name: rule.name, status: rule.enabled ? 'not-matched' : 'disabled', why: m.why });
        if (m.wakeAt !== undefined) wakes.push(m.wakeAt);
        continue;
      }
      // An experiment splits personal turns only: one shopper, one arm. Both arms are recorded when the rule matches.
      const exp = mode === 'shopper' && profile ? experiments.get(rule.ruleId) : undefined;
      if (exp) {
        const arm = armOf(exp, profile!.customerId);
        arms[exp.experimentId] = arm.armId;
        if (arm.rule === 'off') {
          if (explain) outcomes.push({ ruleId: rule.ruleId, name: rule.name, status: 'holdout', why: `experiment "${exp.name}": arm ${arm.name} does not get this rule` });
          continue;
        }
      }
      const capped = reachedCap(rule, ctx, input.caps);
      if (capped) { if (explain) outcomes.push({ ruleId: rule.ruleId, name: rule.name, status: 'capped', why: capped }); continue; }
      applied.push({ rule, hit: m.hit });
      if (explain) outcomes.push({ ruleId: rule.ruleId, name: rule.name, status: 'matched', why: m.hit ? `${m.hit.type} trigger` : 'targeting matched' });
    }
    const ruleKey = applied.map((a) => `${a.rule.ruleId}@${a.rule.version}${a.hit?.tapped ? `:${a.hit.tapped.sku}` : ''}`).join(',');
    const slots = screen.slots;
    // Public content points to what is on the shelves around the screen, when the zone has enough of it.
    const nearby: StoreCatalog = zoneCatalog && zoneCatalog.inStock.length >= slots ? zoneCatalog : store.catalog;
    const base = { storeId: store.config.storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now };
    let request: RankRequest;
    let inputKey: string;
    let modelArm: ScreenPlan['modelArm'];
    if (mode === 'shopper') {
      const v = who!.visit;
      // A model experiment splits every personal turn in the store: the shopper's arm names the model version that ranks.
      const arm = modelExperiment && armOf(modelExperiment, profile!.customerId);
      if (arm?.model !== undefined) {
        modelArm = { experimentId: modelExperiment!.experimentId, version: arm.model };
        arms[modelArm.experimentId] = arm.armId;
      }
      request = { profile, catalog: store.catalog, limit: slots * 3,
        context: { ...base, dwellMs: Math.max(0, now - v.zoneEnteredAt) + (v.dwellMs[zone.zoneId] ?? 0), eslSkus: v.eslSkus },
        ...(modelArm ? { modelVersion: modelArm.version } : {}) };
      inputKey = `s|${profile!.customerId}|${profile!.updatedAt}|${v.eslCount}|${ruleKey}|${modelArm?.version ?? ''}`;
    } else {
      request = { audience: mode === 'audience' ? audience : [], catalog: nearby, context: base, limit: slots * 4 };
      inputKey = `${mode}|${mode === 'audience' ? crowdKey : ''}|${page}|${ruleKey}`;
      wakes.push((page + 1) * cfg.idleRotateMs);
    }
    const prev = memory.showing.get(screen.screenId);
    let keep = !input.force && !!prev && prev.inputKey === inputKey && now - prev.sentAt < prev.ttlMs / 2;
    // Outside turns, content stays up minDisplayMs unless the shoppers in front changed.
    if (!input.force && !keep && prev && mode !== 'shopper' && prev.mode !== 'shopper' && prev.crowdKey === crowdKey && prev.mode === mode
      && now - prev.since < cfg.minDisplayMs) {
      keep = true;
      wakes.push(prev.since + cfg.minDisplayMs);
    }
    if (prev) wakes.push(prev.sentAt + prev.ttlMs / 2);
    return { screen, turn: { ...turn, mode }, profile, visit: who?.visit, audience: mode === 'audience' ? audience : [], applied, outcomes, request, arms,
      ...(modelArm ? { modelArm } : {}), inputKey, crowdKey, keep };
  });
  const future = wakes.filter((w) => w > now);
  return { input, screens: out, turns, wakeAt: future.length ? Math.min(...future) : undefined };
}

/** Every rule, in the order rules combine (once per rules snapshot). */
const sortedRules = new WeakMap<readonly Rule[], readonly Rule[]>();
function allInOrder(rules: readonly Rule[]): readonly Rule[] {
  let out = sortedRules.get(rules);
  if (!out) sortedRules.set(rules, (out = [...rules].sort(byPriority)));
  return out;
}

/**
 * The rules that may apply to one screen, in order, worked out once per rules snapshot and screen: enabled,
 * aimed at its store, zone and screen (or at none in particular), and — outside a personal turn — not about
 * a shopper. What is left still goes through matchRule (time, mode, who, triggers, caps).
 */
const perScreen = new WeakMap<readonly Rule[], Map<string, { all: readonly Rule[]; place: readonly Rule[] }>>();
function rulesFor(rules: readonly Rule[], storeId: string, zoneId: string, screenId: string, personal: boolean): readonly Rule[] {
  let byScreen = perScreen.get(rules);
  if (!byScreen) perScreen.set(rules, (byScreen = new Map()));
  const k = `${storeId}\u0000${zoneId}\u0000${screenId}`;
  let hit = byScreen.get(k);
  if (!hit) {
    const all = allInOrder(rules).filter((r) => r.enabled && (!r.target.stores || r.target.stores.includes(storeId))
      && (!r.target.zones || r.target.zones.includes(zoneId)) && (!r.target.screens || r.target.screens.includes(screenId)));
    hit = { all, place: all.filter((r) => !isShopperRule(r)) };
    byScreen.set(k, hit);
  }
  return personal ? hit.all : hit.place;
}

/** Step 3 (pure): the frames, from the plan and each screen's ranking. */
export function composeZone(plan: ZonePlan, ranked: ReadonlyMap<ScreenPlan, RankResult>): ZoneDecision {
  const { input } = plan;
  const { store, zone, now, memory } = input;
  const t = translatorFor(store.config);
  const local = localTime(now, store.config.timezone);
  const showing = new Map(memory.showing);
  let n = 0;
  const newId = input.newId ?? (() => `dec-${now}-${++n}`);
  const screens: ScreenDecision[] = [];
  for (const sp of plan.screens) {
    const r = ranked.get(sp);
    if (sp.keep || !r) continue;
    const mode = sp.turn.mode;
    const slots = sp.screen.slots;
    const ruled = applyRules(r.items, sp.applied, store.catalog, slots, input.explain === true);
    let rest = ruled.rest;
    if (mode !== 'shopper') {
      // Idle and audience content page through the zone's best items, one page per rotation.
      const pages = Math.max(1, Math.floor(rest.length / slots));
      const offset = (Math.floor(now / input.store.config.turns.idleRotateMs) % pages) * slots;
      rest = [...rest.slice(offset), ...rest.slice(0, offset)];
    }
    const picked = [...ruled.pinned, ...selectForScreen(rest, zone.categories, slots - ruled.pinned.length)];
    fill(picked, sp.request.catalog, store.catalog, ruled.excluded, slots);
    const words: WordsInput = { t, mode, zoneName: zone.name, profile: sp.profile, audience: sp.audience,
      birthdayToday: !!sp.profile?.birthday && daysUntil(local, sp.profile.birthday) === 0 };
    const ruleWords = sp.applied.map((a) => ({ headline: a.rule.actions.headline, hit: a.hit }));
    const template = sp.applied.find((a) => a.rule.actions.template)?.rule.actions.template
      ?? (mode === 'shopper' ? 'hero' : sp.screen.template === 'hero' && input.shoppers.length > 1 ? 'grid' : sp.screen.template ?? 'grid');
    const currency = store.config.currency;
    const ttlMs = TTL_MS[mode];
    const frame: ScreenDecision['frame'] = {
      type: 'screen.content', screenId: sp.screen.screenId, decisionId: '', storeId: store.config.storeId, zoneId: zone.zoneId, reason: mode, template,
      greeting: greeting(words), headline: headline(words, ruleWords), ttlMs, currency, locale: store.config.locale, createdAt: now,
      items: picked.map((it) => {
        const i = it.item;
        const b = badge(words, it);
        const n = note(words, it, currency);
        return { sku: i.sku, name: i.name, price: i.price, ...(i.memberPrice !== undefined ? { memberPrice: i.memberPrice } : {}),
          ...(i.image ? { image: i.image } : {}), ...(b ? { badge: b } : {}), ...(n ? { note: n } : {}) };
      }),
    };
    // Rules that put something on this frame (an item, its headline, its template): their caps count it.
    const headlineRule = sp.applied.find((a) => a.rule.actions.headline || a.hit);
    const shaped = sp.applied.filter((a) => a === headlineRule || a.rule.actions.template || picked.some((p) => p.rules.includes(a)));
    // Another shopper's turn is a new decision (attribution, caps) even with the same items; the same shopper again is not.
    const shownKey = JSON.stringify([sp.turn.customerId, frame.reason, frame.template, frame.greeting, frame.headline, frame.items]);
    const prev = memory.showing.get(sp.screen.screenId);
    const same = prev?.contentKey === shownKey;
    const send = !same || now - prev.sentAt >= prev.ttlMs / 2;
    frame.decisionId = same ? prev.decisionId : newId();
    showing.set(sp.screen.screenId, { inputKey: sp.inputKey, contentKey: shownKey, crowdKey: sp.crowdKey, mode,
      ...(mode === 'shopper' && sp.profile ? { customerId: sp.profile.customerId, skus: frame.items.map((i) => i.sku) } : {}),
      since: same ? prev.since : now, sentAt: send ? now : prev!.sentAt, ttlMs, decisionId: frame.decisionId });
    const ctx: RuleContext = { storeId: store.config.storeId, zoneId: zone.zoneId, screenId: sp.screen.screenId, mode, profile: sp.profile,
      visit: sp.visit, now, local, catalog: store.catalog };
    for (const o of sp.outcomes) { const e = ruled.effects.get(o.ruleId); if (e) o.effects = e; }
    // A model arm counts only when its version really ranked (one that failed to load leaves the serving version ranking).
    let arms = sp.arms;
    if (sp.modelArm && !r.ranker.endsWith(`@${sp.modelArm.version}`)) {
      arms = { ...sp.arms };
      delete arms[sp.modelArm.experimentId];
    }
    screens.push({
      screenId: sp.screen.screenId, mode, customerId: mode === 'shopper' ? sp.profile?.customerId : undefined, frame,
      items: picked.map((p) => ({ sku: p.item.sku, score: p.score, why: p.why, rules: p.rules.map((a) => a.rule.ruleId) })),
      outcomes: sp.outcomes, ranker: r.ranker, rules: sp.applied.map((a) => a.rule.ruleId), arms,
      ...(mode === 'shopper' && sp.visit ? { visitStartedAt: sp.visit.enteredAt } : {}),
      capKeys: shaped.flatMap((a) => capChecks(a.rule, ctx).map((c) => c.key)), send, refresh: same,
    });
  }
  return { screens, memory: { turns: plan.turns, showing }, wakeAt: plan.wakeAt };
}

/** Every slot filled: from the screen's own catalog, then the store's, never an excluded item. */
function fill(picked: RuledItem[], nearby: StoreCatalog, catalog: StoreCatalog, excluded: (i: RuledItem['item']) => boolean, slots: number): void {
  if (picked.length >= slots) return;
  const have = new Set(picked.map((p) => p.item.sku));
  for (const list of [nearby.inStock, catalog.inStock]) {
    for (const item of list) {
      if (picked.length >= slots) return;
      if (have.has(item.sku) || excluded(item)) continue;
      have.add(item.sku);
      picked.push({ item, score: 0, why: ['fills the screen'], utility: 0, pinned: false, rules: [] });
    }
  }
}

/**
 * The whole decision for a zone: plan, rank each screen that needs it (the injected ranker is the
 * only I/O; one ranking per distinct request), compose. The live path and the preview both call it.
 */
export async function decideZone(input: ZoneInput, rank: (req: RankRequest) => Promise<RankResult>): Promise<ZoneDecision & { plan: ZonePlan }> {
  const plan = planZone(input);
  const ranked = new Map<ScreenPlan, RankResult>();
  const shared = new Map<string, Promise<RankResult>>();
  await Promise.all(plan.screens.filter((s) => !s.keep).map(async (s) => {
    // Screens of a zone showing the same non-personal content share one ranking.
    const key = s.turn.mode === 'shopper' ? `s:${s.profile!.customerId}:${s.screen.slots}` : `${s.turn.mode}:${s.request.limit}`;
    let p = shared.get(key);
    if (!p) shared.set(key, (p = rank(s.request)));
    ranked.set(s, await p);
  }));
  return { ...composeZone(plan, ranked), plan };
}
