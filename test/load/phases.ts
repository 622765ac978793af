import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { cpuOf, rssOf, sleep, withTimeout } from './infra.js';
import { request } from './ipc.js';
import type { Mode, ProbeArgs, ProbeResult, RunArgs, RunResult } from './publisher.js';
import type { Collected } from './receiver.js';
import {
  diff, latencies, latencyOf, scrape, summarize,
  type CapacityResult, type CapacityStep, type Counters, type OverloadInfo, type PhaseResult, type Rep,
} from './stats.js';

/** A system under test: the engine or the floor, each in its own process, each on its own topic. */
export type Target = {
  name: 'engine' | 'floor'; child: ChildProcess; topic: string;
  /** engine: the HTTP port for /metrics. */
  port?: number;
};
export type Phase = {
  name: string; mode: Mode; rate: number; qos: 0 | 1; devices: number; moveShare?: number;
  warmupMs: number; measureMs: number; reps: number; targets: Target['name'][];
  /** Devices stay in the first `zones` zones (default: all); the overload phase keeps the last two for its probes. */
  zones?: number;
  /** mix mode (overload): share of label taps, purchases per second. */
  eslShare?: number; posRate?: number;
};
export type Rig = {
  publisher: ChildProcess; receiver: ChildProcess; storeId: string; zones: number; customers: number; targets: Target[];
  /** Where the engine commits (the overload phase checks each purchase's de-dupe mark there). */
  redis: { url: string; prefix: string };
};

type FloorStats = { received: number; done: number; sent: number; errors: number; unacked: number };

const nowMs = () => performance.timeOrigin + performance.now();
/** The longest a repetition waits for the engine to take what it was sent (its hard timeout allows for it). */
const DRAIN_MAX_MS = 180_000;

/** Waits until the target has handled what it was sent; returns when (epoch ms). */
async function drain(t: Target, before: Counters | FloorStats, sent: number): Promise<number> {
  if (t.name === 'engine') {
    // Until the engine has taken everything from the broker (QoS 1 waits there while the engine is behind): as long
    // as the count moves, at most DRAIN_MAX_MS; polled every 10 ms at first, so short drains are timed finely.
    const expected = (before as Counters).accepted + sent;
    const t0 = performance.now();
    let last = -1;
    let movedAt = t0;
    for (;;) {
      const n = (await scrape(t.port!)).accepted;
      if (n >= expected) break;
      if (n !== last) { last = n; movedAt = performance.now(); }
      if (performance.now() - movedAt > 5000 || performance.now() - t0 > DRAIN_MAX_MS) break;
      await sleep(performance.now() - t0 < 2000 ? 10 : 100);
    }
    return (await request<{ at: number }>(t.child, 'settle', undefined, 60_000)).at;
  }
  // The floor: until it has done everything it was sent; QoS 0 may lose, so also stop once nothing moved for 300 ms.
  const expected = (before as FloorStats).done + sent;
  let last = -1;
  let movedAt = nowMs();
  for (;;) {
    const s = await request<FloorStats>(t.child, 'stats');
    if (s.done >= expected && s.unacked === 0) return nowMs();
    if (s.done !== last) { last = s.done; movedAt = nowMs(); } else if (nowMs() - movedAt > 300) return movedAt;
    await sleep(10);
  }
}

const counters = async (t: Target): Promise<Counters | FloorStats> =>
  (t.name === 'engine' ? scrape(t.port!) : request<FloorStats>(t.child, 'stats'));
const processed = (c: Counters | FloorStats) => ('accepted' in c ? c.accepted : c.received);

/** The process's resident memory, sampled every 100 ms: the most seen, in MB. */
function rssPeak(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => { const v = rssOf(pid); if (v > peak) peak = v; }, 100);
  return { stop: () => { clearInterval(timer); return Math.max(peak, rssOf(pid) || 0) / 2 ** 20; } };
}

const runArgs = (rig: Rig, t: Target, p: Phase, pool: string): RunArgs => ({
  topic: t.topic, storeId: rig.storeId, rate: p.rate, durationMs: p.warmupMs + p.measureMs, warmupMs: p.warmupMs,
  qos: p.qos, mode: p.mode, zones: p.zones ?? rig.zones, pool, devices: p.devices, customers: rig.customers, moveShare: p.moveShare,
  eslShare: p.eslShare, posRate: p.posRate });

