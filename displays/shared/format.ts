/**
 * @module shared/format
 * Pure formatting helpers shared by every display: prices, initials, colours, time of day.
 */

const priceFormats = new Map<string, Intl.NumberFormat>();

/**
 * The canonical form of a BCP 47 tag (`'en-gb'` → `'en-GB'`), or `undefined` when it is missing or not a
 * valid tag (`'en_GB'`): `Intl` throws on those, and a frame's bad locale must never blank a screen.
 */
export function validLocale(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The first valid locale of `candidates` (e.g. the frame's, then the player's); `undefined` = the browser's. */
export function pickLocale(...candidates: Array<string | undefined>): string | undefined {
  for (const c of candidates) {
    const v = validLocale(c);
    if (v) return v;
  }
  return undefined;
}

/** Formats a price with its currency symbol, e.g. `formatPrice(8.9, 'GBP', 'en-GB')` → `£8.90`. */
export function formatPrice(amount: number, currency = 'GBP', locale?: string): string {
  const loc = validLocale(locale);
  const key = `${loc ?? ''}|${currency}`;
  let fmt = priceFormats.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(loc, { style: 'currency', currency });
    } catch {
      // An unknown currency code must never blank a screen: fall back to a plain number.
      fmt = new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    priceFormats.set(key, fmt);
  }
  return fmt.format(amount);
}

/** True when a member price is a real saving worth showing. */
export function hasMemberSaving(price: number, memberPrice: number | undefined): memberPrice is number {
  return memberPrice !== undefined && memberPrice < price;
}

/** Up to two initials from a product name: `"Ethiopia Yirgacheffe 250g"` → `"EY"`. */
export function initials(name: string): string {
  const words = name.split(/[\s\-/&,]+/).filter((w) => /^[\p{L}]/u.test(w));
  const letters = words.slice(0, 2).map((w) => w[0]!.toUpperCase()).join('');
  return letters || name.trim().slice(0, 2).toUpperCase() || '•';
}

/** Known category hues, so the same aisle always gets the same colour family. */
const CATEGORY_HUES: Record<string, number> = {
  coffee: 24, tea: 95, bakery: 34, bread: 34, produce: 112, fruit: 8, vegetables: 120, garden: 140,
  wine: 340, beer: 42, spirits: 28, dairy: 205, cheese: 46, meat: 356, fish: 195, frozen: 190,
  home: 262, kitchen: 16, candle: 44, lighting: 44, christmas: 354, party: 310, bags: 214, stationery: 188,
  toys: 282, gifts: 326, beauty: 318, health: 170, baby: 200, pets: 30, snacks: 22, drinks: 180,
  textile: 232, storage: 152, clock: 198, sign: 36, jewel: 300, bath: 186,
};

/**
 * Hues that look good under the generated visuals' gradients and next to the gold accents (muddy
 * yellow-greens left out), for keys with no known category.
 */
const HASH_HUES = [8, 24, 44, 140, 164, 186, 205, 222, 246, 268, 300, 326, 346] as const;

/**
 * Stable hue for any key (e.g. a sku): FNV-1a plus a final avalanche, so neighbouring skus
 * (`SKU-4101`, `SKU-4102`) spread over the whole palette. The same key always gets the same colour.
 */
export function hashHue(key: string): number {
  const k = key.toLowerCase();
  let h = 2166136261;
  for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 16777619);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return HASH_HUES[(h >>> 0) % HASH_HUES.length]!;
}

/** Stable hue (0–359) for a category (its colour family; hashed onto the palette when the category is unknown). */
export function hueFor(key: string | undefined): number {
  const k = (key ?? '').toLowerCase();
  for (const [name, hue] of Object.entries(CATEGORY_HUES)) if (k.includes(name)) return hue;
  return hashHue(k);
}

export type DayPart = 'morning' | 'afternoon' | 'evening';

/** Hour of the day (0–23) at `date` in `timeZone` (the browser's zone when omitted). */
export function hourIn(date: Date, timeZone?: string): number {
  try {
    const h = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone }).format(date);
    return Number.parseInt(h, 10) % 24;
  } catch {
    return date.getHours();
  }
}

export function dayPart(date: Date, timeZone?: string): DayPart {
  const h = hourIn(date, timeZone);
  return h < 12 ? 'morning' : h < 18 ? 'afternoon' : 'evening';
}

/** `Good morning` / `Good afternoon` / `Good evening` — generic, never personal. */
export function dayGreeting(date: Date, timeZone?: string): string {
  return `Good ${dayPart(date, timeZone)}`;
}

export function formatClock(date: Date, locale?: string, timeZone?: string): string {
  locale = validLocale(locale);
  try {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  }
}

export function formatDate(date: Date, locale?: string, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
  locale = validLocale(locale);
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, opts).format(date);
  }
}

/** `"s-001"` → `"S 001"`; used only when the store's real name is unknown. */
export function prettifyId(id: string): string {
  return id.replace(/[-_.:]+/g, ' ').replace(/\b\p{L}/gu, (c) => c.toUpperCase()).trim();
}
