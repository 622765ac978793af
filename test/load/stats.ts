/** Percentiles, the engine's /metrics counters, and the summary table. */

export type Latency = { n: number; p50: number; p99: number; max: number };

export function latencyOf(ms: number[]): Latency {
  if (!ms.length) return { n: 0, p50: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(ms).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1]! };
}

/**
 * Event → frame latencies (ms) inside the measured window: frame arrival minus the exact send time of
 * the publisher batch whose `ts` the frame carries (both CLOCK_MONOTONIC µs).
 */
export function latencies(pairs: number[], batches: number[], fromTs: number, toTs: number): number[] {
  const sentAt = new Map<number, number>();
  for (let i = 0; i < batches.length; i += 2) sentAt.set(batches[i]!, batches[i + 1]!);
  const out: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const ts = pairs[i]!;
    if (ts < fromTs || ts > toTs) continue;
    const s = sentAt.get(ts);
    if (s !== undefined) out.push((pairs[i + 1]! - s) / 1000);
  }
  return out;
}

export type Counters = { accepted: number; decisions: number; deadLetters: number; shed: Record<string, number>; byReason: Record<string, number> };

/** Reads the counters the bench reports from the engine's Prometheus text. */
export async function scrape(port: number): Promise<Counters> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const c: Counters = { accepted: 0, decisions: 0, deadLetters: 0, shed: {}, byReason: {} };
  for (const line of text.split('\n')) {
    const m = /^(aisle_\w+?)(?:\{([^}]*)\})? ([\d.e+-]+)$/.exec(line);
    if (!m) continue;
    const [, name, labels = '', v] = m;
    const val = Number(v);
    const label = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(labels)?.[1] ?? '';
    if (name === 'aisle_events_total' && label('outcome') === 'accepted') c.accepted += val;
    else if (name === 'aisle_decisions_total') { c.decisions += val; c.byReason[label('reason')] = (c.byReason[label('reason')] ?? 0) + val; }
    else if (name === 'aisle_dead_letters_total') c.deadLetters += val;
    else if (name === 'aisle_shed_total') c.shed[label('kind')] = (c.shed[label('kind')] ?? 0) + val;
  }
  return c;
}

export function diff(a: Counters, b: Counters): Counters {
  const sub = (x: Record<string, number>, y: Record<string, number>) =>
    Object.fromEntries(Object.keys(y).map((k) => [k, (y[k] ?? 0) - (x[k] ?? 0)]).filter(([, v]) => v !== 0));
  return { accepted: b.accepted - a.accepted, decisions: b.decisions - a.decisions, deadLetters: b.deadLetters - a.deadLetters,
    shed: sub(a.shed, b.shed), byReason: sub(a.byReason, b.byReason) };
}

/** One repetition of one phase against one target. */
export type Rep = {
  latency: Latency; offered: number; sent: number; processedPerS: number; decisionsPerS?: number; frames: number;
  deadLetters?: number; shed?: number; shedKinds?: Record<string, number>; byReason?: Record<string, number>;
  rssMb: number; cpuPct: number; drainMs: number; publisherMaxLagMs: number;
  /** QoS 1 phases: everything published was acknowledged by the broker and accepted by the engine. */
  acked?: number; acceptedTotal?: number; lost?: number;
};
export type PhaseResult = { phase: string; target: 'engine' | 'floor'; rate: number; reps: Rep[]; summary: Rep };

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };
const sum = (xs: (number | undefined)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

const sumRecords = (rs: Record<string, number>[]) => {
  const out: Record<string, number> = {};
  for (const r of rs) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
};

/** The share of frames that were personal (a shopper's turn), percent; undefined without decisions. */
export function personalShare(byReason: Record<string, number> | undefined): number | undefined {
  const total = sum(Object.values(byReason ?? {}));
  return total ? (100 * (byReason!.shopper ?? 0)) / total : undefined;
}

/** Medians of the repetitions; max is the worst seen, counts of trouble are totals. */
export function summarize(reps: Rep[]): Rep {
  const med = (f: (r: Rep) => number | undefined) => median(reps.map(f).filter((x): x is number => x !== undefined));
  return {
    latency: { n: sum(reps.map((r) => r.latency.n)), p50: med((r) => r.latency.p50), p99: med((r) => r.latency.p99), max: Math.max(...reps.map((r) => r.latency.max)) },
    offered: med((r) => r.offered), sent: sum(reps.map((r) => r.sent)), processedPerS: med((r) => r.processedPerS),
    decisionsPerS: reps[0]?.decisionsPerS === undefined ? undefined : med((r) => r.decisionsPerS), frames: sum(reps.map((r) => r.frames)),
    deadLetters: reps[0]?.deadLetters === undefined ? undefined : sum(reps.map((r) => r.deadLetters)),
    shed: reps[0]?.shed === undefined ? undefined : sum(reps.map((r) => r.shed)),
    rssMb: Math.max(...reps.map((r) => r.rssMb)), cpuPct: med((r) => r.cpuPct), drainMs: med((r) => r.drainMs),
    publisherMaxLagMs: Math.max(...reps.map((r) => r.publisherMaxLagMs)),
    lost: reps[0]?.lost === undefined ? undefined : sum(reps.map((r) => r.lost)),
    byReason: reps.some((r) => r.byReason) ? sumRecords(reps.map((r) => r.byReason ?? {})) : undefined,
  };
}

const f = (x: number | undefined, d = 2) => (x === undefined ? '-' : Number.isNaN(x) ? 'n/a' : x.toFixed(d));

/** The plain-text summary: one line per phase and target, then engine ÷ floor ratios. */
export function table(results: PhaseResult[]): string {
  const head = ['phase', 'target', 'offered/s', 'ev/s done', 'dec/s', 'frames', 'p50 ms', 'p99 ms', 'max ms', 'dead', 'shed', 'lost', 'RSS MB', 'CPU %', 'drain ms', 'personal %'];
  const rows = results.map(({ phase, target, summary: s }) => [phase, target, f(s.offered, 0), f(s.processedPerS, 0), f(s.decisionsPerS, 0),
    String(s.frames), f(s.latency.p50), f(s.latency.p99), f(s.latency.max, 1), f(s.deadLetters, 0), f(s.shed, 0), f(s.lost, 0),
    f(s.rssMb, 0), f(s.cpuPct, 0), f(s.drainMs, 0), f(personalShare(s.byReason), 1)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  const out = [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)];
  const ratios = ratiosOf(results);
  if (ratios.length) out.push('', 'engine ÷ floor (same run, same publisher, same rate):');
  for (const r of ratios) out.push(`  ${r.phase.padEnd(w[0]!)}  p50 ${f(r.p50, 1)}×   p99 ${f(r.p99, 1)}×   (engine p99 ${f(r.engineP99)} ms, floor p99 ${f(r.floorP99)} ms)`);
  return out.join('\n');
}

export function ratiosOf(results: PhaseResult[]) {
  return results.filter((r) => r.target === 'engine').flatMap((e) => {
    const fl = results.find((r) => r.target === 'floor' && r.phase === e.phase);
    return fl ? [{ phase: e.phase, p50: e.summary.latency.p50 / fl.summary.latency.p50, p99: e.summary.latency.p99 / fl.summary.latency.p99,
      engineP99: e.summary.latency.p99, floorP99: fl.summary.latency.p99 }] : [];
  });
}
