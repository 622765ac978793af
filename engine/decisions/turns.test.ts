import { describe, expect, it } from 'vitest';
import { DEFAULT_TURNS, NO_TURNS, planTurns, type Waiting, type ZoneTurns } from './turns.js';

const cfg = DEFAULT_TURNS; // turnMs 8 s, audience above 6
const w = (customerId: string, zoneEnteredAt: number, rssi?: number): Waiting => ({ customerId, zoneEnteredAt, rssi });
const one = [{ screenId: 'scr-1' }];
/** Runs the planner over time for a fixed crowd, returning who each screen served at each step. */
function run(screens: { screenId: string; minRssi?: number }[], crowd: Waiting[], steps: number[]): string[][] {
  let turns: ZoneTurns = NO_TURNS;
  return steps.map((now) => {
    const r = planTurns(turns, screens, crowd, crowd.length, now, cfg);
    turns = r.turns;
    return r.plans.map((p) => p.customerId ?? p.mode);
  });
}

describe('planTurns', () => {
  it('is idle with nobody, audience with only anonymous shoppers', () => {
    expect(planTurns(NO_TURNS, one, [], 0, 0, cfg).plans[0]!.mode).toBe('idle');
    expect(planTurns(NO_TURNS, one, [], 3, 0, cfg).plans[0]!.mode).toBe('audience');
  });

  it('serves the longest-waiting shopper first; the strongest signal breaks ties, then the id', () => {
    expect(run(one, [w('c-b', 200), w('c-a', 100)], [1000])[0]).toEqual(['c-a']);
    expect(run(one, [w('c-a', 100, -80), w('c-b', 100, -50)], [1000])[0]).toEqual(['c-b']);
    expect(run(one, [w('c-b', 100), w('c-a', 100)], [1000])[0]).toEqual(['c-a']);
  });

  it('never interrupts a turn: a new arrival waits until it ends', () => {
    let r = planTurns(NO_TURNS, one, [w('c-a', 0)], 1, 1000, cfg);
    expect(r.plans[0]).toMatchObject({ customerId: 'c-a', turnEndsAt: 9000, continuing: false });
    r = planTurns(r.turns, one, [w('c-a', 0), w('c-z', 2000, -20)], 2, 3000, cfg);
    expect(r.plans[0]).toMatchObject({ customerId: 'c-a', continuing: true });
    expect(r.wakeAt).toBe(9000);
    r = planTurns(r.turns, one, [w('c-a', 0), w('c-z', 2000, -20)], 2, 9000, cfg);
    expect(r.plans[0]).toMatchObject({ customerId: 'c-z', turnStartedAt: 9000, turnEndsAt: 17_000 });
  });

  it('rotates everyone through one screen, each turn lasting turnMs', () => {
    const crowd = [w('c-1', 0), w('c-2', 10), w('c-3', 20)];
    const steps = [0, 4000, 8000, 12_000, 16_000, 20_000, 24_000];
    expect(run(one, crowd, steps).map((s) => s[0])).toEqual(['c-1', 'c-1', 'c-2', 'c-2', 'c-3', 'c-3', 'c-1']);
  });

  it('ends a turn early when its shopper leaves, and the next one starts at once', () => {
    let r = planTurns(NO_TURNS, one, [w('c-1', 0), w('c-2', 5)], 2, 0, cfg);
    expect(r.plans[0]!.customerId).toBe('c-1');
    r = planTurns(r.turns, one, [w('c-2', 5)], 1, 1000, cfg);
    expect(r.plans[0]).toMatchObject({ customerId: 'c-2', turnStartedAt: 1000 });
  });

  it('lets several screens of a zone serve different shoppers at once from one queue', () => {
    const two = [{ screenId: 'scr-a' }, { screenId: 'scr-b' }];
    const crowd = [w('c-1', 0), w('c-2', 10), w('c-3', 20)];
    const seen = run(two, crowd, [0, 8000, 16_000]);
    expect(seen[0]).toEqual(['c-1', 'c-2']);
    expect(new Set(seen.flat()).size).toBe(3);
    for (const step of seen) expect(step[0]).not.toBe(step[1]);
  });

  it('shows audience content above the audience threshold, but lets running turns finish', () => {
    const crowd = Array.from({ length: 7 }, (_, i) => w(`c-${i}`, i));
    expect(planTurns(NO_TURNS, one, crowd, 7, 0, cfg).plans[0]!.mode).toBe('audience');
    const six = crowd.slice(0, 6);
    const started = planTurns(NO_TURNS, one, six, 6, 0, cfg);
    expect(started.plans[0]!.customerId).toBe('c-0');
    const busy = planTurns(started.turns, one, crowd, 7, 4000, cfg);
    expect(busy.plans[0]).toMatchObject({ customerId: 'c-0', continuing: true });
    expect(planTurns(busy.turns, one, crowd, 7, 8000, cfg).plans[0]!.mode).toBe('audience');
  });

  it('serves only shoppers seen at least as strong as a screen\'s minRssi', () => {
    const screens = [{ screenId: 'scr-near', minRssi: -60 }];
    expect(planTurns(NO_TURNS, screens, [w('c-far', 0, -80)], 1, 0, cfg).plans[0]!.mode).toBe('audience');
    expect(planTurns(NO_TURNS, screens, [w('c-far', 0, -80), w('c-near', 50, -55)], 2, 0, cfg).plans[0]!.customerId).toBe('c-near');
    expect(planTurns(NO_TURNS, screens, [w('c-unknown', 0)], 1, 0, cfg).plans[0]!.mode).toBe('audience');
  });
});
