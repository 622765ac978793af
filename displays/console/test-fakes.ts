/**
 * @module console/test-fakes
 * Browser tests only (never imported by app code): a scriptable stand-in for the engine's HTTP API, stubbed
 * in as `fetch`, with a small German store (prices read "8,90 €"). Browser tests cannot start the engine;
 * test/e2e/console.test.ts drives the real one.
 */
import { vi } from 'vitest';
import { FakeSocket } from '../shared/testing.js';
import { until } from '../shared/testing.js';
export { until };

export const STORE_ID = 's-test';
export const CONSOLE_TOKEN = 'tok-console-0123456789';
export const MERCH_TOKEN = 'tok-merch-0123456789ab';

export function testStoreConfig(extraZone: Record<string, unknown> = {}) {
  const item = (sku: string, name: string, category: string, price: number, extra = {}) => ({ sku, name, category, brand: '', price, inStock: true, ...extra });
  return {
    storeId: STORE_ID, name: 'Markthalle Mitte', currency: 'EUR', timezone: 'Europe/Berlin', locale: 'de-DE',
    zones: [
      { zoneId: 'z-entrance', name: 'Eingang', categories: ['coffee'], ...extraZone },
      { zoneId: 'z-coffee', name: 'Kaffee & Tee', categories: ['coffee', 'tea'] },
      { zoneId: 'z-wine', name: 'Weinkeller', categories: ['wine'] },
    ],
    screens: [
      { screenId: 'scr-entrance-1', zoneId: 'z-entrance', slots: 4, template: 'hero' },
      { screenId: 'scr-coffee-1', zoneId: 'z-coffee', slots: 4, template: 'grid' },
      { screenId: 'scr-coffee-2', zoneId: 'z-coffee', slots: 4, template: 'grid' },
      { screenId: 'scr-wine-1', zoneId: 'z-wine', slots: 4 },
    ],
    labels: [{ labelId: 'L-1', sku: 'SKU-1', zoneId: 'z-coffee' }],
    catalog: [
      item('SKU-1', 'Ethiopia Yirgacheffe 250g', 'coffee', 8.9, { memberPrice: 7.9 }),
      item('SKU-2', 'Colombia Huila 500g', 'coffee', 14.5),
      item('SKU-3', 'Earl Grey Loose Leaf', 'tea', 5.2),
      item('SKU-4', 'Riesling Trocken 2022', 'wine', 11),
      item('SKU-5', 'Espresso Cups, Set of 2', 'kitchen', 19.95),
      item('SKU-6', 'Milk Frother', 'kitchen', 24),
    ],
  };
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
export const apiError = (status: number, code: string, message: string, issues?: unknown[]) =>
  json({ error: { code, message, ...(issues ? { issues } : {}) } }, status);

/** A rule as the API stores it (loosely typed: tests build odd ones on purpose). */
export type StoredRule = { ruleId: string; name: string; version: number; enabled: boolean; [k: string]: unknown };

export function storedRule(over: Record<string, unknown> = {}): StoredRule {
  return { ruleId: 'r-1', name: 'Coffee mornings', enabled: true, priority: 100, target: { stores: [STORE_ID], zones: ['z-coffee'] },
    actions: { pin: ['SKU-1'] }, version: 1, updatedAt: 1_760_000_000_000, updatedBy: 'merch', ...over };
}

export function previewAnswer(screenId = 'scr-coffee-1', over: { rules?: unknown[]; items?: unknown[]; mode?: string; headline?: string } = {}) {
  return {
    storeId: STORE_ID, zoneId: 'z-coffee', at: Date.now(), locale: 'de-DE',
    screens: [{
      screenId, mode: over.mode ?? 'idle', ranker: 'heuristic',
      frame: { type: 'screen.content', screenId, decisionId: 'dec-preview', reason: over.mode ?? 'idle', template: 'grid', ttlMs: 30_000,
        headline: over.headline ?? 'Das Beste aus Kaffee & Tee', currency: 'EUR', locale: 'de-DE',
        items: [{ sku: 'SKU-1', name: 'Ethiopia Yirgacheffe 250g', price: 8.9, memberPrice: 7.9 }, { sku: 'SKU-2', name: 'Colombia Huila 500g', price: 14.5 }] },
      items: over.items ?? [{ sku: 'SKU-1', score: 0.9, why: ['popular in this zone', 'pinned (r-1)'], rules: ['r-1'] }, { sku: 'SKU-2', score: 0.5, why: ['popular in this zone'], rules: [] }],
      rules: over.rules ?? [{ ruleId: 'r-1', name: 'Coffee mornings', status: 'matched', why: 'all conditions hold', effects: ['pinned SKU-1'] }],
    }],
  };
}

export type Handler = (req: { method: string; path: string; url: URL; body: unknown; headers: Headers }) => Response | Promise<Response> | undefined;

/** Stubs `fetch`: each call goes to the first handler that answers; unanswered calls are a 404 like the engine's. */
export function stubApi(...handlers: Handler[]) {
  const calls: Array<{ method: string; path: string; body: unknown; auth: string | null }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), location.origin);
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) as unknown : undefined;
    calls.push({ method, path: url.pathname + url.search, body, auth: headers.get('authorization') });
    for (const h of handlers) {
      const r = await h({ method, path: url.pathname, url, body, headers });
      if (r) return r;
    }
    return apiError(404, 'not_found', `no route ${method} ${url.pathname}`);
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, calls, callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path.split('?')[0] === path) };
}

