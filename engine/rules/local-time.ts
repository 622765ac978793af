/** An instant as the store's clock on the wall shows it. */
export type LocalTime = {
  /** `YYYY-MM-DD` */
  date: string;
  /** `MM-DD` */
  monthDay: string;
  /** ISO day of the week: 1 = Monday … 7 = Sunday. */
  dow: number;
  /** Minutes since local midnight, 0–1439. */
  minutes: number;
  year: number;
};

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', weekday: 'short' });
    formats.set(timeZone, f);
  }
  return f;
}

const lastMinute = new Map<string, { minute: number; value: LocalTime }>();

/**
 * The store-local calendar fields of an instant (time zones from the store config, already validated).
 * Every field is whole minutes, so one formatting per time zone and minute serves every decision in it
 * (formatToParts costs microseconds, and the hot path asks several times per decision).
 */
export function localTime(now: number, timeZone: string): LocalTime {
  const minute = Math.floor(now / 60_000);
  const hit = lastMinute.get(timeZone);
  if (hit && hit.minute === minute) return hit.value;
  const value = formatLocal(now, timeZone);
  if (lastMinute.size > 64) lastMinute.clear();
  lastMinute.set(timeZone, { minute, value });
  return value;
}

function formatLocal(now: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(now)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const monthDay = `${parts.month}-${parts.day}`;
  return { date: `${parts.year}-${monthDay}`, monthDay, dow: WEEKDAYS[parts.weekday!] ?? 1, year,
    minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** `HH:MM` → minutes since midnight. */
export const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `minutes` lies in [from, to); a window whose end is before its start spans midnight. */
export function inWindow(minutes: number, from: string, to: string): boolean {
  // 24:00 is the same point of the day as 00:00.
  const a = clockMinutes(from) % 1440;
  const b = clockMinutes(to) % 1440;
  if (a === b) return true; // a full day
  return a < b ? minutes >= a && minutes < b : minutes >= a || minutes < b;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Days from `today` (local `YYYY-MM-DD`) to the next `MM-DD` birthday, 0 on the day itself. A 29 February
 * birthday falls on 28 February in other years.
 */
export function daysUntil(today: LocalTime, monthDay: string): number {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  const t = Date.UTC(today.year, Number(today.date.slice(5, 7)) - 1, Number(today.date.slice(8, 10)));
  const on = (y: number) => Date.UTC(y, m - 1, m === 2 && d === 29 && !isLeap(y) ? 28 : d);
  let next = on(today.year);
  if (next < t) next = on(today.year + 1);
  return Math.round((next - t) / 86_400_000);
}
