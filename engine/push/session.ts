import { WebSocket, type RawData } from 'ws';
import { ClientFrame, MAX_WS_FRAME_BYTES, parseUntrusted } from '#contracts';
import type { Claim, Hello, Impression, Release } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Binding, HelloVerdict } from './auth.js';
import { CLOSE_CODES, closeCodeFor, type PushErrorCode, type RefusalReason } from './codes.js';
import { createMailbox, type Mailbox, type PendingFrame } from './mailbox.js';
import type { FrameLimiter, FrameVerdict } from './rate-limit.js';
import type { PushMetrics } from './types.js';


export type SessionDeps = {
  clock: Clock; log: Logger; metrics?: PushMetrics | undefined;
  heartbeatMs: number; helloTimeoutMs: number; maxBufferedBytes: number; maxPendingFrames: number;
  /** A socket we close gets this long for the close handshake, then it is destroyed (ws itself would wait 30 s). */
  closeTimeoutMs: number;
  /** This connection's inbound frame limiter; every message passes it before it is even parsed. */
  limiter: FrameLimiter;
  /** Authorizes the hello; on success calls session.accept() and queues replays. */
  admit(session: Session, hello: Hello): HelloVerdict;
  impression(session: Session, binding: Binding, f: Impression): void;
  /** A claim or a release of an alert. */
  claim(session: Session, binding: Binding, f: Claim | Release): void;
  closed(session: Session): void;
};

type ErrorBody = { type: 'error'; code: PushErrorCode; message: string; path?: (string | number)[] };

const toBuffer = (d: RawData): Buffer => (Array.isArray(d) ? Buffer.concat(d) : Buffer.isBuffer(d) ? d : Buffer.from(d));

/** ws reports protocol violations with WS_ERR_* codes and closes the socket itself (1002, 1007, 1009). */
const refusalOf = (code: string | undefined): RefusalReason | undefined =>
  code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'frame_too_large' : code?.startsWith('WS_ERR_') ? 'protocol' : undefined;

/** One connection: hello handshake, inbound validation, and its latest-wins outbox. */
export class Session {
  binding: Binding | undefined;
  readonly closed: Promise<void>;
  private readonly mailbox: Mailbox;
  private readonly log: Logger;
  private helloTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private missedPongs = 0;
  private ending = false;
  private readonly ws: WebSocket;
  private readonly deps: SessionDeps;

