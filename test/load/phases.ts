import type { ChildProcess } from 'node:child_process';
import { cpuOf, rssOf, sleep, withTimeout } from './infra.js';
import { request } from './ipc.js';
import type { Mode, RunArgs, RunResult } from './publisher.js';
import type { Collected } from './receiver.js';
import { diff, latencies, latencyOf, scrape, summarize, type Counters, type PhaseResult, type Rep } from './stats.js';

/** A system under test: the engine or the floor, each in its own process, each on its own topic. */
export type Target = {
  name: 'engine' | 'floor'; child: ChildProcess; topic: string;
  /** engine: the HTTP port for /metrics. */
  port?: number;
};
export type Phase = {
  name: string; mode: Mode; rate: number; qos: 0 | 1; devices: number; moveShare?: number;
  warmupMs: number; measureMs: number; reps: number; targets: Target['name'][];
};
export type Rig = { publisher: ChildProcess; receiver: ChildProcess; storeId: string; zones: number; customers: number; targets: Target[] };

type FloorStats = { received: number; sent: number; errors: number };

/** Waits until the target has handled what it was sent; returns when (epoch ms). */
async function drain(t: Target, expected: number): Promise<number> {
  if (t.name === 'engine') {
    for (let i = 0; i < 600 && (await scrape(t.port!)).accepted < expected; i++) await sleep(10);
    return (await request<{ at: number }>(t.child, 'settle', undefined, 60_000)).at;
  }
  let last = -1;
  for (let i = 0; i < 300; i++) { // QoS 0 may lose: stop when the count stops moving
    const s = await request<FloorStats>(t.child, 'stats');
    if (s.received >= expected || s.received === last) break;
    last = s.received;
    await sleep(10);
  }
  return performance.timeOrigin + performance.now();
}

const counters = async (t: Target): Promise<Counters | FloorStats> =>
  (t.name === 'engine' ? scrape(t.port!) : request<FloorStats>(t.child, 'stats'));
const processed = (c: Counters | FloorStats) => ('accepted' in c ? c.accepted : c.received);

/** One repetition: warm-up + measured window, drain, collect, then every shopper leaves (not measured). */
async function runRep(rig: Rig, t: Target, p: Phase, pool: string): Promise<Rep> {
  const args: RunArgs = { topic: t.topic, storeId: rig.storeId, rate: p.rate, durationMs: p.warmupMs + p.measureMs, warmupMs: p.warmupMs,
    qos: p.qos, mode: p.mode, zones: rig.zones, pool, devices: p.devices, customers: rig.customers, moveShare: p.moveShare };
  await request(rig.receiver, 'reset');
  const before = await counters(t);
  let atWarm: { c: Counters | FloorStats; cpu: number; t: number } | undefined;
  const warmTimer = setTimeout(() => {
    void counters(t).then((c) => { atWarm = { c, cpu: cpuOf(t.child.pid!), t: performance.now() }; });
  }, p.warmupMs);
  const res = await request<RunResult>(rig.publisher, 'run', args, args.durationMs + 60_000);
  clearTimeout(warmTimer);
  const atEnd = { c: await counters(t), cpu: cpuOf(t.child.pid!), t: performance.now() };
  const rssMb = rssOf(t.child.pid!) / 2 ** 20;
  const doneAt = await drain(t, processed(before) + res.sent);
  await sleep(100); // the last frames are on the wire
  const got = await request<Collected>(rig.receiver, 'collect');
  const after = await counters(t);
  const w = atWarm ?? { c: before, cpu: NaN, t: NaN };
  const secs = (atEnd.t - w.t) / 1000;
  const rep: Rep = {
    latency: latencyOf(latencies(got.pairs, res.batches, res.measureFromTs, res.measureToTs)),
    offered: p.rate, sent: res.sent, processedPerS: (processed(atEnd.c) - processed(w.c)) / secs, frames: got.frames,
    rssMb, cpuPct: ((atEnd.cpu - w.cpu) / secs) * 100, drainMs: Math.max(0, doneAt - res.lastSendAt), publisherMaxLagMs: res.maxLagMs,
  };
  if ('accepted' in before && 'accepted' in w.c && 'accepted' in atEnd.c && 'accepted' in after) {
    const d = diff(before, after);
    Object.assign(rep, { decisionsPerS: diff(w.c, atEnd.c).decisions / secs, deadLetters: d.deadLetters,
      shed: Object.values(d.shed).reduce((a, b) => a + b, 0), shedKinds: d.shed, byReason: d.byReason, acceptedTotal: d.accepted });
    if (p.qos === 1) Object.assign(rep, { acked: res.acked, lost: res.sent - d.accepted + (res.sent - res.acked) });
  }
  // Everyone leaves, so the next repetition starts from an empty store.
  const leave = await request<RunResult>(rig.publisher, 'run', { ...args, mode: 'leave', rate: Math.max(5000, p.rate), qos: 0 });
  await drain(t, processed(after) + leave.sent);
  return rep;
}

/** Runs a phase: repetitions interleaved across targets, so drift on a noisy box hits both alike. */
export async function runPhase(rig: Rig, p: Phase, log: (s: string) => void): Promise<PhaseResult[]> {
  const reps = new Map<string, Rep[]>();
  for (let i = 0; i < p.reps; i++) {
    for (const name of p.targets) {
      const t = rig.targets.find((x) => x.name === name)!;
      const budget = p.warmupMs + p.measureMs + 90_000;
      const rep = await withTimeout(runRep(rig, t, p, `${p.name.replace(/[^A-Za-z0-9]/g, '')}-${name}-${i}`), budget, `${p.name} ${name} rep ${i + 1}`);
      reps.set(name, [...(reps.get(name) ?? []), rep]);
      const l = rep.latency;
      log(`  ${p.name.padEnd(14)} ${name.padEnd(6)} rep ${i + 1}/${p.reps}: p50 ${l.p50.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms  max ${l.max.toFixed(1)} ms  ` +
        `(${l.n} frames)  ${rep.processedPerS.toFixed(0)} ev/s` + (rep.decisionsPerS !== undefined ? `  ${rep.decisionsPerS.toFixed(0)} dec/s` : '') +
        (rep.lost !== undefined ? `  lost ${rep.lost}` : '') + `  drain ${rep.drainMs.toFixed(0)} ms  RSS ${rep.rssMb.toFixed(0)} MB`);
    }
  }
  return p.targets.map((name) => ({ phase: p.name, target: name, rate: p.rate, reps: reps.get(name)!, summary: summarize(reps.get(name)!) }));
}
