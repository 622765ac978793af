const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const formats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone` is ahead of UTC at the instant `epochMs`, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(epochMs).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Epoch ms of a vendor timestamp: RFC 3339 with an offset as written; a wall-clock time without one (ARTS POSLog
 * tills write local time) read in `timeZone`. Undefined when unreadable or before 1970.
 */
export function toEpochMs(raw: unknown, timeZone = 'UTC'): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  let ms: number;
  if (OFFSET.test(s)) ms = Date.parse(s);
  else {
    const m = LOCAL.exec(s);
    if (!m) return undefined;
    const [y, mo, d, h = '0', mi = '0', sec = '0', frac = '0'] = m.slice(1);
    if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return undefined;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number(frac.padEnd(3, '0').slice(0, 3)));
    // The offset at the guess, then again at the corrected instant (right across a DST change).
    ms = wall - offsetAt(wall, timeZone);
    ms = wall - offsetAt(ms, timeZone);
  }
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
}
