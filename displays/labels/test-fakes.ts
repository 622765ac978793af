/**
 * @module labels/test-fakes
 * Browser tests only (never imported by app code): an in-page stand-in for the engine's side of a label gateway's
 * socket (it answers `hello` like the hub: `welcome` and every label's current frame, or an error for a refused
 * token), a stubbed `fetch` for the store's player view, sample frames and a memory `Storage`. Browser tests cannot
 * start the engine; test/e2e/labels.test.ts drives the real one.
 */
import { vi } from 'vitest';
import { FakeSocket } from '../shared/testing.js';
import type { LabelUpdate } from '../shared/label-svg.js';
import { until, memoryStorage } from '../shared/testing.js';
export { until, memoryStorage };

export const STORE_ID = 's-042';
export const GATEWAY_TOKEN = 'lgw_test-token-0123456789';

/** The player view a label-gateway token reads: zones with names, each label's zone (no prices, no screens). */
export function playerView(over: Record<string, unknown> = {}) {
  return {
    storeId: STORE_ID, name: 'Riverside', currency: 'GBP', timezone: 'Europe/London',
    catalog: [{ sku: 'SKU-1', category: 'candles' }],
    zones: [{ zoneId: 'z-entrance', name: 'Entrance' }, { zoneId: 'z-candles', name: 'Candles & Home' }, { zoneId: 'z-empty', name: 'Garden' }],
    labels: [{ labelId: 'L-1', zoneId: 'z-candles' }, { labelId: 'L-2', zoneId: 'z-entrance' }, { labelId: 'L-3', zoneId: 'z-candles' }],
    ...over,
  };
}

const NAMES: Record<string, [string, string, number, number?]> = {
  'L-1': ['SKU-14', 'Vanilla Pillar Candle', 4.5],
  'L-2': ['SKU-03', 'Enamel Mug, Sage', 5.25],
  'L-3': ['SKU-11', 'Fig & Cassis Candle 200g', 12, 9.5],
};

/** A label's base frame (catalog name and price, no member price), as the engine sends it. */
export function labelFrame(labelId: string, seq: number, over: Partial<LabelUpdate> = {}): LabelUpdate {
  const [sku, name, price] = NAMES[labelId] ?? ['SKU-99', `Item ${labelId}`, 1];
  return { type: 'label.update', seq, labelId, sku, name, price, currency: 'GBP', locale: 'en-GB', updatedAt: Date.now(), ...over };
}

/** The same label near a consenting shopper: member price, "Member price", and (by default) a green flash for 5 s. */
export function personalFrame(labelId: string, seq: number, over: Partial<LabelUpdate> = {}): LabelUpdate {
  const memberPrice = NAMES[labelId]?.[3] ?? 0.5;
  return labelFrame(labelId, seq, { mode: 'personal', memberPrice, promo: 'Member price', flash: { color: 'green', durationMs: 5000 }, ...over });
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Stubs `fetch` like the engine answers a label-gateway token: the store list and the player view (or `viewStatus`). */
export function stubStoreApi(opts: { view?: unknown; viewStatus?: number; stores?: unknown[] } = {}) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input), location.origin).pathname;
    const auth = new Headers(init?.headers).get('authorization');
    if (auth !== `Bearer ${GATEWAY_TOKEN}`) return json({ error: { code: 'auth.invalid', message: 'unknown token' } }, 401);
    if (path === '/api/v1/stores') return json(opts.stores ?? [{ storeId: STORE_ID, name: 'Riverside', zones: 3, screens: 0 }]);
    if (path === `/api/v1/stores/${STORE_ID}`) {
      return opts.viewStatus ? json({ error: { code: 'auth.forbidden', message: 'no' } }, opts.viewStatus) : json(opts.view ?? playerView());
    }
    return json({ error: { code: 'store.not_found', message: 'no store' } }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

/**
 * A WebSocket stand-in that answers like the engine's hub for a label gateway: it opens at once; a `hello` with the
 * good token gets `welcome` and then `current` (every label's current frame, as the hub replays them); another token
 * gets `ws.unauthorized` and a close. `push()` sends a frame to the open socket.
 */
export function gatewaySocket(current: () => LabelUpdate[] = () => []) {
  const sockets: GatewaySocket[] = [];
  let serverTime = () => Date.now();
  class GatewaySocket extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      setTimeout(() => this.open(), 0);
    }
    override send(data: string): void {
      super.send(data);
      const f = JSON.parse(data) as { type: string; token?: string; storeId?: string; t?: number };
      if (f.type === 'ping') { this.message({ type: 'pong', t: f.t, serverTime: serverTime() }); return; }
      if (f.type !== 'hello') return;
      setTimeout(() => {
        if (f.token !== GATEWAY_TOKEN) {
          this.message({ type: 'error', code: 'ws.unauthorized', message: 'unknown token' });
          this.serverClose();
          return;
        }
        this.message({ type: 'welcome', role: 'label-gateway', storeId: f.storeId, seq: 0, heartbeatMs: 15_000, serverTime: serverTime() });
        for (const frame of current()) this.message(frame);
      }, 0);
    }
  }
  return {
    WebSocket: GatewaySocket as unknown as new (url: string) => WebSocket,
    sockets,
    /** The engine's clock as the welcome tells it. */
    setServerTime(fn: () => number) { serverTime = fn; },
    get live(): GatewaySocket | undefined { return sockets.filter((s) => s.readyState === 1 && !s.closedByClient).at(-1); },
    push(frame: object) { this.live!.message(frame); },
  };
}


