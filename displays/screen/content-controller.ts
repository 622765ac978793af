/**
 * @module screen/content-controller
 * What the screen should show right now. Holds the current `screen.content` frame until its `ttlMs`
 * runs out (counted from when it arrived), remembers the last `reason: 'idle'` frame for the idle
 * loop, and re-renders the host when content expires. The connection state plays no part: while
 * offline the screen keeps its content until it expires, then falls back to the idle loop.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ScreenContent } from '../shared/contracts.js';

export type ScreenView =
  | { kind: 'content'; content: ScreenContent }
  | { kind: 'idle'; idle: ScreenContent | undefined };

export class ContentController implements ReactiveController {
  private _content: ScreenContent | undefined;
  private _expiresAt = 0;
  private _idle: ScreenContent | undefined;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost, private readonly now: () => number = Date.now) {
    host.addController(this);
  }

  /** Shows a new frame (already validated and de-duplicated). */
  apply(frame: ScreenContent): void {
    this._content = frame;
    this._expiresAt = this.now() + frame.ttlMs;
    if (frame.reason === 'idle') this._idle = frame;
    this._schedule();
    this.host.requestUpdate();
  }

  /** Drops the current content now (back to the idle loop). */
  expire(): void {
    this._expiresAt = 0;
    this.host.requestUpdate();
  }

  /** The most recent frame, even if expired. */
  get last(): ScreenContent | undefined {
    return this._content;
  }

  get idle(): ScreenContent | undefined {
    return this._idle;
  }

  get view(): ScreenView {
    // An empty frame has nothing to show: the idle loop is better than a blank layout.
    if (this._content?.items.length && this.now() < this._expiresAt) return { kind: 'content', content: this._content };
    return { kind: 'idle', idle: this._idle };
  }

  hostConnected(): void {
    this._schedule();
  }

  hostDisconnected(): void {
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    const left = this._expiresAt - this.now();
    if (left <= 0) return;
    // setTimeout's limit is 2^31-1 ms; a longer TTL is simply re-checked later.
    this._timer = setTimeout(() => { this._timer = undefined; this._schedule(); this.host.requestUpdate(); },
      Math.min(left + 5, 2 ** 31 - 1));
  }
}
