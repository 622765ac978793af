import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CATALOGS, SUPPORTED_LOCALES, createTranslator, fit, resolveLocale, type MessageKey } from './index.js';
import { en } from './messages/en.js';
import { literalText, placeholders } from './placeholders.js';

const KEYS = Object.keys(en).sort() as MessageKey[];
/** Typical values, long-ish on purpose. */
const SAMPLE: Record<string, string> = {
  name: 'Maximilian', zone: 'Fruit & Vegetables', product: 'Ethiopia Yirgacheffe 250g', category: 'home fragrance',
  amount: '€12.50', stage: 'toddler',
};
const SAMPLE_ZH: Record<string, string> = { ...SAMPLE, name: '欧阳娜娜', zone: '咖啡', category: '家居香氛', product: '埃塞俄比亚耶加雪菲咖啡豆 250克', amount: '¥12.50', stage: '幼儿' };
const ast = (msg: string, locale: string) => new IntlMessageFormat(msg, locale).getAst();

describe('catalogs', () => {
  it.each(SUPPORTED_LOCALES)('%s has exactly the English keys, each parses with the same placeholders', (locale) => {
    const cat = CATALOGS[locale];
    expect(Object.keys(cat).sort()).toEqual(KEYS);
    for (const key of KEYS) {
      expect(() => ast(cat[key], locale), `${locale} ${key}`).not.toThrow();
      expect(placeholders(ast(cat[key], locale)), `${locale} ${key}`).toEqual(placeholders(ast(en[key], 'en')));
    }
  });

  it.each(SUPPORTED_LOCALES)('%s badges fit 24 characters and notes 60 with typical values', (locale) => {
    const tr = createTranslator(locale);
    const values = locale === 'zh-CN' ? SAMPLE_ZH : SAMPLE;
    for (const key of KEYS) {
      const text = tr.t(key, values);
      expect(text, `${locale} ${key}`).not.toMatch(/[{}]/);
      if (key.startsWith('badge.')) expect(text.length, `${locale} ${key}: ${text}`).toBeLessThanOrEqual(24);
      if (key.startsWith('note.')) expect(text.length, `${locale} ${key}: ${text}`).toBeLessThanOrEqual(60);
      if (key.startsWith('headline.') || key.startsWith('greeting.')) expect(text.length).toBeLessThanOrEqual(80);
    }
  });

  it('formats in each language', () => {
    expect(createTranslator('en-GB').t('greeting.welcome', { name: 'Mia' })).toBe('Welcome, Mia');
    expect(createTranslator('de-DE').t('note.becauseYouLike', { category: 'Kaffee' })).toBe('Weil du Kaffee magst');
    expect(createTranslator('zh-CN').t('greeting.birthday', { name: '小美' })).toBe('小美，生日快乐！');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['en', 'en'], ['en-GB', 'en'], ['EN-us', 'en'], ['de', 'de'], ['de-DE', 'de'], ['de-at', 'de'], ['de_CH', 'de'],
    ['zh-CN', 'zh-CN'], ['zh-cn', 'zh-CN'], ['zh', 'zh-CN'], ['zh-Hans-CN', 'zh-CN'], ['zh-Hans', 'zh-CN'], ['zh-SG', 'zh-CN'],
    ['zh-TW', 'zh-CN'], ['fr-FR', 'en'], ['ja', 'en'], ['', 'en'], ['not a tag', 'en'],
  ])('%s → %s', (tag, want) => {
    expect(resolveLocale(tag)).toBe(want);
  });

  it('keeps the requested tag and names the catalog', () => {
    const tr = createTranslator('de-AT');
    expect(tr.locale).toBe('de-AT');
    expect(tr.catalog).toBe('de');
  });
});

