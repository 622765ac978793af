import { describe, expect, it } from 'vitest';
import { clockMinutes, daysUntil, inWindow, localTime } from './local-time.js';

const at = (iso: string) => Date.parse(iso);
const BERLIN = 'Europe/Berlin';
const SHANGHAI = 'Asia/Shanghai';
const hm = (h: number, m = 0) => h * 60 + m;

describe('localTime', () => {
  it('crosses the day boundary in Berlin and Shanghai for the same instant', () => {
    const now = at('2026-11-29T23:30:00Z'); // a Sunday in UTC
    const utc = localTime(now, 'UTC');
    expect(utc).toMatchObject({ date: '2026-11-29', dow: 7, minutes: hm(23, 30) });

    const berlin = localTime(now, BERLIN);
    expect(berlin.date).toBe('2026-11-30');
    expect(berlin.monthDay).toBe('11-30');
    expect(berlin.dow).toBe(1);
    expect(berlin.minutes).toBe(hm(0, 30));
    expect(berlin.year).toBe(2026);

    const shanghai = localTime(now, SHANGHAI);
    expect(shanghai.date).toBe('2026-11-30');
    expect(shanghai.dow).toBe(1);
    expect(shanghai.minutes).toBe(hm(7, 30));
  });

  it('one minute before local midnight is still the previous day', () => {
    const berlin = localTime(at('2026-11-29T22:59:00Z'), BERLIN);
    expect(berlin.date).toBe('2026-11-29');
    expect(berlin.dow).toBe(7);
    expect(berlin.minutes).toBe(hm(23, 59));
    const shanghai = localTime(at('2026-11-29T15:59:00Z'), SHANGHAI);
    expect(shanghai).toMatchObject({ date: '2026-11-29', dow: 7, minutes: hm(23, 59) });
    const next = localTime(at('2026-11-29T16:00:00Z'), SHANGHAI);
    expect(next).toMatchObject({ date: '2026-11-30', dow: 1, minutes: 0 });
  });

  it('midnight is minute 0, never 24:00', () => {
    const t = localTime(at('2026-11-29T23:00:00Z'), BERLIN);
    expect(t.minutes).toBe(0);
    expect(t.date).toBe('2026-11-30');
  });

  it('numbers days of the week 1 = Monday … 7 = Sunday', () => {
    // 2026-11-30 is a Monday; noon UTC is the same date in Berlin and Shanghai.
    for (let i = 0; i < 7; i++) {
      const now = at('2026-11-30T10:00:00Z') + i * 86_400_000;
      expect(localTime(now, BERLIN).dow).toBe(i + 1);
      expect(localTime(now, SHANGHAI).dow).toBe(i + 1);
    }
  });

  it('year wraps at local new year, not at UTC', () => {
    const now = at('2026-12-31T20:00:00Z');
    expect(localTime(now, BERLIN)).toMatchObject({ year: 2026, date: '2026-12-31', monthDay: '12-31', minutes: hm(21) });
    expect(localTime(now, SHANGHAI)).toMatchObject({ year: 2027, date: '2027-01-01', monthDay: '01-01', minutes: hm(4) });
  });

  it('follows the spring DST change in Berlin (2026-03-29: 02:00 → 03:00)', () => {
    expect(localTime(at('2026-03-29T00:59:00Z'), BERLIN)).toMatchObject({ date: '2026-03-29', minutes: hm(1, 59), dow: 7 });
    expect(localTime(at('2026-03-29T01:00:00Z'), BERLIN)).toMatchObject({ date: '2026-03-29', minutes: hm(3, 0), dow: 7 });
    // Summer time: UTC+2
    expect(localTime(at('2026-03-29T22:00:00Z'), BERLIN)).toMatchObject({ date: '2026-03-30', minutes: 0, dow: 1 });
    // The day before, still winter time: UTC+1
    expect(localTime(at('2026-03-28T22:00:00Z'), BERLIN)).toMatchObject({ date: '2026-03-28', minutes: hm(23) });
    // Shanghai has no DST
    expect(localTime(at('2026-03-29T01:00:00Z'), SHANGHAI).minutes).toBe(hm(9));
  });

  it('follows the autumn DST change in Berlin (2026-10-25: 03:00 → 02:00)', () => {
    const before = localTime(at('2026-10-25T00:30:00Z'), BERLIN);
    const after = localTime(at('2026-10-25T01:30:00Z'), BERLIN);
    expect(before).toMatchObject({ date: '2026-10-25', minutes: hm(2, 30) });
    expect(after).toMatchObject({ date: '2026-10-25', minutes: hm(2, 30) });
    // Winter time: UTC+1 — 23:00Z is already Monday
    expect(localTime(at('2026-10-25T23:00:00Z'), BERLIN)).toMatchObject({ date: '2026-10-26', minutes: 0, dow: 1 });
    // Before the change: UTC+2 — 22:00Z on the Saturday is already Sunday
    expect(localTime(at('2026-10-24T22:00:00Z'), BERLIN)).toMatchObject({ date: '2026-10-25', minutes: 0, dow: 7 });
  });
});

