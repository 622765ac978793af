import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_WS_FRAME_BYTES } from '#contracts';
import type { AlertClaimed, AlertVip, Hello, LabelUpdate, ScreenContent } from '#contracts';
import { createAdmission, type Admission, type Slot } from './admission.js';
import { authorizeHello, type Binding, type HelloVerdict } from './auth.js';
import { CLOSE_CODES, type RefusalReason } from './codes.js';
import { HUB_DEFAULTS } from './defaults.js';
import type { PendingFrame } from './mailbox.js';
import { createFrameLimiter, type FrameLimitOptions } from './rate-limit.js';
import { alertsKey, channelsOf, labelKey, labelsKey, mapOf, screenKey, settled, viewKey } from './routing.js';
import { Session } from './session.js';
import type { ClientInfo, Hub, HubOptions, HubStats } from './types.js';
import { refuseUpgrade, upgradePath } from './upgrade.js';

type Current<F> = { frame: F; data: Buffer };

const noop = (): void => {};

/** The WebSocket hub (docs/contracts.md §WebSocket protocol). A class because it owns sockets and timers. */
export class WebSocketHub implements Hub {
  private readonly opts: HubOptions;
  private readonly log: HubOptions['log'];
  private readonly wss: WebSocketServer;
  private readonly heartbeatMs: number;
  private readonly sessions = new Map<Session, Slot>();
  private readonly channels = new Map<string, Set<Session>>();
  /** Per-target seqs live here, not on sockets, so they survive reconnects. */
  private readonly seqs = new Map<string, number>();
  private readonly screens = new Map<string, Map<string, Current<ScreenContent>>>();
  private readonly labels = new Map<string, Map<string, Current<LabelUpdate>>>();
  /** Open alerts per store, in creation order: the latest `alert.vip` and `alert.claimed` of each (replayed on hello). */
  private readonly openAlerts = new Map<string, Map<string, { vip?: Current<AlertVip>; claimed?: Current<AlertClaimed> }>>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly admission: Admission;
  private readonly frameLimit: FrameLimitOptions;
  private closing: Promise<void> | undefined;

