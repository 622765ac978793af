/**
 * The bridge's side of the engine (docs/contracts.md §WebSocket protocol): a WebSocket to the engine's `/ws`, `hello`
 * as `label-gateway` with the gateway token and no gatewayId (the engine binds the connection to the token's subject and
 * refuses a hello naming another), `resumeSeq` once frames were seen. After `welcome` the engine sends every label's
 * current frame, then each new one; every `label.update` is checked against the contract before it is used. The
 * connection is watched (the engine pings every `heartbeatMs`) and made again with a growing backoff when it drops.
 */
import WebSocket from 'ws';
import { ErrorFrame, LabelUpdate, MAX_WS_FRAME_BYTES, parseUntrusted, Welcome } from '#contracts';
import type { Logger } from '../../engine/platform/log.js';
import { closeSocket } from '../kit/close-socket.js';

export type EngineLinkOptions = {
  /** ws(s)://…/ws */
  url: string;
  token: string;
  storeId: string;
  log: Logger;
  onLabel(label: LabelUpdate): void;
  onInvalid?(detail: string): void;
  onConnected?(up: boolean): void;
  /** Reconnect backoff: first wait and cap (ms). Default 500 and 30,000. */
  backoff?: { minMs: number; maxMs: number };
};

/** Close codes that mean the hello itself was refused: trying again at once will not help. */
const REFUSED = new Set([4400, 4401, 4403, 4404, 4429]);

export function connectEngine(o: EngineLinkOptions) {
  const minMs = o.backoff?.minMs ?? 500;
  const maxMs = o.backoff?.maxMs ?? 30_000;
  let ws: WebSocket | undefined;
  let closed = false;
  let wait = minMs;
  let lastSeq = 0;
  let retry: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let lastHeard = Date.now();
  let up = false;
  /** Engine clock minus ours, from the welcome (ms). */
  let clockOffset = 0;

  const setUp = (v: boolean) => { if (v !== up) { up = v; o.onConnected?.(v); } };

  function open(): void {
    if (closed) return;
    const sock = new WebSocket(o.url, { maxPayload: MAX_WS_FRAME_BYTES, handshakeTimeout: 10_000 });
    ws = sock;
    lastHeard = Date.now();
    sock.on('open', () => {
      const hello: Record<string, unknown> = { type: 'hello', role: 'label-gateway', token: o.token, storeId: o.storeId };
      if (lastSeq > 0) hello.resumeSeq = lastSeq;
      sock.send(JSON.stringify(hello));
    });
    sock.on('ping', () => { lastHeard = Date.now(); });
    sock.on('message', (data, isBinary) => {
      lastHeard = Date.now();
      if (isBinary) return;
      let json: unknown;
      try { json = JSON.parse(String(data)); } catch { o.onInvalid?.('not JSON'); return; }
      const type = (json as { type?: unknown })?.type;
      if (type === 'label.update') {
        const r = parseUntrusted(LabelUpdate, json);
        if (!r.success) {
          const issue = r.error.issues[0];
          o.onInvalid?.(`${issue?.path.join('.') || 'frame'}: ${issue?.message ?? 'invalid'}`);
          return;
        }
        lastSeq = Math.max(lastSeq, r.data.seq);
        o.onLabel(r.data);
      } else if (type === 'welcome') {
        const w = parseUntrusted(Welcome, json);
        if (!w.success) return;
        wait = minMs;
        clockOffset = w.data.serverTime - Date.now();
        setUp(true);
        o.log.info({ target: w.data.target }, 'engine connected');
        clearInterval(watchdog);
        const every = w.data.heartbeatMs;
        watchdog = setInterval(() => {
          if (Date.now() - lastHeard > every * 2.5) {
            o.log.warn('engine silent; reconnecting');
            sock.terminate();
          }
        }, Math.max(250, Math.floor(every / 2)));
      } else if (type === 'error') {
        const e = parseUntrusted(ErrorFrame, json);
        o.log.warn({ code: e.success ? e.data.code : 'unknown', message: e.success ? e.data.message.slice(0, 200) : undefined }, 'engine error');
      }
    });
    sock.on('error', (err) => { o.log.debug({ err: err.message }, 'engine socket error'); });
    sock.on('close', (code) => {
      clearInterval(watchdog);
      setUp(false);
      if (closed) return;
      if (REFUSED.has(code)) {
        o.log.error({ code }, 'engine refused the hello (check oepl.token and storeId)');
        wait = maxMs;
      }
      const delay = wait;
      wait = Math.min(maxMs, wait * 2);
      o.log.info({ code, retryInMs: delay }, 'engine connection closed');
      retry = setTimeout(open, delay);
    });
  }

  open();
  return {
    connected: () => up,
    /** The engine's time now, by the clock offset of the last welcome. */
    engineNow: () => Date.now() + clockOffset,
    /** Drops the connection as if the network had (tests, reconnect). */
    drop(): void { ws?.terminate(); },
    close(): Promise<void> {
      closed = true;
      clearTimeout(retry);
      clearInterval(watchdog);
      return closeSocket(ws);
    },
  };
}
export type EngineLink = ReturnType<typeof connectEngine>;
