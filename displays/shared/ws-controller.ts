/**
 * @module shared/ws-controller
 * Lit ReactiveController around `AisleWsClient`: connects while the host is in the document,
 * re-renders the host on status changes and forwards frames to a callback.
 *
 * Lifecycle: `hostConnected` → `connect()` (if `configure()` gave it a client config);
 * `hostDisconnected` → `close()`. Call `configure()` again when the target changes.
 *
 * @example
 * private ws = new WsController(this, { onFrame: (f) => this._onFrame(f) });
 * // later, when the element knows its ids:
 * this.ws.configure({ url, hello: (resumeSeq) => ({ type: 'hello', role: 'screen', ... , resumeSeq }) });
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientFrame, ErrorFrame, ServerFrame } from './contracts.js';
import { AisleWsClient, ConnectionStatus, type WsClientOptions } from './ws-client.js';

export interface WsControllerOptions {
  onFrame?: (frame: ServerFrame) => void;
  onStatus?: (status: ConnectionStatus) => void;
}

export class WsController implements ReactiveController {
  /** Current connection status; the host re-renders when it changes. */
  status: ConnectionStatus = ConnectionStatus.IDLE;
  /** The last `error` frame from the server, if any. */
  lastError: ErrorFrame | undefined;

  private _client: AisleWsClient | undefined;
  private _unsubscribe: Array<() => void> = [];
  private _hostConnected = false;
  private _live = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly opts: WsControllerOptions = {}) {
    host.addController(this);
  }

  get client(): AisleWsClient | undefined {
    return this._client;
  }

  /**
   * (Re)creates the client; it connects while the host is connected unless `live` is false
   * (a detached client that only takes frames through `receive()`). `undefined` disconnects.
   */
  configure(options: WsClientOptions | undefined, live = true): void {
    this._dispose();
    if (!options) return;
    const client = new AisleWsClient(options);
    this._client = client;
    this._live = live;
    this._unsubscribe = [
      client.on('frame', (f) => this.opts.onFrame?.(f)),
      client.on('error', (e) => { this.lastError = e; this.host.requestUpdate(); }),
      client.on('status', (s) => this._setStatus(s)),
    ];
    if (this._hostConnected && live) client.connect();
  }

  /** Sends a client frame if online; returns false otherwise. */
  send(frame: ClientFrame): boolean {
    return this._client?.send(frame) ?? false;
  }

  /**
   * Feeds a server frame as if it came from the socket (validated and de-duplicated the same way).
   * Used by tests and by the demo mode; without a configured client the frame is validated here.
   */
  receive(raw: unknown): void {
    if (!this._client) this.configure({ url: 'about:blank', hello: () => { throw new Error('detached'); } }, false);
    this._client!.receive(raw);
  }

  /** Overrides the status (tests, demo): e.g. `setStatus('offline')` shows the offline indicator. */
  setStatus(status: ConnectionStatus): void {
    this._setStatus(status);
  }

  hostConnected(): void {
    this._hostConnected = true;
    if (this._live) this._client?.connect();
  }

  hostDisconnected(): void {
    this._hostConnected = false;
    this._client?.close();
  }

  private _setStatus(s: ConnectionStatus): void {
    if (s === this.status) return;
    this.status = s;
    this.opts.onStatus?.(s);
    this.host.requestUpdate();
  }

  private _dispose(): void {
    for (const off of this._unsubscribe) off();
    this._unsubscribe = [];
    this._client?.close();
    this._client = undefined;
    this.lastError = undefined;
  }
}
