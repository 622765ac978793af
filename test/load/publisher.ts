/**
 * The load generator, a process of its own: presence events, open loop at a target rate. Every ~1 ms
 * tick it sends what the clock says is due (never "send, await, send"), all of a tick's events with the
 * same integer `ts` (epoch ms, as the contract requires) and at most one batch per millisecond, so the
 * bench can map a frame's `eventTs` back to the batch's exact send time on CLOCK_MONOTONIC.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { monoUs, serve } from './ipc.js';

export type Mode = 'move' | 'ping' | 'leave' | 'pos';
export type RunArgs = {
  topic: string; storeId: string; rate: number; durationMs: number; warmupMs: number; qos: 0 | 1;
  mode: Mode; zones: number;
  /** Device pool: d-<pool>-<i>, i < devices; customer c-bench-<i % customers> (ping: every other device only). */
  pool: string; devices: number; customers: number;
  /** ping mode: share of events that move the device to another zone. */
  moveShare?: number;
};
export type RunResult = {
  sent: number; acked: number; failed: number; measured: number;
  /** Flat pairs: batch ts (epoch ms), batch send time (µs, CLOCK_MONOTONIC). */
  batches: number[];
  measureFromTs: number; measureToTs: number; lastSendAt: number; sendMs: number; maxLagMs: number;
};

const url = process.env.MQTT_URL;
if (!url) throw new Error('MQTT_URL is required');
const client = await mqtt.connectAsync(url, { clientId: `bench-pub-${randomBytes(3).toString('hex')}`, reconnectPeriod: 0, clean: true });
(client.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
const pools = new Map<string, Int16Array>(); // current zone of each device, -1: not in the store
const runTag = randomBytes(3).toString('hex');
let runNo = 0;
const epochMs = () => performance.timeOrigin + performance.now();

function run(a: RunArgs): Promise<RunResult> {
  let zonesOf = pools.get(a.pool);
  if (!zonesOf || zonesOf.length !== a.devices) pools.set(a.pool, (zonesOf = new Int16Array(a.devices).fill(-1)));
  const z = zonesOf;
  const leaving = a.mode === 'leave' ? [...z.keys()].filter((i) => z[i]! >= 0) : [];
  const total = a.mode === 'leave' ? leaving.length : Math.round((a.rate * a.durationMs) / 1000);
  const idBase = `p-${runTag}-${++runNo}-`;
  const r: RunResult = { sent: 0, acked: 0, failed: 0, measured: 0, batches: [], measureFromTs: 0, measureToTs: 0, lastSendAt: 0, sendMs: 0, maxLagMs: 0 };
  const onAck = (err?: Error) => { if (err) r.failed++; else r.acked++; };
  let seq = 0;

  // Purchases go to the store's pos topic (the target's topic with its last level replaced).
  const topic = a.mode === 'pos' ? a.topic.replace(/[^/]+$/, 'pos') : a.topic;
  const purchase = (ts: number): string => {
    const n = seq++;
    const price = 1 + (n % 37);
    return JSON.stringify({ type: 'pos', id: idBase + n, ts, storeId: a.storeId, transactionId: `T-${idBase}${n}`,
      customerId: `c-bench-${n % a.customers}`, currency: 'GBP', total: price * 2,
      lines: [{ sku: `SKU-B${n % 400}`, qty: 2, unitPrice: price }] });
  };

  const next = (ts: number): string => {
    if (a.mode === 'pos') return purchase(ts);
    let i: number; let zone: number | null;
    if (a.mode === 'leave') { i = leaving[seq]!; zone = null; z[i] = -1; }
    else {
      i = seq % a.devices;
      const cur = z[i]!;
      const moves = a.mode === 'move' || (cur >= 0 && Math.random() < (a.moveShare ?? 0));
      zone = cur < 0 ? (a.mode === 'ping' ? i % a.zones : Math.floor(Math.random() * a.zones))
        : moves ? (cur + 1 + Math.floor(Math.random() * (a.zones - 1))) % a.zones : cur;
      z[i] = zone;
    }
    const identified = a.mode !== 'ping' || i % 2 === 0;
    return JSON.stringify({ type: 'presence', id: idBase + seq++, ts, storeId: a.storeId, deviceId: `d-${a.pool}-${i}`,
      ...(identified ? { customerId: `c-bench-${i % a.customers}` } : {}),
      zoneId: zone === null ? null : `z-${String(zone).padStart(2, '0')}`, rssi: -60, source: 'wifi' });
  };

  return new Promise<RunResult>((resolve) => {
    const t0 = performance.now();
    let lastMs = 0;
    const tick = () => {
      const now = performance.now();
      const ms = Math.floor(performance.timeOrigin + now);
      const due = Math.min(total, Math.floor(((now - t0) * a.rate) / 1000));
      if (due > r.sent && ms !== lastMs) {
        lastMs = ms;
        r.maxLagMs = Math.max(r.maxLagMs, ((due - r.sent - 1) * 1000) / a.rate);
        r.batches.push(ms, monoUs());
        const inWindow = now - t0 >= a.warmupMs;
        if (inWindow && !r.measureFromTs) r.measureFromTs = ms;
        while (r.sent < due) {
          client.publish(topic, next(ms), { qos: a.qos }, a.qos ? onAck : undefined);
          r.sent++;
          if (inWindow) r.measured++;
        }
        if (inWindow) r.measureToTs = ms;
      }
      if (r.sent < total) { setTimeout(tick, 1); return; }
      r.lastSendAt = epochMs();
      r.sendMs = performance.now() - t0;
      const waitAcks = () => (a.qos === 0 || r.acked + r.failed >= r.sent || performance.now() - t0 > a.durationMs + 30_000
        ? resolve(r) : setTimeout(waitAcks, 5));
      waitAcks();
    };
    if (total === 0) { resolve(r); return; }
    tick();
  });
}

serve({
  run: (a: RunArgs) => run(a),
  /** Forgets a pool's positions (after the engine was told they left, or on a fresh start). */
  reset: (a: { pool: string }) => { pools.delete(a.pool); return {}; },
}, () => client.endAsync(true).catch(() => {}));

process.send?.({ ready: {} });