/** Counters when the warm-up ends (read by a timer while the publisher runs). */
function atWarmUp(t: Target, warmupMs: number) {
  let at: { c: Counters | FloorStats; cpu: number; t: number } | undefined;
  const timer = setTimeout(() => {
    void counters(t).then((c) => { at = { c, cpu: cpuOf(t.child.pid!), t: performance.now() }; });
  }, warmupMs);
  return { get: () => at, stop: () => clearTimeout(timer) };
}

/** Everyone leaves, so the next repetition starts from an empty store (not measured). */
async function leave(rig: Rig, t: Target, args: RunArgs, rate: number): Promise<void> {
  const before = await counters(t);
  const gone = await request<RunResult>(rig.publisher, 'run', { ...args, mode: 'leave', rate: Math.max(5000, rate), qos: 0 });
  await drain(t, before, gone.sent);
}

/**
 * Before the first phase, not measured: a fresh process meets its first load cold (JIT, caches, the
 * model's first runs) and would charge it to whichever phase comes first (with --only, any of them).
 */
export async function warmUp(rig: Rig, t: Target, devices: number, durationMs: number): Promise<void> {
  const args: RunArgs = { topic: t.topic, storeId: rig.storeId, rate: 1000, durationMs, warmupMs: durationMs, qos: 0, mode: 'move',
    zones: rig.zones, pool: `warmup-${t.name}`, devices, customers: rig.customers };
  const before = await counters(t);
  const res = await request<RunResult>(rig.publisher, 'run', args, durationMs + 60_000);
  await drain(t, before, res.sent);
  await leave(rig, t, args, 1000);
}

/** One repetition: warm-up + measured window, drain, collect, then every shopper leaves (not measured). */
async function runRep(rig: Rig, t: Target, p: Phase, pool: string): Promise<Rep> {
  const args = runArgs(rig, t, p, pool);
  await request(rig.receiver, 'reset');
  const before = await counters(t);
  const warm = atWarmUp(t, p.warmupMs);
  const rss = rssPeak(t.child.pid!);
  const res = await request<RunResult>(rig.publisher, 'run', args, args.durationMs + 60_000);
  warm.stop();
  const atEnd = { c: await counters(t), cpu: cpuOf(t.child.pid!), t: performance.now() };
  const rssMb = rssOf(t.child.pid!) / 2 ** 20;
  const doneAt = await drain(t, before, res.sent);
  const rssPeakMb = rss.stop();
  await sleep(100); // the last frames are on the wire
  const got = await request<Collected>(rig.receiver, 'collect');
  const after = await counters(t);
  const w = warm.get() ?? { c: before, cpu: NaN, t: NaN };
  const secs = (atEnd.t - w.t) / 1000;
  const rep: Rep = {
    latency: latencyOf(latencies(got.pairs, res.batches, res.measureFromTs, res.measureToTs)),
    offered: p.rate, sent: res.sent, processedPerS: (processed(atEnd.c) - processed(w.c)) / secs, frames: got.frames,
    rssMb, rssPeakMb, cpuPct: ((atEnd.cpu - w.cpu) / secs) * 100, drainMs: Math.max(0, doneAt - res.lastSendAt), publisherMaxLagMs: res.maxLagMs,
  };
  if ('accepted' in before && 'accepted' in w.c && 'accepted' in atEnd.c && 'accepted' in after) {
    const d = diff(before, after);
    Object.assign(rep, { decisionsPerS: diff(w.c, atEnd.c).decisions / secs, deadLetters: d.deadLetters,
      shed: Object.values(d.shed).reduce((a, b) => a + b, 0), shedKinds: d.shed, byReason: d.byReason, acceptedTotal: d.accepted,
      outcomes: otherOutcomes(d.events) });
    if (p.qos === 1) Object.assign(rep, { acked: res.acked, lost: res.sent - d.accepted + (res.sent - res.acked) });
  } else if (p.qos === 1 && 'received' in before && 'received' in after) {
    const taken = after.received - before.received;
    Object.assign(rep, { acked: res.acked, acceptedTotal: taken, lost: res.sent - taken + (res.sent - res.acked) });
  }
  await leave(rig, t, args, p.rate);
  return rep;
}

const otherOutcomes = (events: Record<string, number>) => Object.fromEntries(Object.entries(events).filter(([k]) => !k.endsWith('/accepted')));