describe('clockMinutes', () => {
  it('parses HH:MM', () => {
    expect(clockMinutes('00:00')).toBe(0);
    expect(clockMinutes('07:05')).toBe(425);
    expect(clockMinutes('23:59')).toBe(1439);
  });
});

describe('inWindow', () => {
  it('is start-inclusive and end-exclusive', () => {
    expect(inWindow(hm(7), '07:00', '11:00')).toBe(true);
    expect(inWindow(hm(10, 59), '07:00', '11:00')).toBe(true);
    expect(inWindow(hm(11), '07:00', '11:00')).toBe(false);
    expect(inWindow(hm(6, 59), '07:00', '11:00')).toBe(false);
    expect(inWindow(0, '07:00', '11:00')).toBe(false);
  });

  it('spans midnight when the end is before the start', () => {
    expect(inWindow(hm(22), '22:00', '06:00')).toBe(true);
    expect(inWindow(hm(23, 59), '22:00', '06:00')).toBe(true);
    expect(inWindow(0, '22:00', '06:00')).toBe(true);
    expect(inWindow(hm(5, 59), '22:00', '06:00')).toBe(true);
    expect(inWindow(hm(6), '22:00', '06:00')).toBe(false);
    expect(inWindow(hm(12), '22:00', '06:00')).toBe(false);
    expect(inWindow(hm(21, 59), '22:00', '06:00')).toBe(false);
  });

  it('treats from == to as the whole day', () => {
    for (const m of [0, hm(8), hm(8, 1), hm(12), 1439]) {
      expect(inWindow(m, '08:00', '08:00')).toBe(true);
      expect(inWindow(m, '00:00', '00:00')).toBe(true);
    }
  });

  it('accepts 24:00 as the end of the day', () => {
    expect(inWindow(hm(23, 59), '18:00', '24:00')).toBe(true);
    expect(inWindow(hm(18), '18:00', '24:00')).toBe(true);
    expect(inWindow(hm(17, 59), '18:00', '24:00')).toBe(false);
    expect(inWindow(0, '18:00', '24:00')).toBe(false);
    for (const m of [0, hm(12), 1439]) expect(inWindow(m, '00:00', '24:00')).toBe(true);
  });

  it('treats 24:00 → 00:00 (the same instant) as the whole day', () => {
    for (const m of [0, hm(12), 1439]) expect(inWindow(m, '24:00', '00:00')).toBe(true);
  });
});

describe('daysUntil', () => {
  const day = (date: string) => localTime(at(`${date}T12:00:00Z`), 'UTC');

  it('is 0 on the day itself', () => {
    expect(daysUntil(day('2026-06-15'), '06-15')).toBe(0);
  });

  it('counts forward within the year', () => {
    expect(daysUntil(day('2026-06-15'), '06-16')).toBe(1);
    expect(daysUntil(day('2026-06-15'), '06-22')).toBe(7);
    expect(daysUntil(day('2026-01-31'), '03-01')).toBe(29); // 2026 is not a leap year
  });

  it('wraps to next year once the day has passed', () => {
    expect(daysUntil(day('2026-12-30'), '01-02')).toBe(3);
    expect(daysUntil(day('2026-12-31'), '01-01')).toBe(1);
    expect(daysUntil(day('2026-06-16'), '06-15')).toBe(364); // next is 2027-06-15
    expect(daysUntil(day('2027-06-16'), '06-15')).toBe(365); // next is 2028-06-15, past 2028-02-29
  });

  it('uses the store-local date, not UTC', () => {
    // 2026-12-31T20:00Z is already 1 January in Shanghai.
    const now = at('2026-12-31T20:00:00Z');
    expect(daysUntil(localTime(now, SHANGHAI), '01-01')).toBe(0);
    expect(daysUntil(localTime(now, BERLIN), '01-01')).toBe(1);
  });

  it('puts a 29 February birthday on 28 February in non-leap years', () => {
    expect(daysUntil(day('2027-02-28'), '02-29')).toBe(0);
    expect(daysUntil(day('2027-02-27'), '02-29')).toBe(1);
    expect(daysUntil(day('2027-02-20'), '02-29')).toBe(8);
    // After 28 February 2027 the next one is the real 29 February 2028.
    expect(daysUntil(day('2027-03-01'), '02-29')).toBe(365);
    expect(daysUntil(day('2027-12-30'), '02-29')).toBe(61);
  });

  it('uses the real 29 February in leap years', () => {
    expect(daysUntil(day('2028-02-28'), '02-29')).toBe(1);
    expect(daysUntil(day('2028-02-29'), '02-29')).toBe(0);
    // From 1 March 2028 the next is 28 February 2029.
    expect(daysUntil(day('2028-03-01'), '02-29')).toBe(364);
  });
});