/** The store routes a console token reads. */
export const storeRoutes = (config = testStoreConfig(), live?: () => unknown): Handler => ({ method, path }) => {
  if (method !== 'GET') return undefined;
  if (path === '/api/v1/stores') return json([{ storeId: STORE_ID, name: config.name, zones: config.zones.length, screens: config.screens.length }]);
  if (path === `/api/v1/stores/${STORE_ID}`) return json(config);
  if (path === `/api/v1/stores/${STORE_ID}/live`) return json(live?.() ?? liveAnswer());
  return undefined;
};

export function liveAnswer(shoppers: Record<string, number> = { 'z-entrance': 2, 'z-coffee': 5, 'z-wine': 0 }) {
  const cfg = testStoreConfig();
  return {
    storeId: STORE_ID, at: Date.now(),
    zones: cfg.zones.map((z) => ({ zoneId: z.zoneId, name: z.name, shoppers: shoppers[z.zoneId] ?? 0, identified: z.zoneId === 'z-coffee' ? 1 : 0 })),
    screens: cfg.screens.map((s) => ({ screenId: s.screenId, zoneId: s.zoneId, online: s.screenId !== 'scr-wine-1',
      current: s.screenId === 'scr-wine-1' ? undefined : { decisionId: `dec-${s.screenId}`, reason: 'idle', seq: 1, skus: ['SKU-4'] } })),
    labels: { configured: 1, gatewaysOnline: 1 },
    clients: { screen: 3, 'label-gateway': 1, associate: 0, console: 1, merchandiser: 0 },
  };
}


/**
 * A WebSocket stand-in that answers like the engine's hub: it opens at once, and answers `hello` with a
 * `welcome` when the hello names `role` (the token's role), else `ws.forbidden`. Then frames can be pushed.
 */
export function engineSocket(role: 'console' | 'merchandiser') {
  const sockets: EngineSocket[] = [];
  class EngineSocket extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      setTimeout(() => this.open(), 0);
    }
    override send(data: string): void {
      super.send(data);
      const f = JSON.parse(data) as { type: string; role?: string; storeId?: string };
      if (f.type !== 'hello') return;
      setTimeout(() => {
        if (f.role === role) this.message({ type: 'welcome', role, storeId: f.storeId, seq: 0, heartbeatMs: 15_000, serverTime: Date.now() });
        else { this.message({ type: 'error', code: 'ws.forbidden', message: 'token role does not match' }); this.serverClose(); }
      }, 0);
    }
  }
  return { WebSocket: EngineSocket as unknown as new (url: string) => WebSocket, sockets,
    /** The socket that was welcomed (the live feed's). */
    get live(): EngineSocket | undefined { return sockets.filter((s) => s.sentOfType('hello').some((h) => h['role'] === role) && !s.closedByClient).at(-1); } };
}

/**
 * `GET /api/v1/models` as the engine lists it, newest first: a version that failed to load, the serving one
 * (29 Nov) and an older one on disk (23 Nov). `n` keeps the first n of the two loadable ones (plus the failed one with `failed`).
 */
export function modelVersionsAnswer(opts: { n?: number; failed?: boolean } = {}) {
  const quality = (ndcg10: number, recall10: number) => ({ cutoff: '2011-11-01', ndcg10, recall10, gatePassed: true });
  const loadable = [
    { name: 'ranker', version: '20261129-124537', createdAt: '2026-11-29T12:45:37.289Z', use: 'serving', quality: quality(0.2989, 0.1883) },
    { name: 'ranker', version: '20261123-111256', createdAt: '2026-11-23T11:12:56.835Z', use: 'available', quality: quality(0.2983, 0.1866) },
  ].slice(0, opts.n ?? 2);
  const failed = { name: 'ranker', version: '20261206-080000', createdAt: '2026-12-06T08:00:00.000Z', use: 'failed', reason: 'checksum mismatch: model.onnx' };
  return opts.failed === false ? loadable : [failed, ...loadable];
}

/** The model versions route (console and merchandiser tokens). */
export const modelRoutes = (versions: unknown[] = modelVersionsAnswer()): Handler => ({ method, path }) =>
  (method === 'GET' && path === '/api/v1/models' ? json(versions) : undefined);