const logRep = (log: (s: string) => void, name: string, target: string, i: number, reps: number, rep: Rep) => {
  const l = rep.latency;
  log(`  ${name.padEnd(14)} ${target.padEnd(6)} rep ${i + 1}/${reps}: p50 ${l.p50.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms  max ${l.max.toFixed(1)} ms  ` +
    `(${l.n} frames)  ${rep.processedPerS.toFixed(0)} ev/s` + (rep.decisionsPerS !== undefined ? `  ${rep.decisionsPerS.toFixed(0)} dec/s` : '') +
    (rep.lost !== undefined ? `  lost ${rep.lost}` : '') + `  drain ${rep.drainMs.toFixed(0)} ms  RSS ${rep.rssMb.toFixed(0)} MB (peak ${rep.rssPeakMb.toFixed(0)})`);
};

/** Runs a phase: repetitions interleaved across targets, so drift on a noisy box hits both alike. */
export async function runPhase(rig: Rig, p: Phase, log: (s: string) => void): Promise<PhaseResult[]> {
  const reps = new Map<string, Rep[]>();
  for (let i = 0; i < p.reps; i++) {
    for (const name of p.targets) {
      const t = rig.targets.find((x) => x.name === name)!;
      const budget = p.warmupMs + p.measureMs + DRAIN_MAX_MS + 90_000;
      const rep = await withTimeout(runRep(rig, t, p, `${p.name.replace(/[^A-Za-z0-9]/g, '')}-${name}-${i}`), budget, `${p.name} ${name} rep ${i + 1}`);
      reps.set(name, [...(reps.get(name) ?? []), rep]);
      logRep(log, p.name, name, i, p.reps, rep);
    }
  }
  return p.targets.map((name) => ({ phase: p.name, target: name, rate: p.rate, reps: reps.get(name)!, summary: summarize(reps.get(name)!) }));
}

/**
 * The capacity ramp: decision-triggering steps at rising rates, stopping at the first step whose engine
 * p99 passes `p99LimitMs` or that falls behind (events taken below 95 % of offered, or more than a second
 * to finish after the last send). Decisions/s come from aisle_decisions_total.
 */
export async function runCapacity(rig: Rig, steps: Phase[], log: (s: string) => void, p99LimitMs = 50): Promise<{ results: PhaseResult[]; capacity: CapacityResult }> {
  const results: PhaseResult[] = [];
  const capacity: CapacityResult = { steps: [], p99LimitMs };
  for (const p of steps) {
    log(`\n${p.name}: ${p.rate}/s zone changes, QoS ${p.qos}, ${p.devices} shoppers, ${p.warmupMs / 1000} s warm-up + ${p.measureMs / 1000} s measured × ${p.reps}`);
    const r = await runPhase(rig, p, log);
    results.push(...r);
    const e = r.find((x) => x.target === 'engine')!.summary;
    const why = e.latency.p99 > p99LimitMs ? `p99 ${e.latency.p99.toFixed(1)} ms > ${p99LimitMs} ms`
      : Number.isNaN(e.latency.p99) ? 'no frames'
      : e.processedPerS < 0.95 * p.rate ? `behind: ${e.processedPerS.toFixed(0)} of ${p.rate} events/s taken`
      : e.drainMs > 1000 ? `behind: ${(e.drainMs / 1000).toFixed(1)} s to finish after the last send` : undefined;
    const step: CapacityStep = { phase: p.name, offered: p.rate, evPerS: e.processedPerS, decisionsPerS: e.decisionsPerS ?? NaN,
      p99: e.latency.p99, drainMs: e.drainMs, ok: !why, ...(why ? { why } : {}) };
    capacity.steps.push(step);
    log(`  ${p.name}: ${step.ok ? 'held' : `stops the ramp (${why})`}, ${(step.decisionsPerS).toFixed(0)} decisions/s`);
    if (!step.ok) { capacity.stoppedAt = step; break; }
    capacity.lastOk = step;
  }
  return { results, capacity };
}

/** The two zones the overload load leaves alone: a probe device walks between them, so each probe changes what screens show. */
export const probeZones = (zones: number): string[] => [zones - 2, zones - 1].map((i) => `z-${String(i).padStart(2, '0')}`);
/** A probe whose frame has not come after this long is given up and the next one sent. */
const PROBE_GIVE_UP_MS = 5_000;
/** A consenting customer (c-bench-N consents unless N % 10 is 9). */
const PROBE_CUSTOMER = 'c-bench-0';

