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

export type Counters = {
  accepted: number; decisions: number; deadLetters: number; shed: Record<string, number>; byReason: Record<string, number>;
  /** aisle_events_total by `type/outcome` (accepted, duplicate, dead_letter, other_store, and whatever the engine adds). */
  events: Record<string, number>;
  /** aisle_mqtt_unacked, summed over the sessions: QoS 1 messages held until their work is done (a gauge). */
  unacked: number;
  /** aisle_overload (the overload governor's level: 0 normal, 1 shedding pings and arrivals, 2 hard limit); undefined: no governor. */
  overloadLevel?: number;
  /** aisle_overload_gc_total: full collections the governor asked for. */
  overloadGc: number;
};

/** Reads the counters the bench reports from the engine's Prometheus text. */
export async function scrape(port: number): Promise<Counters> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const c: Counters = { accepted: 0, decisions: 0, deadLetters: 0, shed: {}, byReason: {}, events: {}, unacked: 0, overloadGc: 0 };
  for (const line of text.split('\n')) {
    const m = /^(aisle_\w+?)(?:\{([^}]*)\})? ([\d.e+-]+)$/.exec(line);
    if (!m) continue;
    const [, name, labels = '', v] = m;
    const val = Number(v);
    const label = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(labels)?.[1] ?? '';
    if (name === 'aisle_events_total') {
      if (label('outcome') === 'accepted') c.accepted += val;
      const k = `${label('type')}/${label('outcome')}`;
      c.events[k] = (c.events[k] ?? 0) + val;
    }
    else if (name === 'aisle_decisions_total') { c.decisions += val; c.byReason[label('reason')] = (c.byReason[label('reason')] ?? 0) + val; }
    else if (name === 'aisle_dead_letters_total') c.deadLetters += val;
    else if (name === 'aisle_shed_total') c.shed[label('kind')] = (c.shed[label('kind')] ?? 0) + val;
    else if (name === 'aisle_mqtt_unacked') c.unacked += val;
    else if (name === 'aisle_overload') c.overloadLevel = val;
    else if (name === 'aisle_overload_gc_total') c.overloadGc += val;
  }
  return c;
}

export function diff(a: Counters, b: Counters): Counters {
  const sub = (x: Record<string, number>, y: Record<string, number>) =>
    Object.fromEntries(Object.keys(y).map((k) => [k, (y[k] ?? 0) - (x[k] ?? 0)]).filter(([, v]) => v !== 0));
  return { accepted: b.accepted - a.accepted, decisions: b.decisions - a.decisions, deadLetters: b.deadLetters - a.deadLetters,
    shed: sub(a.shed, b.shed), byReason: sub(a.byReason, b.byReason), events: sub(a.events, b.events), unacked: b.unacked,
    overloadLevel: b.overloadLevel, overloadGc: b.overloadGc - a.overloadGc };
}

/** What the overload phase measures besides latency (one repetition). */
export type OverloadInfo = {
  /** Per event type: published, acknowledged by the broker, accepted by the engine. */
  byType: Record<string, { sent: number; acked: number; accepted: number }>;
  /** Purchases: sent, acknowledged by the broker, accepted, committed (their de-dupe mark is in Redis), lost (as in the purchases phase). */
  purchases: { sent: number; acked: number; accepted: number; committed: number; lost: number };
  /** Engine RSS when the publisher stopped and after recovery (MB); the peak is the repetition's `rssPeakMb`. */
  rssLoadEndMb: number; rssEndMb: number;
  /** Last send → every event accepted and no QoS 1 message held (aisle_mqtt_unacked 0); undefined: not within the wait. */
  drainedMs?: number;
  /** Last send → the first probe from which on every probe's frame came within `normalMs`; undefined: not within the wait. */
  recoveredMs?: number;
  /** A probe is "normal" when its frame arrives within this (max of 10 ms and twice the engine's median probe before the load). */
  normalMs: number;
  /** Probe latencies (ms) before the load: the engine's, and the floor's for reference. */
  baselineMs: { engine: number[]; floor: number[] };
  /** Probes after the last send: when sent (ms after it) and their frame's latency (null: none). */
  probes: { afterMs: number; latencyMs: number | null }[];
  /** Most QoS 1 messages seen held at once after the load (aisle_mqtt_unacked). */
  unackedPeak: number;
  /**
   * The overload governor, when the engine has one (aisle_overload): the highest level seen (sampled at the ends of
   * the warm-up and the load, then every ~100 ms after it), last send → back at 0, and the full collections it asked for.
   */
  governor?: { maxLevel: number; normalMs?: number; collections: number };
};

