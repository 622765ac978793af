import { describe, expect, it } from 'vitest';
import { titleCase } from './title-case.js';

describe('titleCase', () => {
  it('title-cases hyphenated words', () => {
    expect(titleCase('WHITE HANGING HEART T-LIGHT HOLDER')).toBe('White Hanging Heart T-Light Holder');
  });
  it('keeps minor words lower-case except first', () => {
    expect(titleCase('SET OF 3 CAKE TINS PANTRY DESIGN')).toBe('Set of 3 Cake Tins Pantry Design');
    expect(titleCase('OF MICE AND MEN')).toBe('Of Mice and Men');
  });
  it('collapses spaces, trims trailing dots, keeps apostrophes', () => {
    expect(titleCase('LUNCH BAG  BLACK SKULL.')).toBe('Lunch Bag Black Skull');
    expect(titleCase("PAPER CHAIN KIT 50'S CHRISTMAS ")).toBe("Paper Chain Kit 50's Christmas");
  });
  it('handles plus signs, slashes, units and acronyms', () => {
    expect(titleCase('REX CASH+CARRY JUMBO SHOPPER')).toBe('Rex Cash+Carry Jumbo Shopper');
    expect(titleCase('S/4 PINK FLOWER CANDLES IN BOWL')).toBe('S/4 Pink Flower Candles in Bowl');
    expect(titleCase('LED TEA LIGHTS 20CM')).toBe('LED Tea Lights 20cm');
  });
});
