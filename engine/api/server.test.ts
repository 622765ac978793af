import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createHttpServer, parseTarget, type HttpServerOptions } from './server.js';

const app = new Hono();
app.get('/hello', (c) => c.json({ ok: true }));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function start(o: Partial<HttpServerOptions> = {}): Promise<number> {
  server = createHttpServer({ fetch: app.fetch, ...o });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Sends raw bytes; resolves with everything received and how long until the server closed the socket. */
function raw(port: number, data: string, { waitMs = 5000, end = false } = {}): Promise<{ text: string; closedAfterMs: number; closed: boolean }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => { s.destroy(); resolve({ text, closedAfterMs: Date.now() - t0, closed: false }); }, waitMs);
    s.on('data', (b) => { text += b.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); resolve({ text, closedAfterMs: Date.now() - t0, closed: true }); });
    s.write(data);
    if (end) s.end();
  });
}
const status = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
const body = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };

describe('createHttpServer', () => {
  it('serves the API', async () => {
    const port = await start();
    const r = await fetch(`http://127.0.0.1:${port}/hello`);
    expect(await r.json()).toEqual({ ok: true });
  });

  it('answers a malformed request line or header with 400 JSON and closes the socket', async () => {
    const port = await start();
    for (const req of ['NOT A REQUEST\r\n\r\n', 'GET /hello HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 'GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n']) {
      const r = await raw(port, req);
      expect(r.closed).toBe(true);
      expect(status(r.text)).toBe(400);
      expect(body(r.text).error.code).toBe('http.bad_request');
    }
  });

  it('answers oversized headers with 431', async () => {
    const port = await start({ maxHeaderBytes: 1024 });
    const r = await raw(port, `GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4000)}\r\n\r\n`);
    expect(status(r.text)).toBe(431);
    expect(r.closed).toBe(true);
  });

  it('answers a request the adapter cannot read (target not a URL, bad Host) with 400 JSON, not a 500', async () => {
    const port = await start();
    for (const req of ['GET http://[ HTTP/1.1\r\nHost: x\r\n', 'GET /hello HTTP/1.1\r\nHost: a b\r\n', 'GET /a\\b HTTP/1.1\r\nHost: x\r\n']) {
      const r = await raw(port, `${req}Connection: close\r\n\r\n`);
      expect(status(r.text)).toBe(400);
      expect(body(r.text).error.code).toBe('http.bad_request');
    }
  });

  it('closes a connection whose headers never finish (slow headers) with 408', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const r = await raw(port, 'GET /hello HTTP/1.1\r\nHost: x\r\n');
    expect(r.closed).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(2000);
    expect(status(r.text)).toBe(408);
  });

  it('refuses upgrades to any path but /ws at once, and invalid targets with 400, without calling the hub', async () => {
    const onUpgrade = vi.fn();
    const port = await start({ onUpgrade });
    const up = (target: string) => `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    const other = await raw(port, up('/elsewhere'));
    expect(other.closed).toBe(true);
    expect(other.closedAfterMs).toBeLessThan(1000);
    expect(status(other.text)).toBe(404);
    expect(body(other.text).error.code).toBe('not_found');
    for (const target of ['http://[', 'http://a b/ws']) {
      const bad = await raw(port, up(target));
      expect(bad.closed).toBe(true);
      expect(status(bad.text)).toBe(400);
    }
    const h2c = await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n');
    expect(status(h2c.text)).toBe(404);
    expect(onUpgrade).not.toHaveBeenCalled();
  });

  it('hands /ws upgrades to the hub, with or without a query', async () => {
    const wss = new WebSocketServer({ noServer: true });
    wss.on('connection', (ws) => ws.send('welcome'));
    const port = await start({ onUpgrade: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)) });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?x=1`);
    const first = await new Promise<string>((resolve, reject) => { ws.on('message', (m) => resolve(String(m))); ws.on('error', reject); });
    expect(first).toBe('welcome');
    ws.close();
    wss.close();
  });

  it('survives a hub that throws: the socket is closed, the server keeps serving', async () => {
    const port = await start({ onUpgrade: () => { throw new Error('boom'); } });
    const r = await raw(port, 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(r.closed).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/hello`)).status).toBe(200);
  });

  it('survives a client that resets right after asking for an upgrade', async () => {
    const port = await start({ onUpgrade: () => {} });
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write('GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
        s.resetAndDestroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`http://127.0.0.1:${port}/hello`)).status).toBe(200);
  });
});

describe('parseTarget', () => {
  it('parses origin- and absolute-form targets and refuses what is not a URL', () => {
    expect(parseTarget('/ws?token=x')?.pathname).toBe('/ws');
    expect(parseTarget('http://host/ws')?.pathname).toBe('/ws');
    expect(parseTarget('http://[')).toBeUndefined();
  });
});
