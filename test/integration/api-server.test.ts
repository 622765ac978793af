import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../engine/api/index.js';
import { createHttpServer } from '../../engine/api/server.js';
import { systemClock } from '../../engine/platform/clock.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createMetrics } from '../../engine/platform/metrics.js';
import { createHub, createTokenAuth, type Hub } from '../../engine/push/index.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';
import { testStore, testTokens, uniqueId } from '../helpers/fixtures.js';
import { connectWs } from '../helpers/ws-client.js';

/** The real listener with the real API and WebSocket hub: what no HTTP input may do to it. */
describe('HTTP listener', () => {
  const storeId = uniqueId('t');
  const tokens = testTokens(storeId);
  let server: Server;
  let hub: Hub;
  let port: number;

  beforeAll(async () => {
    const stores = createStoreRegistry([testStore(storeId)]);
    const log = silentLogger();
    const auth = createTokenAuth(tokens);
    hub = createHub({ auth, stores, clock: systemClock, log });
    const api = createApi({ stores, metrics: createMetrics(), log, startedAt: 0, live: () => ({}), screenToken: () => undefined,
      ready: () => ({}), verify: (t) => auth.verify(t) });
    server = createHttpServer({ fetch: api.fetch, onUpgrade: hub.handleUpgrade, log, headersTimeoutMs: 500, requestTimeoutMs: 2000 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await hub?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** Raw bytes in; what came back, and whether (and when) the server closed the socket. */
  const raw = (data: string | Buffer, waitMs = 4000) => new Promise<{ text: string; closed: boolean; ms: number }>((resolve) => {
    const t0 = Date.now();
    const s = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => { s.destroy(); resolve({ text, closed: false, ms: Date.now() - t0 }); }, waitMs);
    s.on('data', (b) => { text += b.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); resolve({ text, closed: true, ms: Date.now() - t0 }); });
    s.write(data);
  });
  const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const upgrade = (target: string) => `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n`
    + 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
  const alive = async () => expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

  it('a screen still connects over /ws', async () => {
    const ws = await connectWs(port, { role: 'screen', token: `tok-screen-scr-kitchen-1-${storeId}`, storeId, screenId: 'scr-kitchen-1' });
    await ws.next((f) => f.type === 'welcome');
    await ws.close();
  });

  it('an upgrade to any other path is answered 404 and closed at once', async () => {
    const r = await raw(upgrade('/socket'));
    expect(r.closed).toBe(true);
    expect(r.ms).toBeLessThan(1000);
    expect(statusOf(r.text)).toBe(404);
  });

  it('an upgrade whose target is not a URL is answered 400; the hub never sees it and the process lives', async () => {
    for (const target of ['http://[', 'http://[::1/ws', 'http://exa mple/ws']) {
      const r = await raw(upgrade(target));
      expect(r.closed).toBe(true);
      expect(statusOf(r.text)).toBe(400);
    }
    await alive();
  });

  it('malformed requests get 400 JSON and a closed socket; the server keeps serving', async () => {
    for (const req of ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'GET / HTTP/9.9\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
      const r = await raw(req);
      expect(r.closed).toBe(true);
      expect(statusOf(r.text)).toBe(400);
      expect(r.text).toContain('"code":"http.bad_request"');
    }
    await alive();
  });

  it('a client that stops sending mid-headers or mid-body is cut off by the timeouts', async () => {
    const headers = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(headers.closed).toBe(true);
    expect(statusOf(headers.text)).toBe(408);
    const body = await raw(`PUT /api/v1/stores/${storeId} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-merch-${storeId}-xxx\r\n`
      + 'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"storeId":', 6000);
    expect(body.closed).toBe(true);
    expect(body.ms).toBeLessThan(5000);
  });

  it('a body over the limit is refused with 413 from its Content-Length, before it is sent', async () => {
    const r = await raw(`PUT /api/v1/stores/${storeId} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-merch-${storeId}-xxx\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(r.text)).toBe(413);
    expect(r.text).toContain('"code":"body.too_large"');
    expect(r.text).toContain('8 MiB');
  });

  it('anonymous callers are refused before their body is read', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/stores/${storeId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{'.repeat(10_000) });
    expect(r.status).toBe(401);
  });
});