  constructor(ws: WebSocket, deps: SessionDeps) {
    this.ws = ws;
    this.deps = deps;
    this.log = deps.log;
    this.mailbox = createMailbox({
      maxPending: deps.maxPendingFrames,
      onDiscard: (f, why) => deps.metrics?.wsFrames.inc({ type: f.type, outcome: why }),
    });
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => { this.missedPongs = 0; });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already closed the socket (1009 above maxPayload, 1007 bad UTF-8, 1002 bad framing): no room for an error frame.
      const reason = refusalOf(err.code);
      if (reason === 'frame_too_large') deps.metrics?.wsErrors.inc({ code: 'ws.frame_too_large' });
      if (reason) deps.metrics?.wsRefused?.inc({ reason });
      this.ending = true;
      this.armCloseTimer(); // ws would give the peer 30 s to finish the close
      this.log.debug({ err: err.message, code: err.code, ...this.binding }, 'ws socket error');
    });
    ws.once('close', () => this.onClose());
    this.helloTimer = setTimeout(() => {
      deps.metrics?.wsRefused?.inc({ reason: 'hello_timeout' });
      try { this.refuse('ws.hello_required', `send hello within ${deps.helloTimeoutMs} ms`, CLOSE_CODES.helloTimeout); } catch { this.ws.terminate(); }
    }, deps.helloTimeoutMs);
    this.helloTimer.unref();
  }

  /** Binds the connection and queues `welcome`; called by the hub before it queues replays. */
  accept(binding: Binding, seq: number): void {
    clearTimeout(this.helloTimer);
    this.binding = binding;
    const welcome = { type: 'welcome', role: binding.role, storeId: binding.storeId, target: binding.target, seq,
      heartbeatMs: this.deps.heartbeatMs, serverTime: this.deps.clock.now() };
    this.enqueue('welcome', { type: 'welcome', data: Buffer.from(JSON.stringify(welcome)) });
  }

  /** Queues a frame (latest wins per key) and writes what the socket can take now. */
  deliver(key: string, frame: PendingFrame): void {
    this.enqueue(key, frame);
    this.flush();
  }

  /** Writes pending frames while the socket's buffer is under the bound; never waits. */
  flush(): void {
    if (this.ws.readyState !== WebSocket.OPEN || this.mailbox.size() === 0) return;
    this.mailbox.drain(this.canWrite, this.write);
  }

  /** One heartbeat tick: ping, or drop the socket after 2 unanswered pings. Also retries a stalled flush. */
  heartbeat(): void {
    if (this.missedPongs >= 2) {
      this.log.info({ ...this.binding }, 'ws client missed 2 pings; terminating');
      this.ws.terminate();
      return;
    }
    this.missedPongs++;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
    this.flush();
  }

  pending(): number { return this.mailbox.size(); }

  bufferedAmount(): number { return this.ws.bufferedAmount; }

  /** Starts the close handshake; a peer that does not answer within closeTimeoutMs is destroyed. Idempotent. */
  close(code: number, reason: string): void {
    this.ending = true;
    clearTimeout(this.helloTimer);
    this.mailbox.clear();
    if (this.closeTimer) return;
    this.armCloseTimer();
    this.ws.close(code, reason);
  }

  terminate(): void { this.ws.terminate(); }

  private armCloseTimer(): void {
    if (this.closeTimer) return;
    this.closeTimer = setTimeout(() => this.ws.terminate(), this.deps.closeTimeoutMs);
    this.closeTimer.unref();
  }

  private readonly canWrite = (): boolean => this.ws.bufferedAmount < this.deps.maxBufferedBytes;

  private readonly write = (f: PendingFrame): void => {
    this.ws.send(f.data, { binary: false }, this.onWritten);
    this.deps.metrics?.wsFrames.inc({ type: f.type, outcome: 'sent' });
  };

  // A write completed: the socket drained at least that much, so try the next pending frames.
  private readonly onWritten = (err?: Error): void => {
    if (!err && this.mailbox.size() > 0) this.flush();
  };

  private enqueue(key: string, frame: PendingFrame): void {
    if (!this.ending) this.mailbox.put(key, frame);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.ending) return;
    try {
      // Rate first: a flood costs a bucket check per frame, not a parse.
      const verdict = this.deps.limiter.admit(this.deps.clock.now());
      if (verdict !== 'pass') return this.limited(verdict);
      this.handle(toBuffer(data), isBinary);
    } catch (err) {
      // An exception leaving a ws 'message' listener would reach the socket's 'data' event and stop the process.
      this.log.error({ err, ...this.binding }, 'ws frame handler failed');
      try { this.reject('ws.internal', 'internal error'); } catch { this.ws.terminate(); }
    }
  }

  private handle(buf: Buffer, isBinary: boolean): void {
    if (buf.length > MAX_WS_FRAME_BYTES) return this.reject('ws.frame_too_large', `frames are at most ${MAX_WS_FRAME_BYTES} bytes`);
    if (isBinary) return this.reject('ws.invalid_json', 'binary frames are not accepted; send JSON text');
    let json: unknown;
    try { json = JSON.parse(buf.toString('utf8')); } catch { return this.reject('ws.invalid_json', 'frame is not valid JSON'); }
    const parsed = parseUntrusted(ClientFrame, json); // docs/contracts.md §WebSocket protocol: every frame is validated with zod
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)));
      return this.reject('ws.invalid_frame', issue?.message ?? 'invalid frame', path);
    }
    const f = parsed.data;
    const b = this.binding;
    if (!b) {
      if (f.type !== 'hello') return this.reject('ws.hello_required', 'the first frame must be hello');
      const verdict = this.deps.admit(this, f);
      if (!verdict.ok) return this.reject(verdict.code, verdict.message, verdict.path);
      return this.flush();
    }
    switch (f.type) {
      case 'hello': return this.reject('ws.already_hello', 'hello was already accepted');
      case 'ping': {
        const pong = { type: 'pong', t: f.t, serverTime: this.deps.clock.now() };
        return this.deliver('pong', { type: 'pong', data: Buffer.from(JSON.stringify(pong)) });
      }
      case 'impression': return this.deps.impression(this, b, f);
      case 'claim': case 'release': return this.deps.claim(this, b, f);
    }
  }

  /** A frame over the rate: dropped; the client hears about it at most once a second, and a flood closes the socket. */
  private limited(verdict: Exclude<FrameVerdict, 'pass'>): void {
    this.deps.metrics?.wsRefused?.inc({ reason: verdict === 'close' ? 'flood' : 'rate_limited' });
    if (verdict === 'close') {
      this.log.info({ ...this.binding }, 'ws client kept flooding; closing');
      return this.refuse('ws.rate_limited', 'too many frames; closing', CLOSE_CODES.tooMany);
    }
    if (verdict === 'warn') this.reject('ws.rate_limited', 'too many frames; frames are being dropped');
  }

  /** Answers a bad frame: before hello it also closes the socket, after hello the socket stays open. */
  reject(code: PushErrorCode, message: string, path?: (string | number)[]): void {
    if (!this.binding) return this.refuse(code, message, closeCodeFor(code), path);
    this.deps.metrics?.wsErrors.inc({ code });
    // Keyed per code: a client that sends bad frames and does not read holds at most one pending error per code.
    this.deliver(`error:${code}`, { type: 'error', data: Buffer.from(JSON.stringify(errorBody(code, message, path))) });
  }

  private refuse(code: PushErrorCode, message: string, closeCode: number, path?: (string | number)[]): void {
    if (this.ending) return;
    this.deps.metrics?.wsErrors.inc({ code });
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(errorBody(code, message, path)));
    this.close(closeCode, code);
  }

  private onClose(): void {
    this.ending = true;
    clearTimeout(this.helloTimer);
    clearTimeout(this.closeTimer);
    this.mailbox.clear();
    try { this.deps.closed(this); } catch (err) { this.log.error({ err }, 'ws close handler failed'); }
  }
}

const errorBody = (code: PushErrorCode, message: string, path?: (string | number)[]): ErrorBody =>
  path ? { type: 'error', code, message, path } : { type: 'error', code, message };
