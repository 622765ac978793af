import { BOOST_MAX, BOOST_MIN, type CatalogItem, type ItemSelector, type Rule } from '#contracts';
import type { RankedItem, StoreCatalog } from '../scoring/types.js';
import type { TriggerHit } from './match.js';

/** A rule that matched this screen and was not capped. */
export type Applied = { rule: Rule; hit?: TriggerHit };

/** A candidate after rules: the ranker's score and reasons, plus what rules did to it. */
export type RuledItem = RankedItem & {
  /** Ranking utility after boosts (0.1–1 from the ranker's order, times the bounded boost). */
  utility: number;
  pinned: boolean;
  /** Rules that brought it forward or pinned it, highest priority first. */
  rules: Applied[];
};

export type RuledList = {
  pinned: RuledItem[];
  /** Everything else, best first. */
  rest: RuledItem[];
  /** Per rule id: what it did, for the preview. */
  effects: Map<string, string[]>;
  excluded: (item: CatalogItem) => boolean;
};

/** Triggered items (new arrivals, life-stage items) come forward by this much unless the rule says otherwise. */
export const DEFAULT_TRIGGERED_BOOST = 3;
/** Items a rule adds beyond what the ranker proposed, per rule. */
const MAX_ADDED_PER_RULE = 24;

/** A selector as sets, built once per selector object (rules are immutable once read). */
type SelectorSets = { skus?: ReadonlySet<string>; categories?: ReadonlySet<string>; brands?: ReadonlySet<string> };
const selectorSets = new WeakMap<ItemSelector, SelectorSets>();
function setsOf(sel: ItemSelector): SelectorSets {
  let s = selectorSets.get(sel);
  if (!s) {
    s = {};
    if (sel.skus?.length) s.skus = new Set(sel.skus);
    if (sel.categories?.length) s.categories = new Set(sel.categories);
    if (sel.brands?.length) s.brands = new Set(sel.brands);
    selectorSets.set(sel, s);
  }
  return s;
}

export function selects(sel: ItemSelector, item: CatalogItem): boolean {
  const s = setsOf(sel);
  return !!(s.skus?.has(item.sku) || s.categories?.has(item.category) || (item.brand && s.brands?.has(item.brand)));
}

/** Rules in the order they combine: priority (high first), then rule id. */
export const byPriority = (a: Pick<Rule, 'priority' | 'ruleId'>, b: Pick<Rule, 'priority' | 'ruleId'>): number =>
  b.priority - a.priority || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
const byApplied = (x: Applied, y: Applied): number => byPriority(x.rule, y.rule);

/**
 * In-stock items a selector names, at most MAX_ADDED_PER_RULE (for boosts that bring in what the ranker did
 * not propose), worked out once per catalog and selector; a smaller budget takes a prefix.
 */
const selectedCache = new WeakMap<StoreCatalog, WeakMap<ItemSelector, readonly CatalogItem[]>>();
function selected(catalog: StoreCatalog, sel: ItemSelector): readonly CatalogItem[] {
  let byCatalog = selectedCache.get(catalog);
  if (!byCatalog) selectedCache.set(catalog, (byCatalog = new WeakMap()));
  const hit = byCatalog.get(sel);
  if (hit) return hit;
  const limit = MAX_ADDED_PER_RULE;
  const out: CatalogItem[] = [];
  for (const sku of sel.skus ?? []) { const it = catalog.bySku.get(sku); if (it?.inStock && out.length < limit) out.push(it); }
  for (const cat of sel.categories ?? []) for (const it of catalog.byCategory.get(cat) ?? []) { if (out.length >= limit) break; out.push(it); }
  if (sel.brands?.length && out.length < limit) for (const it of catalog.inStock) { if (out.length >= limit) break; if (it.brand && sel.brands.includes(it.brand)) out.push(it); }
  byCatalog.set(sel, out);
  return out;
}

/**
 * Combines the rules that apply with the ranker's list (pure; docs/rules.md §How rules combine):
 * 1. every exclusion of every rule applies; 2. items rules name or triggers found join the candidates
 * at the utility of the last item that would have made the screen; 3. boosts multiply, the product
 * bounded to ×0.1…×10; 4. pins go first, by rule priority then rule id, each rule's in its own order.
 */
