/**
 * @module shared/ws-client
 * A framework-free WebSocket client for the engine's `/ws` endpoint (docs/contracts.md §WebSocket protocol):
 * `hello` first, zod-validated server frames, resume by seq, app-level ping/pong heartbeat, and
 * reconnects with capped exponential backoff + jitter. The screen player, associate app and console
 * share it; Lit hosts use it through `WsController` (ws-controller.ts).
 *
 * @example
 * const client = new AisleWsClient({ url: wsUrlFor(location),
 *   hello: (resumeSeq) => ({ type: 'hello', role: 'screen', token, storeId, screenId, resumeSeq }) });
 * client.on('frame', (f) => console.log(f.type));
 * client.connect();
 */
import { ServerFrame, type ClientFrame, type ErrorFrame, type Hello, type WsErrorCode } from './contracts.js';
import { DEFAULT_BACKOFF, REJECTED_BACKOFF, nextDelay, type BackoffOptions } from './backoff.js';
import { SeqTracker } from './seq-tracker.js';
import { Emitter } from './emitter.js';

/** `as const` object + union, not an enum (docs/conventions.md §Names and syntax). */
export const ConnectionStatus = {
  IDLE: 'idle', CONNECTING: 'connecting', ONLINE: 'online', OFFLINE: 'offline',
  REJECTED: 'rejected', CLOSED: 'closed',
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

/** Errors that mean "your credentials or ids are wrong": retrying soon cannot help. */
export const REJECTING_CODES: ReadonlySet<WsErrorCode> = new Set<WsErrorCode>(
  ['ws.unauthorized', 'ws.forbidden', 'ws.unknown_store', 'ws.unknown_target']);

export interface WsClientEvents {
  /** A valid, new (de-duplicated) server frame. */
  frame: ServerFrame;
  status: ConnectionStatus;
  /** An `error` frame from the server (also delivered as `frame`). */
  error: ErrorFrame;
  /** A frame that failed validation; it is dropped. */
  invalid: { raw: unknown; message: string };
}

export interface WsClientOptions {
  url: string;
  /** Builds the `hello` frame; called on every (re)connect with the seq to resume from. */
  hello: (resumeSeq: number | undefined) => Hello;
  /** Ping interval until the server's `welcome.heartbeatMs` says otherwise. */
  heartbeatMs?: number;
  /** Give up on a socket that has not opened within this time. */
  connectTimeoutMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Injectable for tests. */
  WebSocket?: new (url: string) => WebSocket;
  /**
   * How sequenced frames are de-duplicated. `connection` (default): one seq for the whole connection, as a
   * screen or an associate has (one target). `per-target`: one seq per screen / label, for store views
   * (console, merchandiser) that follow every screen of a store, each numbered on its own
   * (docs/contracts.md §WebSocket protocol); every `welcome` starts them over, since the server then
   * re-sends each screen's current frame. `none`: every valid frame is passed on and the host de-duplicates
   * (the associate app keeps the latest seq per alert id: the hub may deliver one alert's newer frame before
   * another alert's older one); `resumeSeq` is then the highest seq seen, reset when the server restarts.
   */
  dedupe?: 'connection' | 'per-target' | 'none';
}

/** `ws://host/ws` or `wss://host/ws` for the page's own origin. */
export function wsUrlFor(loc: { protocol: string; host: string }, path = '/ws'): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${path}`;
}

/** The target a sequenced frame's seq counts for (a screen, a label, the alert channel). */
export function frameTarget(f: ServerFrame): string {
  switch (f.type) {
    case 'screen.content': return `screen|${f.screenId}`;
    case 'label.update': return `label|${f.labelId}`;
    default: return f.type.startsWith('alert.') ? 'alerts' : f.type;
  }
}

/** What a sequenced frame is about, for de-duplication; undefined for unsequenced frames. */
export function frameKey(f: ServerFrame): string | undefined {
  switch (f.type) {
    case 'screen.content': return `${f.type}|${f.decisionId}`;
    case 'label.update': return `${f.type}|${f.labelId}|${f.sku}|${f.price}|${f.memberPrice ?? ''}`;
    case 'alert.vip': case 'alert.claimed': return `${f.type}|${f.alertId}`;
    default: return undefined;
  }
}

export class AisleWsClient extends Emitter<WsClientEvents> {
  readonly seq = new SeqTracker();
  /** `dedupe: 'per-target'` only: one tracker per screen / label. */
  private readonly _targets = new Map<string, SeqTracker>();
  private _status: ConnectionStatus = ConnectionStatus.IDLE;
  private _socket: WebSocket | undefined;
  private _attempt = 0;
  private _rejected = false;
  private _heartbeatMs: number;
  private _lastRx = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _beat: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly opts: WsClientOptions) {
    super();
    this._heartbeatMs = opts.heartbeatMs ?? 15_000;
  }

  get status(): ConnectionStatus { return this._status; }
  get heartbeatMs(): number { return this._heartbeatMs; }

  /** Opens the socket (and keeps it open until `close()`). Idempotent. */
  connect(): void {
    if (this._socket || this._timer !== undefined) return;
    this._setStatus(this._rejected ? ConnectionStatus.REJECTED
      : this._status === ConnectionStatus.OFFLINE ? ConnectionStatus.OFFLINE : ConnectionStatus.CONNECTING);
    const Ctor = this.opts.WebSocket ?? WebSocket;
    let ws: WebSocket;
    try {
      ws = new Ctor(this.opts.url);
    } catch {
      this._scheduleReconnect();
      return;
    }
    this._socket = ws;
    this._lastRx = Date.now();
    this._timer = setTimeout(() => this._drop(), this.opts.connectTimeoutMs ?? 10_000);
    ws.onopen = () => {
      this._clearTimer();
      this._sendRaw(this.opts.hello(this.seq.resumeSeq));
      this._startHeartbeat();
    };
    ws.onmessage = (ev: MessageEvent) => this.receive(ev.data);
    ws.onclose = () => this._drop();
    ws.onerror = () => { /* a close event always follows */ };
  }

  /**
   * Skips the rest of a backoff wait and reconnects now (e.g. the browser says it is online again, or a phone
   * woke up). Does nothing while a socket is open or connecting, or after a rejection (the token won't fix itself).
   */
  retryNow(): void {
    if (this._socket || this._rejected || this._timer === undefined || this._status === ConnectionStatus.CLOSED) return;
    this._clearTimer();
    this.connect();
  }

  /** Closes for good (no reconnect) until `connect()` is called again. */
  close(): void {
    this._teardown();
    this._clearTimer();
    this._setStatus(ConnectionStatus.CLOSED);
  }

  /** Sends a client frame; returns false when there is no open socket (nothing is queued). */
  send(frame: ClientFrame): boolean {
    return this._sendRaw(frame);
  }

  /**
   * Handles one server frame (a JSON string or an object): validate, de-duplicate, dispatch.
   * Public so hosts and tests can inject frames without a socket.
   */
  receive(raw: unknown): void {
    this._lastRx = Date.now();
    let data: unknown = raw;
    if (typeof raw === 'string') {
      try { data = JSON.parse(raw); } catch { this.emit('invalid', { raw, message: 'invalid JSON' }); return; }
    }
    const parsed = ServerFrame.safeParse(data);
    if (!parsed.success) { this.emit('invalid', { raw, message: parsed.error.message }); return; }
    const f = parsed.data;
    if (f.type === 'welcome') {
      this.seq.onWelcome(f.seq);
      this._targets.clear();
      this._attempt = 0;
      this._rejected = false;
      if (f.heartbeatMs !== this._heartbeatMs) { this._heartbeatMs = f.heartbeatMs; this._startHeartbeat(); }
      this._setStatus(ConnectionStatus.ONLINE);
    } else if (f.type === 'error') {
      const rejected = REJECTING_CODES.has(f.code);
      if (rejected) { this._rejected = true; this._setStatus(ConnectionStatus.REJECTED); }
      this.emit('error', f);
      this.emit('frame', f);
      if (rejected && this._socket) this._drop(); // don't wait for the server to close: back off long
      return;
    } else {
      const key = frameKey(f);
      if (key !== undefined && 'seq' in f) {
        if (this.opts.dedupe === 'none') {
          // Only remember the highest seq (for resumeSeq); never drop: the host decides per alert.
          if (this.seq.resumeSeq === undefined || f.seq > this.seq.lastSeq) this.seq.accept({ seq: f.seq, key });
        } else if (!this._tracker(f).accept({ seq: f.seq, key })) return;
      }
    }
    this.emit('frame', f);
  }

  private _tracker(f: ServerFrame): SeqTracker {
    if (this.opts.dedupe !== 'per-target') return this.seq;
    const target = frameTarget(f);
    let t = this._targets.get(target);
    if (!t) this._targets.set(target, (t = new SeqTracker()));
    return t;
  }

  private _sendRaw(frame: ClientFrame): boolean {
    const ws = this._socket;
    if (!ws || ws.readyState !== 1 /* OPEN */) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  private _startHeartbeat(): void {
    if (this._beat !== undefined) clearInterval(this._beat);
    this._beat = setInterval(() => {
      // Nothing (no frame, no pong) for two intervals: the link is dead even if the socket says open.
      if (Date.now() - this._lastRx > 2 * this._heartbeatMs) { this._drop(); return; }
      this._sendRaw({ type: 'ping', t: Date.now() });
    }, this._heartbeatMs);
  }

  /** The socket is gone (closed, timed out, or silent): clean up and plan the next attempt. */
  private _drop(): void {
    this._teardown();
    this._clearTimer();
    if (!this._rejected) this._setStatus(ConnectionStatus.OFFLINE);
    this._scheduleReconnect();
  }

  private _scheduleReconnect(): void {
    const delay = this._rejected ? nextDelay(0, this.opts.random, REJECTED_BACKOFF)
      : nextDelay(this._attempt++, this.opts.random, this.opts.backoff ?? DEFAULT_BACKOFF);
    this._timer = setTimeout(() => { this._timer = undefined; this.connect(); }, delay);
  }

  private _teardown(): void {
    if (this._beat !== undefined) { clearInterval(this._beat); this._beat = undefined; }
    const ws = this._socket;
    this._socket = undefined;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try { ws.close(); } catch { /* already closing */ }
  }

  private _clearTimer(): void {
    if (this._timer !== undefined) { clearTimeout(this._timer); this._timer = undefined; }
  }

  private _setStatus(s: ConnectionStatus): void {
    if (s === this._status) return;
    this._status = s;
    this.emit('status', s);
  }
}
