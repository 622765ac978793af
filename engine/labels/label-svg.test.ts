import { describe, expect, it } from 'vitest';
import { labelSvg, type LabelContent } from './label-svg.js';
import { LABEL_COLORS, LAYOUTS } from './layouts.js';
import { textWidth } from './text-fit.js';

const base: LabelContent = { sku: 'SKU-85123A', name: 'White Hanging Heart T-Light Holder', price: 2.95, currency: 'GBP', locale: 'en-GB' };

/** The text of every element with class `cls`, XML entities decoded. */
function texts(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))]
    .map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
}

describe('labelSvg', () => {
  it.each([
    ['bwr-296x128', 296, 128],
    ['bwr-400x300', 400, 300],
  ] as const)('%s is %i×%i px', (display, w, h) => {
    const svg = labelSvg({ ...base, display });
    expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"`));
    expect(labelSvg(base, { display, scale: 2 })).toContain(`width="${w * 2}" height="${h * 2}"`);
  });

  it('draws a 296×128 label unless told otherwise; options name the hardware', () => {
    expect(labelSvg(base)).toContain('data-display="bwr-296x128"');
    expect(labelSvg({ ...base, display: 'bwr-296x128' }, { display: 'bwr-400x300' })).toContain('data-display="bwr-400x300"');
    expect(labelSvg({ ...base, display: 'bwr-999' as never })).toContain('data-display="bwr-296x128"');
  });

  it.each([
    ['en-GB', 'GBP', '£12.75'],
    ['de-DE', 'EUR', '12,75\u00a0€'],
    ['zh-CN', 'CNY', '¥12.75'],
  ])('formats the price in %s %s', (locale, currency, want) => {
    expect(texts(labelSvg({ ...base, price: 12.75, locale, currency }), 'price')).toEqual([want]);
  });

  it('uses the store\'s locale and currency when the label has none, a plain amount without any', () => {
    const { locale: _l, currency: _c, ...bare } = base;
    expect(texts(labelSvg(bare, { locale: 'de-DE', currency: 'EUR' }), 'price')).toEqual(['2,95\u00a0€']);
    expect(texts(labelSvg(bare), 'price')).toEqual(['2.95']);
  });

  it('shows a member price in red with a caption in the label\'s language', () => {
    const svg = labelSvg({ ...base, price: 12.75, memberPrice: 11.45, locale: 'de-DE', currency: 'EUR' });
    expect(texts(svg, 'member-price')).toEqual(['11,45\u00a0€']);
    expect(texts(svg, 'member-caption')).toEqual(['Mitgliederpreis']);
    expect(svg).toMatch(new RegExp(`class="member-price"[^>]*fill="${LABEL_COLORS.red}"`));
    expect(texts(labelSvg({ ...base, memberPrice: 2.5, locale: 'zh-CN' }), 'member-caption')).toEqual(['会员价']);
    expect(texts(labelSvg({ ...base, memberPrice: 2.5 }), 'member-caption')).toEqual(['Member price']);
  });

  it('shows no member price when there is none, or it saves nothing', () => {
    for (const memberPrice of [undefined, 2.95, 3.5]) {
      const svg = labelSvg({ ...base, memberPrice });
      expect(svg).not.toContain('member-');
      expect(svg).not.toContain(LABEL_COLORS.red);
    }
  });

  it('draws the promo as white text on a red band, with the SKU', () => {
    const svg = labelSvg({ ...base, promo: '3 for 2 & more <today>' });
    expect(svg).toMatch(new RegExp(`<rect class="promo-band"[^>]*fill="${LABEL_COLORS.red}"`));
    expect(texts(svg, 'promo')).toEqual(['3 for 2 & more <today>']);
    expect(texts(svg, 'sku')).toEqual(['SKU-85123A']);
    expect(labelSvg(base)).not.toContain('promo');
  });

  it('uses only the three e-paper colours and the shipped font', () => {
    const svg = labelSvg({ ...base, memberPrice: 2.5, promo: 'Offer' });
    const colours = new Set([...svg.matchAll(/fill="([^"]+)"/g)].map((m) => m[1]));
    expect([...colours].sort()).toEqual([LABEL_COLORS.black, LABEL_COLORS.red, LABEL_COLORS.white].sort());
    expect(svg).toContain('font-family="Aisle Label Sans"');
    expect(svg.match(/font-family=/g)).toHaveLength(1);
  });

  it.each(['bwr-296x128', 'bwr-400x300'] as const)('keeps a long name inside %s', (display) => {
    const L = LAYOUTS[display];
    for (const name of ['Set of 3 Cake Tins Pantry Design, with an Extra Long Product Description Text that goes on and on',
      '埃塞俄比亚耶加雪菲咖啡豆250克，手工烘焙，果香浓郁，每日限量供应，欲购从速，售完即止，敬请谅解，谢谢惠顾']) {
      const lines = texts(labelSvg({ ...base, name }, { display }), 'name');
      expect(lines.length).toBeLessThanOrEqual(L.name.maxLines);
      for (const line of lines) expect(textWidth(line, L.name.size)).toBeLessThanOrEqual(L.width - 2 * L.pad);
      expect(lines.at(-1)!.endsWith('…')).toBe(true);
    }
  });

  it('escapes text and describes the label for assistive technology', () => {
    const svg = labelSvg({ ...base, name: 'Tom & "Jerry" <Mugs>', memberPrice: 2.5 });
    expect(svg).not.toContain('<Mugs>');
    expect(texts(svg, 'name')).toEqual(['Tom & "Jerry" <Mugs>']);
    expect(svg).toContain('aria-label="Tom &amp; &quot;Jerry&quot; &lt;Mugs&gt;, £2.95, Member price £2.50"');
  });
});
