/**
 * @module associate/alert-book
 * The open VIP alerts as this phone knows them, built from `alert.vip` and `alert.claimed` frames
 * (docs/contracts.md §WebSocket protocol). Framework-free, no I/O, no clock of its own: the app passes `now`.
 *
 * De-duplication is per alert id, latest seq wins, because frames of different alerts may arrive out of seq
 * order (the hub's per-socket mailbox keeps a key's first position while its frame is replaced) and because
 * a reconnect replays every open alert's current state:
 * - an `alert.vip` with a higher seq than the alert's last one replaces its content in place (an update);
 *   the same or a lower seq is a re-send or stale and is ignored;
 * - who holds an alert comes from the newest of its `alert.claimed` frames and its `alert.vip.claimedBy`
 *   (absent there: nobody holds it at that seq), compared by seq too;
 * - an `alert.claimed` that arrives before its alert's `alert.vip` is kept until the alert arrives.
 * Seqs are compared within one connection only: after every `welcome` each alert's seq starts over, because the
 * replay that follows is the server's current state, and the numbering may have changed under us (an engine
 * restart, or another engine instance behind the load balancer, each numbering its own frames).
 *
 * No frame closes an alert: the engine keeps one open (replayed, claimable) for a fixed time from its creation
 * (2 h by default), so the book drops an alert `maxAgeMs` after its `createdAt` the same way.
 */
import type { AlertClaimed, AlertVip } from '../shared/contracts.js';

/** `as const` object + union (docs/conventions.md §Names and syntax). */
export const AlertStatus = { NEW: 'new', MINE: 'mine', OTHER: 'other', RELEASED: 'released' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

export interface Holder {
  /** The associate holding the alert; null: nobody. */
  associateId: string | null;
  /** When it was claimed (or released), server time; 0 when unknown. */
  at: number;
  /** The seq of the frame this holder comes from; -1: none yet. */
  seq: number;
  /** Someone claimed it at some point (so "nobody" now means released, not new). */
  everClaimed: boolean;
}

export interface AlertEntry {
  alertId: string;
  /** The latest `alert.vip`; undefined while only an `alert.claimed` has arrived. */
  vip: AlertVip | undefined;
  /** The seq of `vip`; -1: none yet. */
  vipSeq: number;
  holder: Holder;
}

/** What one frame did to the book. */
export type ApplyKind = 'added' | 'updated' | 'claim' | 'ignored';

export interface AlertBook {
  /** Applies one alert frame; `added` the first time an alert's content arrives. */
  apply(frame: AlertVip | AlertClaimed): ApplyKind;
  /** A new connection was welcomed: every alert's seq starts over (the replay that follows is the current state). */
  welcome(): void;
  get(alertId: string): AlertEntry | undefined;
  /** Alerts with content, newest first (by `createdAt`, then seq). */
  list(): AlertEntry[];
  /** Drops alerts created more than `maxAgeMs` before `now` (server time); returns how many went. */
  prune(now: number, maxAgeMs: number): number;
  clear(): void;
  /** The highest seq seen (informational; the shared client keeps `resumeSeq`). */
  readonly maxSeq: number;
}

/** new / mine / other / released, from this associate's point of view. */
export function alertStatus(e: AlertEntry, me: string): AlertStatus {
  const id = e.holder.associateId;
  if (id === null) return e.holder.everClaimed ? AlertStatus.RELEASED : AlertStatus.NEW;
  return id === me ? AlertStatus.MINE : AlertStatus.OTHER;
}

export function createAlertBook(): AlertBook {
  const alerts = new Map<string, AlertEntry>();
  let maxSeq = 0;

  const entry = (alertId: string): AlertEntry => {
    let e = alerts.get(alertId);
    if (!e) alerts.set(alertId, (e = { alertId, vip: undefined, vipSeq: -1, holder: { associateId: null, at: 0, seq: -1, everClaimed: false } }));
    return e;
  };

  return {
    apply(f) {
      maxSeq = Math.max(maxSeq, f.seq);
      if (f.type === 'alert.vip') {
        const e = entry(f.alertId);
        if (f.seq <= e.vipSeq) return 'ignored';
        const added = e.vip === undefined;
        e.vip = f;
        e.vipSeq = f.seq;
        if (f.seq > e.holder.seq) {
          e.holder = f.claimedBy
            ? { associateId: f.claimedBy.associateId, at: f.claimedBy.claimedAt, seq: f.seq, everClaimed: true }
            : { ...e.holder, associateId: null, seq: f.seq };
        }
        return added ? 'added' : 'updated';
      }
      const e = entry(f.alertId);
      if (f.seq <= e.holder.seq) return 'ignored';
      e.holder = { associateId: f.associateId, at: f.claimedAt, seq: f.seq, everClaimed: true };
      return 'claim';
    },
    welcome() {
      for (const e of alerts.values()) { e.vipSeq = -1; e.holder = { ...e.holder, seq: -1 }; }
    },
    get: (alertId) => alerts.get(alertId),
    list() {
      return [...alerts.values()].filter((e) => e.vip !== undefined)
        .sort((a, b) => b.vip!.createdAt - a.vip!.createdAt || b.vipSeq - a.vipSeq);
    },
    prune(now, maxAgeMs) {
      let n = 0;
      for (const [id, e] of alerts) {
        // A claim without its alert gets as long, counted from the claim.
        if (now - (e.vip?.createdAt ?? e.holder.at) > maxAgeMs) { alerts.delete(id); n++; }
      }
      return n;
    },
    clear() { alerts.clear(); maxSeq = 0; },
    get maxSeq() { return maxSeq; },
  };
}