export function applyRules(ranked: readonly RankedItem[], given: readonly Applied[], catalog: StoreCatalog, slots: number, explain = true): RuledList {
  // Pins (and the order reasons are listed in) follow priority, then rule id, whatever order the caller passes.
  const rules = [...given].sort((x, y) => byPriority(x.rule, y.rule));
  // Effects are for the preview (explain); the live path does not spell them out.
  const effects = new Map<string, string[]>(explain ? rules.map((a) => [a.rule.ruleId, []]) : []);
  const note = explain ? (a: Applied, s: string) => { effects.get(a.rule.ruleId)!.push(s); } : () => {};
  const exclusions = rules.filter((a) => a.rule.actions.exclude);
  const excluded = (item: CatalogItem) => exclusions.some((a) => selects(a.rule.actions.exclude!, item));

  // Utilities from the ranker's order: the score's position between the list's min and max, 0.1–1.
  const scores = ranked.map((r) => r.score);
  const hi = Math.max(...scores);
  const lo = Math.min(...scores);
  const utilityOf = (r: RankedItem, i: number) => (hi > lo ? 0.1 + (0.9 * (r.score - lo)) / (hi - lo) : 1 - (0.9 * i) / Math.max(1, ranked.length));
  const all = new Map<string, RuledItem>();
  // Spelled out, not spread: a spread of the ranker's objects is a slow generic copy on this path.
  let threshold = 0.5;
  for (let i = 0; i < ranked.length; i++) {
    const r = ranked[i]!;
    if (!r.item.inStock) continue;
    const u = utilityOf(r, i);
    all.set(r.item.sku, { item: r.item, score: r.score, why: r.why.slice(), utility: u, pinned: false, rules: [] });
  }
  // The utility of the last item that would have made the screen.
  const last = Math.min(slots, all.size) - 1;
  let k = 0;
  for (const r of all.values()) if (k++ === last) { threshold = r.utility; break; }

  if (explain) for (const a of exclusions) {
    const gone = [...all.values()].filter((r) => selects(a.rule.actions.exclude!, r.item));
    note(a, gone.length ? `excluded ${gone.map((r) => r.item.sku).slice(0, 10).join(', ')}${gone.length > 10 ? ' …' : ''}` : 'excluded nothing the ranker proposed');
  }
  for (const sku of [...all.keys()]) if (excluded(all.get(sku)!.item)) all.delete(sku);

  const add = (item: CatalogItem, why: string) => {
    if (all.has(item.sku) || !item.inStock || excluded(item)) return;
    all.set(item.sku, { item, score: 0, why: [why], utility: threshold, pinned: false, rules: [] });
  };
  for (const a of rules) {
    let budget = MAX_ADDED_PER_RULE;
    for (const b of a.rule.actions.boost ?? []) {
      if (b.factor <= 1 || budget <= 0) continue;
      const items = selected(catalog, b);
      const take = Math.min(items.length, budget);
      budget -= take;
      for (let i = 0; i < take; i++) add(items[i]!, addedBy(a.rule));
    }
    for (const it of a.hit?.items ?? []) add(it, `found by ${a.hit!.type} trigger`);
  }

  // Only rules that boost (or whose trigger found items) change utilities: the rest need not be looked at per item.
  const boosting = rules.filter((a) => a.rule.actions.boost?.length || a.hit?.items.length);
  const found = new Map(boosting.map((a) => [a, new Set(a.hit?.items.map((i) => i.sku))]));
  for (const r of all.values()) {
    let factor = 1;
    for (const a of boosting) {
      let f = 1;
      for (const b of a.rule.actions.boost ?? []) if (selects(b, r.item)) f *= b.factor;
      if (found.get(a)!.has(r.item.sku)) f *= a.rule.actions.triggered ?? DEFAULT_TRIGGERED_BOOST;
      if (f !== 1) {
        factor *= f;
        r.why.push(boostWhy(a.rule, f));
        if (f > 1) r.rules.push(a);
      }
    }
    const bounded = Math.min(BOOST_MAX, Math.max(BOOST_MIN, factor));
    if (bounded !== factor) r.why.push(`boosts bounded to ×${round(bounded)}`);
    r.utility *= bounded;
  }
  if (explain) {
    const moved = new Map<Applied, number>();
    for (const r of all.values()) for (const a of r.rules) moved.set(a, (moved.get(a) ?? 0) + 1);
    for (const a of boosting) { const n = moved.get(a) ?? 0; note(a, `boosted ${n} item${n === 1 ? '' : 's'}`); }
  }

  const pinned: RuledItem[] = [];
  for (const a of rules) {
    for (const sku of a.rule.actions.pin ?? []) {
      if (pinned.length >= slots) break;
      const item = catalog.bySku.get(sku);
      if (!item?.inStock) { note(a, `pin ${sku} skipped: not in stock here`); continue; }
      if (excluded(item)) { note(a, `pin ${sku} skipped: excluded by a rule`); continue; }
      if (pinned.some((p) => p.item.sku === sku)) continue;
      const r = all.get(sku) ?? { item, score: 0, why: [], utility: threshold, pinned: false, rules: [] };
      all.delete(sku);
      r.pinned = true;
      r.why.push(`pinned (${a.rule.ruleId})`);
      if (!r.rules.includes(a)) r.rules.unshift(a);
      pinned.push(r);
      note(a, `pinned ${sku}`);
    }
  }
  // Best first; equal utilities keep the ranker's order (then the order rules added them): the sort is stable.
  const rest = [...all.values()].sort((x, y) => y.utility - x.utility);
  for (const r of rest) if (r.rules.length > 1) r.rules.sort(byApplied);
  return { pinned, rest, effects, excluded };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The reasons rules give items, spelled once per rule (and factor): the same few strings on every decision. */
const whyCache = new WeakMap<Rule, Map<number, string>>();
function boostWhy(rule: Rule, f: number): string {
  let m = whyCache.get(rule);
  if (!m) whyCache.set(rule, (m = new Map()));
  let s = m.get(f);
  if (s === undefined) {
    s = `${f > 1 ? 'boost' : 'bury'} ×${round(f)} (${rule.ruleId})`;
    if (m.size < 64) m.set(f, s);
  }
  return s;
}
const addedWhy = new WeakMap<Rule, string>();
function addedBy(rule: Rule): string {
  let s = addedWhy.get(rule);
  if (s === undefined) addedWhy.set(rule, (s = `added by rule ${rule.ruleId}`));
  return s;
}