/** Sends `n` probes 150 ms apart to a target and returns their latencies (ms; NaN: no frame within a second). */
async function probeSeries(rig: Rig, t: Target, device: string, n: number): Promise<number[]> {
  const sent: ProbeResult[] = [];
  for (let i = 0; i < n; i++) {
    sent.push(await request<ProbeResult>(rig.publisher, 'probe', probeArgs(rig, t, device)));
    await sleep(150);
  }
  await sleep(1000 - 150);
  const arrivals = await request<number[]>(rig.receiver, 'arrivals', { ts: sent.map((s) => s.ts) });
  return sent.map((s, i) => (arrivals[i] ? (arrivals[i]! - s.sentUs) / 1000 : NaN));
}
const probeArgs = (rig: Rig, t: Target, deviceId: string, leaving = false): ProbeArgs =>
  ({ topic: t.topic, storeId: rig.storeId, deviceId, customerId: PROBE_CUSTOMER, zones: probeZones(rig.zones), qos: 1, leave: leaving });

const median = (xs: number[]) => { const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };

/** Purchases whose de-dupe mark (`seen:…:<event id>`, set with the profile in one script) is in Redis. */
async function committedOf(redis: Rig['redis'], ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const want = new Set(ids);
  const common = ids[0]!.slice(0, ids[0]!.lastIndexOf('-') + 1); // the run's id base: p-<tag>-<run>-
  const r = new Redis(redis.url);
  let found = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${redis.prefix}seen:*${common}*`, 'COUNT', 5000);
      cursor = next;
      for (const k of keys) if (want.delete(k.slice(k.lastIndexOf(':') + 1))) found++;
    } while (cursor !== '0');
  } finally { r.disconnect(); }
  return found;
}

/**
 * One repetition of the overload phase (engine only): probes before the load, the mixed load (presence,
 * label taps, a steady stream of purchases), then after the last send a probe at a time (the next 250 ms
 * after the previous was sent and once its frame came) until three probes in a row came back within
 * `normalMs`; the wait goes on until the engine has also taken and finished everything (and its overload
 * governor, if any, is back at level 0).
 */
async function runOverloadRep(rig: Rig, p: Phase, i: number, log: (s: string) => void, maxWaitMs: number): Promise<Rep> {
  const t = rig.targets.find((x) => x.name === 'engine')!;
  const fl = p.targets.includes('floor') ? rig.targets.find((x) => x.name === 'floor') : undefined;
  const pool = `${p.name.replace(/[^A-Za-z0-9]/g, '')}-engine-${i}`;
  const probeDevice = `d-probe-${pool}`;
  const args = runArgs(rig, t, p, pool);

  await request(rig.receiver, 'reset');
  const baseline = { engine: await probeSeries(rig, t, probeDevice, 5), floor: fl ? await probeSeries(rig, fl, `${probeDevice}-floor`, 5) : [] };
  const normalMs = Math.max(10, 2 * median(baseline.engine) || 10);
  log(`  probes before the load: engine ${baseline.engine.map((x) => x.toFixed(2)).join(', ')} ms` +
    (fl ? `; floor ${baseline.floor.map((x) => x.toFixed(2)).join(', ')} ms` : '') + `; normal = a probe's frame within ${normalMs.toFixed(1)} ms`);
  if (fl) await request(rig.publisher, 'probe', probeArgs(rig, fl, `${probeDevice}-floor`, true));

  await request(rig.receiver, 'reset');
  const before = await scrape(t.port!);
  const warm = atWarmUp(t, p.warmupMs);
  const rss = rssPeak(t.child.pid!);
  const res = await request<RunResult>(rig.publisher, 'run', args, args.durationMs + 60_000);
  warm.stop();
  const atEnd = { c: await scrape(t.port!), cpu: cpuOf(t.child.pid!), t: performance.now() };
  const rssLoadEndMb = rssOf(t.child.pid!) / 2 ** 20;

  // After the load: scrape until drained, probe every 250 ms, until normal (or the wait runs out).
  const probes: ProbeResult[] = [];
  let drainedAt: number | undefined;
  let unackedPeak = atEnd.c.unacked;
  const governed = atEnd.c.overloadLevel !== undefined;
  let maxLevel = Math.max(atEnd.c.overloadLevel ?? 0, (warm.get()?.c as Counters | undefined)?.overloadLevel ?? 0);
  let levelZeroAt: number | undefined = atEnd.c.overloadLevel === 0 ? nowMs() : undefined;
  let scraping: Promise<void> | undefined;
  let lastProbe = 0;
  let recoveredIdx: number | undefined;
  let lats: (number | null)[] = [];
  while (nowMs() - res.lastSendAt < maxWaitMs) {
    const probed = probes.length; // probes are presence events too
    scraping ??= scrape(t.port!).then((c) => {
      unackedPeak = Math.max(unackedPeak, c.unacked);
      if (c.overloadLevel !== undefined) {
        maxLevel = Math.max(maxLevel, c.overloadLevel);
        if (c.overloadLevel > 0) levelZeroAt = undefined; else levelZeroAt ??= nowMs();
      }
      if (drainedAt === undefined && c.accepted - before.accepted >= res.sent + probed && c.unacked === 0) drainedAt = nowMs();
    }, () => {}).finally(() => { scraping = undefined; });
    if (recoveredIdx === undefined) {
      // One probe at a time (two queued together would coalesce in the device's lane, and count as shed).
      const prev = probes.length - 1;
      const waiting = prev >= 0 && lats[prev] === null && nowMs() - probes[prev]!.sentAt < PROBE_GIVE_UP_MS;
      if (!waiting && performance.now() - lastProbe >= 250) {
        lastProbe = performance.now();
        probes.push(await request<ProbeResult>(rig.publisher, 'probe', probeArgs(rig, t, probeDevice)));
      }
      const arrivals = await request<number[]>(rig.receiver, 'arrivals', { ts: probes.map((x) => x.ts) });
      lats = probes.map((x, k) => (arrivals[k] ? (arrivals[k]! - x.sentUs) / 1000 : null));
      // Normal again from the first of three probes in a row whose frames came within normalMs.
      const ok = (k: number) => lats[k] !== null && lats[k]! <= normalMs;
      for (let k = 0; k + 2 < probes.length && recoveredIdx === undefined; k++) if (ok(k) && ok(k + 1) && ok(k + 2)) recoveredIdx = k;
    }
    if (drainedAt !== undefined && recoveredIdx !== undefined && (!governed || levelZeroAt !== undefined)) break;
    await sleep(50);
  }
  await scraping;
  const settled = drainedAt !== undefined ? await request<{ at: number }>(t.child, 'settle', undefined, 60_000).then((x) => x.at) : NaN;
  const rssPeakMb = rss.stop();
  await sleep(100);
  const got = await request<Collected>(rig.receiver, 'collect');
  const after = await scrape(t.port!);
  const committed = await committedOf(rig.redis, res.posIds);
  const rssEndMb = rssOf(t.child.pid!) / 2 ** 20;

  const w = warm.get() ?? { c: before, cpu: NaN, t: NaN };
  const wc = w.c as Counters;
  const secs = (atEnd.t - w.t) / 1000;
  const d = diff(before, after);
  // The probes (presence, after the load) are not part of the load: left out of every count below.
  const acceptedOf = (type: string) => (d.events[`${type}/accepted`] ?? 0) - (type === 'presence' ? probes.length : 0);
  const accepted = d.accepted - probes.length;
  const byType = Object.fromEntries(Object.entries(res.byType).map(([type, c]) => [type, { ...c, accepted: acceptedOf(type) }]));
  const pos = { sent: res.byType.pos?.sent ?? 0, acked: res.byType.pos?.acked ?? 0, accepted: acceptedOf('pos') };
  const overload: OverloadInfo = {
    byType, purchases: { ...pos, committed, lost: pos.sent - pos.accepted + (pos.sent - pos.acked) },
    rssLoadEndMb, rssEndMb,
    ...(drainedAt !== undefined ? { drainedMs: Math.max(0, drainedAt - res.lastSendAt) } : {}),
    ...(recoveredIdx !== undefined ? { recoveredMs: Math.max(0, probes[recoveredIdx]!.sentAt - res.lastSendAt) } : {}),
    normalMs, baselineMs: baseline,
    probes: probes.map((x, k) => ({ afterMs: Math.round(x.sentAt - res.lastSendAt), latencyMs: lats[k] ?? null })),
    unackedPeak,
    ...(governed ? { governor: { maxLevel, collections: d.overloadGc, ...(levelZeroAt !== undefined ? { normalMs: Math.max(0, levelZeroAt - res.lastSendAt) } : {}) } } : {}),
  };
  const rep: Rep = {
    latency: latencyOf(latencies(got.pairs, res.batches, res.measureFromTs, res.measureToTs)),
    offered: p.rate, sent: res.sent, processedPerS: (atEnd.c.accepted - wc.accepted) / secs,
    decisionsPerS: (atEnd.c.decisions - wc.decisions) / secs, frames: got.frames,
    deadLetters: d.deadLetters, shed: Object.values(d.shed).reduce((a, b) => a + b, 0), shedKinds: d.shed, byReason: d.byReason,
    outcomes: otherOutcomes(d.events), rssMb: rssLoadEndMb, rssPeakMb, cpuPct: ((atEnd.cpu - w.cpu) / secs) * 100,
    drainMs: Math.max(0, settled - res.lastSendAt), publisherMaxLagMs: res.maxLagMs,
    acked: res.acked, acceptedTotal: accepted, lost: res.sent - accepted + (res.sent - res.acked), overload,
  };
  const types = Object.entries(byType).map(([k, v]) => `${k} ${v.accepted}/${v.sent}`).join(', ');
  log(`  ${p.name} engine rep ${i + 1}/${p.reps}: served frames p50 ${rep.latency.p50.toFixed(2)} ms  p99 ${rep.latency.p99.toFixed(2)} ms  max ${rep.latency.max.toFixed(1)} ms` +
    ` (${rep.latency.n} frames)  ${rep.processedPerS.toFixed(0)} ev/s taken of ${p.rate}  ${(rep.decisionsPerS ?? NaN).toFixed(0)} dec/s  CPU ${rep.cpuPct.toFixed(0)} %`);
  log(`    accepted/sent by type: ${types}; lost ${rep.lost}; dead letters ${rep.deadLetters}; shed ${JSON.stringify(d.shed)}; other outcomes ${JSON.stringify(rep.outcomes)}`);
  log(`    purchases: ${committed}/${pos.sent} committed in Redis, ${pos.accepted} accepted, ${pos.acked} acknowledged by the broker, lost ${overload.purchases.lost}`);
  log(`    RSS peak ${rssPeakMb.toFixed(0)} MB, at load end ${rssLoadEndMb.toFixed(0)} MB, after recovery ${rssEndMb.toFixed(0)} MB; most held unacknowledged ${unackedPeak}` +
    (overload.governor ? `; overload level max ${overload.governor.maxLevel}, back to 0 ${overload.governor.normalMs === undefined ? 'not within the wait'
      : `${overload.governor.normalMs.toFixed(0)} ms after the last send`}, forced GCs ${overload.governor.collections}` : ''));
  log(`    after the last send: drained in ${overload.drainedMs === undefined ? `more than ${maxWaitMs / 1000} s` : `${overload.drainedMs.toFixed(0)} ms`}, normal again after ` +
    `${overload.recoveredMs === undefined ? `more than ${maxWaitMs / 1000} s` : `${overload.recoveredMs.toFixed(0)} ms`}; probes (ms after → latency): ` +
    overload.probes.slice(0, 12).map((x) => `${x.afterMs}→${x.latencyMs === null ? '–' : x.latencyMs.toFixed(1)}`).join(' ') + (overload.probes.length > 12 ? ` … (${overload.probes.length})` : ''));

  await request(rig.publisher, 'probe', probeArgs(rig, t, probeDevice, true));
  await leave(rig, t, args, p.rate);
  return rep;
}

/** The overload phase: engine only (the floor answers the probes before the load, for reference). */
export async function runOverload(rig: Rig, p: Phase, log: (s: string) => void, maxWaitMs = 180_000): Promise<PhaseResult[]> {
  const reps: Rep[] = [];
  for (let i = 0; i < p.reps; i++) {
    const budget = p.warmupMs + p.measureMs + maxWaitMs + DRAIN_MAX_MS + 120_000;
    reps.push(await withTimeout(runOverloadRep(rig, p, i, log, maxWaitMs), budget, `${p.name} rep ${i + 1}`));
  }
  return [{ phase: p.name, target: 'engine', rate: p.rate, reps, summary: summarize(reps) }];
}
