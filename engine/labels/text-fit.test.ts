import { describe, expect, it } from 'vitest';
import { ADVANCES, FONT_UNITS } from './font-metrics.js';
import { ellipsize, fitSize, textWidth, wrapText } from './text-fit.js';

describe('textWidth', () => {
  it('adds the font\'s advances; hanzi and unknown characters are one em', () => {
    expect(textWidth('0', 10)).toBeCloseTo((ADVANCES.get(48)! / FONT_UNITS.upem) * 10);
    expect(textWidth('会员价', 20)).toBe(60);
    expect(textWidth('\u{2A6A5}', 20)).toBe(20); // not in the font: the missing-glyph box
    expect(textWidth('e\u0301', 10)).toBeCloseTo(textWidth('e', 10)); // a combining mark takes no room
  });
});

describe('fitSize', () => {
  it('takes the largest whole size that fits, within the bounds', () => {
    const w = textWidth('£12.75', 1);
    expect(fitSize('£12.75', 100, 46, 20)).toBe(Math.floor(100 / w));
    expect(fitSize('£1', 280, 46, 20)).toBe(46);
    expect(fitSize('£123,456,789.00', 50, 46, 20)).toBe(20);
  });
});

describe('wrapText', () => {
  it('breaks Latin text at spaces and keeps every line within the width', () => {
    const lines = wrapText('White Hanging Heart T-Light Holder', 150, 15, 3);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('White Hanging Heart T-Light Holder');
    for (const l of lines) expect(textWidth(l, 15)).toBeLessThanOrEqual(150);
  });

  it('breaks Chinese between characters, never before closing punctuation', () => {
    const text = '埃塞俄比亚耶加雪菲咖啡豆，手工烘焙，果香浓郁';
    for (let width = 60; width <= 200; width += 15) {
      const lines = wrapText(text, width, 15, 10);
      expect(lines.join('')).toBe(text);
      for (const l of lines) {
        expect(l.startsWith('，')).toBe(false);
        expect(textWidth(l, 15)).toBeLessThanOrEqual(width);
      }
    }
  });

  it('ends the last line with an ellipsis when the text does not fit', () => {
    const lines = wrapText('Jumbo Bag Red Retrospot with extra long handles and a matching purse', 120, 15, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(textWidth(lines[1]!, 15)).toBeLessThanOrEqual(120);
  });

  it('splits a word longer than the line', () => {
    const lines = wrapText('Donaudampfschifffahrtsgesellschaftskapitän', 100, 15, 5);
    expect(lines.join('')).toBe('Donaudampfschifffahrtsgesellschaftskapitän');
    for (const l of lines) expect(textWidth(l, 15)).toBeLessThanOrEqual(100);
  });

  it('keeps a quantity with its unit', () => {
    const width = textWidth('Äpfel aus dem Alten Land, 1', 26) + 1;
    expect(wrapText('Äpfel aus dem Alten Land, 1 kg', width, 26, 3)).toEqual(['Äpfel aus dem Alten Land,', '1 kg']);
  });

  it('collapses white space as SVG does', () => {
    expect(wrapText('  a \n  b  ', 200, 15, 2)).toEqual(['a b']);
    expect(wrapText('', 200, 15, 2)).toEqual([]);
  });
});

describe('ellipsize', () => {
  it('keeps text that fits and cuts text that does not, whole characters only', () => {
    expect(ellipsize('Offer', 200, 13)).toBe('Offer');
    const cut = ellipsize('会员专享：第二件半价，仅限本周', 100, 13);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 13)).toBeLessThanOrEqual(100);
  });
});
