import type { Experiment, Impression, ImpressionRecord, PosEvent } from '#contracts';
import { ImpressionRecord as ImpressionRecordSchema, parseUntrusted } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { Lru } from '../platform/lru.js';
import { attribute } from './attribution.js';

/** What the engine remembers of a personal frame it sent, until the screen confirms it rendered it. */
export type Exposure = { customerId: string; storeId: string; screenId: string; visitStartedAt: number; skus: string[]; arms: Record<string, string> };

export type TrackingDeps = {
  kv: Kv; keys: Keys; clock: Clock; log: Logger;
  experiments: { get(experimentId: string): Experiment | undefined };
  /** Impressions kept per customer (newest first). */
  maxImpressions?: number;
  /** How long a customer's impressions, and experiment counters, are kept. */
  ttlMs?: number;
};

export type ArmCounts = { armId: string; shoppers: number; impressions: number; converters: number; revenues: number[] };

const DAY = 86_400_000;

/**
 * Impressions and conversions (docs/experiments.md). The hot path only remembers each personal frame
 * in a bounded map (`remember`); everything else happens when a screen confirms what it rendered
 * (`impression`) or a purchase arrives (`purchase`), off the event → frame path.
 */
export function createTracking(d: TrackingDeps) {
  const max = d.maxImpressions ?? 50;
  const ttlMs = d.ttlMs ?? 30 * DAY;
  const exposures = new Lru<string, Exposure>(50_000);
  const confirmed = new Lru<string, true>(50_000);
  const windowMs = (id: string) => { const e = d.experiments.get(id); return e ? e.attributionHours * 3_600_000 : undefined; };

  return {
    /** A personal frame went to a screen (local or another instance's socket). */
    remember(decisionId: string, e: Exposure): void { exposures.set(decisionId, e); },

    /** A screen confirmed it rendered a frame: keep the impression per customer, count it per experiment arm. */
    async impression(storeId: string, f: Impression): Promise<void> {
      const e = exposures.get(f.decisionId);
      if (!e || e.storeId !== storeId || e.screenId !== f.screenId) return; // not a personal frame of this screen, or forgotten
      const skus = f.skus.filter((s) => e.skus.includes(s));
      if (!skus.length) return;
      // Kept once per decision: a screen confirms a frame again when it is re-sent (refreshed) or re-rendered.
      if (confirmed.has(f.decisionId)) return;
      confirmed.set(f.decisionId, true);
      const rec: ImpressionRecord = { at: d.clock.now(), storeId, decisionId: f.decisionId, visitStartedAt: e.visitStartedAt, skus, arms: e.arms };
      try { await d.kv.pushCapped(d.keys.impressions(e.customerId), JSON.stringify(rec), max, ttlMs); } catch (err) { confirmed.delete(f.decisionId); throw err; }
      for (const [experimentId, armId] of Object.entries(e.arms)) {
        await d.kv.countOnce({ mark: d.keys.experimentMark(experimentId, 'imp', f.decisionId), markTtlMs: ttlMs, ttlMs,
          sadd: [{ key: d.keys.experimentExposed(experimentId, armId), member: e.customerId }],
          hincr: [{ key: d.keys.experimentCounts(experimentId, armId), field: 'impressions', by: 1 }] });
      }
    },

    /** A purchase by a known customer: conversions for every experiment whose shown SKUs it contains. Idempotent per event. */
    async purchase(ev: PosEvent & { customerId: string }, visitStartedAt: number | undefined): Promise<number> {
      const raws = await d.kv.lrange(d.keys.impressions(ev.customerId), 0, max - 1);
      const records: ImpressionRecord[] = [];
      for (const raw of raws) {
        let json: unknown;
        try { json = JSON.parse(raw); } catch { continue; }
        const r = parseUntrusted(ImpressionRecordSchema, json);
        if (r.success && r.data.storeId === ev.storeId) records.push(r.data);
      }
      const conversions = attribute({ ts: ev.ts, lines: ev.lines, visitStartedAt }, records, windowMs);
      for (const c of conversions) {
        // A revenue no counter can hold (absurd quantities × prices) would leave the shopper counted without it.
        if (!Number.isFinite(c.revenue)) { d.log.warn({ eventId: ev.id, experimentId: c.experimentId }, 'conversion with an impossible revenue not counted'); continue; }
        await d.kv.countOnce({ mark: d.keys.experimentMark(c.experimentId, 'conv', `${ev.storeId}:${ev.id}`), markTtlMs: ttlMs, ttlMs,
          sadd: [{ key: d.keys.experimentConverted(c.experimentId, c.armId), member: ev.customerId }],
          hincr: [{ key: d.keys.experimentRevenue(c.experimentId, c.armId), field: ev.customerId, by: c.revenue }] });
      }
      return conversions.length;
    },

    /** The counters of every arm of an experiment. */
    async counts(e: Experiment): Promise<ArmCounts[]> {
      return Promise.all(e.arms.map(async (a) => {
        const [shoppers, converters, counts, revenue] = await Promise.all([
          d.kv.scard(d.keys.experimentExposed(e.experimentId, a.armId)), d.kv.scard(d.keys.experimentConverted(e.experimentId, a.armId)),
          d.kv.hgetall(d.keys.experimentCounts(e.experimentId, a.armId)), d.kv.hgetall(d.keys.experimentRevenue(e.experimentId, a.armId))]);
        return { armId: a.armId, shoppers, converters, impressions: Number(counts.impressions ?? 0),
          revenues: Object.values(revenue).map(Number).filter(Number.isFinite) };
      }));
    },
  };
}
export type Tracking = ReturnType<typeof createTracking>;