/** One step of the capacity ramp, judged. */
export type CapacityStep = { phase: string; offered: number; evPerS: number; decisionsPerS: number; p99: number; drainMs: number; ok: boolean; why?: string };
export type CapacityResult = { steps: CapacityStep[]; lastOk?: CapacityStep; stoppedAt?: CapacityStep; p99LimitMs: number };

/** One repetition of one phase against one target. */
export type Rep = {
  latency: Latency; offered: number; sent: number; processedPerS: number; decisionsPerS?: number; frames: number;
  deadLetters?: number; shed?: number; shedKinds?: Record<string, number>; byReason?: Record<string, number>;
  /** aisle_events_total outcomes other than `accepted`, by `type/outcome`. */
  outcomes?: Record<string, number>;
  /** rssMb: right after the window; rssPeakMb: the most seen (every 100 ms) from the start of the load until drained. */
  rssMb: number; rssPeakMb: number; cpuPct: number; drainMs: number; publisherMaxLagMs: number;
  /** QoS 1 phases: everything published was acknowledged by the broker and accepted by the engine (or taken by the floor). */
  acked?: number; acceptedTotal?: number; lost?: number;
  overload?: OverloadInfo;
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
    shedKinds: reps.some((r) => r.shedKinds) ? sumRecords(reps.map((r) => r.shedKinds ?? {})) : undefined,
    outcomes: reps.some((r) => r.outcomes) ? sumRecords(reps.map((r) => r.outcomes ?? {})) : undefined,
    rssMb: Math.max(...reps.map((r) => r.rssMb)), rssPeakMb: Math.max(...reps.map((r) => r.rssPeakMb)),
    cpuPct: med((r) => r.cpuPct), drainMs: med((r) => r.drainMs),
    publisherMaxLagMs: Math.max(...reps.map((r) => r.publisherMaxLagMs)),
    lost: reps[0]?.lost === undefined ? undefined : sum(reps.map((r) => r.lost)),
    byReason: reps.some((r) => r.byReason) ? sumRecords(reps.map((r) => r.byReason ?? {})) : undefined,
  };
}

/** Latency in ms: two decimals below 10, one below 100, none above; n/a without frames. */
const ms = (x: number | undefined) => (x === undefined ? '–' : Number.isNaN(x) ? 'n/a' : x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0));
const int = (x: number | undefined) => (x === undefined ? '–' : Number.isNaN(x) ? 'n/a' : Math.round(x).toLocaleString('en-US'));
/** 950, 12.3k, 1.2M */
export const compact = (x: number) => (Math.abs(x) < 1000 ? String(Math.round(x)) : Math.abs(x) < 1e6 ? `${(x / 1000).toFixed(x < 1e4 ? 1 : 0)}k` : `${(x / 1e6).toFixed(1)}M`);
const secs = (x: number | undefined) => (x === undefined ? 'not within the wait' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);

/** `presence_coalesced 12k · visit_cap 3`, then event outcomes other than accepted: `presence/duplicate 2`. */
function shedCell(s: Rep): string {
  const parts = Object.entries(s.shedKinds ?? {}).filter(([, v]) => v).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${compact(v)}`);
  parts.push(...Object.entries(s.outcomes ?? {}).filter(([k, v]) => v && !k.endsWith('/accepted')).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${compact(v)}`));
  return parts.length ? parts.join(' · ') : '0';
}

function overloadNotes(reps: Rep[]): string[] {
  const o = reps.map((r) => r.overload).filter((x): x is OverloadInfo => !!x);
  if (!o.length) return [];
  const each = (g: (x: OverloadInfo) => string) => o.map(g).join(' / ');
  return [
    `purchases committed ${each((x) => `${x.purchases.committed}/${x.purchases.sent}`)} (lost ${each((x) => String(x.purchases.lost))})`,
    `drained ${each((x) => secs(x.drainedMs))} after the load`,
    `normal again (probe ≤ ${each((x) => x.normalMs.toFixed(0))} ms) after ${each((x) => secs(x.recoveredMs))}`,
    `RSS at load end ${each((x) => x.rssLoadEndMb.toFixed(0))} MB, after recovery ${each((x) => x.rssEndMb.toFixed(0))} MB`,
    ...(o.some((x) => x.governor) ? [`overload level max ${each((x) => String(x.governor?.maxLevel ?? '–'))}, back to 0 after ${each((x) => secs(x.governor?.normalMs))}` +
      `, forced GCs ${each((x) => String(x.governor?.collections ?? '–'))}`] : []),
  ];
}

