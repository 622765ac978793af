import { describe, expect, it } from 'vitest';
import { deriveFamilies, familyKey, isProductWord } from './family.js';

const item = (sku: string, name: string, category = 'kitchen & dining') => ({ sku, name, category });

describe('isProductWord', () => {
  it('rejects numbers, small words, colours, sizes and design lines', () => {
    for (const w of ['Bag', 'Ribbons', 'Wicker', 'T-Light']) expect(isProductWord(w)).toBe(true);
    for (const w of ['6', 'Set/20', "50's", 'of', 'Red', 'Small', 'Retrospot', 'Regency', 'Dolly']) expect(isProductWord(w)).toBe(false);
  });
});

describe('familyKey', () => {
  it('is the shortest leading phrase of two or more words ending in a product word, with a variant after it', () => {
    expect(familyKey('Lunch Bag Red Retrospot')).toEqual(['Lunch', 'Bag']);
    expect(familyKey('Set of 6 Ribbons Party')).toEqual(['Set', 'of', '6', 'Ribbons']);
    expect(familyKey('Heart of Wicker Small')).toEqual(['Heart', 'of', 'Wicker']);
  });
  it('is absent for names led by a colour, size, design or number, and for short names', () => {
    expect(familyKey('Red Retrospot Cake Stand')).toBeUndefined();
    expect(familyKey('Regency Cakestand 3 Tier')).toBeUndefined();
    expect(familyKey('Small Heart Flowers Hook')).toBeUndefined();
    expect(familyKey('6 Ribbons Rustic Charm')).toBeUndefined();
    expect(familyKey('Party Bunting')).toBeUndefined();
    expect(familyKey('Lunch Bag')).toBeUndefined();
  });
});

describe('deriveFamilies', () => {
  it('groups variants of one category under their longest shared product phrase', () => {
    const f = deriveFamilies([
      item('A', 'Lunch Bag Red Retrospot'), item('B', 'Lunch Bag Black Skull'), item('C', 'Lunch Bag Suki Design'),
      item('D', 'Paper Chain Kit 50\'s Christmas', 'christmas'), item('E', 'Paper Chain Kit Vintage Christmas', 'christmas'),
      item('F', 'Alarm Clock Bakelike Red', 'toys'), item('G', 'Alarm Clock Bakelike Green', 'toys'),
    ]);
    expect(Object.fromEntries(f)).toEqual({
      A: 'Lunch Bag', B: 'Lunch Bag', C: 'Lunch Bag', D: 'Paper Chain Kit', E: 'Paper Chain Kit', F: 'Alarm Clock', G: 'Alarm Clock',
    });
  });
  it('needs two items of the same category', () => {
    const f = deriveFamilies([item('A', 'Lunch Bag Red Retrospot'), item('B', 'Lunch Bag Black Skull', 'bags'), item('C', 'Cake Tins Pantry Design')]);
    expect(f.size).toBe(0);
  });
  it('is spelled as the first (best-selling) member and does not depend on case', () => {
    const f = deriveFamilies([item('A', 'Round Snack Boxes Set Of4 Woodland'), item('B', 'ROUND SNACK BOXES SET OF 4 FRUITS')]);
    expect(f.get('B')).toBe('Round Snack Boxes Set');
  });
  it('leaves every member a variant word', () => {
    expect(deriveFamilies([item('B', 'Jam Making Set Printed'), item('C', 'Jam Making Set with Jars')]).get('B')).toBe('Jam Making Set');
    const f = deriveFamilies([item('A', 'Jam Making Set'), item('B', 'Jam Making Set Printed'), item('C', 'Jam Making Set with Jars')]);
    expect([f.get('A'), f.get('B'), f.get('C')]).toEqual(['Jam Making', 'Jam Making', 'Jam Making']);
  });
});
