/**
 * @module i18n/locale
 * Which catalog (or which set of category labels) serves a BCP 47 tag: the store-config fallback chain,
 * `de-DE` → `de` → `en` (docs/i18n.md §Fallback).
 */

/** Locales with a message catalog; `en` is the last resort and defines the keys. */
export const SUPPORTED_LOCALES = ['en', 'de', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** Lower-cased canonical form; tags Intl rejects (`de_DE`, junk) are only lower-cased, so they still match by prefix. */
function canonical(tag: string): string {
  const t = tag.trim().replace(/_/g, '-');
  try {
    return (Intl.getCanonicalLocales(t)[0] ?? t).toLowerCase();
  } catch {
    return t.toLowerCase();
  }
}

/** Language and likely script (`zh` → zh/Hans, `zh-TW` → zh/Hant), or `undefined` for an invalid tag. */
function likely(tag: string): { language: string; script: string | undefined } | undefined {
  try {
    const l = new Intl.Locale(tag).maximize();
    return { language: l.language, script: l.script };
  } catch {
    return undefined;
  }
}

/**
 * The best of `available` for `requested`, case-insensitive: the tag itself, then its prefixes
 * (`de-DE-1996` → `de-DE` → `de`), then one with the same language and script (`zh`, `zh-Hans-CN`,
 * `zh-SG` → `zh-CN`), then any with the same language (`zh-TW` → `zh-CN`: Simplified Chinese reads better
 * than English there). `undefined` when none shares the language.
 */
export function matchLocale(requested: string, available: readonly string[]): string | undefined {
  const want = canonical(requested);
  const byLower = new Map(available.map((a) => [canonical(a), a] as const));
  const parts = want.split('-');
  for (let n = parts.length; n > 0; n--) {
    const hit = byLower.get(parts.slice(0, n).join('-'));
    if (hit !== undefined) return hit;
  }
  const w = likely(want);
  if (!w) return undefined;
  const same = available.filter((a) => likely(a)?.language === w.language);
  return same.find((a) => likely(a)?.script === w.script) ?? same[0];
}

/** The catalog for a BCP 47 tag; `en` when no catalog shares its language. */
export function resolveLocale(requested: string): SupportedLocale {
  return (matchLocale(requested, SUPPORTED_LOCALES) as SupportedLocale | undefined) ?? 'en';
}