  constructor(opts: HubOptions) {
    this.opts = opts;
    this.log = opts.log.child({ mod: 'push' });
    this.heartbeatMs = opts.heartbeatMs ?? HUB_DEFAULTS.heartbeatMs;
    this.admission = createAdmission(opts); // throws at start-up on a malformed address list
    this.frameLimit = {
      perSecond: opts.maxFramesPerSecond ?? HUB_DEFAULTS.maxFramesPerSecond,
      burst: opts.frameBurst ?? HUB_DEFAULTS.frameBurst,
      closeAfterDropped: opts.maxDroppedFrames ?? HUB_DEFAULTS.maxDroppedFrames,
    };
    // Above maxPayload ws closes with 1009 before buffering the message, so this is also the input memory per socket.
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false,
      maxPayload: opts.maxPayloadBytes ?? HUB_DEFAULTS.maxPayloadBytes });
    this.wss.on('error', (err) => this.log.error({ err }, 'ws server error')); // never an unhandled 'error'
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Runs inside the HTTP server's 'upgrade' event: it must never throw, whatever the request (an exception there stops the process). */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    try {
      // Node removes its own 'error' listener from an upgraded socket: without one, a reset peer would crash the process.
      socket.on('error', noop);
      if (upgradePath(req.url) !== (this.opts.path ?? '/ws')) return; // another listener's upgrade (or no parsable target)
      if (this.closing) return this.refuseUpgrade(socket, 'shutting_down');
      const at = this.admission.upgrade(req, this.sessions.size);
      if ('refuse' in at) return this.refuseUpgrade(socket, at.refuse);
      (socket as Partial<Socket>).setNoDelay?.(true); // docs/performance.md: Nagle adds up to 18 ms p99
      this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, at.address));
    } catch (err) {
      this.log.error({ err }, 'ws upgrade failed');
      this.refused('upgrade_failed');
      socket.destroy();
    }
  };

  /** docs/contracts.md §Security and privacy: a frame reaches sockets only for a screen of that store. */
  sendScreen(storeId: string, frame: Omit<ScreenContent, 'seq'>): number {
    if (!this.opts.stores.hasScreen(storeId, frame.screenId) || (frame.storeId !== undefined && frame.storeId !== storeId)) {
      return this.refuseFrame(frame.type, { storeId, screenId: frame.screenId }, 'screen.content for a screen that is not in its store');
    }
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
    if (!this.opts.stores.has(storeId) || this.opts.stores.hasLabel?.(storeId, frame.labelId) === false) {
      return this.refuseFrame(frame.type, { storeId, labelId: frame.labelId }, 'label.update for a label that is not in its store');
    }
    const key = labelKey(storeId, frame.labelId);
    const seq = (this.seqs.get(key) ?? 0) + 1;
    const full = { ...frame, seq } as LabelUpdate;
    const data = this.encode(full);
    if (!data) return 0;
    this.seqs.set(key, seq);
    mapOf(this.labels, storeId).set(frame.labelId, { frame: full, data });
    this.fanout(this.channels.get(labelsKey(storeId)), `label:${frame.labelId}`, { type: full.type, data });
    // The store view (console, merchandiser) shows labels too: their words are public.
    this.fanout(this.channels.get(viewKey(storeId)), `label:${frame.labelId}`, { type: full.type, data });
    return seq;
  }

  sendAlert(storeId: string, frame: Omit<AlertVip, 'seq'>): void {
    if (frame.storeId !== storeId || !this.opts.stores.has(storeId)) {
      this.refuseFrame(frame.type, { storeId, alertStoreId: frame.storeId }, 'alert.vip for another or an unknown store');
      return;
    }
    const sent = this.sendAlertChannel(storeId, frame, `alert.vip:${frame.alertId}`);
    if (sent) this.keepAlert(storeId, frame.alertId, { vip: sent as Current<AlertVip> });
  }

  sendClaimed(storeId: string, frame: Omit<AlertClaimed, 'seq'>): void {
    if (!this.opts.stores.has(storeId)) { this.refuseFrame(frame.type, { storeId }, 'alert.claimed for an unknown store'); return; }
    const sent = this.sendAlertChannel(storeId, frame, `alert.claimed:${frame.alertId}`);
    if (sent && this.openAlerts.get(storeId)?.has(frame.alertId)) this.keepAlert(storeId, frame.alertId, { claimed: sent as Current<AlertClaimed> });
  }

  forgetAlert(storeId: string, alertId: string): void {
    const m = this.openAlerts.get(storeId);
    m?.delete(alertId);
    if (m?.size === 0) this.openAlerts.delete(storeId);
  }

  private keepAlert(storeId: string, alertId: string, part: { vip?: Current<AlertVip>; claimed?: Current<AlertClaimed> }): void {
    const m = mapOf(this.openAlerts, storeId);
    m.set(alertId, { ...m.get(alertId), ...part });
    const max = this.opts.maxOpenAlerts ?? 500;
    while (m.size > max) m.delete(m.keys().next().value!);
  }

  /** Each label's latest content in a store (the state a label gateway gets on hello), seq excluded. */
  currentLabels(storeId: string): Omit<LabelUpdate, 'seq'>[] {
    return [...(this.labels.get(storeId)?.values() ?? [])].map(({ frame: { seq: _seq, ...rest } }) => rest);
  }

  /** Whether a socket of this screen is connected here (cheap: on every frame). */
  holds(storeId: string, screenId: string): boolean {
    return (this.channels.get(screenKey(storeId, screenId))?.size ?? 0) > 0;
  }

  current(storeId: string, screenId: string): ScreenContent | undefined {
    return this.screens.get(storeId)?.get(screenId)?.frame;
  }

  clients(): ClientInfo[] {
    const out: ClientInfo[] = [];
    for (const s of this.sessions.keys()) if (s.binding) out.push({ ...s.binding });
    return out;
  }

  stats(): HubStats {
    let clients = 0, pendingFrames = 0, maxPendingPerSocket = 0, maxBufferedAmount = 0;
    for (const s of this.sessions.keys()) {
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
    const all = [...this.sessions.keys()];
    for (const s of all) s.close(CLOSE_CODES.goingAway, 'going away');
    await settled(all.map((s) => s.closed), this.opts.closeTimeoutMs ?? HUB_DEFAULTS.closeTimeoutMs);
    const stuck = [...this.sessions.keys()];
    for (const s of stuck) s.terminate();
    await settled(stuck.map((s) => s.closed), 100); // destroy() closes at once; the bound is only a guard
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private attach(ws: WebSocket, address: string): void {
    const { clock, metrics } = this.opts;
    const log = this.log;
    const session = new Session(ws, {
      clock, log, metrics, heartbeatMs: this.heartbeatMs,
      helloTimeoutMs: this.opts.helloTimeoutMs ?? HUB_DEFAULTS.helloTimeoutMs,
      maxBufferedBytes: this.opts.maxBufferedBytes ?? HUB_DEFAULTS.maxBufferedBytes,
      maxPendingFrames: this.opts.maxPendingFrames ?? HUB_DEFAULTS.maxPendingFrames,
      closeTimeoutMs: this.opts.closeTimeoutMs ?? HUB_DEFAULTS.closeTimeoutMs,
      limiter: createFrameLimiter(this.frameLimit, clock.now()),
      admit: (s, hello) => this.admit(s, hello),
      impression: (s, b, f) => {
        // A screen reports only what it rendered itself.
        if (b.role !== 'screen' || f.screenId !== b.target) return s.reject('ws.forbidden', 'impressions come from their own screen');
        this.opts.onImpression?.(b.storeId, f);
      },
      claim: (s, b, f) => {
        if (b.role !== 'associate' || b.target === undefined) return s.reject('ws.forbidden', `only associates ${f.type} alerts`);
        this.opts.onClaim?.({ storeId: b.storeId, associateId: b.target }, f);
      },
      closed: (s) => this.detach(s),
    });
    const slot: Slot = {};
    this.sessions.set(session, slot);
    if (!this.admission.open(slot, address)) {
      this.refused('per_address');
      this.log.debug({ address }, 'ws connections per address exhausted');
      session.reject('ws.too_many_connections', 'too many connections from this address'); // before hello: closes with 4429
    }
  }

  private admit(session: Session, hello: Hello): HelloVerdict {
    const verdict = authorizeHello(this.opts.auth.verify(hello.token), hello, this.opts.stores);
    if (!verdict.ok || this.closing) return verdict.ok ? { ok: false, code: 'ws.internal', message: 'shutting down' } : verdict;
    const b = verdict.binding;
    // Counted after authorization, so a caller without a valid token learns nothing.
    const slot = this.sessions.get(session);
    if (!slot || !this.admission.bind(slot, hello.token, b)) {
      this.refused('per_token');
      this.log.debug({ ...b }, 'ws connections per token exhausted');
      return { ok: false, code: 'ws.too_many_connections', message: 'too many connections with this token' };
    }
    session.accept(b, this.welcomeSeq(b));
    for (const ch of channelsOf(b)) mapOf(this.channels, ch, () => new Set<Session>()).add(session);
    this.replay(session, b);
    this.opts.metrics?.wsClients.inc({ role: b.role });
    try { this.opts.onJoined?.({ ...b }); } catch (err) { this.log.error({ err }, 'onJoined failed'); }
    this.log.debug({ ...b }, 'ws client joined');
    return verdict;
  }

  private detach(session: Session): void {
    const slot = this.sessions.get(session);
    this.sessions.delete(session);
    if (slot) this.admission.release(slot);
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
      for (const [id, cur] of this.labels.get(b.storeId) ?? []) session.deliver(`label:${id}`, { type: cur.frame.type, data: cur.data });
    } else if (b.role === 'label-gateway') {
      for (const [id, cur] of this.labels.get(b.storeId) ?? []) session.deliver(`label:${id}`, { type: cur.frame.type, data: cur.data });
    } else if (b.role === 'associate' && b.target) {
      const open = this.openAlerts.get(b.storeId);
      if (!open?.size) return;
      for (const [id, a] of open) {
        if (a.vip) session.deliver(`alert.vip:${id}`, { type: a.vip.frame.type, data: a.vip.data });
        if (a.claimed) session.deliver(`alert.claimed:${id}`, { type: a.claimed.frame.type, data: a.claimed.data });
      }
      this.opts.onAlertsReplayed?.({ storeId: b.storeId, associateId: b.target }, [...open.keys()]);
    }
  }

  private sendAlertChannel(storeId: string, frame: Omit<AlertVip, 'seq'> | Omit<AlertClaimed, 'seq'>, box: string): Current<AlertVip | AlertClaimed> | undefined {
    const key = alertsKey(storeId);
    const seq = (this.seqs.get(key) ?? 0) + 1;
    const full = { ...frame, seq } as AlertVip | AlertClaimed;
    const data = this.encode(full);
    if (!data) return undefined;
    this.seqs.set(key, seq);
    this.fanout(this.channels.get(key), box, { type: frame.type, data });
    return { frame: full, data };
  }

  /** One heartbeat tick for every socket; one socket's failure must not end the timer's callback (or the process). */
  private beat(): void {
    for (const s of this.sessions.keys()) {
      try { s.heartbeat(); } catch (err) { this.log.error({ err }, 'ws heartbeat failed'); s.terminate(); }
    }
  }

  private refuseUpgrade(socket: Duplex, reason: RefusalReason): void {
    this.refused(reason);
    this.log.debug({ reason }, 'ws upgrade refused');
    refuseUpgrade(socket, 503);
  }

  private refused(reason: RefusalReason): void {
    this.opts.metrics?.wsRefused?.inc({ reason });
  }

  /** A frame the engine must not deliver (a bug or a forged remote frame upstream): counted, logged at debug, never sent. */
  private refuseFrame(type: string, ctx: Record<string, unknown>, message: string): 0 {
    this.opts.metrics?.wsFrames.inc({ type, outcome: 'refused' });
    this.log.debug(ctx, message);
    return 0;
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
