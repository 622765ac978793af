/**
 * @module console/live-feed
 * A store's live state for the console: `GET /api/v1/stores/{id}/live` polled every 2 s (shoppers per zone,
 * screens online, label gateways), and a `console` WebSocket that receives every screen's `screen.content`
 * frames (docs/contracts.md §WebSocket protocol; public words only, no reasons) and every shelf label's
 * `label.update` frames (public too). Keeps each screen's current frame, the most recent decisions and each
 * label's current frame (labels/label-book.ts: per label, the replay after a `welcome` is the current state).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { z } from 'zod';
import type { ScreenContent, ServerFrame } from '../shared/contracts.js';
import { wsUrlFor } from '../shared/ws-client.js';
import { WsController } from '../shared/ws-controller.js';
import { LabelBook } from '../labels/label-book.js';
import { explainError, type ConsoleApi } from './api.js';
import type { ConsoleRole } from './session.js';

const Current = z.object({ decisionId: z.string(), reason: z.string(), seq: z.number(), createdAt: z.number().optional(),
  skus: z.array(z.string()) }).nullish();
export const LiveView = z.object({
  storeId: z.string(), at: z.number(),
  zones: z.array(z.object({ zoneId: z.string(), name: z.string(), shoppers: z.number(), identified: z.number().catch(0) })),
  screens: z.array(z.object({ screenId: z.string(), zoneId: z.string(), online: z.boolean(), current: Current.catch(undefined) })),
  labels: z.object({ configured: z.number(), gatewaysOnline: z.number() }).catch({ configured: 0, gatewaysOnline: 0 }),
});
export type LiveView = z.infer<typeof LiveView>;

/** One decision seen on the console socket. */
export interface RecentDecision { at: number; frame: ScreenContent }

export const POLL_MS = 2000;
const MAX_RECENT = 40;

export interface LiveFeedOptions {
  api: ConsoleApi;
  storeId: string;
  role: ConsoleRole | undefined;
  wsUrl?: string | undefined;
  WebSocket?: (new (url: string) => WebSocket) | undefined;
  pollMs?: number;
}

export class LiveFeed implements ReactiveController {
  live: LiveView | undefined;
  /** The last poll's error, in words; cleared by the next good poll. */
  error = '';
  readonly frames = new Map<string, ScreenContent>();
  recent: RecentDecision[] = [];
  /** Each shelf label's current frame. */
  readonly labels = new LabelBook();
  readonly ws: WsController;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _abort: AbortController | undefined;
  private _role: ConsoleRole;
  private _connected = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly opts: LiveFeedOptions) {
    this._role = opts.role ?? 'console';
    this.ws = new WsController(host, { onFrame: (f) => this._onFrame(f) });
    host.addController(this);
  }

  hostConnected(): void {
    this._connected = true;
    this._configureSocket();
    void this._poll();
  }

  hostDisconnected(): void {
    this._connected = false;
    clearTimeout(this._timer);
    this._abort?.abort();
  }

  private _configureSocket(): void {
    const { token } = this.opts.api;
    const { storeId } = this.opts;
    const role = this._role;
    this.ws.configure({ url: this.opts.wsUrl || wsUrlFor(location), WebSocket: this.opts.WebSocket, dedupe: 'per-target',
      hello: () => ({ type: 'hello', role, token, storeId }) });
  }

  private async _poll(): Promise<void> {
    clearTimeout(this._timer);
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    try {
      this.live = LiveView.parse(await this.opts.api.live(this.opts.storeId, abort.signal));
      this.error = '';
    } catch (err) {
      if (abort.signal.aborted) return;
      this.error = explainError(err);
    }
    this.host.requestUpdate();
    if (this._connected) this._timer = setTimeout(() => void this._poll(), this.opts.pollMs ?? POLL_MS);
  }

  private _onFrame(f: ServerFrame): void {
    if (f.type === 'error' && f.code === 'ws.forbidden' && this._role === 'console' && !this.opts.role) {
      this._role = 'merchandiser'; // the token's role was not known: a merchandiser token says hello as one
      this._configureSocket();
      return;
    }
    if (f.type === 'welcome') { this.labels.welcome(f.serverTime); return; }
    if (f.type === 'label.update') {
      if (this.labels.apply(f)) this.host.requestUpdate();
      return;
    }
    if (f.type !== 'screen.content') return;
    this.frames.set(f.screenId, f);
    if (!this.recent.some((r) => r.frame.decisionId === f.decisionId && r.frame.screenId === f.screenId)) {
      this.recent = [{ at: f.createdAt ?? Date.now(), frame: f }, ...this.recent].sort((a, b) => b.at - a.at).slice(0, MAX_RECENT);
    }
    this.host.requestUpdate();
  }
}
