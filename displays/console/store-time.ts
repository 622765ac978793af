/**
 * @module console/store-time
 * Wall-clock times in the store's time zone (rule hours and days are store-local, docs/rules.md), turned
 * into instants for the preview's `at`, whatever zone the merchandiser's computer is in.
 */

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second')) - Math.floor(instant / 1000) * 1000) / 60_000;
}

/**
 * `2026-12-20T08:30` read in `timeZone` → epoch ms; undefined for an empty or invalid value.
 * Two passes settle the zone's offset either side of a daylight-saving change.
 */
export function storeWallTimeToInstant(local: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  try {
    let t = wall - offsetMinutes(wall, timeZone) * 60_000;
    t = wall - offsetMinutes(t, timeZone) * 60_000;
    return Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `instant` as the store's calendar shows it (its time zone, its language): `29 Nov 2026` in en-GB,
 * `29. Nov. 2026` in de-DE. A time zone the browser does not know falls back to the browser's own.
 */
export function storeDate(instant: number, timeZone: string, locale: string, options: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(instant);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(instant);
  }
}
