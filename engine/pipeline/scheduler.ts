import { performance } from 'node:perf_hooks';
import type { DecisionMessage, Experiment, RemoteFrame, Rule, Zone } from '#contracts';
import type { ZoneShopper } from '../decisions/consent.js';
import { decideZone, EMPTY_ZONE, type ZoneMemory } from '../decisions/zone-decision.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { refreshRecency } from '../profiles/reduce.js';
import type { LoyaltyRules } from '../profiles/rules.js';
import type { ProfileStore } from '../profiles/store.js';
import type { CapsLedger } from '../rules/caps.js';
import type { RankChooser } from '../scoring/choose.js';
import type { StoreEntry, StoreRegistry } from '../stores/registry.js';
import type { VisitStore } from '../visits/store.js';

/** Identified shoppers of a zone whose profiles are read per decision (turn eligibility, audience interests): the newest arrivals. */
const PROFILE_SAMPLE = 64;
/** How often zones with a pending wake-up (turn end, dwell trigger, rotation, TTL refresh) are checked. */
const TICK_MS = 200;

/** What made a zone dirty: for latency metrics and for the frame's eventTs. */
export type Cause = { receivedAt: number; eventTs?: number; eventId?: string };

export type SchedulerDeps = {
  stores: StoreRegistry; visits: VisitStore; profiles: ProfileStore; rank: RankChooser;
  rules: { snapshot(): readonly Rule[] }; caps: CapsLedger;
  /** Experiments (docs/experiments.md); none when absent. */
  experiments?: { snapshot(): readonly Experiment[] };
  /** Sends a frame; a personal turn's frame carries its exposure (member, visit start, experiment arms) for impressions. */
  sendScreen(storeId: string, frame: RemoteFrame['frame'], exposure?: RemoteFrame['exposure']): number;
  publishDecision(msg: DecisionMessage): void;
  clock: Clock; log: Logger; metrics?: Metrics; loyalty: LoyaltyRules; origin: string; newId(): string;
  /**
   * Other outputs that follow a zone's shoppers (associates' alerts, shelf labels): shown every decided zone,
   * also zones without screens. Each may return when it wants the zone looked at again.
   */
  observers?: readonly ZoneObserver[];
  /** Whether this instance decides a store's zones (docs/scale.md: the holder of its partition); default every store. */
  owns?(storeId: string): boolean;
};

/** A personal turn on one of the zone's screens now: whose, and what the screen shows them. */
export type CurrentTurn = { customerId: string; skus: readonly string[] };

/**
 * Sees a zone's shoppers each time the zone is decided, and the personal turns its screens show now
 * (none for a zone without screens); returns a wake-up time, if it needs one.
 */
export type ZoneObserver = (store: StoreEntry, zone: Zone, shoppers: readonly ZoneShopper[], now: number, turns: readonly CurrentTurn[]) => number | undefined;

/** The shoppers in a zone with their profiles (recency refreshed to now), as the decision core takes them. */
export async function zoneShoppers(d: Pick<SchedulerDeps, 'visits' | 'profiles' | 'loyalty'>, storeId: string, zoneId: string, now: number): Promise<ZoneShopper[]> {
  const visits = d.visits.inZone(storeId, zoneId);
  const identified = visits.filter((v) => v.customerId).sort((a, b) => b.zoneEnteredAt - a.zoneEnteredAt).slice(0, PROFILE_SAMPLE);
  const ids = [...new Set(identified.map((v) => v.customerId!))];
  const found = ids.length ? await d.profiles.getMany(ids) : new Map();
  return visits.map((visit) => {
    const p = visit.customerId ? found.get(visit.customerId)?.profile : undefined;
    return { visit, profile: p && refreshRecency(p, now, d.loyalty) };
  });
}

/**
 * Re-decides the screens of zones whose shoppers changed, and of zones with a wake-up due. A zone
 * marked again while its decision runs is decided once more afterwards with the newest state, so
 * bursts coalesce instead of queueing (bounded by the number of zones). The decision itself is the
 * pure core (decisions/zone-decision.ts); this is its delivery: frames, decision messages, caps.
 */
