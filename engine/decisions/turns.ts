import type { ScreenMode } from '../rules/match.js';

/** How screens share a zone's shoppers (store config `turns`; docs/decisions.md). */
export type TurnConfig = { turnMs: number; audienceAbove: number; minDisplayMs: number; idleRotateMs: number };
export const DEFAULT_TURNS: TurnConfig = { turnMs: 8000, audienceAbove: 6, minDisplayMs: 5000, idleRotateMs: 60_000 };

/** An identified, consenting shopper in the zone. */
export type Waiting = { customerId: string; zoneEnteredAt: number; rssi?: number };

/** What a screen is showing, as far as turns are concerned. */
export type TurnSlot = { mode: ScreenMode; customerId?: string; turnStartedAt?: number; turnEndsAt?: number };

export type ZoneTurns = {
  screens: ReadonlyMap<string, TurnSlot>;
  /** Per eligible shopper: since when they wait for a turn (their arrival, or the end of their last turn). */
  waitingSince: ReadonlyMap<string, number>;
};
export const NO_TURNS: ZoneTurns = { screens: new Map(), waitingSince: new Map() };

export type TurnPlan = TurnSlot & { screenId: string; /** A turn already running: never interrupted. */ continuing: boolean };

export type TurnScreen = { screenId: string; minRssi?: number };

/**
 * Who each screen of a zone serves now (pure). Eligible shoppers queue longest-waiting first, the
 * strongest signal breaking ties (then the customer id, so the order is total). A turn lasts
 * `turnMs` and is never interrupted while its shopper stays in front of the screen; a finished
 * turn sends its shopper to the back of the queue. Several screens serve different shoppers at
 * once. More eligible shoppers than `audienceAbove`: free screens show audience content instead.
 */
export function planTurns(prev: ZoneTurns, screens: readonly TurnScreen[], eligible: readonly Waiting[], present: number,
  now: number, cfg: TurnConfig): { plans: TurnPlan[]; turns: ZoneTurns; wakeAt?: number } {
  const byId = new Map(eligible.map((e) => [e.customerId, e]));
  const canSee = (s: TurnScreen, e: Waiting) => s.minRssi === undefined || (e.rssi !== undefined && e.rssi >= s.minRssi);
  const waiting = new Map<string, number>();
  for (const e of eligible) waiting.set(e.customerId, prev.waitingSince.get(e.customerId) ?? e.zoneEnteredAt);

  const sorted = [...screens].sort((a, b) => (a.screenId < b.screenId ? -1 : 1));
  const plans = new Map<string, TurnPlan>();
  const serving = new Set<string>();
  for (const s of sorted) {
    const p = prev.screens.get(s.screenId);
    if (p?.mode !== 'shopper' || !p.customerId) continue;
    const e = byId.get(p.customerId);
    if (e && canSee(s, e) && p.turnEndsAt! > now) {
      plans.set(s.screenId, { ...p, screenId: s.screenId, continuing: true });
      serving.add(p.customerId);
    } else if (e) {
      // The turn is over: back of the queue, from when it ended.
      waiting.set(p.customerId, Math.min(now, p.turnEndsAt ?? now));
    }
  }

  const queue = eligible.filter((e) => !serving.has(e.customerId)).sort((a, b) =>
    waiting.get(a.customerId)! - waiting.get(b.customerId)! || (b.rssi ?? -999) - (a.rssi ?? -999) || (a.customerId < b.customerId ? -1 : 1));
  const crowd = eligible.length > cfg.audienceAbove;
  for (const s of sorted) {
    if (plans.has(s.screenId)) continue;
    const next = crowd ? undefined : queue.find((e) => !serving.has(e.customerId) && canSee(s, e));
    if (next) {
      serving.add(next.customerId);
      plans.set(s.screenId, { screenId: s.screenId, mode: 'shopper', customerId: next.customerId, turnStartedAt: now, turnEndsAt: now + cfg.turnMs, continuing: false });
    } else {
      plans.set(s.screenId, { screenId: s.screenId, mode: present > 0 ? 'audience' : 'idle', continuing: false });
    }
  }

  const out = sorted.map((s) => plans.get(s.screenId)!);
  const ends = out.flatMap((p) => (p.turnEndsAt !== undefined ? [p.turnEndsAt] : []));
  return {
    plans: out,
    turns: { screens: new Map(out.map(({ screenId, continuing: _c, ...slot }) => [screenId, slot])), waitingSince: waiting },
    wakeAt: ends.length ? Math.min(...ends) : undefined,
  };
}
