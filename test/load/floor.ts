/**
 * The floor (docs/performance.md): the least any engine must do per event on this machine, through the same
 * client libraries — MQTT in (mqtt.js, QoS 0, Nagle off) → one Redis GET of the shopper's profile (ioredis)
 * + JSON.parse → one ~1 KB JSON frame per screen of the event's zone (ws). No validation, no state, no ranking.
 * It listens on a topic of its own so the engine never sees its load, and vice versa.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve } from './ipc.js';

const env = (k: string) => { const v = process.env[k]; if (!v) throw new Error(`${k} is required`); return v; };
const prefix = env('AISLE_REDIS_PREFIX');
const screensOf = new Map<string, string[]>(); // zoneId → screenIds
for (const s of JSON.parse(env('FLOOR_SCREENS')) as { screenId: string; zoneId: string }[]) {
  screensOf.set(s.zoneId, [...(screensOf.get(s.zoneId) ?? []), s.screenId]);
}

const redis = new Redis(env('REDIS_URL'), { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
await redis.connect();
const sockets = new Map<string, WebSocket>(); // screenId → socket
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.once('message', (data: Buffer) => {
    const hello = JSON.parse(data.toString()) as { screenId?: string };
    if (!hello.screenId) { ws.close(1008, 'hello with screenId expected'); return; }
    sockets.set(hello.screenId, ws);
    ws.send(JSON.stringify({ type: 'welcome', role: 'screen', storeId: 'floor', target: hello.screenId, seq: 0, heartbeatMs: 15000, serverTime: Date.now() }));
  });
});
await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));

const stats = { received: 0, sent: 0, errors: 0 };
let seq = 0;
type Ev = { id: string; ts: number; customerId?: string; zoneId: string | null };
type P = { customerId: string; displayName?: string; recentSkus?: string[]; tier?: string };

async function handle(payload: Buffer): Promise<void> {
  stats.received++;
  const ev = JSON.parse(payload.toString()) as Ev;
  if (!ev.zoneId) return;
  const raw = ev.customerId ? await redis.get(`${prefix}profile:${ev.customerId}`) : null;
  const p = raw ? (JSON.parse(raw) as P) : undefined;
  const skus = (p?.recentSkus ?? []).slice(0, 6);
  for (const screenId of screensOf.get(ev.zoneId) ?? []) {
    const ws = sockets.get(screenId);
    if (!ws) continue;
    const frame = { type: 'screen.content', seq: ++seq, screenId, decisionId: `floor-${seq}`, reason: p ? 'shopper' : 'audience',
      template: 'hero', greeting: p?.displayName ? `Welcome back, ${p.displayName}` : undefined, ttlMs: 30000,
      items: skus.map((sku, i) => ({ sku, name: `Item ${sku} — a product name of typical length`, price: 4.5 + i, memberPrice: 3.9 + i,
        image: `/media/${sku}.webp`, badge: 'For you', why: `affinity · ${p?.tier ?? 'member'} · bought ${i + 1}× before` })),
      createdAt: Date.now(), eventTs: ev.ts };
    ws.send(JSON.stringify(frame));
    stats.sent++;
  }
}

const client = await mqtt.connectAsync(env('MQTT_URL'), { clientId: `bench-floor-${process.pid}`, reconnectPeriod: 0, clean: true });
(client.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
client.on('message', (_topic, payload) => { handle(payload).catch(() => { stats.errors++; }); });
await client.subscribeAsync(env('FLOOR_TOPIC'), { qos: 0 });

serve({ stats: () => ({ ...stats }) }, async () => {
  await client.endAsync(true).catch(() => {});
  redis.disconnect();
  for (const ws of sockets.values()) ws.terminate();
});
process.send?.({ ready: { port: (http.address() as AddressInfo).port } });