export function createDecisionScheduler(d: SchedulerDeps) {
  const dirty = new Map<string, Cause | undefined>();
  const forced = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const memory = new Map<string, ZoneMemory>();
  const wakeAt = new Map<string, number>();
  const key = (s: string, z: string) => `${s}\u0000${z}`;
  let lastRules: readonly Rule[] | undefined;

  function mark(storeId: string, zoneId: string, cause?: Cause, force = false): void {
    if (d.owns && !d.owns(storeId)) return;
    const k = key(storeId, zoneId);
    if (force) forced.add(k);
    const prev = dirty.get(k);
    if (dirty.has(k)) { if (!prev && cause) dirty.set(k, cause); return; }
    dirty.set(k, cause);
    if (!running.has(k)) setImmediate(() => start(k, storeId, zoneId));
  }

  function start(k: string, storeId: string, zoneId: string): void {
    if (running.has(k) || !dirty.has(k)) return;
    const cause = dirty.get(k);
    dirty.delete(k);
    const force = forced.delete(k);
    const p = decide(storeId, zoneId, cause, force)
      .catch((err) => d.log.error({ err, storeId, zoneId }, 'decision failed'))
      .finally(() => { running.delete(k); if (dirty.has(k)) start(k, storeId, zoneId); });
    running.set(k, p);
  }

  async function decide(storeId: string, zoneId: string, cause: Cause | undefined, force: boolean): Promise<void> {
    const store = d.stores.get(storeId);
    const zone = store?.zones.get(zoneId);
    const screens = store?.screensByZone.get(zoneId);
    const k = key(storeId, zoneId);
    const observers = d.observers ?? [];
    if (!store || !zone || (!screens?.length && !observers.length)) { memory.delete(k); wakeAt.delete(k); return; }
    const now = d.clock.now();
    const shoppers = await zoneShoppers(d, storeId, zoneId, now);
    // Alerts and labels see the zone after its frames have gone out (their rankings then hit the screens' cache).
    const observe = (turns: readonly CurrentTurn[] = []): number | undefined => {
      let observed: number | undefined;
      for (const o of observers) {
        try {
          const w = o(store, zone, shoppers, now, turns);
          if (w !== undefined) observed = Math.min(observed ?? w, w);
        } catch (err) { d.log.error({ err, storeId, zoneId }, 'zone observer failed'); }
      }
      return observed;
    };
    if (!screens?.length) {
      memory.delete(k);
      const observed = observe();
      if (observed !== undefined) wakeAt.set(k, observed); else wakeAt.delete(k);
      return;
    }
    const decision = await decideZone({ store, zone, screens, shoppers, rules: d.rules.snapshot(), caps: d.caps, experiments: d.experiments?.snapshot(),
      memory: memory.get(k) ?? EMPTY_ZONE, now, force, newId: () => `dec-${d.newId()}` }, d.rank);
    memory.set(k, decision.memory);
    for (const s of decision.screens) {
      if (!s.send) continue;
      const decisionId = s.frame.decisionId;
      const exposure = s.mode === 'shopper' && s.customerId && s.visitStartedAt !== undefined
        ? { customerId: s.customerId, visitStartedAt: s.visitStartedAt, arms: s.arms } : undefined;
      d.sendScreen(storeId, { ...s.frame, eventTs: cause?.eventTs }, exposure);
      if (s.refresh) continue; // the same decision again, before its TTL runs out: nothing new to count or publish
      d.caps.add(s.capKeys);
      if (cause) d.metrics?.decisionLatency.observe((performance.now() - cause.receivedAt) / 1000);
      d.metrics?.decisions.inc({ reason: s.mode, ranker: s.ranker });
      d.publishDecision({ decisionId, storeId, zoneId, screenId: s.screenId, reason: s.mode, customerId: s.customerId,
        shoppers: shoppers.length, items: s.items.map((i) => ({ sku: i.sku, score: i.score, why: i.why.join(' · ').slice(0, 500) })),
        ranker: s.ranker, ...(s.rules.length ? { rules: s.rules } : {}), eventId: cause?.eventId, eventTs: cause?.eventTs, createdAt: now, origin: d.origin });
    }
    const turns: CurrentTurn[] = [];
    for (const sh of decision.memory.showing.values()) if (sh.mode === 'shopper' && sh.customerId && sh.skus) turns.push({ customerId: sh.customerId, skus: sh.skus });
    const observed = observe(turns);
    const wake = decision.wakeAt === undefined ? observed : observed === undefined ? decision.wakeAt : Math.min(decision.wakeAt, observed);
    if (wake !== undefined) wakeAt.set(k, wake); else wakeAt.delete(k);
  }

  const zonesOf = (s: StoreEntry) => [...s.zones.keys()].filter((z) => s.screensByZone.get(z)?.length);
  const markAll = (storeId?: string, force = false): void => {
    for (const s of d.stores.all()) if (!storeId || s.config.storeId === storeId) for (const z of zonesOf(s)) mark(s.config.storeId, z, undefined, force);
  };

  let timer: NodeJS.Timeout | undefined;
  /** Marks zones whose wake-up is due, and every zone when the rules changed (their snapshot is a new array). */
  function tick(): void {
    const rules = d.rules.snapshot();
    if (lastRules && rules !== lastRules) markAll(undefined, true);
    lastRules = rules;
    const now = d.clock.now();
    for (const [k, at] of wakeAt) {
      if (at > now) continue;
      wakeAt.delete(k);
      const [storeId, zoneId] = k.split('\u0000') as [string, string];
      mark(storeId, zoneId);
    }
  }

  return {
    mark,
    markAll,
    tick,
    /** Checks wake-ups every 200 ms until stopped. */
    startTimers(): void { timer ??= setInterval(tick, TICK_MS); timer.unref(); },
    stopTimers(): void { clearInterval(timer); timer = undefined; },
    /** Re-decides zones never decided (start-up) or with nothing pending, so TTLs never run out. */
    refreshOlderThan(maxAgeMs: number): void {
      const now = d.clock.now();
      for (const s of d.stores.all()) for (const z of zonesOf(s)) {
        const m = memory.get(key(s.config.storeId, z));
        const newest = m ? Math.max(0, ...[...m.showing.values()].map((x) => x.sentAt)) : 0;
        if (now - newest > maxAgeMs) mark(s.config.storeId, z);
      }
    },
    /** A zone's turns and what its screens show (the live view, tests). */
    memoryOf: (storeId: string, zoneId: string): ZoneMemory | undefined => memory.get(key(storeId, zoneId)),
    /** Forgets a store's zones (handed to another instance): its turns and wake-ups are the new owner's now. */
    forget(storeId: string): void {
      const prefix = `${storeId}\u0000`;
      for (const m of [memory, wakeAt, dirty]) for (const k of [...m.keys()]) if (k.startsWith(prefix)) m.delete(k);
    },
    /** Resolves when no decision is pending or running. */
    async idle(): Promise<void> {
      while (running.size || dirty.size) {
        await Promise.all([...running.values()]);
        if (!running.size && dirty.size) await new Promise((r) => setImmediate(r));
      }
    },
  };
}
export type DecisionScheduler = ReturnType<typeof createDecisionScheduler>;