describe('price', () => {
  it('formats with the requested locale and currency', () => {
    const de = createTranslator('de-DE').price(8.9, 'EUR');
    expect(de).toContain('8,90');
    expect(de).toContain('€');
    expect(createTranslator('zh-CN').price(8.9, 'CNY')).toBe('¥8.90');
    expect(createTranslator('en-GB').price(8.9, 'GBP')).toBe('£8.90');
  });

  it('never throws on a bad tag or currency', () => {
    expect(createTranslator('de_DE').price(8.9, 'EUR')).toContain('8,90');
    expect(createTranslator('en').price(8.9, 'nope')).toBe('8.90');
  });
});

describe('category', () => {
  const categoryLabels = { 'zh-CN': { coffee: '咖啡', tea: '茶' }, de: { coffee: 'Kaffee' } };

  it('looks the label up by exact tag, then language, then keeps the name', () => {
    expect(createTranslator('zh-CN', { categoryLabels }).category('coffee')).toBe('咖啡');
    expect(createTranslator('zh-Hans-CN', { categoryLabels }).category('tea')).toBe('茶');
    expect(createTranslator('zh', { categoryLabels }).category('Coffee')).toBe('咖啡');
    expect(createTranslator('de-DE', { categoryLabels }).category('coffee')).toBe('Kaffee');
    expect(createTranslator('de-DE', { categoryLabels }).category('tea')).toBe('tea');
    expect(createTranslator('fr', { categoryLabels }).category('coffee')).toBe('coffee');
    expect(createTranslator('de', { categoryLabels }).category('constructor')).toBe('constructor');
    expect(createTranslator('zh-CN').category('coffee')).toBe('coffee');
  });

  it('caches a translator per locale and labels object', () => {
    expect(createTranslator('zh-CN', { categoryLabels })).toBe(createTranslator('zh-CN', { categoryLabels }));
    expect(createTranslator('zh-CN', { categoryLabels })).not.toBe(createTranslator('zh-CN', { categoryLabels: { ...categoryLabels } }));
    expect(createTranslator('zh-CN')).not.toBe(createTranslator('zh-CN', { categoryLabels }));
  });
});

describe('t never throws', () => {
  it('falls back to English without placeholders when a value is missing', () => {
    expect(createTranslator('zh-CN').t('greeting.birthday')).toBe('Happy birthday!');
    expect(createTranslator('de').t('greeting.welcome', {})).toBe('Welcome');
    expect(createTranslator('en').t('headline.goesWith')).toBe('Goes well with');
    expect(createTranslator('en').t('headline.forYou')).toBe('Picked for you');
  });

  it('returns an unknown key as is', () => {
    expect(createTranslator('de').t('nope.nope' as MessageKey)).toBe('nope.nope');
  });

  it('tidies the separators a dropped placeholder leaves', () => {
    expect(literalText(ast('{name}，欢迎回来', 'zh-CN'))).toBe('欢迎回来');
    expect(literalText(ast('Members save {amount}', 'en'))).toBe('Members save');
  });
});

describe('fit', () => {
  it('keeps short text and cuts long text with an ellipsis', () => {
    expect(fit('Best seller', 24)).toBe('Best seller');
    expect(fit('Because you like home fragrance', 12)).toBe('Because you…');
    expect(fit('abc', 0)).toBe('');
    expect(fit('abcdef', 1)).toBe('…');
  });

  it('cuts CJK text by characters', () => {
    expect(fit('埃塞俄比亚耶加雪菲咖啡豆', 6)).toBe('埃塞俄比亚…');
  });

  it('never splits a surrogate pair or an emoji sequence', () => {
    const family = '👨‍👩‍👧'; // 8 code units, one grapheme
    expect(fit(`ab${family}cd`, 9)).toBe('ab…');
    expect(fit(`ab${family}cd`, 11)).toBe(`ab${family}…`);
    expect(fit('𠮷𠮷𠮷', 4)).toBe('𠮷…'); // U+20BB7 is two code units
    expect(fit('e\u0301e\u0301e\u0301', 4)).toBe('e\u0301…');
    for (let max = 0; max < 12; max++) {
      const out = fit(`x${family}😀y`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});
