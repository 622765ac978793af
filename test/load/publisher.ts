/**
 * The load generator, a process of its own: presence events (and, in `mix` mode, label taps and a steady
 * stream of purchases), open loop at a target rate. Every ~1 ms tick it sends what the clock says is due
 * (never "send, await, send"), all of a tick's events with the same integer `ts` (epoch ms, as the
 * contract requires) and at most one batch per millisecond, so the bench can map a frame's `eventTs`
 * back to the batch's exact send time on CLOCK_MONOTONIC.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { monoUs, serve } from './ipc.js';

/**
 * move: every event moves a device to another zone; ping: mostly "still here", `moveShare` moves;
 * leave: every device in the store leaves; pos: purchases only; mix: `ping` presence plus label taps
 * (`eslShare` of the events) and `posRate` purchases a second, each on its type's topic.
 */
export type Mode = 'move' | 'ping' | 'leave' | 'pos' | 'mix';
export type EvType = 'presence' | 'esl' | 'pos';
export type RunArgs = {
  topic: string; storeId: string; rate: number; durationMs: number; warmupMs: number; qos: 0 | 1;
  mode: Mode;
  /** Devices stay in zones z-00 … z-<zones-1> (the bench's labels are L-bench-<i>, one per zone, in zone i). */
  zones: number;
  /** Device pool: d-<pool>-<i>, i < devices; customer c-bench-<i % customers> (ping, mix: every other device only). */
  pool: string; devices: number; customers: number;
  /** ping and mix modes: share of presence events that move the device to another zone. */
  moveShare?: number;
  /** mix mode: share of the events that are label taps (esl) by an identified device. */
  eslShare?: number;
  /** mix mode: purchases per second (part of `rate`), each with a unique id. */
  posRate?: number;
};
export type RunResult = {
  sent: number; acked: number; failed: number; measured: number;
  /** Per event type: published, and acknowledged by the broker (QoS 1). */
  byType: Partial<Record<EvType, { sent: number; acked: number }>>;
  /** The ids of the purchases sent (mix mode; the pos mode's are not kept), to check their commits. */
  posIds: string[];
  /** Flat pairs: batch ts (epoch ms), batch send time (µs, CLOCK_MONOTONIC). */
  batches: number[];
  measureFromTs: number; measureToTs: number; lastSendAt: number; sendMs: number; maxLagMs: number;
};
/** One presence event of a probe device, moving it to the next of `zones` (or out of the store). */
export type ProbeArgs = { topic: string; storeId: string; deviceId: string; customerId?: string; zones: string[]; qos: 0 | 1; leave?: boolean };
export type ProbeResult = { ts: number; sentUs: number; sentAt: number; zoneId: string | null };

