import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_WS_FRAME_BYTES } from '#contracts';
import type { AlertClaimed, AlertVip, Hello, LabelUpdate, ScreenContent } from '#contracts';
import { authorizeHello, type Binding, type HelloVerdict } from './auth.js';
import type { PendingFrame } from './mailbox.js';
import { alertsKey, channelsOf, labelKey, labelsKey, mapOf, screenKey, settled, viewKey } from './routing.js';
import { CLOSE_CODES, Session } from './session.js';
import type { ClientInfo, Hub, HubOptions, HubStats } from './types.js';

type Current<F> = { frame: F; data: Buffer };

/** The WebSocket hub (docs/contracts.md §WebSocket protocol). A class because it owns sockets and timers. */
export class WebSocketHub implements Hub {
  private readonly opts: HubOptions;
  private readonly log: HubOptions['log'];
  private readonly wss: WebSocketServer;
  private readonly heartbeatMs: number;
  private readonly sessions = new Set<Session>();
  private readonly channels = new Map<string, Set<Session>>();
  /** Per-target seqs live here, not on sockets, so they survive reconnects. */
  private readonly seqs = new Map<string, number>();
  private readonly screens = new Map<string, Map<string, Current<ScreenContent>>>();
  private readonly labels = new Map<string, Map<string, Current<LabelUpdate>>>();
  private readonly heartbeat: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  constructor(opts: HubOptions) {
    this.opts = opts;
    this.log = opts.log.child({ mod: 'push' });
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    // Frames up to 4× the contract limit are read so the client gets a `ws.frame_too_large` frame and keeps its
    // socket; beyond that ws itself closes with 1009.
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 4 * MAX_WS_FRAME_BYTES });
    this.heartbeat = setInterval(() => { for (const s of this.sessions) s.heartbeat(); }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = this.opts.path ?? '/ws';
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== path) return; // another listener's upgrade
    if (this.closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    (socket as Partial<Socket>).setNoDelay?.(true); // docs/performance.md: Nagle adds up to 18 ms p99
    try {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
    } catch (err) {
      this.log.error({ err }, 'ws upgrade failed');
      socket.destroy();
    }
  };

  sendScreen(storeId: string, frame: Omit<ScreenContent, 'seq'>): number {
    const key = screenKey(storeId, frame.screenId);
    const seq = (this.seqs.get(key) ?? 0) + 1;
    const full = { ...frame, seq } as ScreenContent;
    const data = this.encode(full);
    if (!data) return 0;
    this.seqs.set(key, seq);
    mapOf(this.screens, storeId).set(frame.screenId, { frame: full, data });
    const pf: PendingFrame = { type: full.type, data };
    const box = `screen:${frame.screenId}`;
    this.fanout(this.channels.get(key), box, pf);
    this.fanout(this.channels.get(viewKey(storeId)), box, pf);
    return seq;
  }

  sendLabel(storeId: string, frame: Omit<LabelUpdate, 'seq'>): number {
    const key = labelKey(storeId, frame.labelId);
    const seq = (this.seqs.get(key) ?? 0) + 1;
    const full = { ...frame, seq } as LabelUpdate;
    const data = this.encode(full);
    if (!data) return 0;
    this.seqs.set(key, seq);
    mapOf(this.labels, storeId).set(frame.labelId, { frame: full, data });
    this.fanout(this.channels.get(labelsKey(storeId)), `label:${frame.labelId}`, { type: full.type, data });
    return seq;
  }

  sendAlert(storeId: string, frame: Omit<AlertVip, 'seq'>): void {
    this.sendAlertChannel(storeId, frame, `alert.vip:${frame.alertId}`);
  }

  sendClaimed(storeId: string, frame: Omit<AlertClaimed, 'seq'>): void {
    this.sendAlertChannel(storeId, frame, `alert.claimed:${frame.alertId}`);
  }

  current(storeId: string, screenId: string): ScreenContent | undefined {
    return this.screens.get(storeId)?.get(screenId)?.frame;
  }

  clients(): ClientInfo[] {
    const out: ClientInfo[] = [];
    for (const s of this.sessions) if (s.binding) out.push({ ...s.binding });
    return out;
  }

  stats(): HubStats {
    let clients = 0, pendingFrames = 0, maxPendingPerSocket = 0, maxBufferedAmount = 0;
    for (const s of this.sessions) {
      if (s.binding) clients++;
      const n = s.pending();
      pendingFrames += n;
      maxPendingPerSocket = Math.max(maxPendingPerSocket, n);
      maxBufferedAmount = Math.max(maxBufferedAmount, s.bufferedAmount());
    }
    return { sockets: this.sessions.size, clients, pendingFrames, maxPendingPerSocket, maxBufferedAmount };
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  // docs/conventions.md §Shutdown: stop accepting, close with 1001 so screens keep their last content, bounded by a deadline.
  private async shutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    const all = [...this.sessions];
    for (const s of all) s.close(CLOSE_CODES.goingAway, 'going away');
    await settled(all.map((s) => s.closed), this.opts.closeTimeoutMs ?? 2_000);
    const stuck = [...this.sessions];
    for (const s of stuck) s.terminate();
    await settled(stuck.map((s) => s.closed), 100); // destroy() closes at once; the bound is only a guard
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private attach(ws: WebSocket): void {
    const { clock, metrics } = this.opts;
    const log = this.log;
    const session = new Session(ws, {
      clock, log, metrics, heartbeatMs: this.heartbeatMs,
      helloTimeoutMs: this.opts.helloTimeoutMs ?? 5_000,
      maxBufferedBytes: this.opts.maxBufferedBytes ?? 256 * 1024,
      maxPendingFrames: this.opts.maxPendingFrames ?? 10_000,
      admit: (s, hello) => this.admit(s, hello),
      impression: (s, b, f) => {
        // A screen reports only what it rendered itself.
        if (b.role !== 'screen' || f.screenId !== b.target) return s.reject('ws.forbidden', 'impressions come from their own screen');
        this.opts.onImpression?.(b.storeId, f);
      },
      claim: (s, b, f) => {
        if (b.role !== 'associate' || b.target === undefined) return s.reject('ws.forbidden', 'only associates claim alerts');
        this.opts.onClaim?.({ storeId: b.storeId, associateId: b.target }, f);
      },
      closed: (s) => this.detach(s),
    });
    this.sessions.add(session);
  }

  private admit(session: Session, hello: Hello): HelloVerdict {
    const verdict = authorizeHello(this.opts.auth.verify(hello.token), hello, this.opts.stores);
    if (!verdict.ok || this.closing) return verdict.ok ? { ok: false, code: 'ws.internal', message: 'shutting down' } : verdict;
    const b = verdict.binding;
    session.accept(b, this.welcomeSeq(b));
    for (const ch of channelsOf(b)) mapOf(this.channels, ch, () => new Set<Session>()).add(session);
    this.replay(session, b);
    this.opts.metrics?.wsClients.inc({ role: b.role });
    this.log.debug({ ...b }, 'ws client joined');
    return verdict;
  }

  private detach(session: Session): void {
    this.sessions.delete(session);
    const b = session.binding;
    if (!b) return;
    for (const ch of channelsOf(b)) {
      const set = this.channels.get(ch);
      set?.delete(session);
      if (set?.size === 0) this.channels.delete(ch);
    }
    this.opts.metrics?.wsClients.dec({ role: b.role });
  }

  private welcomeSeq(b: Binding): number {
    if (b.role === 'screen' && b.target) return this.seqs.get(screenKey(b.storeId, b.target)) ?? 0;
    if (b.role === 'associate') return this.seqs.get(alertsKey(b.storeId)) ?? 0;
    return 0; // gateways and store views follow many targets; each frame carries its own seq
  }

  /** docs/contracts.md §WebSocket protocol: a screen that (re)connects gets the current content at once; the client de-dups by seq. */
  private replay(session: Session, b: Binding): void {
    if (b.role === 'screen' && b.target) {
      const cur = this.screens.get(b.storeId)?.get(b.target);
      if (cur) session.deliver(`screen:${b.target}`, { type: cur.frame.type, data: cur.data });
    } else if (b.role === 'console' || b.role === 'merchandiser') {
      for (const [id, cur] of this.screens.get(b.storeId) ?? []) session.deliver(`screen:${id}`, { type: cur.frame.type, data: cur.data });
    } else if (b.role === 'label-gateway') {
      for (const [id, cur] of this.labels.get(b.storeId) ?? []) session.deliver(`label:${id}`, { type: cur.frame.type, data: cur.data });
    }
  }

  private sendAlertChannel(storeId: string, frame: Omit<AlertVip, 'seq'> | Omit<AlertClaimed, 'seq'>, box: string): void {
    const key = alertsKey(storeId);
    const seq = (this.seqs.get(key) ?? 0) + 1;
    const data = this.encode({ ...frame, seq } as AlertVip | AlertClaimed);
    if (!data) return;
    this.seqs.set(key, seq);
    this.fanout(this.channels.get(key), box, { type: frame.type, data });
  }

  /** Serializes a frame once for all its recipients; refuses frames over the contract's size limit. */
  private encode(frame: { type: string }): Buffer | undefined {
    const data = Buffer.from(JSON.stringify(frame));
    if (data.length <= MAX_WS_FRAME_BYTES) return data;
    this.opts.metrics?.wsFrames.inc({ type: frame.type, outcome: 'too_large' });
    this.log.error({ type: frame.type, bytes: data.length }, 'outbound ws frame over MAX_WS_FRAME_BYTES; not sent');
    return undefined;
  }

  private fanout(targets: Set<Session> | undefined, box: string, frame: PendingFrame): void {
    if (targets) for (const s of targets) s.deliver(box, frame);
  }
}
