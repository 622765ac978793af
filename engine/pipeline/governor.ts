import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { InboundEvent, Visit } from '#contracts';
import type { Clock } from '../platform/clock.js';
import { collectGarbage, limitHeapGrowth } from '../platform/heap.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { createOverloadPolicy, inFlightLevel, PRESENCE_SHED_KINDS, shedPresence, type HeapGrowth, type OverloadLevel, type OverloadStep, type PresenceShedKind } from './overload.js';

export type GovernorDeps = {
  /** AISLE_RSS_BUDGET_MB. */
  budgetMb: number;
  /** Presence events accepted and not yet applied (the device queue's inFlight). */
  inFlight(): number;
  /** The bound on presence work in flight: from half of it new arrivals wait outside, at it moves too; default 2,000. */
  maxInFlight?: number;
  /** The device's visit in this process, if any (no I/O). */
  peek(storeId: string, deviceId: string): Visit | undefined;
  /** A visit unseen this long keeps its pings under overload, so silence never ends it (a quarter of AISLE_VISIT_SILENCE_MS). */
  freshMs: number;
  clock: Clock; log: Logger; metrics?: Metrics;
  /** Registers the stop step (the engine's lifecycle). */
  onStop?(name: string, stop: () => void): void;
  /** ms between samples; default 250. */
  sampleMs?: number;
  /**
   * See limitHeapGrowth, percent: [from 60 % of the budget, from 85 %]; default [25, 10]. Below 60 %, V8 chooses.
   * null leaves V8 alone at all times (tests).
   */
  heapGrowthPercent?: readonly [number, number] | null;
  /** Test seams: resident memory (bytes), longest event-loop delay since the last call (ms), a full collection. */
  rss?(): number;
  loopDelayMs?(): number;
  collect?(): boolean;
};

/**
 * The overload governor (docs/performance.md §Overload): samples the process every 250 ms, keeps the
 * level of the pure policy (engine/pipeline/overload.ts) and decides, per presence event, whether it is
 * applied or shed. A shed event is acknowledged like an applied one (the device's next ping restores
 * its state, docs/delivery.md) and counted in `aisle_shed_total{kind}`; the level is `aisle_overload`.
 */
