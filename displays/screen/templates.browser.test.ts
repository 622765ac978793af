import { afterEach, describe, expect, it } from 'vitest';
import '../shared/tokens.css';
import type { ScreenContent } from '../shared/contracts.js';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { DEMO_GRID, DEMO_HERO } from './demo-frames.js';
import './grid-template.js';
import './hero-template.js';
import './idle-loop.js';

const mount = async <K extends 'aisle-hero-template' | 'aisle-grid-template'>(tag: K, content: ScreenContent, showWhy = true) => {
  const el = document.createElement(tag);
  el.content = content;
  el.showWhy = showWhy;
  el.locale = 'en-GB';
  document.body.append(el);
  await el.updateComplete;
  return el;
};

afterEach(() => { document.body.replaceChildren(); });

describe('aisle-hero-template', () => {
  it('renders the featured item, secondary items, prices and member price', async () => {
    const el = await mount('aisle-hero-template', DEMO_HERO);
    expect(deepTexts(el, '.feature .item-name')).toEqual(['Ethiopia Yirgacheffe Single-Origin Beans 250g']);
    expect(deepTexts(el, '.more .item-name')).toEqual(['Stoneware Pour-Over Dripper', 'Almond Croissant', 'Oat Barista Edition 1L']);
    expect(deepTexts(el, '.feature .member-price')).toEqual(['£7.90']);
    expect(deepTexts(el, '.feature .price')).toEqual(['£8.90']);
    expect(deepQueryAll(el, '.feature .price')[0]!.tagName).toBe('S'); // struck through
    expect(deepTexts(el, '.more .price')).toEqual(['£24.00', '£2.40', '£2.10']);
    expect(deepTexts(el, '.greeting')).toEqual(['Welcome back, Mia']);
    expect(deepTexts(el, '.headline')).toEqual(['Picked for your morning']);
    expect(deepTexts(el, '.badge')).toContain('For you');
    expect(deepTexts(el, '.why')).toContain('affinity coffee 0.92 · rule r-coffee-am');
  });

  it('never invents a greeting or headline', async () => {
    const { greeting: _g, headline: _h, ...bare } = DEMO_HERO;
    const el = await mount('aisle-hero-template', bare);
    expect(deepQueryAll(el, '.greeting')).toHaveLength(0);
    expect(deepQueryAll(el, '.headline')).toHaveLength(0);
  });

  it('formats the frame currency and hides why on request', async () => {
    const el = await mount('aisle-hero-template', { ...DEMO_HERO, currency: 'EUR', items: DEMO_HERO.items.slice(0, 1) }, false);
    expect(deepTexts(el, '.member-price')[0]).toBe('€7.90');
    expect(deepQueryAll(el, '.why')).toHaveLength(0);
    expect(deepQueryAll(el, '.more')).toHaveLength(0);
  });

  it('shows a generated visual when there is no image, and keeps it when the image fails', async () => {
    const items = [{ ...DEMO_HERO.items[0]!, image: '/definitely-missing.webp' }];
    const el = await mount('aisle-hero-template', { ...DEMO_HERO, items });
    expect(deepQueryAll(el, '.generated')).toHaveLength(1);
    const img = deepQueryAll<HTMLImageElement>(el, 'img.photo')[0]!;
    await new Promise<void>((r) => { if (img.classList.contains('failed')) r(); else img.addEventListener('error', () => r()); });
    expect(img.classList.contains('failed')).toBe(true);
    expect(getComputedStyle(img).display).toBe('none');
  });
});

describe('aisle-grid-template', () => {
  it('renders one card per item with formatted prices', async () => {
    const el = await mount('aisle-grid-template', DEMO_GRID);
    expect(deepQueryAll(el, '.grid .item')).toHaveLength(8);
    expect(deepTexts(el, '.item-name')).toContain('Regency Cakestand, 3 Tier');
    const cake = deepQueryAll(el, '[data-sku="SKU-4101"]')[0]!;
    expect(deepTexts(cake, '.member-price')).toEqual(['£10.95']);
    expect(deepTexts(cake, '.price')).toEqual(['£12.75']);
    const heart = deepQueryAll(el, '[data-sku="SKU-4102"]')[0]!;
    expect(deepTexts(heart, '.price')).toEqual(['£2.95']);
    expect(deepQueryAll(heart, '.member-price')).toHaveLength(0);
    expect(deepTexts(el, '.headline')).toEqual(['Popular in Home & Kitchen this week']);
    expect(deepQueryAll(el, '.greeting')).toHaveLength(0);
  });

  it('shows the greeting only when the frame has one', async () => {
    const el = await mount('aisle-grid-template', { ...DEMO_GRID, greeting: 'Hello, Sam' });
    expect(deepTexts(el, '.greeting')).toEqual(['Hello, Sam']);
  });

  it('ignores a member price that is not a saving', async () => {
    const item = { sku: 'SKU-9', name: 'Odd', price: 2, memberPrice: 2.5, why: 'x' };
    const el = await mount('aisle-grid-template', { ...DEMO_GRID, items: [item] });
    expect(deepQueryAll(el, '.member-price')).toHaveLength(0);
    expect(deepTexts(el, '.price')).toEqual(['£2.00']);
  });
});

describe('aisle-idle-loop', () => {
  it('shows store-branded slides and the idle offers', async () => {
    const el = document.createElement('aisle-idle-loop');
    el.storeName = 'Corner Market';
    document.body.append(el);
    await el.updateComplete;
    expect(el.dataset['slide']).toBe('welcome');
    expect(deepTexts(el, '.welcome')).toEqual(['Welcome']);
    expect(deepTexts(el, '.store-name')).toEqual(['to Corner Market']);
    expect(deepTexts(el, '.eyebrow')[0]).toMatch(/^Good (morning|afternoon|evening)$/);
    expect(el.slides).toEqual(['welcome', 'clock']);
    el.idleContent = { ...DEMO_GRID, reason: 'idle' };
    await el.updateComplete;
    expect(el.slides).toContain('offers');
    expect(deepTexts(el, '.item-name')).toContain('Regency Cakestand, 3 Tier');
  });
});
