import { describe, expect, it } from 'vitest';
import { BOOST_MAX, BOOST_MIN, Rule, type CatalogItem, type RuleInput } from '#contracts';
import { indexCatalog } from '../scoring/catalog.js';
import type { RankedItem } from '../scoring/types.js';
import { applyRules, byPriority, DEFAULT_TRIGGERED_BOOST, selects, type Applied, type RuledItem, type RuledList } from './apply.js';
import type { TriggerHit } from './match.js';

const item = (sku: string, category: string, extra: Partial<CatalogItem> = {}): CatalogItem =>
  ({ sku, name: sku, category, brand: '', price: 1, inStock: true, ...extra });

const items = [
  item('A1', 'coffee', { brand: 'Roast' }), item('A2', 'coffee'), item('A3', 'tea'), item('A4', 'tea'),
  item('A5', 'candles'), item('A6', 'candles'),
  // Not proposed by the ranker:
  item('X1', 'coffee'), item('X2', 'tea'), item('X3', 'candles'), item('B1', 'bakery', { brand: 'Crumb' }),
  item('OOS', 'coffee', { inStock: false }),
];
const catalog = indexCatalog(items);
const bySku = (sku: string) => catalog.bySku.get(sku)!;

/** The ranker's list A1…A6, scores 6…1: utilities 1, 0.82, 0.64, 0.46, 0.28, 0.1. */
const RANKED: RankedItem[] = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map((sku, i) => ({ item: bySku(sku), score: 6 - i, why: [`ranker ${sku}`] }));
const U: Record<string, number> = { A1: 1, A2: 0.82, A3: 0.64, A4: 0.46, A5: 0.28, A6: 0.1 };
/** With 4 slots, the utility of the 4th item: where added items join. */
const THRESHOLD = 0.46;
const SLOTS = 4;

const rule = (ruleId: string, r: Partial<RuleInput> = {}): Rule =>
  Rule.parse({ ruleId, name: ruleId, version: 1, updatedAt: 0, updatedBy: 'test', actions: {}, ...r });
const applied = (r: Rule, hit?: TriggerHit): Applied => ({ rule: r, ...(hit ? { hit } : {}) });
const sorted = (...a: Applied[]) => [...a].sort((x, y) => byPriority(x.rule, y.rule));

const skus = (xs: readonly RuledItem[]) => xs.map((r) => r.item.sku);
const find = (l: RuledList, sku: string): RuledItem => {
  const r = [...l.pinned, ...l.rest].find((x) => x.item.sku === sku);
  if (!r) throw new Error(`${sku} not in the list`);
  return r;
};
const has = (l: RuledList, sku: string) => [...l.pinned, ...l.rest].some((x) => x.item.sku === sku);

