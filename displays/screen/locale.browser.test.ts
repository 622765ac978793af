/**
 * The player speaks the frame's language: prices formatted for its `locale` and `currency`, the content
 * marked with `lang`, and Chinese drawn with real CJK glyphs (docs/i18n.md §Screens).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../shared/tokens.css';
import type { ScreenContent } from '../shared/contracts.js';
import { FakeSocket, FakeWebSocket, deepQueryAll, deepTexts } from '../shared/testing.js';
import type { AisleScreenPlayer } from './player.js';
import './player.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const ZH_HERO: ScreenContent = {
  type: 'screen.content', screenId: 'scr-1', storeId: 's-001', seq: 1, decisionId: 'dec-zh', reason: 'shopper',
  template: 'hero', ttlMs: 60_000, currency: 'CNY', locale: 'zh-CN',
  greeting: '小美，欢迎回来', headline: '为您精选',
  items: [
    { sku: 'SKU-1001', name: '埃塞俄比亚耶加雪菲咖啡豆', price: 8.9, badge: '为您推荐', note: '因为您喜欢咖啡' },
    { sku: 'SKU-2210', name: '杏仁可颂', price: 12, memberPrice: 9.5, badge: '会员价', note: '会员立省¥2.50' },
  ],
};

const DE_GRID: ScreenContent = {
  type: 'screen.content', screenId: 'scr-1', storeId: 's-001', seq: 2, decisionId: 'dec-de', reason: 'audience',
  template: 'grid', ttlMs: 60_000, currency: 'EUR', locale: 'de-DE', headline: 'Beliebt im Bereich Kaffee',
  items: [
    { sku: 'SKU-1001', name: 'Äthiopien Yirgacheffe 250 g', price: 8.9, badge: 'Bestseller', note: 'Hier besonders beliebt' },
    { sku: 'SKU-1044', name: 'Handfilter aus Steinzeug', price: 24, memberPrice: 21.5 },
  ],
};

async function mountPlayer(): Promise<AisleScreenPlayer> {
  const el = document.createElement('aisle-screen-player');
  for (const [k, v] of Object.entries({ store: 's-001', screen: 'scr-1', token: 'tok-123', locale: 'en-GB' })) el.setAttribute(k, v);
  el.storeName = 'Test Store';
  el.webSocketImpl = FakeWebSocket;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

async function show(frame: ScreenContent): Promise<Element> {
  const el = await mountPlayer();
  el.ws.receive(frame);
  await el.updateComplete; await sleep(0); await el.updateComplete;
  const layer = el.shadowRoot!.querySelector('.layer.active')!;
  const template = layer.firstElementChild as HTMLElement & { updateComplete: Promise<boolean> };
  await template.updateComplete;
  return layer;
}

/** The glyph `ch` drawn in `font`, as pixels: tofu boxes all look alike, real glyphs do not. */
function glyphPixels(ch: string, font: string): string {
  const c = document.createElement('canvas');
  c.width = 80; c.height = 80;
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  ctx.font = font;
  ctx.textBaseline = 'top';
  ctx.fillText(ch, 4, 4);
  const a = ctx.getImageData(0, 0, 80, 80).data;
  let bits = '';
  for (let i = 3; i < a.length; i += 4) bits += a[i]! > 127 ? '1' : '0';
  return bits;
}

beforeEach(() => FakeSocket.reset());
afterEach(() => { document.body.replaceChildren(); });

describe('a zh-CN frame', () => {
  it('formats prices in yuan for zh-CN and marks the content lang="zh-CN"', async () => {
    const layer = await show(ZH_HERO);
    expect(deepTexts(layer, '.feature .price')).toEqual(['¥8.90']);
    expect(deepTexts(layer, '.more .member-price')).toEqual(['¥9.50']);
    const marked = deepQueryAll(layer, '[lang]');
    expect(marked.map((e) => e.getAttribute('lang'))).toEqual(['zh-CN']);
    expect(marked[0]!.contains(deepQueryAll(layer, '.feature .item-name')[0]!)).toBe(true);
    expect(deepTexts(layer, '.greeting')).toEqual(['小美，欢迎回来']);
    expect(deepTexts(layer, '.badge')).toContain('为您推荐');
    expect(deepTexts(layer, '.feature .note')).toEqual(['因为您喜欢咖啡']);
    expect(deepTexts(layer, '.member-label')).toEqual(['会员价']); // the player's own words follow the frame too
    expect(deepTexts(layer, '.more-label')).toEqual(['还为您精选了']);
  });

  it('renders Chinese with a CJK font: full-width glyphs, each one different', async () => {
    const layer = await show(ZH_HERO);
    const name = deepQueryAll(layer, '.feature .item-name')[0]!;
    const style = getComputedStyle(name);
    expect(style.fontFamily).toMatch(/Noto Sans CJK SC/);
    await document.fonts.ready;

    // As laid out: every ideograph advances by one em (plus the element's letter-spacing). Tofu boxes are narrower.
    const range = document.createRange();
    range.selectNodeContents(name);
    const chars = [...(name.textContent ?? '').trim()].length;
    const size = Number.parseFloat(style.fontSize);
    const spacing = Number.parseFloat(style.letterSpacing) || 0;
    const width = [...range.getClientRects()].reduce((w, r) => w + r.width, 0);
    expect(width / (chars * (size + spacing))).toBeGreaterThan(0.93);
    expect(width / (chars * (size + spacing))).toBeLessThan(1.07);

    // Drawn: distinct ideographs give distinct pixels (a missing font draws the same box for each).
    const font = `${style.fontWeight} 64px ${style.fontFamily}`;
    const glyphs = ['咖', '啡', '豆', '杏'].map((ch) => glyphPixels(ch, font));
    expect(new Set(glyphs).size).toBe(4);
    expect(glyphs.every((g) => g.includes('1'))).toBe(true);
  });
});

describe('a de-DE frame', () => {
  it('formats prices in euros for de-DE and marks the content lang="de-DE"', async () => {
    const layer = await show(DE_GRID);
    const filter = deepQueryAll(layer, '[data-sku="SKU-1044"]')[0]!;
    expect(deepTexts(layer, '[data-sku="SKU-1001"] .price').map(nbsp)).toEqual(['8,90 €']);
    expect(deepTexts(filter, '.member-price').map(nbsp)).toEqual(['21,50 €']);
    expect(deepTexts(filter, '.price').map(nbsp)).toEqual(['24,00 €']);
    expect(deepTexts(filter, '.member-label')).toEqual(['Mitgliederpreis']);
    expect(deepQueryAll(layer, '[lang]').map((e) => e.getAttribute('lang'))).toEqual(['de-DE']);
  });
});
