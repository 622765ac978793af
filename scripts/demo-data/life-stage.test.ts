import { describe, expect, it } from 'vitest';
import { lifeStagesFor } from './life-stage.js';

describe('lifeStagesFor', () => {
  it('reads explicit words only', () => {
    expect(lifeStagesFor('Childrens Cutlery Polkadot Pink')).toEqual(['child']);
    expect(lifeStagesFor("Children's Apron Dolly Girl")).toEqual(['child']);
    expect(lifeStagesFor('Set of 20 Kids Cookie Cutters')).toEqual(['child']);
    expect(lifeStagesFor('Baby Bib Toddler Size')).toEqual(['newborn', 'toddler']);
    expect(lifeStagesFor('Lunch Bag Spaceboy Design')).toBeUndefined();
    expect(lifeStagesFor('Kidsbury Mug')).toBeUndefined();
  });
});
