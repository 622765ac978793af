import { WebSocket, type RawData } from 'ws';
import { ClientFrame, MAX_WS_FRAME_BYTES } from '#contracts';
import type { Claim, ErrorFrame, Hello, Impression, WsErrorCode } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import type { Binding, HelloVerdict } from './auth.js';
import { createMailbox, type Mailbox, type PendingFrame } from './mailbox.js';

/** Close codes for a refused hello (the error frame before the close carries the stable code). */
export const CLOSE_CODES = {
  goingAway: 1001, internal: 1011,
  badHello: 4400, unauthorized: 4401, forbidden: 4403, unknown: 4404, helloTimeout: 4408,
} as const;

const closeCodeFor = (code: WsErrorCode): number => {
  switch (code) {
    case 'ws.unauthorized': case 'ws.hello_required': return CLOSE_CODES.unauthorized;
    case 'ws.forbidden': return CLOSE_CODES.forbidden;
    case 'ws.unknown_store': case 'ws.unknown_target': return CLOSE_CODES.unknown;
    case 'ws.internal': return CLOSE_CODES.internal;
    default: return CLOSE_CODES.badHello;
  }
};

export type SessionDeps = {
  clock: Clock; log: Logger; metrics?: Metrics | undefined;
  heartbeatMs: number; helloTimeoutMs: number; maxBufferedBytes: number; maxPendingFrames: number;
  /** Authorizes the hello; on success calls session.accept() and queues replays. */
  admit(session: Session, hello: Hello): HelloVerdict;
  impression(session: Session, binding: Binding, f: Impression): void;
  claim(session: Session, binding: Binding, f: Claim): void;
  closed(session: Session): void;
};

const toBuffer = (d: RawData): Buffer => (Array.isArray(d) ? Buffer.concat(d) : Buffer.isBuffer(d) ? d : Buffer.from(d));

/** One connection: hello handshake, inbound validation, and its latest-wins outbox. */
export class Session {
  binding: Binding | undefined;
  readonly closed: Promise<void>;
  private readonly mailbox: Mailbox;
  private readonly log: Logger;
  private helloTimer: NodeJS.Timeout | undefined;
  private missedPongs = 0;
  private errorSeq = 0;
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
      // ws closes the socket itself (1009) for frames above maxPayload; there is no room for an error frame then.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') deps.metrics?.wsErrors.inc({ code: 'ws.frame_too_large' });
      this.log.debug({ err: err.message, code: err.code }, 'ws socket error');
    });
    ws.once('close', () => this.onClose());
    this.helloTimer = setTimeout(() => {
      this.refuse('ws.hello_required', `send hello within ${deps.helloTimeoutMs} ms`, CLOSE_CODES.helloTimeout);
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

  close(code: number, reason: string): void {
    this.ending = true;
    clearTimeout(this.helloTimer);
    this.mailbox.clear();
    this.ws.close(code, reason);
  }

  terminate(): void { this.ws.terminate(); }

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
      this.handle(toBuffer(data), isBinary);
    } catch (err) {
      this.log.error({ err, ...this.binding }, 'ws frame handler failed');
      this.reject('ws.internal', 'internal error');
    }
  }

  private handle(buf: Buffer, isBinary: boolean): void {
    if (buf.length > MAX_WS_FRAME_BYTES) return this.reject('ws.frame_too_large', `frames are at most ${MAX_WS_FRAME_BYTES} bytes`);
    if (isBinary) return this.reject('ws.invalid_json', 'binary frames are not accepted; send JSON text');
    let json: unknown;
    try { json = JSON.parse(buf.toString('utf8')); } catch { return this.reject('ws.invalid_json', 'frame is not valid JSON'); }
    const parsed = ClientFrame.safeParse(json); // docs/contracts.md §WebSocket protocol: every frame is validated with zod
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
      case 'claim': return this.deps.claim(this, b, f);
    }
  }

  /** Answers a bad frame: before hello it also closes the socket, after hello the socket stays open. */
  reject(code: WsErrorCode, message: string, path?: (string | number)[]): void {
    if (!this.binding) return this.refuse(code, message, closeCodeFor(code), path);
    const frame: ErrorFrame = path ? { type: 'error', code, message, path } : { type: 'error', code, message };
    this.deps.metrics?.wsErrors.inc({ code });
    this.deliver(`error:${++this.errorSeq}`, { type: 'error', data: Buffer.from(JSON.stringify(frame)) });
  }

  private refuse(code: WsErrorCode, message: string, closeCode: number, path?: (string | number)[]): void {
    if (this.ending) return;
    const frame: ErrorFrame = path ? { type: 'error', code, message, path } : { type: 'error', code, message };
    this.deps.metrics?.wsErrors.inc({ code });
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
    this.close(closeCode, code);
  }

  private onClose(): void {
    this.ending = true;
    clearTimeout(this.helloTimer);
    this.mailbox.clear();
    this.deps.closed(this);
  }
}
