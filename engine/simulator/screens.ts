import { WebSocket } from 'ws';
import { closeSocket } from '../../gateways/kit/close-socket.js';
import { parseUntrusted } from '../contracts/parse.js';
import type { TokenEntry } from '../contracts/tokens.js';
import { ScreenContent, type Impression } from '../contracts/ws.js';
import type { Clock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/log.js';

/** One screen the simulator plays: its id and a screen token that opens it. */
export type PlayedScreen = { screenId: string; token: string };

export type ScreenPlayersOptions = {
  /** The engine's HTTP address (`http://127.0.0.1:8080`); the sockets go to its `/ws`. */
  url: string;
  storeId: string;
  screens: readonly PlayedScreen[];
  clock: Clock;
  log?: Logger;
  /** First wait before reconnecting a dropped socket; doubles up to 30 s. */
  retryMs?: number;
};

export type ScreenPlayers = {
  stop(): Promise<void>;
  /** Frames received and impressions sent, over every screen; sockets open now. */
  stats(): { frames: number; impressions: number; open: number };
};

/** The screen token that opens a screen, as the API's screen links pick it: bound to that screen, or any screen of the store. */
export function screenTokenFor(tokens: readonly TokenEntry[], storeId: string, screenId: string): string | undefined {
  return tokens.find((t) => t.role === 'screen' && (t.storeId === storeId || t.storeId === '*') && (t.subject === screenId || t.subject === undefined))?.token;
}

/** `ws://host:port/ws` for an engine's `http(s)://host:port`. */
export function wsUrlOf(url: string): string {
  const u = new URL('/ws', url);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/**
 * Plays a store's screens as a browser would (displays/screen/player.ts) without drawing anything: one WebSocket per
 * screen, `hello` with its screen token, and an `impression` for every `screen.content` frame it receives (once per
 * decision and seq), so experiments count exposures when no screen is open in a browser. A dropped socket reconnects
 * with backoff until stop().
 */
export function startScreenPlayers(o: ScreenPlayersOptions): ScreenPlayers {
  const log = (o.log ?? silentLogger()).child({ role: 'screen', storeId: o.storeId });
  const target = wsUrlOf(o.url);
  const retryMs = o.retryMs ?? 1_000;
  const sockets = new Set<WebSocket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const totals = { frames: 0, impressions: 0 };
  let stopped = false;

  const play = (screen: PlayedScreen, wait: number): void => {
    if (stopped) return;
    let impressed = '';
    let welcomed = false;
    const ws = new WebSocket(target);
    sockets.add(ws);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'hello', role: 'screen', token: screen.token, storeId: o.storeId, screenId: screen.screenId }));
    });
    ws.on('message', (data) => {
      let json: unknown;
      try { json = JSON.parse(String(data)); } catch { return; }
      const type = (json as { type?: unknown } | null)?.type;
      if (type === 'welcome') { welcomed = true; return; }
      if (type === 'error') { log.warn({ screenId: screen.screenId, error: json }, 'simulated screen: engine error'); return; }
      if (type !== 'screen.content') return;
      const r = parseUntrusted(ScreenContent, json);
      if (!r.success || r.data.screenId !== screen.screenId) return;
      totals.frames++;
      const key = `${r.data.decisionId}|${r.data.seq}`;
      if (key === impressed || ws.readyState !== WebSocket.OPEN) return;
      impressed = key;
      const f: Impression = { type: 'impression', screenId: screen.screenId, decisionId: r.data.decisionId,
        skus: r.data.items.map((i) => i.sku), renderedAt: o.clock.now() };
      ws.send(JSON.stringify(f));
      totals.impressions++;
    });
    ws.on('error', (err) => log.debug({ screenId: screen.screenId, err: err.message }, 'simulated screen: socket error'));
    ws.on('close', (code) => {
      sockets.delete(ws);
      if (stopped) return;
      // A socket that was playing comes back at once; one that never got in waits longer each time (a refused
      // hello, 44xx, will not get better soon).
      const delay = welcomed ? retryMs : Math.min(30_000, code >= 4400 && code < 4500 ? Math.max(10_000, wait * 2) : wait * 2);
      const note = { screenId: screen.screenId, code, retryInMs: delay };
      if (welcomed) log.info(note, 'simulated screen disconnected; reconnecting'); else log.debug(note, 'simulated screen not admitted; trying again');
      const t = setTimeout(() => { timers.delete(t); play(screen, delay); }, delay);
      timers.add(t);
    });
  };

  for (const s of o.screens) play(s, retryMs);
  log.info({ screens: o.screens.length }, 'simulated screens playing');

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...sockets].map((ws) => closeSocket(ws)));
      sockets.clear();
    },
    stats: () => ({ ...totals, open: [...sockets].filter((ws) => ws.readyState === WebSocket.OPEN).length }),
  };
}
