import { afterEach, describe, expect, it } from 'vitest';
import '../shared/tokens.css';
import type { ScreenContent } from '../shared/contracts.js';
import { hashHue, hueFor } from '../shared/format.js';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { DEMO_CATEGORIES, DEMO_GRID, DEMO_HERO } from './demo-frames.js';
import './grid-template.js';
import './hero-template.js';
import './idle-loop.js';

const mount = async <K extends 'aisle-hero-template' | 'aisle-grid-template'>(tag: K, content: ScreenContent,
  { showNote = true, locale = 'en-GB', categories }: { showNote?: boolean; locale?: string; categories?: ReadonlyMap<string, string> } = {}) => {
  const el = document.createElement(tag);
  el.content = content;
  el.showNote = showNote;
  el.locale = locale;
  el.categories = categories;
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
    expect(deepTexts(el, '.feature .note')).toEqual(['Because you like coffee']);
    expect(deepTexts(el, '.more .note')).toEqual(['Pairs well with fresh beans', 'Baked in store this morning', 'Dairy-free, foams like milk']);
  });

  it('never invents a greeting or headline', async () => {
    const { greeting: _g, headline: _h, ...bare } = DEMO_HERO;
    const el = await mount('aisle-hero-template', bare);
    expect(deepQueryAll(el, '.greeting')).toHaveLength(0);
    expect(deepQueryAll(el, '.headline')).toHaveLength(0);
  });

  it('formats the frame currency and hides the note on request', async () => {
    const el = await mount('aisle-hero-template', { ...DEMO_HERO, currency: 'EUR', items: DEMO_HERO.items.slice(0, 1) }, { showNote: false });
    expect(deepTexts(el, '.member-price')[0]).toBe('€7.90');
    expect(deepQueryAll(el, '.note')).toHaveLength(0);
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
    const item = { sku: 'SKU-9', name: 'Odd', price: 2, memberPrice: 2.5, note: 'x' };
    const el = await mount('aisle-grid-template', { ...DEMO_GRID, items: [item] });
    expect(deepQueryAll(el, '.member-price')).toHaveLength(0);
    expect(deepTexts(el, '.price')).toEqual(['£2.00']);
  });
});

describe('locale', () => {
  it('formats prices in the frame locale, whatever the player locale', async () => {
    const el = await mount('aisle-hero-template', { ...DEMO_HERO, currency: 'EUR', locale: 'de-DE' }, { locale: 'en-GB' });
    expect(deepTexts(el, '.feature .member-price')).toEqual(['7,90 €']);
    expect(deepTexts(el, '.more .price')).toEqual(['24,00 €', '2,40 €', '2,10 €']);
    const grid = await mount('aisle-grid-template', { ...DEMO_GRID, locale: 'fr-FR' }, { locale: 'en-GB' });
    expect(deepTexts(grid, '[data-sku="SKU-4102"] .price')[0]).toMatch(/^2,95 £/); // "2,95 £GB" in French
  });

  it('falls back to the player locale without a frame locale, or with an invalid one', async () => {
    const { locale: _l, ...noLocale } = DEMO_HERO;
    const a = await mount('aisle-hero-template', { ...noLocale, currency: 'EUR' }, { locale: 'de-DE' });
    expect(deepTexts(a, '.feature .member-price')).toEqual(['7,90 €']);
    const b = await mount('aisle-hero-template', { ...DEMO_HERO, locale: 'en_GB!' }, { locale: 'en-GB' });
    expect(deepTexts(b, '.feature .member-price')).toEqual(['£7.90']);
  });
});

describe('colours and icons', () => {
  const hueOf = (root: Element, sku: string) =>
    Number(deepQueryAll(root, `[data-sku="${sku}"] .visual`)[0]!.style.getPropertyValue('--h'));
  const iconOf = (root: Element, sku: string) =>
    deepQueryAll(root, `[data-sku="${sku}"] .glyph path`)[0]!.getAttribute('d');

  it('follow the catalog category of each sku when the store’s catalog is known', async () => {
    const el = await mount('aisle-grid-template', DEMO_GRID, { categories: DEMO_CATEGORIES });
    expect(hueOf(el, 'SKU-4101')).toBe(hueFor('kitchen & dining'));
    expect(hueOf(el, 'SKU-4105')).toBe(hueOf(el, 'SKU-4101')); // same aisle, same colour family
    expect(hueOf(el, 'SKU-4103')).toBe(hueFor('bags'));
    expect(iconOf(el, 'SKU-4101')).toBe(iconOf(el, 'SKU-4105'));
    expect(iconOf(el, 'SKU-4102')).not.toBe(iconOf(el, 'SKU-4101')); // candles ≠ kitchen
  });

  it('fall back to a stable sku hue and a neutral icon, and never print a category', async () => {
    const el = await mount('aisle-grid-template', DEMO_GRID);
    const icons = new Set(DEMO_GRID.items.map((i) => iconOf(el, i.sku)));
    expect(icons.size).toBe(1); // the neutral bag for all
    for (const i of DEMO_GRID.items) expect(hueOf(el, i.sku)).toBe(hashHue(i.sku));
    const again = await mount('aisle-grid-template', DEMO_GRID);
    expect(hueOf(again, 'SKU-4106')).toBe(hueOf(el, 'SKU-4106'));
    const withCats = await mount('aisle-grid-template', DEMO_GRID, { categories: DEMO_CATEGORIES });
    expect(withCats.shadowRoot!.textContent).not.toMatch(/kitchen & dining|candles & lights|home decor/i);
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
