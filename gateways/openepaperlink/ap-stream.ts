/**
 * The access point's WebSocket (`ws://<ap>/ws`), read for tag records: every text message goes to `onMessage`. The AP
 * answers protocol pings, so a ping every 20 s tells a dead connection from a quiet one; a dropped connection is made
 * again with a growing backoff. `onOpen` runs on every (re)connect.
 */
import WebSocket from 'ws';
import type { Logger } from '../../engine/platform/log.js';
import { MAX_AP_MESSAGE_BYTES } from './frames.js';
import { closeSocket } from '../kit/close-socket.js';

export type ApStreamOptions = {
  url: string;
  log: Logger;
  onMessage(text: string): void;
  onOpen?(): void;
  onConnected?(up: boolean): void;
  backoff?: { minMs: number; maxMs: number };
  pingMs?: number;
};

export function connectApStream(o: ApStreamOptions) {
  const minMs = o.backoff?.minMs ?? 500;
  const maxMs = o.backoff?.maxMs ?? 30_000;
  const pingMs = o.pingMs ?? 20_000;
  let ws: WebSocket | undefined;
  let closed = false;
  let wait = minMs;
  let retry: NodeJS.Timeout | undefined;
  let pinger: NodeJS.Timeout | undefined;
  let up = false;

  const setUp = (v: boolean) => { if (v !== up) { up = v; o.onConnected?.(v); } };

  function open(): void {
    if (closed) return;
    // A frame far over what the AP ever sends is refused by the socket itself.
    const sock = new WebSocket(o.url, { maxPayload: 4 * MAX_AP_MESSAGE_BYTES, handshakeTimeout: 10_000 });
    ws = sock;
    let alive = true;
    sock.on('open', () => {
      wait = minMs;
      setUp(true);
      o.log.info('access point stream connected');
      pinger = setInterval(() => {
        if (!alive) { o.log.warn('access point silent; reconnecting'); sock.terminate(); return; }
        alive = false;
        try { sock.ping(); } catch { /* closing */ }
      }, pingMs);
      o.onOpen?.();
    });
    sock.on('pong', () => { alive = true; });
    sock.on('message', (data, isBinary) => {
      alive = true;
      if (!isBinary) o.onMessage(String(data));
    });
    sock.on('error', (err) => { o.log.debug({ err: err.message }, 'access point socket error'); });
    sock.on('close', (code) => {
      clearInterval(pinger);
      setUp(false);
      if (closed) return;
      const delay = wait;
      wait = Math.min(maxMs, wait * 2);
      o.log.info({ code, retryInMs: delay }, 'access point stream closed');
      retry = setTimeout(open, delay);
    });
  }

  open();
  return {
    connected: () => up,
    close(): Promise<void> {
      closed = true;
      clearTimeout(retry);
      clearInterval(pinger);
      return closeSocket(ws);
    },
  };
}
export type ApStream = ReturnType<typeof connectApStream>;
