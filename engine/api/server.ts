import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import { silentLogger, type Logger } from '../platform/log.js';

type Fetch = Parameters<typeof getRequestListener>[0];

export type HttpServerOptions = {
  /** The API (`createApi(...).fetch`). */
  fetch: Fetch;
  /** Takes WebSocket upgrades to `wsPath` (the hub's `handleUpgrade`); without it every upgrade is refused. */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  log?: Logger;
  /** The one path that may upgrade; default `/ws` (docs/contracts.md §WebSocket protocol). */
  wsPath?: string;
  /** Whole request line and headers within this; default 10 s (slow-header clients). */
  headersTimeoutMs?: number;
  /** Whole request, body included, within this; default 60 s (an 8 MiB store PUT at about 1 Mbit/s). */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this; default 5 s. */
  keepAliveTimeoutMs?: number;
  /** Request line plus headers; default 16 KiB. More gets 431. */
  maxHeaderBytes?: number;
};

/** A JSON error written straight to a socket (no request object exists yet), then the socket is closed. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (!socket.writable) { socket.destroy(); return; }
  const body = JSON.stringify({ error: { code, message } });
  // Closed once the answer is flushed, or after a second if the peer never reads it.
  const timer = setTimeout(() => socket.destroy(), 1000);
  timer.unref();
  socket.once('finish', () => { clearTimeout(timer); socket.destroy(); });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

const jsonResponse = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json' } });

/** The request target as a URL, or undefined when it is not one (e.g. `http://[`). */
export function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '', 'http://localhost');
  } catch {
    return undefined;
  }
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'http.headers_too_large', 'request line and headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'http.timeout', 'request not received in time'],
};

/**
 * The engine's HTTP listener (docs/security.md): the API for requests, the hub for WebSocket
 * upgrades to `/ws`, and nothing any client sends can throw out of it or keep a socket open:
 * malformed requests get 400 and a closed socket, other upgrade paths 404 at once, and slow
 * clients meet header, request and keep-alive timeouts.
 */
export function createHttpServer({ fetch, onUpgrade, log = silentLogger(), wsPath = '/ws', headersTimeoutMs = 10_000,
  requestTimeoutMs = 60_000, keepAliveTimeoutMs = 5_000, maxHeaderBytes = 16 * 1024 }: HttpServerOptions): Server {
  const requestTimeout = Math.max(requestTimeoutMs, headersTimeoutMs);
  // What createAdaptorServer builds (node:http + the adapter's request listener), plus the listener's
  // errorHandler, which createAdaptorServer does not pass on: a request the adapter cannot even turn
  // into a Request (target not a URL, bad Host) gets a JSON 400 instead of an empty one.
  const listener = getRequestListener(fetch, { errorHandler: (err) => {
    if (err instanceof RequestError) return jsonResponse(400, 'http.bad_request', `bad request: ${err.message}`);
    log.error({ err }, 'request failed before the API');
    return jsonResponse(500, 'internal', 'internal error');
  } });
  const server = createServer({
    headersTimeout: headersTimeoutMs, requestTimeout, maxHeaderSize: maxHeaderBytes, keepAliveTimeout: keepAliveTimeoutMs,
    // Node checks the two timeouts only this often (default 30 s).
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeoutMs / 2))),
  }, listener);
  server.keepAliveTimeout = keepAliveTimeoutMs;

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    try {
      const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent ?? false;
      if (err.code === 'ECONNRESET' || started) { socket.destroy(); return; }
      const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'http.bad_request', 'malformed request'];
      log.debug({ code: err.code, status }, 'client error');
      refuse(socket, status, code, message);
    } catch (e) {
      log.warn({ err: e }, 'clientError handling failed');
      socket.destroy();
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      // The HTTP server has let go of this socket, its error listener included: an unheard error would stop the process.
      socket.on('error', (err) => log.debug({ err: err.message }, 'upgrade socket error'));
      const url = parseTarget(req.url);
      if (!url) { refuse(socket, 400, 'http.bad_request', 'request target is not a valid URL'); return; }
      if (url.pathname !== wsPath || !onUpgrade) {
        refuse(socket, 404, 'not_found', `no WebSocket endpoint at ${url.pathname.slice(0, 100)}`);
        return;
      }
      onUpgrade(req, socket, head);
    } catch (err) {
      log.error({ err }, 'upgrade handling failed');
      socket.destroy();
    }
  });
  return server;
}
