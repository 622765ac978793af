import type { EslEvent, IdentityEvent, InboundEvent, PosEvent, PresenceEvent, Visit } from '#contracts';
import type { IdentityStore } from '../identity/store.js';
import type { Clock } from '../platform/clock.js';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { applyBrowse, applyPurchase, emptyProfile } from '../profiles/reduce.js';
import type { LoyaltyRules } from '../profiles/rules.js';
import type { ProfileStore } from '../profiles/store.js';
import type { StoreRegistry } from '../stores/registry.js';
import { applyEslTap, applyPresence, identify } from '../visits/reduce.js';
import type { VisitStore } from '../visits/store.js';
import type { Cause } from './scheduler.js';

export type HandlerDeps = {
  stores: StoreRegistry; visits: VisitStore; identity: IdentityStore; profiles: ProfileStore;
  kv: Kv; keys: Keys; clock: Clock; log: Logger; metrics?: Metrics; loyalty: LoyaltyRules;
  mark(storeId: string, zoneId: string, cause: Cause): void;
  /** POS events that could not be applied (store down) wait here and are retried when it returns. */
  maxPendingPos?: number;
};

const SEEN_TTL_MS = 7 * 86_400_000;

/** Applies one validated event: identity links, visit state, profile updates; marks zones to re-decide. */
export function createHandlers(d: HandlerDeps) {
  const pendingPos: PosEvent[] = [];
  const maxPending = d.maxPendingPos ?? 10_000;

  async function presence(ev: PresenceEvent, cause: Cause): Promise<void> {
    // The common case (a device already in this process) costs no I/O; a new one costs one parallel round trip.
    let prev = d.visits.peek(ev.storeId, ev.deviceId);
    let linked: string | undefined;
    if (!prev) {
      [prev, linked] = await Promise.all([d.visits.get(ev.storeId, ev.deviceId),
        ev.customerId ? Promise.resolve(undefined) : d.identity.resolve(ev.deviceId)]);
    }
    if (ev.customerId) await d.identity.link(ev.deviceId, ev.customerId);
    const customerId = ev.customerId ?? prev?.customerId ?? linked;
    const step = applyPresence(prev, { ...ev, customerId }, d.clock.now());
    d.visits.set(ev.storeId, ev.deviceId, step.visit);
    if (step.transition.left) d.mark(ev.storeId, step.transition.left, cause);
    if (step.transition.entered) d.mark(ev.storeId, step.transition.entered, cause);
  }

  async function identityEvent(ev: IdentityEvent, cause: Cause): Promise<void> {
    await d.identity.link(ev.deviceId, ev.customerId);
    const v = await d.visits.get(ev.storeId, ev.deviceId);
    if (v && v.customerId !== ev.customerId) {
      d.visits.set(ev.storeId, ev.deviceId, identify(v, ev.customerId));
      d.mark(ev.storeId, v.zoneId, cause);
    }
  }

  async function esl(ev: EslEvent, cause: Cause): Promise<void> {
    const store = d.stores.get(ev.storeId);
    const label = store?.labels.get(ev.labelId);
    if (!label) { d.log.debug({ labelId: ev.labelId }, 'esl event for an unknown label'); return; }
    let v: Visit | undefined;
    if (ev.deviceId) v = await d.visits.get(ev.storeId, ev.deviceId);
    else if (ev.customerId) v = d.visits.inZone(ev.storeId, label.zoneId).find((x) => x.customerId === ev.customerId);
    if (v) {
      d.visits.set(v.storeId, v.deviceId, applyEslTap(v, label.sku, d.clock.now()));
      d.mark(ev.storeId, v.zoneId, cause);
    }
    const customerId = ev.customerId ?? v?.customerId;
    if (customerId) {
      const { profile } = await d.profiles.get(customerId);
      if (profile) await d.profiles.put(applyBrowse(profile, label.sku, d.clock.now())).catch((err) => {
        d.metrics?.redisErrors.inc({ op: 'profile.put' });
        d.log.debug({ err: (err as Error).message }, 'browse not stored');
      });
    }
  }

  /** Applies a purchase once (durable de-dupe in the store), or parks it until the store is back. */
  async function pos(ev: PosEvent, cause: Cause | undefined): Promise<boolean> {
    if (!ev.customerId) return true;
    const store = d.stores.get(ev.storeId);
    try {
      const { profile, unavailable } = await d.profiles.get(ev.customerId);
      if (unavailable) throw new Error('profile store unavailable');
      if (!(await d.kv.setNx(d.keys.seen(ev.storeId, ev.id), SEEN_TTL_MS))) return true;
      const now = d.clock.now();
      const next = applyPurchase(profile ?? emptyProfile(ev.customerId, now), ev, (sku) => store?.categoryOf(sku), d.loyalty, now);
      try { await d.profiles.put(next); }
      catch (err) { await d.kv.del(d.keys.seen(ev.storeId, ev.id)).catch(() => {}); throw err; }
    } catch (err) {
      d.metrics?.redisErrors.inc({ op: 'pos.apply' });
      if (pendingPos.length >= maxPending) { d.metrics?.shed.inc({ kind: 'pos' }); d.log.error({ id: ev.id }, 'POS backlog full; purchase not applied'); }
      else { pendingPos.push(ev); d.log.warn({ id: ev.id, err: (err as Error).message }, 'purchase parked until the profile store is back'); }
      return false;
    }
    if (cause) for (const v of d.visits.all()) if (v.storeId === ev.storeId && v.customerId === ev.customerId) d.mark(v.storeId, v.zoneId, cause);
    return true;
  }

  return {
    async handle(ev: InboundEvent, cause: Cause): Promise<void> {
      switch (ev.type) {
        case 'presence': return presence(ev, cause);
        case 'identity': return identityEvent(ev, cause);
        case 'esl': return esl(ev, cause);
        case 'pos': { await pos(ev, cause); return; }
      }
    },
    /** Re-applies parked purchases (called when the profile store comes back). */
    async retryPending(): Promise<void> {
      const batch = pendingPos.splice(0);
      for (let i = 0; i < batch.length; i++) {
        if (!(await pos(batch[i]!, undefined))) { pendingPos.push(...batch.slice(i + 1)); return; }
      }
    },
    get pendingPos(): number { return pendingPos.length; },
  };
}
export type Handlers = ReturnType<typeof createHandlers>;
