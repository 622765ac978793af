import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AlertClaimed, AlertVip, Claim, Impression, LabelUpdate, Role, ScreenContent } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import type { StoreDirectory, TokenAuth } from './auth.js';

export type HubOptions = {
  auth: TokenAuth;
  stores: StoreDirectory;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
  /** Server pings (protocol level) this often and drops sockets that miss 2 in a row. */
  heartbeatMs?: number;
  /** Sockets that have not said hello by then get `ws.hello_required` and are closed. */
  helloTimeoutMs?: number;
  /** Above this `bufferedAmount` the hub stops writing and keeps only the latest pending frame per target. */
  maxBufferedBytes?: number;
  /** Bound on distinct pending frames per socket (alerts are keyed per alertId); the oldest is dropped past it. */
  maxPendingFrames?: number;
  /** Upgrades for other paths are left untouched for other 'upgrade' listeners. Default `/ws`. */
  path?: string;
  /** How long close() waits for clients to answer the 1001 close before terminating them. */
  closeTimeoutMs?: number;
  onImpression?(storeId: string, f: Impression): void;
  /** The alerts module decides who wins a claim; the hub only forwards. */
  onClaim?(ctx: { storeId: string; associateId: string }, f: Claim): void;
};

/** A connected client, as /live and metrics see it. */
export type ClientInfo = { role: Role; storeId: string; target?: string };

/** Counters for tests and diagnostics. */
export type HubStats = {
  sockets: number; clients: number; pendingFrames: number; maxPendingPerSocket: number;
  /** Largest `bufferedAmount` of any socket right now: bounded by maxBufferedBytes plus one frame. */
  maxBufferedAmount: number;
};

export interface Hub {
  /** Attach to the HTTP server: `server.on('upgrade', hub.handleUpgrade)` (already bound). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Latest-wins per screen; assigns the per-target seq; remembers it as the screen's current frame (for resume / late joiners). Returns 0 if the frame was refused (over MAX_WS_FRAME_BYTES). */
  sendScreen(storeId: string, frame: Omit<ScreenContent, 'seq'>): number;
  /** To the store's label-gateway connections; remembers the current frame per label. Returns 0 if refused. */
  sendLabel(storeId: string, frame: Omit<LabelUpdate, 'seq'>): number;
  /** To the store's associate connections only; never coalesced across alertIds. */
  sendAlert(storeId: string, frame: Omit<AlertVip, 'seq'>): void;
  sendClaimed(storeId: string, frame: Omit<AlertClaimed, 'seq'>): void;
  current(storeId: string, screenId: string): ScreenContent | undefined;
  clients(): ClientInfo[];
  stats(): HubStats;
  /** Idempotent: stop accepting, close sockets with 1001 'going away', bounded by closeTimeoutMs. */
  close(): Promise<void>;
}