describe('applyRules without rules', () => {
  it('keeps the ranker order, scores and reasons', () => {
    const l = applyRules(RANKED, [], catalog, SLOTS);
    expect(skus(l.rest)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    expect(l.pinned).toEqual([]);
    expect(l.effects.size).toBe(0);
    for (const r of l.rest) {
      expect(r.utility).toBeCloseTo(U[r.item.sku]!, 10);
      expect(r.pinned).toBe(false);
      expect(r.rules).toEqual([]);
      expect(r.why).toEqual([`ranker ${r.item.sku}`]);
    }
    expect(l.rest.map((r) => r.score)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(l.excluded(bySku('A1'))).toBe(false);
  });

  it('keeps the order of equal scores', () => {
    const flat = RANKED.map((r) => ({ ...r, score: 0.5 }));
    const l = applyRules(flat, [], catalog, SLOTS);
    expect(skus(l.rest)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    const u = l.rest.map((r) => r.utility);
    for (let i = 1; i < u.length; i++) expect(u[i]!).toBeLessThan(u[i - 1]!);
    expect(u[0]).toBe(1);
  });

  it('drops out-of-stock items the ranker proposed', () => {
    const l = applyRules([...RANKED.slice(0, 2), { item: bySku('OOS'), score: 5.5, why: [] }], [], catalog, SLOTS);
    expect(skus(l.rest)).toEqual(['A1', 'A2']);
  });

  it('does not change the ranker\'s list', () => {
    const input = RANKED.map((r) => ({ ...r, why: [...r.why] }));
    applyRules(input, [applied(rule('r-b', { actions: { boost: [{ skus: ['A1'], factor: 2 }] } }))], catalog, SLOTS);
    expect(input[0]!.why).toEqual(['ranker A1']);
  });
});

describe('exclusions', () => {
  it('every rule\'s exclusions apply, to proposed items, pins, boost additions and triggered items', () => {
    const ex1 = rule('r-ex1', { actions: { exclude: { categories: ['candles'] } } });
    const ex2 = rule('r-ex2', { actions: { exclude: { skus: ['A2'] } } });
    const boost = rule('r-boost', { actions: { boost: [{ categories: ['candles'], factor: 5 }, { skus: ['A2'], factor: 5 }] } });
    const pin = rule('r-pin', { actions: { pin: ['A5', 'A2', 'A1'] } });
    const trig = rule('r-trig', { trigger: { type: 'lifeStage' } });
    const l = applyRules(RANKED, sorted(applied(ex1), applied(ex2), applied(boost), applied(pin),
      applied(trig, { type: 'lifeStage', items: [bySku('X3'), bySku('A6')], stage: 'x' })), catalog, SLOTS);

    for (const sku of ['A2', 'A5', 'A6', 'X3']) expect(has(l, sku)).toBe(false);
    expect(skus(l.pinned)).toEqual(['A1']);
    expect(skus(l.rest)).toEqual(['A3', 'A4']);
    expect(l.excluded(bySku('X3'))).toBe(true);
    expect(l.excluded(bySku('A2'))).toBe(true);
    expect(l.excluded(bySku('A3'))).toBe(false);

    expect(l.effects.get('r-ex1')).toContain('excluded A5, A6');
    expect(l.effects.get('r-ex2')).toContain('excluded A2');
    expect(l.effects.get('r-pin')).toEqual(expect.arrayContaining(['pin A5 skipped: excluded by a rule', 'pin A2 skipped: excluded by a rule', 'pinned A1']));
    expect(l.effects.get('r-pin')).not.toContain('pinned A5');
  });

  it('an exclusion that removes nothing says so', () => {
    const l = applyRules(RANKED, [applied(rule('r-ex', { actions: { exclude: { brands: ['Nobody'] } } }))], catalog, SLOTS);
    expect(l.effects.get('r-ex')).toEqual(['excluded nothing the ranker proposed']);
    expect(l.rest).toHaveLength(6);
  });

  it('excludes by brand', () => {
    const l = applyRules(RANKED, [applied(rule('r-ex', { actions: { exclude: { brands: ['Roast'] } } }))], catalog, SLOTS);
    expect(has(l, 'A1')).toBe(false);
    expect(l.rest).toHaveLength(5);
  });
});

describe('boosts', () => {
  it('multiply across rules', () => {
    const r1 = rule('r-1', { actions: { boost: [{ categories: ['tea'], factor: 2 }] } });
    const r2 = rule('r-2', { actions: { boost: [{ skus: ['A4'], factor: 3 }] } });
    const l = applyRules(RANKED, sorted(applied(r1), applied(r2)), catalog, SLOTS);
    expect(find(l, 'A4').utility).toBeCloseTo(U.A4! * 6, 10);
    expect(find(l, 'A3').utility).toBeCloseTo(U.A3! * 2, 10);
    expect(find(l, 'A1').utility).toBeCloseTo(U.A1!, 10);
    expect(find(l, 'A4').why).toEqual(expect.arrayContaining(['boost ×2 (r-1)', 'boost ×3 (r-2)']));
    expect(find(l, 'A4').rules.map((a) => a.rule.ruleId)).toEqual(['r-1', 'r-2']);
    expect(skus(l.rest).slice(0, 3)).toEqual(['A4', 'A3', 'A1']);
    // X2 (tea, not proposed) joins at the threshold, ×2
    expect(find(l, 'X2').utility).toBeCloseTo(THRESHOLD * 2, 10);
  });

  it('multiply within one rule, and match by brand', () => {
    const r = rule('r-1', { actions: { boost: [{ categories: ['coffee'], factor: 2 }, { brands: ['Roast'], factor: 1.5 }] } });
    const l = applyRules(RANKED, [applied(r)], catalog, SLOTS);
    expect(find(l, 'A1').utility).toBeCloseTo(3, 10);
    expect(find(l, 'A1').why).toContain('boost ×3 (r-1)');
    expect(find(l, 'A2').utility).toBeCloseTo(U.A2! * 2, 10);
  });

  it(`the product is bounded at ×${BOOST_MAX}, and the reason says so`, () => {
    expect(BOOST_MAX).toBe(10);
    const r1 = rule('r-1', { actions: { boost: [{ skus: ['A6'], factor: 5 }] } });
    const r2 = rule('r-2', { actions: { boost: [{ skus: ['A6'], factor: 4 }] } });
    const l = applyRules(RANKED, sorted(applied(r1), applied(r2)), catalog, SLOTS);
    expect(find(l, 'A6').utility).toBeCloseTo(U.A6! * 10, 10); // not ×20
    expect(find(l, 'A6').why).toContain('boosts bounded to ×10');
    // A single ×10 is within the bound: no note
    const one = applyRules(RANKED, [applied(rule('r-3', { actions: { boost: [{ skus: ['A6'], factor: 10 }] } }))], catalog, SLOTS);
    expect(find(one, 'A6').utility).toBeCloseTo(U.A6! * 10, 10);
    expect(find(one, 'A6').why.some((w) => w.includes('bounded'))).toBe(false);
  });

  it(`the product is bounded at ×${BOOST_MIN}, and the reason says so`, () => {
    expect(BOOST_MIN).toBe(0.1);
    const r1 = rule('r-1', { actions: { boost: [{ skus: ['A1'], factor: 0.2 }] } });
    const r2 = rule('r-2', { actions: { boost: [{ skus: ['A1'], factor: 0.25 }] } });
    const l = applyRules(RANKED, sorted(applied(r1), applied(r2)), catalog, SLOTS);
    expect(find(l, 'A1').utility).toBeCloseTo(U.A1! * 0.1, 10); // not ×0.05
    expect(find(l, 'A1').why).toEqual(expect.arrayContaining(['bury ×0.2 (r-1)', 'bury ×0.25 (r-2)', 'boosts bounded to ×0.1']));
  });

  it('bounds the product, not each step: the order of rules does not change the result', () => {
    const big = (id: string, priority: number) => rule(id, { priority, actions: { boost: [{ skus: ['A6'], factor: 10 }] } });
    const bury = (priority: number) => rule('r-bury', { priority, actions: { boost: [{ skus: ['A6'], factor: 0.1 }] } });
    for (const buryPriority of [900, 1]) { // the bury combines first, then last
      const rules = sorted(applied(big('r-up1', 100)), applied(big('r-up2', 100)), applied(bury(buryPriority)));
      const l = applyRules(RANKED, rules, catalog, SLOTS);
      const a6 = find(l, 'A6');
      // ×10 ×10 ×0.1 = ×10: stepwise bounding would give ×1 (bury last) or ×10 after ×0.1 ×10 ×10 bounded (bury first)
      expect(a6.utility).toBeCloseTo(U.A6! * 10, 10);
      expect(a6.why.some((w) => w.includes('bounded'))).toBe(false);
      expect(skus(l.rest).slice(0, 2)).toEqual(['A1', 'A6']); // level with A1 (1.0); ties keep the ranker's order
    }
    // ×0.1 ×0.1 ×10 = ×0.1 whichever comes first
    for (const upPriority of [900, 1]) {
      const down = (id: string) => rule(id, { priority: 100, actions: { boost: [{ skus: ['A1'], factor: 0.1 }] } });
      const up = rule('r-up', { priority: upPriority, actions: { boost: [{ skus: ['A1'], factor: 10 }] } });
      const l = applyRules(RANKED, sorted(applied(down('r-d1')), applied(down('r-d2')), applied(up)), catalog, SLOTS);
      expect(find(l, 'A1').utility).toBeCloseTo(U.A1! * 0.1, 10);
    }
  });

  it('a bury (< 1) moves the item down and does not count as bringing it forward', () => {
    const r = rule('r-bury', { actions: { boost: [{ skus: ['A1'], factor: 0.5 }] } });
    const l = applyRules(RANKED, [applied(r)], catalog, SLOTS);
    expect(skus(l.rest)).toEqual(['A2', 'A3', 'A1', 'A4', 'A5', 'A6']);
    const a1 = find(l, 'A1');
    expect(a1.utility).toBeCloseTo(0.5, 10);
    expect(a1.why).toContain('bury ×0.5 (r-bury)');
    expect(a1.rules).toEqual([]);
    expect(l.effects.get('r-bury')).toEqual(['boosted 0 items']);
  });

  it('a bury does not add items the ranker did not propose', () => {
    const r = rule('r-bury', { actions: { boost: [{ skus: ['X1'], factor: 0.5 }, { categories: ['bakery'], factor: 0.9 }] } });
    const l = applyRules(RANKED, [applied(r)], catalog, SLOTS);
    expect(has(l, 'X1')).toBe(false);
    expect(has(l, 'B1')).toBe(false);
    expect(l.rest).toHaveLength(6);
  });

  it('items a boost names that the ranker did not propose join at the threshold and can reach the top slots', () => {
    const x2 = applyRules(RANKED, [applied(rule('r-add', { actions: { boost: [{ skus: ['X1'], factor: 2 }] } }))], catalog, SLOTS);
    const x1 = find(x2, 'X1');
    expect(x1.utility).toBeCloseTo(THRESHOLD * 2, 10);
    expect(x1.score).toBe(0);
    expect(x1.why[0]).toBe('added by rule r-add');
    expect(x1.why).toContain('boost ×2 (r-add)');
    expect(x1.rules.map((a) => a.rule.ruleId)).toEqual(['r-add']);
    expect(skus(x2.rest).slice(0, SLOTS)).toEqual(['A1', 'X1', 'A2', 'A3']);
    expect(x2.effects.get('r-add')).toEqual(['boosted 1 item']);

    const x3 = applyRules(RANKED, [applied(rule('r-add', { actions: { boost: [{ skus: ['X1'], factor: 3 }] } }))], catalog, SLOTS);
    expect(skus(x3.rest)[0]).toBe('X1');
  });

  it('adds in-stock items by category and brand, never out-of-stock ones', () => {
    const r = rule('r-add', { actions: { boost: [{ categories: ['coffee'], factor: 2 }, { brands: ['Crumb'], factor: 2 }, { skus: ['OOS'], factor: 2 }] } });
    const l = applyRules(RANKED, [applied(r)], catalog, SLOTS);
    expect(has(l, 'X1')).toBe(true);
    expect(has(l, 'B1')).toBe(true);
    expect(has(l, 'OOS')).toBe(false);
    expect(find(l, 'B1').utility).toBeCloseTo(THRESHOLD * 2, 10);
    expect(l.effects.get('r-add')).toEqual(['boosted 4 items']); // A1, A2, X1, B1
  });

  it('a boost adds at most 24 items of a large category', () => {
    const big = Array.from({ length: 30 }, (_, i) => item(`G${i}`, 'garden'));
    const cat = indexCatalog([...items, ...big]);
    const l = applyRules(RANKED, [applied(rule('r-add', { actions: { boost: [{ categories: ['garden'], factor: 2 }] } }))], cat, SLOTS);
    const added = l.rest.filter((r) => r.item.category === 'garden');
    expect(added).toHaveLength(24);
    expect(added.map((r) => r.item.sku)).toEqual(big.slice(0, 24).map((i) => i.sku)); // catalog order
  });

  it('the threshold is the last proposed item when the ranker proposed fewer than the slots', () => {
    const l = applyRules(RANKED.slice(0, 2), [applied(rule('r-add', { actions: { boost: [{ skus: ['X1'], factor: 2 }] } }))], catalog, SLOTS);
    expect(find(l, 'X1').utility).toBeCloseTo(0.1 * 2, 10);
    expect(skus(l.rest)).toEqual(['A1', 'X1', 'A2']);
  });

  it('an empty ranker list still takes the rule\'s items', () => {
    const l = applyRules([], [applied(rule('r-add', { actions: { boost: [{ skus: ['X1', 'X2'], factor: 2 }] } }))], catalog, SLOTS);
    expect(skus(l.rest)).toEqual(['X1', 'X2']);
    for (const r of l.rest) expect(Number.isFinite(r.utility)).toBe(true);
  });
});

describe('triggered items', () => {
  it(`come forward ×${DEFAULT_TRIGGERED_BOOST} by default, and join when the ranker did not propose them`, () => {
    expect(DEFAULT_TRIGGERED_BOOST).toBe(3);
    const r = rule('r-new', { trigger: { type: 'newArrivals', days: 30, top: 3 } });
    const hit: TriggerHit = { type: 'newArrivals', items: [bySku('X2'), bySku('A4')], category: 'tea' };
    const l = applyRules(RANKED, [applied(r, hit)], catalog, SLOTS);
    const x2 = find(l, 'X2');
    expect(x2.utility).toBeCloseTo(THRESHOLD * 3, 10);
    expect(x2.why).toEqual(['found by newArrivals trigger', 'boost ×3 (r-new)']);
    expect(x2.rules.map((a) => a.rule.ruleId)).toEqual(['r-new']);
    expect(find(l, 'A4').utility).toBeCloseTo(U.A4! * 3, 10);
    expect(find(l, 'A3').utility).toBeCloseTo(U.A3!, 10);
    // Both at 1.38: ties keep the ranker's order, added items after the proposed ones
    expect(skus(l.rest).slice(0, 2)).toEqual(['A4', 'X2']);
    expect(l.effects.get('r-new')).toEqual(['boosted 2 items']);
  });

  it('use the rule\'s `triggered` factor, together with its boosts', () => {
    const r = rule('r-new', { trigger: { type: 'lifeStage' }, actions: { triggered: 5, boost: [{ categories: ['tea'], factor: 1.5 }] } });
    const hit: TriggerHit = { type: 'lifeStage', items: [bySku('A4'), bySku('X1')], stage: 'newborn' };
    const l = applyRules(RANKED, [applied(r, hit)], catalog, SLOTS);
    expect(find(l, 'X1').utility).toBeCloseTo(THRESHOLD * 5, 10);
    expect(find(l, 'A4').utility).toBeCloseTo(U.A4! * 7.5, 10);
    expect(find(l, 'A4').why).toContain('boost ×7.5 (r-new)');
    expect(find(l, 'A3').utility).toBeCloseTo(U.A3! * 1.5, 10);
  });

  it('out-of-stock trigger items are not added', () => {
    const r = rule('r-new', { trigger: { type: 'lifeStage' } });
    const l = applyRules(RANKED, [applied(r, { type: 'lifeStage', items: [bySku('OOS')] })], catalog, SLOTS);
    expect(has(l, 'OOS')).toBe(false);
  });
});

describe('pins', () => {
  const hi = rule('r-z', { priority: 500, actions: { pin: ['A6', 'A5'] } });
  const a = rule('r-a', { priority: 100, actions: { pin: ['A4'] } });
  const b = rule('r-b', { priority: 100, actions: { pin: ['A3', 'A6'] } });

  it('go first: higher priority first, equal priority by rule id, each rule\'s in its own order', () => {
    const l = applyRules(RANKED, sorted(applied(b), applied(hi), applied(a)), catalog, 5);
    expect(skus(l.pinned)).toEqual(['A6', 'A5', 'A4', 'A3']);
    expect(skus(l.rest)).toEqual(['A1', 'A2']);
    for (const p of l.pinned) expect(p.pinned).toBe(true);
    expect(find(l, 'A6').why).toContain('pinned (r-z)');
    expect(find(l, 'A6').rules[0]!.rule.ruleId).toBe('r-z');
    expect(find(l, 'A4').rules[0]!.rule.ruleId).toBe('r-a');
  });

  it('do not depend on the order the rules are given in', () => {
    for (const order of [[b, hi, a], [a, b, hi], [hi, b, a]]) {
      const l = applyRules(RANKED, order.map((r) => applied(r)), catalog, 5);
      expect(skus(l.pinned)).toEqual(['A6', 'A5', 'A4', 'A3']);
    }
  });

  it('are not repeated when several rules pin the same item', () => {
    const l = applyRules(RANKED, sorted(applied(hi), applied(a), applied(b)), catalog, 5);
    expect(l.pinned.filter((p) => p.item.sku === 'A6')).toHaveLength(1);
    expect(l.effects.get('r-b')).toEqual(['pinned A3']);
    expect(l.effects.get('r-z')).toEqual(['pinned A6', 'pinned A5']);
  });

  it('at most `slots` of them', () => {
    const l = applyRules(RANKED, sorted(applied(hi), applied(a), applied(b)), catalog, 2);
    expect(skus(l.pinned)).toEqual(['A6', 'A5']);
    expect(skus(l.rest)).toContain('A4');
    expect(skus(l.rest)).toContain('A3');
    expect(l.effects.get('r-a')).toEqual([]);
  });

  it('skip out-of-stock and unknown items with a note', () => {
    const r = rule('r-p', { actions: { pin: ['OOS', 'NOPE', 'A2'] } });
    const l = applyRules(RANKED, [applied(r)], catalog, SLOTS);
    expect(skus(l.pinned)).toEqual(['A2']);
    expect(l.effects.get('r-p')).toEqual(['pin OOS skipped: not in stock here', 'pin NOPE skipped: not in stock here', 'pinned A2']);
  });

  it('pin items the ranker did not propose, at the threshold utility', () => {
    const l = applyRules(RANKED, [applied(rule('r-p', { actions: { pin: ['B1'] } }))], catalog, SLOTS);
    expect(skus(l.pinned)).toEqual(['B1']);
    expect(find(l, 'B1').utility).toBeCloseTo(THRESHOLD, 10);
    expect(find(l, 'B1').score).toBe(0);
    expect(l.rest).toHaveLength(6);
  });

  it('a pinned item keeps the boosts it had and lists its pinning rule first', () => {
    const boost = rule('r-boost', { priority: 900, actions: { boost: [{ skus: ['A4'], factor: 2 }] } });
    const pin = rule('r-pin', { priority: 100, actions: { pin: ['A4'] } });
    const l = applyRules(RANKED, sorted(applied(boost), applied(pin)), catalog, SLOTS);
    const a4 = find(l, 'A4');
    expect(a4.pinned).toBe(true);
    expect(a4.utility).toBeCloseTo(U.A4! * 2, 10);
    expect(a4.rules.map((x) => x.rule.ruleId)).toEqual(['r-pin', 'r-boost']);
    expect(skus(l.rest)).not.toContain('A4');
  });
});

describe('effects', () => {
  it('has an entry for every rule, saying what it did', () => {
    const quiet = rule('r-quiet', { actions: { headline: 'Hello' } });
    const ex = rule('r-ex', { actions: { exclude: { skus: ['A6'] } } });
    const up = rule('r-up', { actions: { boost: [{ skus: ['A5'], factor: 2 }] } });
    const pin = rule('r-pin', { actions: { pin: ['A3'] } });
    const l = applyRules(RANKED, sorted(applied(quiet), applied(ex), applied(up), applied(pin)), catalog, SLOTS);
    expect([...l.effects.keys()].sort()).toEqual(['r-ex', 'r-pin', 'r-quiet', 'r-up']);
    expect(l.effects.get('r-quiet')).toEqual([]);
    expect(l.effects.get('r-ex')).toEqual(['excluded A6']);
    expect(l.effects.get('r-up')).toEqual(['boosted 1 item']);
    expect(l.effects.get('r-pin')).toEqual(['pinned A3']);
  });

  it('abbreviates a long exclusion list', () => {
    const many = Array.from({ length: 12 }, (_, i) => item(`M${i}`, 'many'));
    const cat = indexCatalog(many);
    const ranked = many.map((it, i) => ({ item: it, score: 12 - i, why: [] }));
    const l = applyRules(ranked, [applied(rule('r-ex', { actions: { exclude: { categories: ['many'] } } }))], cat, SLOTS);
    const note = l.effects.get('r-ex')![0]!;
    expect(note.startsWith('excluded M0, M1')).toBe(true);
    expect(note).toContain('M9');
    expect(note).not.toContain('M10');
    expect(note.endsWith(' …')).toBe(true);
    expect(l.rest).toEqual([]);
  });
});

describe('byPriority and selects', () => {
  it('orders by priority, high first, then by rule id', () => {
    const rs = [{ priority: 100, ruleId: 'b' }, { priority: 200, ruleId: 'z' }, { priority: 100, ruleId: 'a' }, { priority: 0, ruleId: 'a0' }];
    expect([...rs].sort(byPriority).map((r) => r.ruleId)).toEqual(['z', 'a', 'b', 'a0']);
    expect(byPriority({ priority: 1, ruleId: 'x' }, { priority: 1, ruleId: 'x' })).toBe(0);
  });

  it('selects by SKU, category or brand', () => {
    const a1 = bySku('A1');
    expect(selects({ skus: ['A1'] }, a1)).toBe(true);
    expect(selects({ categories: ['coffee'] }, a1)).toBe(true);
    expect(selects({ brands: ['Roast'] }, a1)).toBe(true);
    expect(selects({ skus: ['A2'], categories: ['tea'], brands: ['Crumb'] }, a1)).toBe(false);
    expect(selects({ brands: [''] }, bySku('A2'))).toBe(false); // no brand matches no brand
  });
});
