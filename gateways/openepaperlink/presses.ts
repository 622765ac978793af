/**
 * Taps on shelf labels from the AP's tag records (docs/gateways/openepaperlink.md §Wake reasons): a tag woken by a
 * button or its NFC field checks in with that `wakeupReason`, and the AP sends the tag's record again each time
 * something about it changes until its next check-in (pending content, a new image, …), all with the same reason.
 * One press is therefore several records; this turns them into one tap, with an id that is the same for every record
 * of the press (so a record that comes back later is recognised), never for two presses.
 */
import { createHash } from 'node:crypto';
import { createSeen } from '../kit/seen.js';
import { tapAction, type TagRecord } from './frames.js';

export type PressVerdict =
  | { kind: 'press'; action: 'button' | 'nfc'; id: string }
  /** Another record of a press already taken (within the debounce window). */
  | { kind: 'debounced' }
  /** A record of a press taken earlier (same check-in), after the window: the AP re-sent the tag's record. */
  | { kind: 'repeat' }
  /** A press the AP's clock says is long over: a stale record (after an AP restart, a reconnect). */
  | { kind: 'stale' }
  | { kind: 'none' };

export type PressDetectorOptions = {
  storeId: string;
  debounceMs: number;
  /** A press older than this on the AP's clock is not taken. Default 120 s. */
  staleAfterS?: number;
  now?: () => number;
};

/**
 * The id of a press: a digest of the store, the tag, the reason and the check-in it was reported in (`lastseen`, the
 * AP's clock); without `lastseen` (no AP omits it, but the field is not guaranteed), the time the press was first seen.
 * Hex after a prefix: never shaped like a MAC.
 */
export function pressId(storeId: string, mac: string, wakeupReason: number, checkIn: string): string {
  const digest = createHash('sha256').update(`oepl\u0000${storeId}\u0000${mac}\u0000${wakeupReason}\u0000${checkIn}`).digest('hex');
  return `oepl-${digest.slice(0, 32)}`;
}

export function createPressDetector(o: PressDetectorOptions) {
  const now = o.now ?? Date.now;
  const staleAfterS = o.staleAfterS ?? 120;
  const seen = createSeen(50_000);
  /** Per tag: the press being debounced (its reason and when its last record came). */
  const open = new Map<string, { reason: number; lastAt: number }>();

  return {
    /**
     * One record of a configured tag. `apNow`: the AP's clock in seconds, when known (from its `sys` messages).
     * A record without a tap ends the tag's press: the tag checked in again.
     */
    offer(rec: TagRecord, apNow?: number): PressVerdict {
      const action = tapAction(rec.wakeupReason);
      const t = now();
      if (!action) { open.delete(rec.mac); return { kind: 'none' }; }
      const id = pressId(o.storeId, rec.mac, rec.wakeupReason, rec.lastseen !== undefined ? `s${rec.lastseen}` : `t${t}`);
      const w = open.get(rec.mac);
      if (w && w.reason === rec.wakeupReason && t - w.lastAt < o.debounceMs) {
        // Part of the press being debounced: its check-in is taken too, so it is not a press when it comes back later.
        w.lastAt = t;
        seen.first(id);
        return { kind: 'debounced' };
      }
      open.set(rec.mac, { reason: rec.wakeupReason, lastAt: t });
      if (apNow !== undefined && rec.lastseen !== undefined && apNow - rec.lastseen > staleAfterS) { seen.first(id); return { kind: 'stale' }; }
      if (!seen.first(id)) return { kind: 'repeat' };
      return { kind: 'press', action, id };
    },
    /** A press whose event could not be published is not remembered: its next record may try again. */
    forget(id: string): void { seen.forget(id); },
  };
}
export type PressDetector = ReturnType<typeof createPressDetector>;
