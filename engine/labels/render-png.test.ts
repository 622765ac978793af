import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { LabelDisplay } from '../contracts/index.js';
import { zhCN } from '../i18n/messages/zh-CN.js';
import type { LabelContent } from './label-svg.js';
import { LABEL_COLORS, LAYOUTS } from './layouts.js';
import { quantize, renderLabelPng } from './render-png.js';

const base: LabelContent = { sku: 'SKU-22423', name: 'Regency Cakestand 3 Tier', price: 12.75, currency: 'GBP', locale: 'en-GB' };
const hex = (r: number, g: number, b: number) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The decoded PNG, with a counter of pixels of one colour in a box. */
function decode(png: Buffer) {
  const img = PNG.sync.read(png);
  const at = (x: number, y: number) => {
    const i = (y * img.width + x) * 4;
    return hex(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!);
  };
  const box = (x0: number, y0: number, x1: number, y1: number) => {
    const out: string[] = [];
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out.push(at(x, y));
    return out;
  };
  const count = (colour: string, x0 = 0, y0 = 0, x1 = img.width, y1 = img.height) => box(x0, y0, x1, y1).filter((c) => c === colour).length;
  return { img, box, count };
}

/** Where each display's prices go: between the name's lines and the footer. */
function priceArea(display: LabelDisplay): [number, number, number, number] {
  const L = LAYOUTS[display];
  return [0, L.name.firstBaseline + (L.name.maxLines - 1) * L.name.lineHeight + 6, L.width, L.height - L.footer.height];
}

describe('renderLabelPng', () => {
  it.each([
    ['bwr-296x128', 296, 128],
    ['bwr-400x300', 400, 300],
  ] as const)('%s: a %i×%i PNG of black, white and red only', (display, w, h) => {
    const { img } = decode(renderLabelPng({ ...base, memberPrice: 11.45, promo: 'Buy 2, save 10%' }, display));
    expect([img.width, img.height]).toEqual([w, h]);
    const colours = new Set<string>();
    for (let i = 0; i < img.data.length; i += 4) colours.add(hex(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!));
    expect([...colours].sort()).toEqual([LABEL_COLORS.black, LABEL_COLORS.red, LABEL_COLORS.white].sort());
  });

  it('takes the display from the label when none is given', () => {
    expect(decode(renderLabelPng({ ...base, display: 'bwr-400x300' })).img.width).toBe(400);
  });

  it.each(['bwr-296x128', 'bwr-400x300'] as const)('%s: red in the price area only with a member price', (display) => {
    const plain = decode(renderLabelPng(base, display));
    expect(plain.count(LABEL_COLORS.red)).toBe(0); // no member price, no promo: not one red pixel
    expect(plain.count(LABEL_COLORS.black, ...priceArea(display))).toBeGreaterThan(100);

    const member = decode(renderLabelPng({ ...base, memberPrice: 11.45 }, display));
    expect(member.count(LABEL_COLORS.red, ...priceArea(display))).toBeGreaterThan(200);

    const promo = decode(renderLabelPng({ ...base, promo: 'Offer' }, display));
    const L = LAYOUTS[display];
    expect(promo.count(LABEL_COLORS.red, ...priceArea(display))).toBe(0);
    expect(promo.count(LABEL_COLORS.red, 0, L.height - L.footer.height, L.width, L.height)).toBeGreaterThan(L.width * L.footer.height * 0.6);
  });

  it('draws Chinese with real glyphs, not missing-glyph boxes', () => {
    const L = LAYOUTS['bwr-296x128'];
    const nameArea = (name: string) => decode(renderLabelPng({ ...base, name, locale: 'zh-CN', currency: 'CNY' })).box(0, 0, L.width, L.name.firstBaseline + 5).join();
    // Three characters from the catalog, and three the font lacks (CJK Extension B): the same widths, so the same layout.
    const drawn = ['会', '员', '价'].map((c) => nameArea(c.repeat(3)));
    const tofu = nameArea('\u{2A6A5}\u{2A6A6}\u{2A6A7}');
    expect(nameArea('\u{2A6A5}\u{2A6A5}\u{2A6A5}')).toBe(tofu); // every missing glyph is the same box
    expect(new Set([...drawn, tofu]).size).toBe(4);
    for (const area of drawn) expect(area.split(',').filter((c) => c !== LABEL_COLORS.white).length).toBeGreaterThan(60);
  });

  it('covers every character of the zh-CN catalog with the shipped font', () => {
    const covered = new Set(readFileSync(new URL('./fonts/coverage.txt', import.meta.url), 'utf8').replace(/\n$/, ''));
    const used = new Set(Object.values(zhCN).join('').replace(/\{[^}]*\}/g, ''));
    expect([...used].filter((c) => !covered.has(c))).toEqual([]);
  });

  it('is deterministic: the same label gives the same bytes', () => {
    const label: LabelContent = { ...base, name: 'Äpfel & Birnen 会员价', memberPrice: 9.99, promo: 'Nur heute', locale: 'de-DE', currency: 'EUR' };
    const a = renderLabelPng(label, 'bwr-400x300');
    expect(renderLabelPng(structuredClone(label), 'bwr-400x300').equals(a)).toBe(true);
  });
});

describe('quantize', () => {
  const px = (...rgb: number[]) => quantize({ width: 1, height: 1, rgba: Uint8Array.from([...rgb, 255]) }).pixels[0];

  it('sends anti-aliased edges to the ink that covers more than half of the pixel', () => {
    expect([px(0, 0, 0), px(255, 255, 255), px(192, 0, 0)]).toEqual([1, 0, 2]);
    expect(px(100, 100, 100)).toBe(1); // grey edge of black text: black, never red
    expect(px(160, 160, 160)).toBe(0);
    expect(px(224, 128, 128)).toBe(2); // half red on white
    expect(px(240, 190, 190)).toBe(0); // a quarter red on white
  });
});
