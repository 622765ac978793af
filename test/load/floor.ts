/**
 * The floor (docs/performance.md): the least any engine must do per event on this machine, through the same
 * client libraries — MQTT in (mqtt.js, Nagle off) → one Redis GET of the shopper's profile (ioredis)
 * + JSON.parse → one ~1 KB JSON frame per screen of the event's zone (ws). No validation, no ranking; its
 * only state is each device's last zone, so that, like the engine, it makes frames when a device changes
 * zone and nothing for a ping that says "still here".
 *
 * QoS 1 messages are acknowledged after their work, in arrival order, while several are worked on at once
 * (at most 1,000 held), as the engine does (docs/delivery.md); QoS 0 messages are simply handled.
 * It listens on a topic of its own so the engine never sees its load, and vice versa.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import mqtt, { type IPublishPacket } from 'mqtt';
import { WebSocketServer, type WebSocket } from 'ws';
import { createKeys } from '../../engine/platform/keys.js';
import { serve } from './ipc.js';

const env = (k: string) => { const v = process.env[k]; if (!v) throw new Error(`${k} is required`); return v; };
const keys = createKeys(env('AISLE_REDIS_PREFIX'));
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

/** received: messages taken; done: handled (and, QoS 1, acknowledgeable); unacked: QoS 1 messages held. */
const stats = { received: 0, done: 0, sent: 0, errors: 0, unacked: 0 };
let seq = 0;
type Ev = { id: string; ts: number; deviceId?: string; customerId?: string; zoneId: string | null };
type P = { customerId: string; displayName?: string; recentSkus?: string[]; tier?: string };
const zoneOf = new Map<string, string>(); // deviceId → its last zone

async function handle(payload: Buffer): Promise<void> {
  stats.received++;
  const ev = JSON.parse(payload.toString()) as Ev;
  if (ev.deviceId) {
    if (!ev.zoneId) { zoneOf.delete(ev.deviceId); return; }
    if (zoneOf.get(ev.deviceId) === ev.zoneId) return; // still here: nothing to show anew
    zoneOf.set(ev.deviceId, ev.zoneId);
  }
  if (!ev.zoneId) return;
  const raw = ev.customerId ? await redis.get(keys.profile(ev.customerId)) : null;
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

// Acknowledgements after the work, in arrival order (the engine's ack window, in brief).
const MAX_HELD = 1000;
type Slot = { done: boolean; ack: () => void };
let held: Slot[] = [];
let roomWaiters: (() => void)[] = [];
const flush = () => {
  while (held.length && held[0]!.done) held.shift()!.ack();
  stats.unacked = held.length;
  if (held.length < MAX_HELD && roomWaiters.length) { const w = roomWaiters; roomWaiters = []; for (const r of w) r(); }
};

const client = await mqtt.connectAsync(env('MQTT_URL'), { clientId: `bench-floor-${process.pid}`, reconnectPeriod: 0, clean: true });
(client.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
/** Answering mqtt.js with an error skips its own PUBACK and lets it read the next packet; ours goes out from the window. */
const DEFERRED = new Error('acknowledgement deferred');
type Internals = { _sendPacket(packet: { cmd: 'puback'; messageId: number }): void };
client.handleMessage = (packet: IPublishPacket, callback) => {
  const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
  const work = handle(payload).catch(() => { stats.errors++; });
  if (packet.qos === 0) { void work.then(() => { stats.done++; }); callback(); return; }
  const slot: Slot = { done: false, ack: () => (client as unknown as Internals)._sendPacket({ cmd: 'puback', messageId: packet.messageId! }) };
  held.push(slot);
  stats.unacked = held.length;
  void work.then(() => { stats.done++; slot.done = true; flush(); });
  if (held.length < MAX_HELD) callback(DEFERRED);
  else roomWaiters.push(() => callback(DEFERRED));
};
await client.subscribeAsync(env('FLOOR_TOPIC'), { qos: 1 });

serve({ stats: () => ({ ...stats }) }, async () => {
  await client.endAsync(true).catch(() => {});
  redis.disconnect();
  for (const ws of sockets.values()) ws.terminate();
});
process.send?.({ ready: { port: (http.address() as AddressInfo).port } });
