/**
 * @module labels/label-book
 * Each shelf label's current `label.update` frame, for whatever shows a store's labels live: the label wall
 * (`/labels/`) and the console's live page. A frame is complete (docs/labels.md), so the newest one per label is all
 * there is to keep.
 *
 * - Within one connection a label's seqs only grow: an older or equal seq is a resend and changes nothing (the
 *   shared client with `dedupe: 'per-target'` drops those already; the book does not rely on it).
 * - After a `welcome` the engine replays every label's current frame, and that replay is the truth even when its
 *   seqs are lower than what was seen before (the engine restarted and numbers from 1 again).
 * - A flash is applied only while `updatedAt + durationMs` is in the future (docs/labels.md §Complete state): a
 *   replayed frame may carry an old one. The clock is the engine's, estimated from `welcome.serverTime`. A live
 *   frame's flash keeps only the time it has left.
 */
import type { LabelUpdate } from '../shared/label-svg.js';

/** The frame as it should be drawn `now` (engine time): without a flash that is over, or with what is left of it. */
export function withLiveFlash(frame: LabelUpdate, now: number): LabelUpdate {
  const flash = frame.flash;
  if (!flash || frame.updatedAt === undefined) return frame;
  const left = Math.min(flash.durationMs, frame.updatedAt + flash.durationMs - now);
  if (left <= 0) {
    const { flash: _over, ...rest } = frame;
    return rest;
  }
  return left >= flash.durationMs ? frame : { ...frame, flash: { ...flash, durationMs: Math.ceil(left) } };
}

type Entry = { frame: LabelUpdate; /** engine time the flash ends (when the frame flashes) */ flashUntil?: number };

export class LabelBook {
  private readonly _entries = new Map<string, Entry>();
  /** Labels that had a frame since the last `welcome`: only for those does a seq compare. */
  private readonly _sinceWelcome = new Set<string>();
  private _offsetMs = 0;

  constructor(private readonly _clock: () => number = Date.now) {}

  /** A (re)connect: the replay that follows is the current state. `serverTime` sets the engine's clock. */
  welcome(serverTime?: number): void {
    this._sinceWelcome.clear();
    if (serverTime !== undefined) this._offsetMs = serverTime - this._clock();
  }

  /** The engine's time now, as far as the last `welcome` tells. */
  serverNow(): number {
    return this._clock() + this._offsetMs;
  }

  /** Takes a frame; returns what to draw, or undefined when it changes nothing (a resend or an older frame). */
  apply(frame: LabelUpdate): LabelUpdate | undefined {
    const current = this._entries.get(frame.labelId);
    if (current && this._sinceWelcome.has(frame.labelId) && frame.seq <= current.frame.seq) return undefined;
    this._sinceWelcome.add(frame.labelId);
    const now = this.serverNow();
    const shown = withLiveFlash(frame, now);
    this._entries.set(frame.labelId, shown.flash ? { frame: shown, flashUntil: now + shown.flash.durationMs } : { frame: shown });
    return shown;
  }

  /**
   * A label's frame to draw now. Once its flash is over the frame comes without it (a new object, once), so an element
   * made later — a zone shown again — does not flash what is long over. The same object otherwise, so a drawn label
   * is not redrawn.
   */
  get(labelId: string): LabelUpdate | undefined {
    const e = this._entries.get(labelId);
    if (!e) return undefined;
    if (e.flashUntil !== undefined && this.serverNow() >= e.flashUntil) {
      const { flash: _over, ...rest } = e.frame;
      e.frame = rest;
      e.flashUntil = undefined;
    }
    return e.frame;
  }

  has(labelId: string): boolean {
    return this._entries.has(labelId);
  }

  /** Every label with a frame, in the order they first arrived. */
  all(): LabelUpdate[] {
    return [...this._entries.keys()].map((id) => this.get(id)!);
  }

  get size(): number {
    return this._entries.size;
  }

  /** How many of these labels (default: all) show personal content now (a consenting shopper is near). */
  personal(ids?: Iterable<string>): number {
    let n = 0;
    for (const id of ids ?? this._entries.keys()) if (this._entries.get(id)?.frame.mode === 'personal') n++;
    return n;
  }

  clear(): void {
    this._entries.clear();
    this._sinceWelcome.clear();
  }
}
