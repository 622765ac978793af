/**
 * The shelf label in real Chromium: the same SVG the engine turns into the e-paper PNG, drawn with the shipped font,
 * prices in the label's language, member price, promo band, the LED flash and the panel's exact pixel size
 * (docs/labels.md §Rendering).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LABEL_COLORS, LABEL_FONT_FAMILY, loadLabelFont } from '../shared/label-svg.js';
import { textWidth } from '../../engine/labels/text-fit.js';
import type { AisleLabelStrip, StripLabel } from './label-strip.js';
import type { AisleShelfLabel, ShelfLabelData } from './shelf-label.js';
import './label-strip.js';
import './shelf-label.js';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const LABEL: ShelfLabelData = {
  labelId: 'esl-1', seq: 1, sku: 'SKU-22423', name: 'Regency Cakestand 3 Tier', price: 12.75, currency: 'GBP', locale: 'en-GB',
};

async function mount(label: ShelfLabelData, props: Partial<AisleShelfLabel> = {}): Promise<AisleShelfLabel> {
  const el = document.createElement('aisle-shelf-label');
  Object.assign(el, props, { label });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const q = (el: AisleShelfLabel, sel: string) => [...el.shadowRoot!.querySelectorAll(sel)];
const texts = (el: AisleShelfLabel, sel: string) => q(el, sel).map((e) => nbsp(e.textContent ?? ''));

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('<aisle-shelf-label>', () => {
  it.each([
    ['en-GB', 'GBP', '£12.75'],
    ['de-DE', 'EUR', '12,75 €'],
    ['zh-CN', 'CNY', '¥12.75'],
  ])('shows the price for %s in %s', async (locale, currency, want) => {
    const el = await mount({ ...LABEL, locale, currency });
    expect(texts(el, '.price')).toEqual([want]);
    expect(q(el, 'svg')[0]!.getAttribute('lang')).toBe(locale);
  });

  it('takes the store\'s locale and currency when the frame has none', async () => {
    const { locale: _l, currency: _c, ...bare } = LABEL;
    const el = await mount(bare, { locale: 'de-DE', currency: 'EUR' });
    expect(texts(el, '.price')).toEqual(['12,75 €']);
  });

  it('shows the member price in red with its caption, and removes it when the next frame has none', async () => {
    const el = await mount({ ...LABEL, memberPrice: 11.45, locale: 'de-DE', currency: 'EUR' });
    expect(texts(el, '.member-price')).toEqual(['11,45 €']);
    expect(texts(el, '.member-caption')).toEqual(['Mitgliederpreis']);
    expect(q(el, '.member-price')[0]!.getAttribute('fill')).toBe(LABEL_COLORS.red);

    el.label = { ...LABEL, seq: 2, locale: 'zh-CN', currency: 'CNY', memberPrice: 9.9 };
    await el.updateComplete;
    expect(texts(el, '.member-caption')).toEqual(['会员价']);

    el.label = { ...LABEL, seq: 3 };
    await el.updateComplete;
    expect(q(el, '.member-price, .member-caption')).toHaveLength(0);
    expect(texts(el, '.price')).toEqual(['£12.75']);
  });

  it('draws the promo as a red band with white text', async () => {
    const el = await mount({ ...LABEL, promo: 'Buy 2, save 10%' });
    const band = q(el, '.promo-band')[0]!;
    expect(band.getAttribute('fill')).toBe(LABEL_COLORS.red);
    expect(texts(el, '.promo')).toEqual(['Buy 2, save 10%']);
    expect(q(el, '.promo')[0]!.getAttribute('fill')).toBe(LABEL_COLORS.white);
    el.label = { ...LABEL, seq: 2 };
    await el.updateComplete;
    expect(q(el, '.promo-band, .promo')).toHaveLength(0);
  });

  it.each([
    ['bwr-296x128', 1, 296, 128],
    ['bwr-400x300', 1, 400, 300],
    ['bwr-296x128', 2, 592, 256],
  ] as const)('draws %s at scale %d as %i×%i px', async (display, scale, w, h) => {
    const el = await mount({ ...LABEL, display }, { scale });
    const box = q(el, '.screen svg')[0]!.getBoundingClientRect();
    expect([box.width, box.height]).toEqual([w, h]);
    expect(el.dataset['display']).toBe(display);
  });

  it('uses the store\'s display when the frame does not name one', async () => {
    const el = await mount(LABEL, { display: 'bwr-400x300' });
    expect(q(el, '.screen svg')[0]!.getBoundingClientRect().width).toBe(400);
  });

  it('draws with the shipped font, at the widths the PNG layout measured', async () => {
    await loadLabelFont();
    expect(document.fonts.check(`700 16px "${LABEL_FONT_FAMILY}"`, '会员价 £€')).toBe(true);
    const el = await mount({ ...LABEL, name: 'Äpfel 会员价 Birnen', memberPrice: 11.45, promo: '会员专享：第二件半价' });
    for (const t of q(el, 'text') as SVGTextElement[]) {
      const size = Number(t.getAttribute('font-size'));
      expect(t.getComputedTextLength(), t.textContent!).toBeCloseTo(textWidth(t.textContent!, size), 0);
    }
  });

  it('lights the LED in the flash colour for durationMs, then turns it off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const el = await mount(LABEL);
    expect(q(el, '.led.on')).toHaveLength(0);

    el.label = { ...LABEL, seq: 2, flash: { color: 'green', durationMs: 3000 } };
    await el.updateComplete;
    const led = q(el, '.led.on')[0]!;
    expect(led.getAttribute('data-color')).toBe('green');
    expect(el.dataset['flash']).toBe('green');

    vi.advanceTimersByTime(2999);
    await el.updateComplete;
    expect(q(el, '.led.on')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await el.updateComplete;
    expect(q(el, '.led.on')).toHaveLength(0);
    expect(el.dataset['flash']).toBeUndefined();

    // The same frame again (a resend) does not flash; a new one does, in its own colour.
    el.label = { ...LABEL, seq: 2, flash: { color: 'green', durationMs: 3000 } };
    await el.updateComplete;
    expect(q(el, '.led.on')).toHaveLength(0);
    el.label = { ...LABEL, seq: 3, flash: { color: 'red', durationMs: 500 } };
    await el.updateComplete;
    expect(q(el, '.led.on')[0]!.getAttribute('data-color')).toBe('red');
  });
});

describe('<aisle-label-strip>', () => {
  const zone: StripLabel[] = [
    { ...LABEL, labelId: 'esl-1', seq: 1 },
    { ...LABEL, labelId: 'esl-2', seq: 1, sku: 'SKU-85099B', name: 'Jumbo Bag Red Retrospot', price: 2.08, memberPrice: 1.85 },
    { ...LABEL, labelId: 'esl-3', seq: 1, sku: 'SKU-84879', name: 'Assorted Colour Bird Ornament', price: 1.69, display: 'bwr-400x300' },
  ];

  it('shows a zone\'s labels side by side and takes updates by label id', async () => {
    const strip = document.createElement('aisle-label-strip') as AisleLabelStrip;
    Object.assign(strip, { labels: zone, heading: 'Kitchen', scale: 0.5 });
    document.body.append(strip);
    await strip.updateComplete;
    const labels = () => [...strip.shadowRoot!.querySelectorAll('aisle-shelf-label')];
    expect(labels().map((l) => l.dataset['labelId'])).toEqual(['esl-1', 'esl-2', 'esl-3']);
    expect(strip.shadowRoot!.querySelector('.heading')!.textContent).toBe('Kitchen');
    const boxes = labels().map((l) => l.shadowRoot!.querySelector('svg')!.getBoundingClientRect());
    expect(boxes.map((b) => [b.width, b.height])).toEqual([[148, 64], [148, 64], [200, 150]]);
    expect(boxes[1]!.left).toBeGreaterThan(boxes[0]!.right);
    expect(Math.abs(boxes[1]!.bottom - boxes[0]!.bottom)).toBeLessThan(1);

    const first = labels()[0]!;
    strip.receive({ ...zone[0]!, seq: 2, price: 9.99 });
    strip.receive({ ...zone[0]!, seq: 1, price: 1 }); // older: ignored
    strip.receive({ ...LABEL, labelId: 'esl-4', seq: 1 });
    await strip.updateComplete;
    await first.updateComplete;
    expect(labels()[0]).toBe(first);
    expect(texts(first, '.price')).toEqual(['£9.99']);
    expect(labels()).toHaveLength(4);
  });
});
