/**
 * The overload policy (docs/performance.md §Overload): pure logic, no timers and no process state.
 *
 * Two sources give a level — 0 normal, 1 shedding, 2 hard: every few hundred milliseconds a sample of
 * resident memory and of delay — event loop, applying presence — (`createOverloadPolicy`), and at each
 * event the presence work in flight (`inFlightLevel`). Each presence event is kept or shed by the
 * higher of the two, least harm first (`shedPresence`). Only presence is ever shed: `pos`, `identity`
 * and `esl` never reach this policy (they are transactional; their session's acknowledgement window
 * already makes them wait).
 *
 * The sampled level rises at once when a sample calls for it and falls one step at a time, only after
 * the samples have stayed below the lower ("stay") thresholds — or without presence arriving — for
 * `holdMs`: hysteresis, so it neither flaps nor stays up once the load has gone.
 */

export type OverloadLevel = 0 | 1 | 2;

/** Why a presence event was shed: the `kind` label of `aisle_shed_total`. */
export type PresenceShedKind =
  /** level ≥ 1: the device is in a visit, the event changes neither its zone nor its member, and the visit is fresh. */
  | 'presence_overload_ping'
  /** level ≥ 1: a device not in a visit in this process (a new arrival, or a leave of a device never seen). */
  | 'presence_overload_arrival'
  /** level 2: every other presence event (zone changes, leaves, a newly identified member) except one that keeps a visit alive. */
  | 'presence_overload_move';

export const PRESENCE_SHED_KINDS: readonly PresenceShedKind[] = ['presence_overload_ping', 'presence_overload_arrival', 'presence_overload_move'];

/** What the policy needs to know about one presence event and its device's visit in this process. */
export type PresenceFacts = {
  /** The device has a visit in this process. */
  known: boolean;
  /** The event would change the visit's zone (a move or a leave) or its member. */
  changes: boolean;
  /** The visit was last seen long enough ago that a ping now keeps it from ending by silence. */
  stale: boolean;
  /** The event ends the visit (zoneId null). */
  leaves?: boolean;
};

/** Keeps (undefined) or sheds (the kind to count) one presence event at `level`. */
export function shedPresence(level: OverloadLevel, f: PresenceFacts): PresenceShedKind | undefined {
  if (level === 0) return undefined;
  if (!f.known) return 'presence_overload_arrival';
  // A visit that would otherwise end by silence keeps its event, even at the hard limit: overload never ends a visit.
  if (f.stale) return undefined;
  if (!f.changes) return 'presence_overload_ping';
  // A leave is never shed: it ends state instead of making it, and a shed one leaves a ghost in its zone until silence ends it.
  if (f.leaves) return undefined;
  return level === 2 ? 'presence_overload_move' : undefined;
}

/**
 * The level the presence work in flight calls for at this moment: from half the bound, shedding; at the
 * bound, hard. No hysteresis: it is an admission bound, checked per event (work in flight falls as soon
 * as events stop being admitted).
 */
export function inFlightLevel(inFlight: number, maxInFlight: number): OverloadLevel {
  return inFlight >= maxInFlight ? 2 : inFlight >= maxInFlight / 2 ? 1 : 0;
}

/** One reading of the process, taken every few hundred milliseconds. */
export type OverloadSample = {
  /** ms. */
  now: number;
  /** Resident set size, bytes. */
  rss: number;
  /**
   * How long presence waited in the last interval, ms: the longest event-loop delay, or the longest time an
   * admitted presence event took to be applied (one slow event holds back the acknowledgement of all after it).
   */
  delayMs: number;
  /** Presence arrived during the interval (shed or not). */
  arriving: boolean;
};

export type OverloadOptions = {
  /** Resident memory budget, bytes (AISLE_RSS_BUDGET_MB). */
  budgetBytes: number;
  /** A delay (see OverloadSample.delayMs) that counts as overload (level 1) when it lasts `delaySamples` samples in a row, ms. Default 250. */
  maxDelayMs?: number;
  /** Consecutive samples over maxDelayMs before it counts (one long pause is not overload). Default 2. */
  delaySamples?: number;
  /** How long the samples must stay below a level before it steps down, ms. Default 2000. */
  holdMs?: number;
  /** Interval between the first two requested full collections while memory stays high, ms; it doubles after each. Default 5000. */
  gcEveryMs?: number;
  /** Longest interval between requested collections, ms. Default 60000. */
  gcMaxEveryMs?: number;
};

/**
 * Fractions of the budget. Enter: shedding at 90 %, hard at 97 %. Stay: until below 85 % and 93 %.
 * Close to the budget on purpose: the engine's own floor (code, the model, caches) is about 70 % of a
 * 300 MB budget, and lower thresholds would shed at an ordinary load (docs/performance.md §Overload).
 */
