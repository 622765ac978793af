import { describe, expect, it } from 'vitest';
import { Visit, type PresenceEvent } from '#contracts';
import { applyEslTap, applyPresence, currentDwell, isExpired } from './reduce.js';

const ev = (zoneId: string | null, ts: number, over: Partial<PresenceEvent> = {}): PresenceEvent =>
  ({ type: 'presence', id: `p${ts}`, ts, storeId: 's-001', deviceId: 'd-1', zoneId, source: 'wifi', ...over });

describe('visit state machine', () => {
  it('enters, dwells, moves, and exits with dwell per zone', () => {
    let s = applyPresence(undefined, ev('z-a', 1), 1000);
    expect(s.transition).toEqual({ entered: 'z-a' });
    s = applyPresence(s.visit, ev('z-a', 2), 3000);
    expect(s.transition).toEqual({});
    expect(currentDwell(s.visit!, 4000)).toBe(3000);
    s = applyPresence(s.visit, ev('z-b', 3), 6000);
    expect(s.transition).toEqual({ left: 'z-a', entered: 'z-b' });
    expect(s.visit!.dwellMs).toEqual({ 'z-a': 5000 });
    s = applyPresence(s.visit, ev('z-a', 4), 7000);
    expect(s.visit!.zonesVisited).toEqual(['z-a', 'z-b']);
    expect(s.visit!.dwellMs).toEqual({ 'z-a': 5000, 'z-b': 1000 });
    expect(currentDwell(s.visit!, 9000)).toBe(7000);
    expect(Visit.parse(s.visit)).toEqual(s.visit);
    const out = applyPresence(s.visit, ev(null, 5), 9000);
    expect(out).toEqual({ visit: undefined, transition: { left: 'z-a', exited: true } });
  });
  it('ignores a leave for an unknown device', () => {
    expect(applyPresence(undefined, ev(null, 1), 0)).toEqual({ visit: undefined, transition: {} });
  });
  it('does not move on an older event but keeps the device alive', () => {
    const a = applyPresence(undefined, ev('z-a', 10), 0).visit;
    const b = applyPresence(a, ev('z-b', 5), 100);
    expect(b.transition).toEqual({});
    expect(b.visit).toMatchObject({ zoneId: 'z-a', lastSeenAt: 100 });
  });
  it('re-announces the zone when the shopper is identified in place', () => {
    const a = applyPresence(undefined, ev('z-a', 1), 0).visit;
    const b = applyPresence(a, ev('z-a', 2, { customerId: 'c-1' }), 1);
    expect(b.transition).toEqual({ entered: 'z-a' });
    expect(b.visit!.customerId).toBe('c-1');
  });
  it('records shelf-label taps newest first and expires after silence', () => {
    let v = applyPresence(undefined, ev('z-a', 1), 0).visit!;
    v = applyEslTap(applyEslTap(applyEslTap(v, 'SKU-1', 1), 'SKU-2', 2), 'SKU-1', 3);
    expect(v.eslSkus).toEqual(['SKU-1', 'SKU-2']);
    expect(v.eslCount).toBe(3);
    expect(isExpired(v, 3 + 1000, 1000)).toBe(false);
    expect(isExpired(v, 3 + 1001, 1000)).toBe(true);
  });
});