const url = process.env.MQTT_URL;
if (!url) throw new Error('MQTT_URL is required');
const client = await mqtt.connectAsync(url, { clientId: `bench-pub-${randomBytes(3).toString('hex')}`, reconnectPeriod: 0, clean: true });
(client.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
const pools = new Map<string, Int16Array>(); // current zone of each device, -1: not in the store
const runTag = randomBytes(3).toString('hex');
let runNo = 0;
const epochMs = () => performance.timeOrigin + performance.now();
/** The last batch's ts: no two batches (runs and probes alike) share a millisecond. */
let lastMs = 0;
const sibling = (topic: string, type: EvType) => topic.replace(/[^/]+$/, type);

function run(a: RunArgs): Promise<RunResult> {
  let zonesOf = pools.get(a.pool);
  if (!zonesOf || zonesOf.length !== a.devices) pools.set(a.pool, (zonesOf = new Int16Array(a.devices).fill(-1)));
  const z = zonesOf;
  const leaving = a.mode === 'leave' ? [...z.keys()].filter((i) => z[i]! >= 0) : [];
  const total = a.mode === 'leave' ? leaving.length : Math.round((a.rate * a.durationMs) / 1000);
  const idBase = `p-${runTag}-${++runNo}-`;
  const r: RunResult = { sent: 0, acked: 0, failed: 0, measured: 0, byType: {}, posIds: [], batches: [], measureFromTs: 0, measureToTs: 0,
    lastSendAt: 0, sendMs: 0, maxLagMs: 0 };
  const count = (type: EvType) => (r.byType[type] ??= { sent: 0, acked: 0 });
  const ackOf = (type: EvType) => { const c = count(type); return (err?: Error) => { if (err) r.failed++; else { r.acked++; c.acked++; } }; };
  const onAck = { presence: ackOf('presence'), esl: ackOf('esl'), pos: ackOf('pos') };
  let seq = 0;
  const zoneName = (zone: number) => `z-${String(zone).padStart(2, '0')}`;
  const pingLike = a.mode === 'ping' || a.mode === 'mix';

  // Taps and purchases go to the store's esl and pos topics (the target's topic with its last level replaced).
  const topics: Record<EvType, string> = { presence: a.topic, esl: sibling(a.topic, 'esl'), pos: sibling(a.topic, 'pos') };
  const purchase = (ts: number, keep: boolean): string => {
    const n = seq++;
    const price = 1 + (n % 37);
    const id = idBase + n;
    if (keep) r.posIds.push(id);
    // mix: the buyer is an identified device's customer, so some stand in the store and their screens are decided again.
    const customer = keep ? ((n * 7919) % a.devices) & ~1 : n;
    return JSON.stringify({ type: 'pos', id, ts, storeId: a.storeId, transactionId: `T-${id}`,
      customerId: `c-bench-${customer % a.customers}`, currency: 'GBP', total: price * 2,
      lines: [{ sku: `SKU-B${n % 400}`, qty: 2, unitPrice: price }] });
  };
  /** A label tap by an identified device, on the label of the zone it stands in (or of its first zone). */
  const tap = (ts: number): string => {
    const i = (seq % a.devices) & ~1;
    const zone = z[i]! >= 0 ? z[i]! : i % a.zones;
    return JSON.stringify({ type: 'esl', id: idBase + seq++, ts, storeId: a.storeId, labelId: `L-bench-${zone}`, action: 'button',
      deviceId: `d-${a.pool}-${i}`, customerId: `c-bench-${i % a.customers}` });
  };

  const presence = (ts: number): string => {
    let i: number; let zone: number | null;
    if (a.mode === 'leave') { i = leaving[seq]!; zone = null; z[i] = -1; }
    else {
      i = seq % a.devices;
      const cur = z[i]!;
      const moves = a.mode === 'move' || (cur >= 0 && Math.random() < (a.moveShare ?? 0));
      zone = cur < 0 ? (pingLike ? i % a.zones : Math.floor(Math.random() * a.zones))
        : moves ? (cur + 1 + Math.floor(Math.random() * (a.zones - 1))) % a.zones : cur;
      z[i] = zone;
    }
    const identified = !pingLike || i % 2 === 0;
    return JSON.stringify({ type: 'presence', id: idBase + seq++, ts, storeId: a.storeId, deviceId: `d-${a.pool}-${i}`,
      ...(identified ? { customerId: `c-bench-${i % a.customers}` } : {}),
      zoneId: zone === null ? null : zoneName(zone), rssi: -60, source: 'wifi' });
  };

  // mix: every 1/eslShare-th event of the rest is a tap; purchases keep their own steady schedule.
  const eslEvery = a.mode === 'mix' && a.eslShare ? Math.max(1, Math.round(1 / a.eslShare)) : 0;
  const posRate = a.mode === 'mix' ? Math.min(a.posRate ?? 0, a.rate) : 0;
  let posSent = 0;
  let others = 0;
  const send = (type: EvType, payload: string) => {
    client.publish(topics[type], payload, { qos: a.qos }, a.qos ? onAck[type] : undefined);
    count(type).sent++;
  };
  const next = (ts: number, elapsedMs: number): void => {
    if (a.mode === 'pos') { send('pos', purchase(ts, false)); return; }
    if (posRate && posSent < Math.floor((elapsedMs * posRate) / 1000)) { posSent++; send('pos', purchase(ts, true)); return; }
    if (eslEvery && ++others % eslEvery === 0) { send('esl', tap(ts)); return; }
    send('presence', presence(ts));
  };

  return new Promise<RunResult>((resolve) => {
    const t0 = performance.now();
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
          next(ms, now - t0);
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

const probeZone = new Map<string, number>(); // probe device → index of its current zone in `zones`

/**
 * One presence event (QoS as asked) moving a probe device to the next of its zones, in a millisecond no
 * run's batch uses, so the one frame it causes can be told apart; `leave` takes it out of the store.
 */
async function probe(a: ProbeArgs): Promise<ProbeResult> {
  while (Math.floor(epochMs()) === lastMs) await new Promise((r) => setImmediate(r));
  const ts = (lastMs = Math.floor(epochMs()));
  const k = ((probeZone.get(a.deviceId) ?? -1) + 1) % a.zones.length;
  const zoneId = a.leave ? null : a.zones[k]!;
  if (a.leave) probeZone.delete(a.deviceId); else probeZone.set(a.deviceId, k);
  const sentUs = monoUs();
  const sentAt = epochMs();
  client.publish(a.topic, JSON.stringify({ type: 'presence', id: `probe-${runTag}-${ts}`, ts, storeId: a.storeId, deviceId: a.deviceId,
    ...(a.customerId ? { customerId: a.customerId } : {}), zoneId, rssi: -60, source: 'app' }), { qos: a.qos });
  return { ts, sentUs, sentAt, zoneId };
}

serve({
  run: (a: RunArgs) => run(a),
  probe: (a: ProbeArgs) => probe(a),
  /** Forgets a pool's positions (after the engine was told they left, or on a fresh start). */
  reset: (a: { pool: string }) => { pools.delete(a.pool); return {}; },
}, () => client.endAsync(true).catch(() => {}));

process.send?.({ ready: {} });
