import { describe, expect, it } from 'vitest';
import { applyZoneQuota, selectForScreen } from './select.js';

describe('applyZoneQuota', () => {
  const r = (sku: string, category: string) => ({ item: { sku, category } });
  it('keeps rank order but reserves half of the slots for the zone', () => {
    const ranked = [r('a', 'x'), r('b', 'x'), r('c', 'x'), r('d', 'z'), r('e', 'x'), r('f', 'z')];
    expect(applyZoneQuota(ranked, ['z'], 4).map((i) => i.item.sku)).toEqual(['a', 'b', 'd', 'f']);
  });
  it('fills with other items when the zone has too few', () => {
    expect(applyZoneQuota([r('a', 'x'), r('b', 'x'), r('c', 'z')], ['z'], 3).map((i) => i.item.sku)).toEqual(['a', 'b', 'c']);
    expect(applyZoneQuota([r('a', 'x'), r('b', 'x')], ['z'], 2).map((i) => i.item.sku)).toEqual(['a', 'b']);
  });
});

describe('selectForScreen', () => {
  const r = (sku: string, category: string) => ({ item: { sku, category } });
  it('caps a category at half the slots while others are available, then fills', () => {
    const ranked = [r('a', 'bags'), r('b', 'bags'), r('c', 'bags'), r('d', 'bags'), r('e', 'mugs'), r('f', 'tins')];
    expect(selectForScreen(ranked, ['bags', 'mugs', 'tins'], 4).map((i) => i.item.sku)).toEqual(['a', 'b', 'e', 'f']);
    expect(selectForScreen([r('a', 'bags'), r('b', 'bags'), r('c', 'bags')], ['bags'], 3).map((i) => i.item.sku)).toEqual(['a', 'b', 'c']);
  });
  it('keeps near-identical products ("Lunch Bag …") to a third of the slots while others are available', () => {
    const n = (sku: string, name: string) => ({ item: { sku, category: 'kitchen', name } });
    const ranked = [n('a', 'Lunch Bag Suki Design'), n('b', 'Lunch Bag Black Skull'), n('c', 'Lunch Bag Vintage Leaf'),
      n('d', 'Lunch Bag Pink Polkadot'), n('e', 'Recipe Box Pantry Yellow'), n('f', 'Set/5 Red Retrospot Bowls'), n('g', 'Cake Tins Pantry Design')];
    expect(selectForScreen(ranked, ['kitchen'], 6).map((i) => i.item.sku)).toEqual(['a', 'b', 'e', 'f', 'g', 'c']);
  });
  it('uses the catalog family when given, whatever the names say', () => {
    const f = (sku: string, family?: string) => ({ item: { sku, category: 'coffee', name: sku, family } });
    const ranked = [f('beans-1', 'yirgacheffe'), f('beans-2', 'yirgacheffe'), f('beans-3', 'yirgacheffe'), f('mug'), f('filter'), f('grinder')];
    // 3 slots: a third per family = 1 variant while other products are available.
    expect(selectForScreen(ranked, ['coffee'], 3).map((i) => i.item.sku)).toEqual(['beans-1', 'mug', 'filter']);
  });
});
