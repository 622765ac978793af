import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AlertClaimed, AlertVip, Claim, Impression, LabelUpdate, Release, Role, ScreenContent } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import type { StoreDirectory, TokenAuth } from './auth.js';
import type { RefusalReason } from './codes.js';

/**
 * The engine's metrics, plus the edge counter `wsRefused` (`aisle_ws_refused_total{reason}`) once
 * engine/platform/metrics.ts defines it; until then refusals are only logged.
 */
export type PushMetrics = Metrics & { wsRefused?: { inc(labels: { reason: RefusalReason }): void } };

export type HubOptions = {
  auth: TokenAuth;
  stores: StoreDirectory;
  clock: Clock;
  log: Logger;
  metrics?: PushMetrics;
  /** Server pings (protocol level) this often and drops sockets that miss 2 in a row. */
  heartbeatMs?: number;
  /** Sockets that have not said hello by then get `ws.hello_required` and are closed with 4408. Default 5 s (docs/contracts.md §WebSocket protocol). */
  helloTimeoutMs?: number;
  /**
   * Largest client message ws reads, in bytes; a bigger one closes the socket with 1009 before it is buffered.
   * Default MAX_WS_FRAME_BYTES (64 KiB): client frames are tiny (an impression of 24 SKUs is about 2 KB), and
   * this is also the memory one connection can make the engine hold for its input.
   */
  maxPayloadBytes?: number;
  /** Open sockets (with or without hello) above which an upgrade is answered 503. Default 10,000. */
  maxConnections?: number;
  /**
   * Open sockets per client address (counted from the upgrade, before hello: slow hellos count too); the excess
   * gets `ws.too_many_connections` and 4429. Default 256.
   */
  maxConnectionsPerAddress?: number;
  /**
   * Client addresses without the per-address bound (addresses or CIDR ranges). Default loopback
   * (`127.0.0.0/8`, `::1`): the bench and tests, and a reverse proxy on the same host that is not a trusted proxy.
   */
  exemptAddresses?: readonly string[];
  /**
   * Peers whose `X-Forwarded-For` is believed (addresses or CIDR ranges). Default none: X-Forwarded-For is NOT trusted,
   * since any client can send it; behind a proxy list the proxy here, or every client counts as the proxy's address.
   */
  trustedProxies?: readonly string[];
  /**
   * Bound sockets per token; a screen token counts per screen (a store-wide screen token serves many screens).
   * The excess hello gets `ws.too_many_connections` and 4429. Default 8: a screen has 1–2 during a reconnect.
   */
  maxConnectionsPerToken?: number;
  /**
   * Sustained client frames per second per socket (token bucket); excess frames are dropped with one
   * `ws.rate_limited` error frame per second at most. Default 20: a screen sends one impression per frame it
   * renders plus a ping every 15 s.
   */
  maxFramesPerSecond?: number;
  /** Bucket size: frames a client may send at once. Default 40 (a reconnect sends hello, an impression, a ping). */
  frameBurst?: number;
  /** A socket that has this many frames dropped in one flood is closed with `ws.rate_limited` and 4429. Default 200. */
  maxDroppedFrames?: number;
  /** Above this `bufferedAmount` the hub stops writing and keeps only the latest pending frame per target. */
  maxBufferedBytes?: number;
  /** Bound on distinct pending frames per socket (alerts are keyed per alertId); the oldest is dropped past it. */
  maxPendingFrames?: number;
  /** Upgrades for other paths are left untouched for other 'upgrade' listeners. Default `/ws`. */
  path?: string;
  /** How long close() waits for clients to answer the 1001 close before terminating them; refused sockets get as long. Default 2 s. */
  closeTimeoutMs?: number;
  onImpression?(storeId: string, f: Impression): void;
  /** An associate connected and was sent the store's open alerts (an audited view of those members' profiles). */
  onAlertsReplayed?(ctx: { storeId: string; associateId: string }, alertIds: readonly string[]): void;
  /** Open alerts kept per store for replay; the oldest is forgotten past it. Default 500. */
  maxOpenAlerts?: number;
  /** The alerts module decides who wins a claim (and whether a release is the holder's); the hub only forwards. */
  onClaim?(ctx: { storeId: string; associateId: string }, f: Claim | Release): void;
  /** A client was admitted and sent what the hub holds for it (several instances: another may hold the rest, docs/scale.md). */
  onJoined?(client: ClientInfo): void;
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
  /**
   * Latest-wins per screen; assigns the per-target seq; remembers it as the screen's current frame (for resume / late joiners).
   * Returns 0 if the frame was refused: its screen is not a screen of that store, or it is over MAX_WS_FRAME_BYTES.
   */
  sendScreen(storeId: string, frame: Omit<ScreenContent, 'seq'>): number;
  /** To the store's label-gateway connections; remembers the current frame per label. Returns 0 if refused (unknown store or label, too large). */
  sendLabel(storeId: string, frame: Omit<LabelUpdate, 'seq'>): number;
  /** To the store's associate connections only; never coalesced across alertIds. Dropped if the frame names another store. */
  sendAlert(storeId: string, frame: Omit<AlertVip, 'seq'>): void;
  sendClaimed(storeId: string, frame: Omit<AlertClaimed, 'seq'>): void;
  /**
   * An alert no longer open (its visit ended long enough ago): not replayed to associates who connect later.
   * Open alerts (their latest `alert.vip` and `alert.claimed`) are replayed to every associate on hello.
   */
  forgetAlert(storeId: string, alertId: string): void;
  current(storeId: string, screenId: string): ScreenContent | undefined;
  /** Each label's latest content in a store, seq excluded (another instance's gateways ask for it). */
  currentLabels(storeId: string): Omit<LabelUpdate, 'seq'>[];
  /** Whether a socket of this screen is connected to this hub. */
  holds(storeId: string, screenId: string): boolean;
  clients(): ClientInfo[];
  stats(): HubStats;
  /** Idempotent: stop accepting, close sockets with 1001 'going away', bounded by closeTimeoutMs. */
  close(): Promise<void>;
}