export const MEMORY_THRESHOLDS = { shed: 0.9, hard: 0.97, stayShed: 0.85, stayHard: 0.93 } as const;

export type OverloadCause = 'memory' | 'delay';
export type HeapGrowth = 'free' | 'limited' | 'tight';
/** Fraction of the budget from which the heap's growth is limited. */
export const HEAP_LIMITED_AT = 0.6;

export type OverloadStep = {
  level: OverloadLevel;
  /** The level changed with this sample. */
  changed: boolean;
  /** What keeps the level up (empty when the sample asked for 0). */
  causes: OverloadCause[];
  /** Memory is over the lower threshold: a full collection now would give back what the heap no longer uses. */
  collect: boolean;
  /**
   * How far the heap may grow past what is live before V8 collects (arriving or not): `free` below 60 % of the
   * budget (V8's own choice, up to 4×), `limited` from 60 %, `tight` from 85 % (the lower shedding threshold).
   */
  heap: HeapGrowth;
};

/** The sampled level: memory and delay, with hysteresis. */
export function createOverloadPolicy(o: OverloadOptions) {
  const maxDelayMs = o.maxDelayMs ?? 250;
  const delaySamples = o.delaySamples ?? 2;
  const holdMs = o.holdMs ?? 2000;
  const gcEveryMs = o.gcEveryMs ?? 5000;
  const gcMaxEveryMs = o.gcMaxEveryMs ?? 60_000;
  const mem = (f: number) => f * o.budgetBytes;

  let level: OverloadLevel = 0;
  let calmSince: number | undefined;
  let nextGcAt: number | undefined;
  let gcInterval = gcEveryMs;
  let slowSamples = 0;

  /** The level a sample calls for: with the entering thresholds, and with the (lower) staying ones. */
  function demand(s: OverloadSample): { enter: OverloadLevel; stay: OverloadLevel; causes: OverloadCause[] } {
    const causes: OverloadCause[] = [];
    // Both count only while presence is arriving: shedding acts on arriving work, and with none arriving nothing grows.
    // So the level falls once arrivals stop for holdMs, even when memory at rest stays high (a budget too small for the store).
    if (!s.arriving) { slowSamples = 0; return { enter: 0, stay: 0, causes }; }
    const memEnter: OverloadLevel = s.rss >= mem(MEMORY_THRESHOLDS.hard) ? 2 : s.rss >= mem(MEMORY_THRESHOLDS.shed) ? 1 : 0;
    const memStay: OverloadLevel = s.rss >= mem(MEMORY_THRESHOLDS.stayHard) ? 2 : s.rss >= mem(MEMORY_THRESHOLDS.stayShed) ? 1 : 0;
    slowSamples = s.delayMs >= maxDelayMs ? slowSamples + 1 : 0;
    const lagEnter: OverloadLevel = slowSamples >= delaySamples ? 1 : 0;
    const lagStay: OverloadLevel = s.delayMs >= maxDelayMs / 2 ? 1 : 0;
    if (memStay) causes.push('memory');
    if (lagStay) causes.push('delay');
    return { enter: Math.max(memEnter, lagEnter) as OverloadLevel, stay: Math.max(memStay, lagStay) as OverloadLevel, causes };
  }

  return {
    get level(): OverloadLevel { return level; },
    /** Takes one sample; returns the level now and whether a full collection is due. */
    update(s: OverloadSample): OverloadStep {
      const d = demand(s);
      const before = level;
      if (d.enter > level) { level = d.enter; calmSince = undefined; }
      else if (d.stay < level) {
        calmSince ??= s.now;
        if (s.now - calmSince >= holdMs) { level = (level - 1) as OverloadLevel; calmSince = level > d.stay ? s.now : undefined; }
      } else calmSince = undefined;

      // Memory high: ask for a full collection now and then. The heap keeps the pages it grew into until a
      // collection compacts it, so resident memory falls only after one — also once the load has gone. While
      // memory stays high the interval doubles (what stays is live, and each collection pauses the process).
      let collect = false;
      const heap: HeapGrowth = s.rss >= mem(MEMORY_THRESHOLDS.stayShed) ? 'tight' : s.rss >= mem(HEAP_LIMITED_AT) ? 'limited' : 'free';
      if (heap === 'tight') {
        if (nextGcAt === undefined || s.now >= nextGcAt) {
          collect = true;
          nextGcAt = s.now + gcInterval;
          gcInterval = Math.min(gcMaxEveryMs, gcInterval * 2);
        }
      } else { nextGcAt = undefined; gcInterval = gcEveryMs; }
      return { level, changed: level !== before, causes: d.causes, collect, heap };
    },
  };
}
export type OverloadPolicy = ReturnType<typeof createOverloadPolicy>;
