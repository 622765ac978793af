import { performance } from 'node:perf_hooks';
import type { DecisionMessage, RemoteFrame } from '#contracts';
import { buildFrame, planDecision, selectForScreen, type DecisionPlan } from '../decisions/decide.js';
import type { ZoneShopper } from '../decisions/consent.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { refreshRecency } from '../profiles/reduce.js';
import type { LoyaltyRules } from '../profiles/rules.js';
import type { ProfileStore } from '../profiles/store.js';
import { rankHeuristic } from '../scoring/heuristic.js';
import type { Ranker, RankResult } from '../scoring/types.js';
import type { StoreRegistry } from '../stores/registry.js';
import type { VisitStore } from '../visits/store.js';

/** Identified shoppers whose profiles shape an audience's content. */
const AUDIENCE_SAMPLE = 12;

/** What made a zone dirty: for latency metrics and for the frame's eventTs. */
export type Cause = { receivedAt: number; eventTs?: number; eventId?: string };

export type SchedulerDeps = {
  stores: StoreRegistry; visits: VisitStore; profiles: ProfileStore; ranker: Ranker;
  sendScreen(storeId: string, frame: RemoteFrame['frame']): number;
  publishDecision(msg: DecisionMessage): void;
  clock: Clock; log: Logger; metrics?: Metrics; loyalty: LoyaltyRules; origin: string; newId(): string;
};

/**
 * Re-decides the screens of zones whose shoppers changed. A zone marked again while its decision runs
 * is decided once more afterwards with the newest state, so bursts coalesce instead of queueing
 * (the queue is bounded by the number of zones).
 */
export function createDecisionScheduler(d: SchedulerDeps) {
  const dirty = new Map<string, Cause | undefined>();
  const running = new Map<string, Promise<void>>();
  const lastDecided = new Map<string, number>();
  const key = (s: string, z: string) => `${s}\u0000${z}`;

  function mark(storeId: string, zoneId: string, cause?: Cause): void {
    const k = key(storeId, zoneId);
    const prev = dirty.get(k);
    if (dirty.has(k)) { if (!prev && cause) dirty.set(k, cause); return; }
    dirty.set(k, cause);
    if (!running.has(k)) setImmediate(() => start(k, storeId, zoneId));
  }

  function start(k: string, storeId: string, zoneId: string): void {
    if (running.has(k) || !dirty.has(k)) return;
    const cause = dirty.get(k);
    dirty.delete(k);
    const p = decideZone(storeId, zoneId, cause)
      .catch((err) => d.log.error({ err, storeId, zoneId }, 'decision failed'))
      .finally(() => { running.delete(k); if (dirty.has(k)) start(k, storeId, zoneId); });
    running.set(k, p);
  }

  async function decideZone(storeId: string, zoneId: string, cause?: Cause): Promise<void> {
    const store = d.stores.get(storeId);
    const zone = store?.zones.get(zoneId);
    const screens = store?.screensByZone.get(zoneId);
    if (!store || !zone || !screens?.length) return;
    const now = d.clock.now();
    const visits = d.visits.inZone(storeId, zoneId);
    // An audience's shared interests need a sample, not everyone: the most recent arrivals, bounded.
    const identified = visits.filter((v) => v.customerId).sort((a, b) => b.zoneEnteredAt - a.zoneEnteredAt).slice(0, AUDIENCE_SAMPLE);
    const ids = [...new Set(identified.map((v) => v.customerId!))];
    const found = ids.length ? await d.profiles.getMany(ids) : new Map();
    const shoppers: ZoneShopper[] = visits.map((visit) => {
      const p = visit.customerId ? found.get(visit.customerId)?.profile : undefined;
      return { visit, profile: p && refreshRecency(p, now, d.loyalty) };
    });
    const zoneCatalog = store.zoneCatalogs.get(zoneId);
    const plans = screens.map((screen) => planDecision({ store: store.config, zone, screen, catalog: store.catalog, zoneCatalog, shoppers, now }));
    // One ranking per zone: every screen of the zone sees the same shoppers; the widest request serves them all.
    const widest = plans.reduce((a, b) => (b.request.limit > a.request.limit ? b : a));
    const ranked = await rank(widest);
    screens.forEach((screen, i) => {
      const plan = plans[i]!;
      const items = selectForScreen(ranked.items, zone.categories, plan.slots);
      const decisionId = `dec-${d.newId()}`;
      const frame = buildFrame(plan, items, { screenId: screen.screenId, storeId, zoneId, decisionId,
        currency: store.config.currency, now, eventTs: cause?.eventTs });
      d.sendScreen(storeId, frame);
      if (cause) d.metrics?.decisionLatency.observe((performance.now() - cause.receivedAt) / 1000);
      d.metrics?.decisions.inc({ reason: plan.reason, ranker: ranked.ranker });
      d.publishDecision({ decisionId, storeId, zoneId, screenId: screen.screenId, reason: plan.reason,
        customerId: plan.reason === 'shopper' ? plan.profile?.customerId : undefined, shoppers: shoppers.length,
        items: items.map((r) => ({ sku: r.item.sku, score: r.score, why: r.why.join(' · ') })), ranker: ranked.ranker,
        eventId: cause?.eventId, eventTs: cause?.eventTs, createdAt: now, origin: d.origin });
    });
    lastDecided.set(key(storeId, zoneId), now);
  }

  /** The model ranks for one shopper; groups and empty zones get the cheap shared-interest ranking (ADR 0004). */
  async function rank(plan: DecisionPlan): Promise<RankResult> {
    const t0 = performance.now();
    let ranked: RankResult;
    try { ranked = plan.reason === 'shopper' ? await d.ranker.rank(plan.request) : { items: rankHeuristic(plan.request), ranker: 'heuristic' }; }
    catch (err) {
      d.log.warn({ err, zoneId: plan.request.context.zoneId }, 'ranker failed; heuristic used');
      ranked = { items: rankHeuristic(plan.request), ranker: 'heuristic' };
    }
    d.metrics?.scoringLatency.observe({ ranker: ranked.ranker }, (performance.now() - t0) / 1000);
    return ranked;
  }

  return {
    mark,
    /** Marks every zone of every store (start-up, store replaced). */
    markAll(storeId?: string): void {
      for (const s of d.stores.all()) if (!storeId || s.config.storeId === storeId) for (const z of s.zones.keys()) mark(s.config.storeId, z);
    },
    /** Re-decides zones whose content is older than maxAgeMs, so idle screens rotate and TTLs never run out. */
    refreshOlderThan(maxAgeMs: number): void {
      const now = d.clock.now();
      for (const s of d.stores.all()) for (const z of s.zones.keys()) {
        if (now - (lastDecided.get(key(s.config.storeId, z)) ?? 0) > maxAgeMs) mark(s.config.storeId, z);
      }
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
