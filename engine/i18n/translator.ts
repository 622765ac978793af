/**
 * @module i18n/translator
 * A translator per (locale, category labels): the words, prices and category names a screen frame carries.
 */
import { plainEnglish, tryFormat } from './catalogs.js';
import { matchLocale, resolveLocale, type SupportedLocale } from './locale.js';
import type { MessageKey } from './messages/en.js';
import { Lru } from '../platform/lru.js';

/** Store configuration's `categoryLabels`: locale → category → shopper-facing name. */
export type CategoryLabels = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface TranslatorOptions {
  categoryLabels?: CategoryLabels | undefined;
}

/** Words, prices and category names in one locale. Never throws. */
export interface Translator {
  /** The requested BCP 47 tag. */
  readonly locale: string;
  /** The catalog that serves it. */
  readonly catalog: SupportedLocale;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  price(amount: number, currency: string): string;
  category(name: string): string;
}

function validTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

function buildTranslator(locale: string, labels: CategoryLabels | undefined): Translator {
  const catalog = resolveLocale(locale);
  const numberLocale = validTag(locale) ?? catalog;
  const labelKey = labels ? matchLocale(locale, Object.keys(labels)) : undefined;
  const names = labelKey === undefined ? undefined : labels?.[labelKey];
  const prices = new Map<string, Intl.NumberFormat>();
  const said = new Lru<string, string>(4_096);
  return Object.freeze({
    locale,
    catalog,
    // A bad or incomplete message degrades to English, then to English without its placeholders.
    t: (key: MessageKey, values?: Record<string, string | number>) => {
      // The same few words are asked for on every frame (a greeting per shopper, a note per category): formatted once.
      let k: string = key;
      if (values) for (const name in values) k += `\u0000${name}\u0000${values[name]}`;
      let out = said.get(k);
      if (out === undefined) {
        out = tryFormat(catalog, key, values) ?? (catalog === 'en' ? undefined : tryFormat('en', key, values)) ?? plainEnglish(key);
        said.set(k, out);
      }
      return out;
    },
    price: (amount: number, currency: string) => {
      let fmt = prices.get(currency);
      if (!fmt) {
        try {
          fmt = new Intl.NumberFormat(numberLocale, { style: 'currency', currency });
        } catch {
          // An unknown currency code: a plain amount beats no price.
          fmt = new Intl.NumberFormat(numberLocale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        }
        if (prices.size < 16) prices.set(currency, fmt);
      }
      return fmt.format(amount);
    },
    category: (name: string) => {
      if (!names) return name;
      if (Object.hasOwn(names, name)) return names[name]!;
      const lower = name.toLowerCase();
      return Object.hasOwn(names, lower) ? names[lower]! : name;
    },
  });
}

const NO_LABELS: CategoryLabels = Object.freeze({});
/** Per labels object (a store config's), per requested tag; a replaced config's entries go with it. */
const translators = new WeakMap<CategoryLabels, Map<string, Translator>>();
/** Tags come from store configs, so few; the bound only guards against a caller passing arbitrary ones. */
const MAX_LOCALES_PER_LABELS = 64;

/** The translator for `locale` (any BCP 47 tag); cached, so cheap to call per decision. */
export function createTranslator(locale: string, opts: TranslatorOptions = {}): Translator {
  const labels = opts.categoryLabels ?? NO_LABELS;
  let byLocale = translators.get(labels);
  if (!byLocale) translators.set(labels, (byLocale = new Map()));
  let tr = byLocale.get(locale);
  if (!tr) {
    if (byLocale.size >= MAX_LOCALES_PER_LABELS) byLocale.clear();
    tr = buildTranslator(locale, opts.categoryLabels);
    byLocale.set(locale, tr);
  }
  return tr;
}
