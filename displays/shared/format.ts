/**
 * @module shared/format
 * Pure formatting helpers shared by every display: prices, initials, colours, time of day.
 */

const priceFormats = new Map<string, Intl.NumberFormat>();

/** Formats a price with its currency symbol, e.g. `formatPrice(8.9, 'GBP', 'en-GB')` → `£8.90`. */
export function formatPrice(amount: number, currency = 'GBP', locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let fmt = priceFormats.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown currency code must never blank a screen: fall back to a plain number.
      fmt = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
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
  home: 262, kitchen: 16, lighting: 44, christmas: 354, party: 310, bags: 214, stationery: 188,
  toys: 282, gifts: 326, beauty: 318, health: 170, baby: 200, pets: 30, snacks: 22, drinks: 180,
};

/** Stable hue (0–359) for a category (or any key, hashed when the category is unknown). */
export function hueFor(key: string | undefined): number {
  const k = (key ?? '').toLowerCase();
  for (const [name, hue] of Object.entries(CATEGORY_HUES)) if (k.includes(name)) return hue;
  let h = 2166136261;
  for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 16777619);
  return Math.abs(h) % 360;
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
  try {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  }
}

export function formatDate(date: Date, locale?: string, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
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
