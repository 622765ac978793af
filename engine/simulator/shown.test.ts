import { describe, expect, it } from 'vitest';
import { DecisionMessage, Rule, type CatalogItem, type RuleInput } from '#contracts';
import { applyRules } from '../rules/apply.js';
import { indexCatalog } from '../scoring/catalog.js';
import { broughtByRule, createShownMemory, rulesThatBrought, shownInTurn } from './shown.js';

const message = (m: Partial<DecisionMessage> = {}): DecisionMessage => DecisionMessage.parse({
  decisionId: 'dec-1', storeId: 's-001', zoneId: 'z-kitchen', screenId: 'scr-kitchen-1', reason: 'shopper', customerId: 'c-1', shoppers: 1,
  items: [], ranker: 'heuristic', createdAt: 1, origin: 'test', ...m,
});

describe('what brought an item, from its reasons', () => {
  it('reads the pins, boosts and additions the rules engine writes, not burials', () => {
    expect(rulesThatBrought('pinned (r-demo-winback)')).toEqual(['r-demo-winback']);
    expect(rulesThatBrought('affinity kitchen & dining · boost ×3 (r-demo-new-in)')).toEqual(['r-demo-new-in']);
    expect(rulesThatBrought('added by rule r-x · boost ×1.5 (r-x) · boosts bounded to ×10')).toEqual(['r-x', 'r-x']);
    expect(rulesThatBrought('found by newArrivals trigger · boost ×3 (r-demo-new-in) · pinned (r-b)')).toEqual(['r-demo-new-in', 'r-b']);
    expect(rulesThatBrought('best seller · bury ×0.5 (r-y)')).toEqual([]);
    expect(rulesThatBrought('fills the screen')).toEqual([]);
    expect(rulesThatBrought('because you like pinned (items)')).toEqual([]);
  });

  it('trusts a rule named in the reasons when the message lists it (or lists none)', () => {
    expect(broughtByRule({ why: 'pinned (r-a)' }, ['r-a', 'r-b'])).toBe(true);
    expect(broughtByRule({ why: 'pinned (r-a)' })).toBe(true);
    expect(broughtByRule({ why: 'pinned (r-a)' }, ['r-b'])).toBe(false);
    expect(broughtByRule({ why: 'ranked 0.9' }, ['r-a'])).toBe(false);
  });

  it('recognises every way applyRules brings an item forward (the reasons as the engine writes them)', () => {
    const item = (sku: string, category: string): CatalogItem => ({ sku, name: sku, category, brand: '', price: 1, inStock: true });
    const catalog = indexCatalog([item('A1', 'tea'), item('A2', 'tea'), item('A3', 'tea'), item('P1', 'cups'), item('B1', 'cups'), item('N1', 'new'), item('D1', 'tea')]);
    const rule = (ruleId: string, r: Partial<RuleInput>) => Rule.parse({ ruleId, name: ruleId, version: 1, updatedAt: 0, updatedBy: 't', actions: {}, ...r });
    const ranked = ['A1', 'A2', 'A3', 'D1'].map((sku, i) => ({ item: catalog.bySku.get(sku)!, score: 4 - i, why: [`ranked ${4 - i}`] }));
    const list = applyRules(ranked, [
      { rule: rule('r-pin', { priority: 300, actions: { pin: ['P1'] } }) },
      { rule: rule('r-boost', { priority: 200, actions: { boost: [{ skus: ['B1'], factor: 2 }] } }) },
      { rule: rule('r-new', { priority: 150, trigger: { type: 'newArrivals', days: 30, top: 3 } }), hit: { type: 'newArrivals', items: [catalog.bySku.get('N1')!] } },
      { rule: rule('r-bury', { actions: { boost: [{ skus: ['D1'], factor: 0.5 }] } }) },
    ], catalog, 8);
    const why = new Map([...list.pinned, ...list.rest].map((r) => [r.item.sku, r.why.join(' · ')]));
    const rules = ['r-pin', 'r-boost', 'r-new', 'r-bury'];
    for (const sku of ['P1', 'B1', 'N1']) expect(broughtByRule({ why: why.get(sku)! }, rules), `${sku}: ${why.get(sku)}`).toBe(true);
    for (const sku of ['A1', 'A2', 'A3', 'D1']) expect(broughtByRule({ why: why.get(sku)! }, rules), `${sku}: ${why.get(sku)}`).toBe(false);
  });
});

describe('shownInTurn', () => {
  it('takes the items of a personal turn, marking the rule-brought ones', () => {
    const msg = message({ rules: ['r-demo-new-in'], items: [
      { sku: 'SKU-1', score: 0.9, why: 'affinity kitchen & dining · boost ×3 (r-demo-new-in)' },
      { sku: 'SKU-2', score: 0.8, why: 'bought before' },
    ] });
    expect(shownInTurn(msg)).toEqual({ customerId: 'c-1', items: [{ sku: 'SKU-1', byRule: true }, { sku: 'SKU-2', byRule: false }] });
  });
  it('ignores audience and idle frames, and frames naming nobody', () => {
    expect(shownInTurn(message({ reason: 'audience', customerId: undefined }))).toBeUndefined();
    expect(shownInTurn(message({ reason: 'idle', customerId: undefined }))).toBeUndefined();
    expect(shownInTurn(message({ customerId: undefined }))).toBeUndefined();
  });
});

describe('createShownMemory', () => {
  it('remembers per shopper, for the visit, what personal turns showed them; a rule once is a rule', () => {
    const m = createShownMemory();
    m.begin('c-1');
    expect(m.record(message({ items: [{ sku: 'A', score: 1, why: 'ranked' }, { sku: 'B', score: 1, why: 'ranked' }] }))).toBe(true);
    expect(m.record(message({ rules: ['r-x'], items: [{ sku: 'A', score: 1, why: 'pinned (r-x)' }] }))).toBe(true);
    expect(m.record(message({ items: [{ sku: 'A', score: 1, why: 'ranked' }, { sku: 'C', score: 1, why: 'ranked' }] }))).toBe(true);
    expect(m.items('c-1')).toEqual([{ sku: 'A', byRule: true }, { sku: 'B', byRule: false }, { sku: 'C', byRule: false }]);
    // Not in a visit, or not a personal turn: nothing is remembered.
    expect(m.record(message({ customerId: 'c-2', items: [{ sku: 'A', score: 1, why: 'ranked' }] }))).toBe(false);
    expect(m.record(message({ reason: 'audience', customerId: undefined, items: [{ sku: 'Z', score: 1, why: 'ranked' }] }))).toBe(false);
    expect(m.items('c-2')).toEqual([]);
    m.end('c-1');
    expect(m.items('c-1')).toEqual([]);
    expect(m.size).toBe(0);
    // A new visit starts empty.
    m.begin('c-1');
    expect(m.items('c-1')).toEqual([]);
  });
});
