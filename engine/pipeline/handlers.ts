import type { Effect, EslEvent, IdentityEvent, InboundEvent, PosEvent, PresenceEvent, Visit } from '#contracts';
import type { IdentityStore } from '../identity/store.js';
import type { Clock } from '../platform/clock.js';
import { createKeyedSerial } from '../platform/keyed-serial.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { applyBrowse, applyPurchase, emptyProfile } from '../profiles/reduce.js';
import type { LoyaltyRules } from '../profiles/rules.js';
import type { ProfileWriter } from '../profiles/writer.js';
import type { StoreRegistry } from '../stores/registry.js';
import { applyEslTap, applyPresence, identify } from '../visits/reduce.js';
import type { VisitStore } from '../visits/store.js';
import type { Cause } from './scheduler.js';

export type HandlerDeps = {
  stores: StoreRegistry; visits: VisitStore; identity: IdentityStore; writer: ProfileWriter;
  clock: Clock; log: Logger; metrics?: Metrics; loyalty: LoyaltyRules;
  /** Makes an effect durable (store or journal) before the event is acknowledged. */
  commit(effect: Effect): Promise<void>;
  mark(storeId: string, zoneId: string, cause?: Cause): void;
  /** Visits followed per store at most. */
  maxVisitsPerStore: number;
  /** A member's purchase, once committed: experiment conversions (docs/experiments.md). Never fails the event. */
  purchased?(ev: PosEvent & { customerId: string }, visitStartedAt: number | undefined): Promise<unknown>;
};

/**
 * Applies one validated event. Presence changes only in-process state (visits). The transactional
 * types (identity, esl, pos) change in-process state at once and hand their durable effect to
 * `commit`; the returned promise settles when that effect is durable, so the event may be acknowledged.
 */
export function createHandlers(d: HandlerDeps) {
  // Two links of one device are written in the order they were taken (the last one wins).
  const serially = createKeyedSerial();
  async function presence(ev: PresenceEvent, cause: Cause): Promise<void> {
    // The common case (a device already in this process) costs no I/O; a new one costs one parallel round trip.
    let prev = d.visits.peek(ev.storeId, ev.deviceId);
    let linked: string | undefined;
    if (!prev) {
      [prev, linked] = await Promise.all([d.visits.get(ev.storeId, ev.deviceId),
        ev.customerId ? Promise.resolve(undefined) : d.identity.resolve(ev.deviceId)]);
    }
    if (ev.customerId) await d.identity.link(ev.deviceId, ev.customerId);
    // An identity event for this device may have been taken while the reads above were on their way (it comes on the
    // other session and found no visit to name): the link it left in this process counts.
    const customerId = ev.customerId ?? prev?.customerId ?? linked ?? d.identity.known(ev.deviceId);
    // Bounded: past the cap a store's new devices are not followed (counted); those already in the store are.
    if (!prev && ev.zoneId !== null && d.visits.countInStore(ev.storeId) >= d.maxVisitsPerStore) { d.metrics?.shed.inc({ kind: 'visit_cap' }); return; }
    const step = applyPresence(prev, { ...ev, customerId }, d.clock.now());
    d.visits.set(ev.storeId, ev.deviceId, step.visit);
    if (step.transition.left) d.mark(ev.storeId, step.transition.left, cause);
    if (step.transition.entered) d.mark(ev.storeId, step.transition.entered, cause);
  }

  async function identityEvent(ev: IdentityEvent, cause: Cause): Promise<void> {
    d.identity.remember(ev.deviceId, ev.customerId);
    const v = d.visits.peek(ev.storeId, ev.deviceId) ?? await d.visits.get(ev.storeId, ev.deviceId);
    if (v && v.customerId !== ev.customerId) {
      d.visits.set(ev.storeId, ev.deviceId, identify(v, ev.customerId));
      d.mark(ev.storeId, v.zoneId, cause);
    }
    await d.commit({ kind: 'link', deviceId: ev.deviceId, customerId: ev.customerId });
  }

  async function esl(ev: EslEvent, cause: Cause): Promise<void> {
    const label = d.stores.get(ev.storeId)?.labels.get(ev.labelId);
    if (!label) { d.log.debug({ labelId: ev.labelId }, 'esl event for an unknown label'); return; }
    let v: Visit | undefined;
    if (ev.deviceId) v = d.visits.peek(ev.storeId, ev.deviceId) ?? await d.visits.get(ev.storeId, ev.deviceId);
    else if (ev.customerId) v = d.visits.inZone(ev.storeId, label.zoneId).find((x) => x.customerId === ev.customerId);
    if (v) {
      d.visits.set(v.storeId, v.deviceId, applyEslTap(v, label.sku, d.clock.now()));
      d.mark(ev.storeId, v.zoneId, cause);
    }
    const customerId = ev.customerId ?? v?.customerId;
    if (customerId) await d.commit({ kind: 'browse', storeId: ev.storeId, eventId: ev.id, customerId, sku: label.sku, ts: ev.ts });
  }

  async function pos(ev: PosEvent, cause: Cause): Promise<void> {
    if (!ev.customerId) return; // an anonymous sale changes no profile
    const bought = { ...ev, customerId: ev.customerId };
    await d.commit({ kind: 'purchase', event: bought });
    // Re-decide the screens where this customer stands, now that the profile changed.
    let visitStartedAt: number | undefined;
    for (const v of d.visits.all()) {
      if (v.storeId !== ev.storeId || v.customerId !== ev.customerId) continue;
      d.mark(v.storeId, v.zoneId, cause);
      visitStartedAt = Math.min(visitStartedAt ?? v.enteredAt, v.enteredAt);
    }
    if (d.purchased) await d.purchased(bought, visitStartedAt).catch((err: unknown) => d.log.warn({ err, eventId: ev.id }, 'conversion not counted'));
  }

  /** Commits one durable effect to the store (never to the journal): idempotent, so replays are safe. */
  async function applyEffect(e: Effect): Promise<void> {
    switch (e.kind) {
      case 'link': return serially(`device:${e.deviceId}`, () => d.identity.write(e.deviceId, e.customerId));
      case 'browse': {
        // A tap becomes part of a profile only with consent to personalization (docs/contracts.md §Security and privacy).
        await d.writer.applyOnce(e.customerId, e.storeId, e.eventId, (p, now) => (p?.consent.personalization ? applyBrowse(p, e.sku, now) : undefined));
        return;
      }
      case 'purchase': {
        const ev = e.event;
        const store = d.stores.get(ev.storeId);
        await d.writer.applyOnce(ev.customerId, ev.storeId, ev.id,
          (p, now) => applyPurchase(p ?? emptyProfile(ev.customerId, now), ev, (sku) => store?.categoryOf(sku), d.loyalty, now));
        return;
      }
    }
  }

  return {
    handle(ev: InboundEvent, cause: Cause): Promise<void> {
      switch (ev.type) {
        case 'presence': return presence(ev, cause);
        case 'identity': return identityEvent(ev, cause);
        case 'esl': return esl(ev, cause);
        case 'pos': return pos(ev, cause);
      }
    },
    applyEffect,
  };
}
export type Handlers = ReturnType<typeof createHandlers>;