export function createOverloadGovernor(d: GovernorDeps) {
  const budgetBytes = d.budgetMb * 1024 * 1024;
  const policy = createOverloadPolicy({ budgetBytes });
  // The presence session holds at most 1,000 messages unacknowledged (client-bus.ts): at full throughput several hundred
  // are in flight as a matter of course, so the bound only sheds once that window is full (and, with partitions, beyond).
  const maxInFlight = d.maxInFlight ?? 2000;
  const heapGrowth = d.heapGrowthPercent === undefined ? [25, 10] as const : d.heapGrowthPercent;
  let heap: HeapGrowth = 'free';
  const shed = new Map<PresenceShedKind, { inc(): void }>();
  if (d.metrics) for (const k of PRESENCE_SHED_KINDS) shed.set(k, d.metrics.shed.labels(k));
  d.metrics?.overload.set(0);

  let loop: ReturnType<typeof monitorEventLoopDelay> | undefined;
  if (!d.loopDelayMs) { loop = monitorEventLoopDelay({ resolution: 20 }); loop.enable(); }
  const loopDelayMs = d.loopDelayMs ?? (() => { const ms = loop!.max / 1e6; loop!.reset(); return ms; });
  const rss = d.rss ?? (() => process.memoryUsage.rss());
  const collect = d.collect ?? collectGarbage;

  let level: OverloadLevel = 0; // sampled: memory and delay, with hysteresis
  let shown: OverloadLevel = 0; // aisle_overload: the sampled level, or the in-flight bound's if it shed more since the last sample
  let boundLevel: OverloadLevel = 0; // the highest level the in-flight bound gave an event since the last sample
  let boundLoggedAt = -Infinity;
  let arrived = 0; // presence events seen since the last sample
  let slowest = 0; // ms, the longest an admitted presence event took to be applied, since the last sample
  const sampleMs = d.sampleMs ?? 250;
  const delayMinArrivals = Math.ceil((400 * sampleMs) / 1000);
  const counts: Record<PresenceShedKind, number> = { presence_overload_ping: 0, presence_overload_arrival: 0, presence_overload_move: 0 };

  function sample(): OverloadStep {
    const delay = Math.max(loopDelayMs(), slowest);
    // Memory counts only while presence is arriving, delay only while it arrives fast (from 400 events/s): a pause at
    // start-up, a slow loop that presence does not cause, or memory at rest in a quiet store shed nothing.
    const s = { now: d.clock.now(), rss: rss(), delayMs: arrived >= delayMinArrivals ? delay : 0, arriving: arrived > 0 };
    arrived = 0;
    slowest = 0;
    const step = policy.update(s);
    if (step.changed) {
      const at = { level: step.level, causes: step.causes, rssMb: Math.round(s.rss / 1048576), budgetMb: d.budgetMb,
        delayMs: Math.round(s.delayMs), shed: { ...counts } };
      if (step.level > level) d.log.warn(at, step.level === 2 ? 'overload: hard limit, shedding all presence but keep-alive pings' : 'overload: shedding presence pings and new arrivals');
      else d.log.info(at, step.level === 0 ? 'overload over: nothing shed any more' : 'overload easing');
      level = step.level;
    }
    if (boundLevel && s.now - boundLoggedAt >= 30_000) {
      boundLoggedAt = s.now;
      d.log.warn({ maxInFlight, inFlight: d.inFlight(), shed: { ...counts } }, 'overload: presence work in flight at its bound, new arrivals shed');
    }
    const show = Math.max(level, boundLevel) as OverloadLevel;
    boundLevel = 0;
    if (show !== shown) { shown = show; d.metrics?.overload.set(shown); }
    if (heapGrowth && step.heap !== heap) {
      heap = step.heap;
      limitHeapGrowth(heap === 'tight' ? heapGrowth[1] : heap === 'limited' ? heapGrowth[0] : undefined);
    }
    if (step.collect) {
      const t = performance.now();
      if (collect()) {
        d.metrics?.overloadCollections.inc();
        d.log.debug({ ms: Math.round(performance.now() - t), rssMb: Math.round(s.rss / 1048576) }, 'overload: full heap collection');
      }
    }
    return step;
  }

  const timer = setInterval(sample, sampleMs);
  timer.unref();
  const close = () => { clearInterval(timer); loop?.disable(); };
  d.onStop?.('overload', close);

  /** True: apply the event. False: it was shed (counted); acknowledge it without applying it. */
  function admit(ev: InboundEvent): boolean {
    if (ev.type !== 'presence') return true;
    arrived++;
    const bound = inFlightLevel(d.inFlight(), maxInFlight);
    const at = Math.max(level, bound) as OverloadLevel;
    if (at === 0) return true;
    const v = d.peek(ev.storeId, ev.deviceId);
    const kind = shedPresence(at, {
      known: !!v,
      changes: !!v && (v.zoneId !== ev.zoneId || (ev.customerId !== undefined && ev.customerId !== v.customerId)),
      stale: !!v && d.clock.now() - v.lastSeenAt >= d.freshMs,
      leaves: ev.zoneId === null,
    });
    if (!kind) return true;
    if (bound > level && bound > boundLevel) boundLevel = bound;
    counts[kind]++;
    shed.get(kind)?.inc();
    return false;
  }

  return {
    /**
     * Applies an event (`apply`, whose promise holds its acknowledgement) or sheds it: then undefined, and
     * the message is acknowledged without waiting for anything of its own. Only presence is ever shed.
     */
    take(ev: InboundEvent, apply: () => Promise<void>): Promise<void> | undefined {
      if (!admit(ev)) return undefined;
      if (ev.type !== 'presence') return apply();
      const t0 = performance.now();
      const p = apply();
      const done = () => { const ms = performance.now() - t0; if (ms > slowest) slowest = ms; };
      p.then(done, done);
      return p;
    },
    admit,
    /** The level shown in aisle_overload (the sampled one, or the in-flight bound's when it shed more). */
    get level(): OverloadLevel { return shown; },
    /** Presence shed so far, by kind. */
    shed: (): Readonly<Record<PresenceShedKind, number>> => ({ ...counts }),
    /** Takes a sample now (tests). */
    sample,
    close,
  };
}
export type OverloadGovernor = ReturnType<typeof createOverloadGovernor>;
