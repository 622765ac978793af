import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter } from 'prom-client';
import { WebSocket, type ClientOptions } from 'ws';
import type { TokenEntry } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { silentLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { createTokenAuth } from './auth.js';
import { createHub } from './index.js';
import type { Hub, HubOptions } from './types.js';
import { refuseUpgrade, upgradePath } from './upgrade.js';

/** Test helpers for the hub: a real HTTP server on port 0 and real `ws` clients. Not used by the engine. */

export const T0 = 1_763_856_000_000;

export const TOKENS: TokenEntry[] = [
  { token: 'screen-coffee-1-token', role: 'screen', storeId: 's-001', subject: 'scr-coffee-1' },
  { token: 'screen-coffee-2-token', role: 'screen', storeId: 's-001', subject: 'scr-coffee-2' },
  { token: 'screen-any-s001-token', role: 'screen', storeId: 's-001' },
  { token: 'associate-ann-token-', role: 'associate', storeId: 's-001', subject: 'ann' },
  { token: 'associate-bob-s002-token', role: 'associate', storeId: 's-002', subject: 'bob' },
  { token: 'gateway-s001-token-', role: 'label-gateway', storeId: 's-001', subject: 'gw-1' },
  { token: 'console-everywhere-token', role: 'console', storeId: '*' },
  { token: 'screen-tea-1-s002-token', role: 'screen', storeId: 's-002', subject: 'scr-tea-1' },
  { token: 'gateway-s002-token-', role: 'label-gateway', storeId: 's-002', subject: 'gw-9' },
  { token: 'console-s001-only-token', role: 'console', storeId: 's-001' },
  { token: 'merchandiser-s001-token', role: 'merchandiser', storeId: 's-001' },
  // `*` tokens of every role: valid in every store, subject-free
  { token: 'screen-every-store-token', role: 'screen', storeId: '*' },
  { token: 'gateway-every-store-token', role: 'label-gateway', storeId: '*' },
  { token: 'associate-every-store-token', role: 'associate', storeId: '*' },
  { token: 'merchandiser-every-store-token', role: 'merchandiser', storeId: '*' },
];

const SCREENS: Record<string, string[]> = { 's-001': ['scr-coffee-1', 'scr-coffee-2'], 's-002': ['scr-tea-1'] };
const LABELS: Record<string, string[]> = { 's-001': ['L-1', 'L-2'], 's-002': ['L-9'] };

/** The engine's metrics plus `wsRefused`, which engine/platform/metrics.ts may not define yet. */
export type TestMetrics = ReturnType<typeof createMetrics> & { wsRefused: Counter<'reason'> };

function testMetrics(): TestMetrics {
  const m = createMetrics() as ReturnType<typeof createMetrics> & { wsRefused?: Counter<'reason'> };
  m.wsRefused ??= new Counter({ name: 'aisle_ws_refused_total', help: 'Connections and frames refused at the WebSocket edge, by reason',
    labelNames: ['reason'] as const, registers: [m.registry] });
  return m as TestMetrics;
}

/** The value of a labelled counter (0 when never incremented). */
export async function counterValue(c: Counter<string>, labels: Record<string, string>): Promise<number> {
  const v = (await c.get()).values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

export type Harness = {
  hub: Hub; url: string; port: number; clock: ReturnType<typeof manualClock>; metrics: TestMetrics;
  stop(): Promise<void>;
};

/** Starts a hub behind a real http server: `server.on('upgrade', hub.handleUpgrade)`. */
export async function startHub(overrides: Partial<HubOptions> = {}): Promise<Harness> {
  const clock = manualClock(T0);
  const metrics = testMetrics();
  const hub = createHub({
    auth: createTokenAuth(TOKENS),
    stores: {
      has: (s) => s in SCREENS,
      hasScreen: (s, id) => SCREENS[s]?.includes(id) ?? false,
      hasLabel: (s, id) => LABELS[s]?.includes(id) ?? false,
    },
    clock, log: silentLogger(), metrics, ...overrides,
  });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', hub.handleUpgrade);
  // What the engine's HTTP layer does for every other upgrade path (the hub leaves those alone): 404, then close.
  server.on('upgrade', (req, socket) => { if (upgradePath(req.url) !== '/ws') refuseUpgrade(socket, 404); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}/ws`;
  return {
    hub, url, port, clock, metrics,
    async stop() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFrame = Record<string, any> & { type: string };

/** A real ws client that records frames; `next()` consumes them in order. */
export class TestClient {
  readonly ws: WebSocket;
  readonly frames: AnyFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private cursor = 0;
  private wake: (() => void) | undefined;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (d) => { this.frames.push(JSON.parse(String(d)) as AnyFrame); this.wake?.(); });
    ws.on('error', () => { /* open() reports a failed upgrade; 'close' follows every error */ });
    this.closed = new Promise((r) => ws.on('close', (code, reason) => { r({ code, reason: String(reason) }); this.wake?.(); }));
  }

  /** Opens a socket; frames are recorded from the start (a refusal may arrive together with the upgrade answer). */
  static async open(url: string, options: ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { maxPayload: 1 << 20, ...options });
    const c = new TestClient(ws);
    await new Promise<void>((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return c;
  }

  /** Opens a socket and says hello; resolves with the client and its welcome. */
  static async hello(url: string, hello: Record<string, unknown>): Promise<{ c: TestClient; welcome: AnyFrame }> {
    const c = await TestClient.open(url);
    c.send({ type: 'hello', ...hello });
    const welcome = await c.next();
    if (welcome.type !== 'welcome') throw new Error(`expected welcome, got ${JSON.stringify(welcome)}`);
    return { c, welcome };
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** The next unread frame (optionally the next one matching `match`, skipping others). */
  async next(match: (f: AnyFrame) => boolean = () => true, timeoutMs = 2_000): Promise<AnyFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++]!;
        if (match(f)) return f;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) throw new Error('no matching frame');
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, Math.min(left, 50)); });
    }
  }

  /** Waits a little and returns the frames that arrived unread. */
  async drainFor(ms: number): Promise<AnyFrame[]> {
    await new Promise((r) => setTimeout(r, ms));
    const out = this.frames.slice(this.cursor);
    this.cursor = this.frames.length;
    return out;
  }

  /**
   * Sends `frame` (if any), then a ping, and returns every frame that arrived before its pong. Frames are written in
   * order, so this is a barrier: whatever the hub sent before it handled the ping has arrived. No sleeping.
   */
  async exchange(frame?: unknown): Promise<AnyFrame[]> {
    const t = ++TestClient.pings;
    const from = this.frames.length;
    if (frame !== undefined) this.send(frame);
    this.send({ type: 'ping', t });
    await this.next((f) => f.type === 'pong' && f.t === t);
    return this.frames.slice(from).filter((f) => !(f.type === 'pong' && f.t === t));
  }

  private static pings = 1_000_000;

  close(): void { this.ws.close(); }
}

/** Polls `check` until it holds (or fails after `timeoutMs`): for server-side state such as counters and socket counts. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
