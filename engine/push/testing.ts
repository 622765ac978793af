import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { TokenEntry } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { silentLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { createTokenAuth } from './auth.js';
import { createHub } from './index.js';
import type { Hub, HubOptions } from './types.js';

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
];

const SCREENS: Record<string, string[]> = { 's-001': ['scr-coffee-1', 'scr-coffee-2'], 's-002': ['scr-tea-1'] };

export type Harness = {
  hub: Hub; url: string; clock: ReturnType<typeof manualClock>; metrics: ReturnType<typeof createMetrics>;
  stop(): Promise<void>;
};

/** Starts a hub behind a real http server: `server.on('upgrade', hub.handleUpgrade)`. */
export async function startHub(overrides: Partial<HubOptions> = {}): Promise<Harness> {
  const clock = manualClock(T0);
  const metrics = createMetrics();
  const hub = createHub({
    auth: createTokenAuth(TOKENS),
    stores: { has: (s) => s in SCREENS, hasScreen: (s, id) => SCREENS[s]?.includes(id) ?? false },
    clock, log: silentLogger(), metrics, ...overrides,
  });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', hub.handleUpgrade);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  return {
    hub, url, clock, metrics,
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
    this.closed = new Promise((r) => ws.on('close', (code, reason) => { r({ code, reason: String(reason) }); this.wake?.(); }));
  }

  static async open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url, { maxPayload: 1 << 20 });
    await new Promise<void>((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return new TestClient(ws);
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

  close(): void { this.ws.close(); }
}
