/**
 * The screens, a process of its own: one WebSocket per screen (token + hello, as a player does).
 * Each `screen.content` frame that carries `eventTs` is stamped on arrival (CLOCK_MONOTONIC, µs);
 * frames without it (idle refreshes) are counted and ignored. No JSON.parse on the hot path: the
 * receiver must not be what limits the measurement.
 */
import WebSocket from 'ws';
import { monoUs, serve } from './ipc.js';

export type ConnectArgs = { name: string; port: number; storeId: string; screens: { screenId: string; token: string }[] };
export type Collected = { pairs: number[]; frames: number; withoutTs: number; closed: number };
/** Another client of the engine (a label gateway, an associate): its frames are counted by type, never timed. */
export type ObserveArgs = { port: number; storeId: string; hellos: Record<string, unknown>[] };
export type Observed = Record<string, number>;

const KEY = Buffer.from('"eventTs":');
const sockets = new Map<string, WebSocket[]>();
let pairs: number[] = []; // eventTs, arrival µs
let frames = 0;
let withoutTs = 0;
let closed = 0;
const observed: Observed = {};
const observers: WebSocket[] = [];

function onFrame(data: Buffer): void {
  const arrival = monoUs();
  frames++;
  const at = data.indexOf(KEY);
  if (at < 0) { if (data.includes('"screen.content"')) withoutTs++; return; }
  let ts = 0;
  for (let i = at + KEY.length; i < data.length; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    ts = ts * 10 + (c - 48);
  }
  pairs.push(ts, arrival);
}

function connectOne(port: number, storeId: string, screenId: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
    const t = setTimeout(() => { ws.terminate(); reject(new Error(`${screenId}: no welcome within 5 s`)); }, 5000);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', role: 'screen', token, storeId, screenId })));
    ws.once('error', (err) => { clearTimeout(t); reject(err); });
    ws.on('close', () => { closed++; });
    ws.once('message', (first: Buffer) => {
      if (!first.includes('"welcome"')) { clearTimeout(t); reject(new Error(`${screenId}: ${first.toString().slice(0, 200)}`)); return; }
      clearTimeout(t);
      ws.on('message', (d: Buffer) => onFrame(d));
      resolve(ws);
    });
  });
}

serve({
  connect: async (a: ConnectArgs) => {
    sockets.set(a.name, await Promise.all(a.screens.map((s) => connectOne(a.port, a.storeId, s.screenId, s.token))));
    return { connected: a.screens.length };
  },
  /** Label gateways and associates: hello, then count their frames by type (cumulative over the run). */
  observe: async (a: ObserveArgs) => {
    for (const hello of a.hellos) {
      const ws = new WebSocket(`ws://127.0.0.1:${a.port}/ws`, { perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
      ws.send(JSON.stringify({ type: 'hello', storeId: a.storeId, ...hello }));
      ws.on('message', (d: Buffer) => {
        const m = /"type":"([a-z.]+)"/.exec(d.subarray(0, 64).toString());
        const type = m?.[1] ?? 'other';
        observed[type] = (observed[type] ?? 0) + 1;
      });
      observers.push(ws);
    }
    return {};
  },
  observed: (): Observed => ({ ...observed }),
  /** Forgets what was recorded so far. */
  reset: () => { pairs = []; frames = 0; withoutTs = 0; return {}; },
  /** For each `eventTs` asked (probes'), the arrival (µs) of the first frame since the reset that carries it; 0: none yet. */
  arrivals: (a: { ts: number[] }): number[] => {
    const first = new Map<number, number>(a.ts.map((t) => [t, 0]));
    for (let i = 0; i < pairs.length; i += 2) if (first.get(pairs[i]!) === 0) first.set(pairs[i]!, pairs[i + 1]!);
    return a.ts.map((t) => first.get(t)!);
  },
  collect: (): Collected => ({ pairs, frames, withoutTs, closed }),
  disconnect: (a: { name: string }) => { for (const ws of sockets.get(a.name) ?? []) ws.close(); sockets.delete(a.name); return {}; },
}, () => { for (const list of sockets.values()) for (const ws of list) ws.terminate(); for (const ws of observers) ws.terminate(); });

process.send?.({ ready: {} });
