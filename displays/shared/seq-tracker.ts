/**
 * @module shared/seq-tracker
 * De-duplicates sequenced server frames for one connection target and remembers the `resumeSeq`.
 *
 * Rules (docs/contracts.md §WebSocket protocol: on resume the server re-sends its current frame):
 * - `seq` greater than the last one seen: new, accept.
 * - `seq` equal to the last one: a re-send after resume. Ignore it when it is the same frame
 *   (same key, e.g. decisionId); accept it when the key differs (the server restarted and reused the seq).
 * - `seq` lower: stale, ignore — unless `onWelcome` saw the server go back below our seq (a restart).
 */

export interface Sequenced {
  seq: number;
  /** What the frame is about, e.g. its decisionId; frames with equal seq and key are the same frame. */
  key: string;
}

export class SeqTracker {
  private _lastSeq = 0;
  private _lastKey: string | undefined;

  /** The seq to send as `resumeSeq`, or undefined before the first sequenced frame. */
  get resumeSeq(): number | undefined {
    return this._lastKey === undefined ? undefined : this._lastSeq;
  }

  get lastSeq(): number {
    return this._lastSeq;
  }

  /** Returns true if the frame is new and must be processed. */
  accept(frame: Sequenced): boolean {
    if (this._lastKey !== undefined) {
      if (frame.seq < this._lastSeq) return false;
      if (frame.seq === this._lastSeq && frame.key === this._lastKey) return false;
    }
    this._lastSeq = frame.seq;
    this._lastKey = frame.key;
    return true;
  }

  /** The server's last seq for our target: lower than ours means it lost its state, so start over. */
  onWelcome(serverSeq: number): void {
    if (this._lastKey !== undefined && serverSeq < this._lastSeq) this.reset();
  }

  reset(): void {
    this._lastSeq = 0;
    this._lastKey = undefined;
  }
}