/**
 * The summary as one markdown table: a row per phase, engine and floor side by side (medians of the
 * repetitions; max = the worst frame seen; counts are totals), then what the table cannot hold.
 */
export function markdownTable(results: PhaseResult[], capacity?: CapacityResult): string {
  const phases = [...new Set(results.map((r) => r.phase))];
  const capStep = new Map((capacity?.steps ?? []).map((s) => [s.phase, s]));
  const head = ['phase', 'reps', 'engine p50 / p99 / max ms', 'floor p50 / p99 / max ms', 'p99 ÷ floor', 'offered/s', 'ev/s done (floor)',
    'dec/s', 'personal %', 'RSS peak MB (floor)', 'shed', 'notes'];
  const rows = phases.map((phase) => {
    const e = results.find((r) => r.phase === phase && r.target === 'engine');
    const fl = results.find((r) => r.phase === phase && r.target === 'floor');
    const es = e?.summary; const fs = fl?.summary;
    const lat = (s?: Rep) => (s ? `${ms(s.latency.p50)} / ${ms(s.latency.p99)} / ${ms(s.latency.max)}` : '–');
    const notes: string[] = [];
    if (es) {
      if (es.lost !== undefined) notes.push(`lost ${es.lost}${fs?.lost !== undefined ? ` (floor ${fs.lost})` : ''}`);
      if (es.deadLetters) notes.push(`dead letters ${es.deadLetters}`);
      if (!es.overload && !e!.reps.some((r) => r.overload)) notes.push(`drain ${ms(es.drainMs)} ms`);
      notes.push(`CPU ${int(es.cpuPct)} %`);
      if (es.publisherMaxLagMs > 50) notes.push(`publisher lag ${int(es.publisherMaxLagMs)} ms`);
      notes.push(...overloadNotes(e!.reps));
    }
    const step = capStep.get(phase);
    if (step) notes.unshift(step.ok ? `✓ p99 ≤ ${capacity!.p99LimitMs} ms, keeping up` : `✗ ${step.why}`);
    return [phase, String(e?.reps.length ?? fl?.reps.length ?? 0), lat(es), lat(fs),
      es && fs ? (Number.isNaN(es.latency.p99 / fs.latency.p99) ? 'n/a' : `${(es.latency.p99 / fs.latency.p99).toFixed(1)}×`) : '–',
      int(es?.offered ?? fs?.offered), `${int(es?.processedPerS)}${fs ? ` (${int(fs.processedPerS)})` : ''}`,
      int(es?.decisionsPerS), es ? (personalShare(es.byReason)?.toFixed(1) ?? '–') : '–',
      `${int(es?.rssPeakMb)}${fs ? ` (${int(fs.rssPeakMb)})` : ''}`, es ? shedCell(es) : '–', notes.join('; ')];
  });
  const row = (r: string[]) => `| ${r.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const out = [row(head), `|${head.map((_, i) => (i >= 4 && i <= 9 ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map(row)];
  if (capacity?.steps.length) {
    const l = capacity.lastOk;
    out.push('', l ? `**Capacity:** ${int(l.decisionsPerS)} decisions/s sustained at ${int(l.offered)} decision-triggering events/s (${l.phase}: p99 ${ms(l.p99)} ms)`
      + (capacity.stoppedAt ? `; ${capacity.stoppedAt.phase} did not hold: ${capacity.stoppedAt.why} (${int(capacity.stoppedAt.decisionsPerS)} decisions/s).` : '; every step held.')
      : `**Capacity:** no step held p99 ≤ ${capacity.p99LimitMs} ms (first step: ${capacity.steps[0]!.why}).`);
  }
  return out.join('\n');
}

export function ratiosOf(results: PhaseResult[]) {
  return results.filter((r) => r.target === 'engine').flatMap((e) => {
    const fl = results.find((r) => r.target === 'floor' && r.phase === e.phase);
    return fl ? [{ phase: e.phase, p50: e.summary.latency.p50 / fl.summary.latency.p50, p99: e.summary.latency.p99 / fl.summary.latency.p99,
      engineP99: e.summary.latency.p99, floorP99: fl.summary.latency.p99 }] : [];
  });
}
