import { AlertNotice, AlertVip, parseUntrusted, type AuditEntry, type Claim, type Profile, type Release, type Visit, type Zone } from '#contracts';
import type { ZoneShopper } from '../decisions/consent.js';
import { translatorFor } from '../decisions/words.js';
import type { Clock } from '../platform/clock.js';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { Lru } from '../platform/lru.js';
import type { Metrics } from '../platform/metrics.js';
import type { ClientInfo } from '../push/types.js';
import { localTime } from '../rules/local-time.js';
import type { RankChooser } from '../scoring/choose.js';
import type { StoreEntry, StoreRegistry } from '../stores/registry.js';
import { buildAlert, type AlertBody } from './alert-content.js';
import { createAudit } from './audit.js';
import { alertable } from './vip.js';

export type AlertsDeps = {
  kv: Kv; keys: Keys; clock: Clock; log: Logger; metrics?: Pick<Metrics, 'alerts'>; origin: string;
  stores: StoreRegistry;
  hub: { sendAlert(storeId: string, f: AlertBody): void; sendClaimed(storeId: string, f: { type: 'alert.claimed'; alertId: string; associateId: string | null; claimedAt: number }): void;
    forgetAlert(storeId: string, alertId: string): void; clients(): ClientInfo[] };
  /** The clienteling copy on `aisle/v1/stores/{storeId}/alerts` (with the customer id); never fails the caller. */
  publishAlert(storeId: string, payload: string): void;
  rank: RankChooser;
  /** Reads a member's profile (for updates after a shelf-label tap). */
  profile(customerId: string): Promise<Profile | undefined>;
  newId(): string;
  /** How long an alert stays open (replayed to associates who connect, claimable). Default 2 h. */
  openMs?: number;
};

type Open = { alert: AlertBody; customerId: string; eslCount: number };

const YEAR_MS = 400 * 86_400_000;
/** Items of the member's ranking the suggestions come from: a screen's personal request asks for at least as many, so the cache serves it. */
const ALERT_RANKING = 12;

/**
 * VIP alerts for associates (docs/associates.md). The decision scheduler shows this module every zone's
 * shoppers as it decides (`observe`); a consenting VIP's visit raises one alert (a Redis cooldown makes
 * it one per visit across instances), lingering and shelf-label taps update it. Claims are atomic in
 * Redis: exactly one associate wins. Alerts and claims reach associates connected to other instances
 * through a Redis channel; every associate's view of a profile is audited.
 */
export function createAlerts(d: AlertsDeps) {
  const openMs = d.openMs ?? 2 * 3_600_000;
  const log = d.log.child({ mod: 'alerts' });
  const audit = createAudit({ kv: d.kv, keys: d.keys });
  const open = new Map<string, Open>(); // storeId|alertId → open alert
  const ofCustomer = new Map<string, string>(); // storeId|customerId → alertId
  const arrived = new Lru<string, true>(20_000); // visits this instance has looked at
  const lingered = new Lru<string, true>(20_000);
  const pending = new Set<Promise<unknown>>();
  const count = (outcome: string) => d.metrics?.alerts.inc({ outcome });
  const k2 = (a: string, b: string) => `${a}|${b}`;

  const track = (p: Promise<unknown>) => {
    const q = p.catch((err: unknown) => log.warn({ err }, 'alert work failed')).finally(() => pending.delete(q));
    pending.add(q);
  };

  const associatesOf = (storeId: string): string[] =>
    [...new Set(d.hub.clients().filter((c) => c.role === 'associate' && c.storeId === storeId && c.target).map((c) => c.target!))];

  /** Delivers the alert to this instance's associates (audited), and tells the other instances. */
  async function deliver(o: Open, action: 'raised' | 'updated'): Promise<void> {
    const storeId = o.alert.storeId;
    const key = k2(storeId, o.alert.alertId);
    open.set(key, o);
    ofCustomer.set(k2(storeId, o.customerId), o.alert.alertId);
    d.hub.sendAlert(storeId, o.alert);
    const at = d.clock.now();
    await audit.write(associatesOf(storeId).map((associateId) => ({ at, storeId, associateId, customerId: o.customerId, alertId: o.alert.alertId, action: 'alert' as const })));
    const notice: AlertNotice = { origin: d.origin, storeId, customerId: o.customerId, alert: o.alert };
    await d.kv.publish(d.keys.alertsChanged(), JSON.stringify(notice)).catch((err: unknown) => log.warn({ err }, 'alert notice not published'));
    d.publishAlert(storeId, JSON.stringify({ ...o.alert, customer: { ...o.alert.customer, customerId: o.customerId } }));
    count(action);
  }

  async function persist(o: Open): Promise<void> {
    const { storeId, alertId } = o.alert;
    await d.kv.setMany([
      { key: d.keys.alert(storeId, alertId), value: JSON.stringify({ customerId: o.customerId, alert: o.alert }), ttlMs: openMs },
      { key: d.keys.alertOf(storeId, o.customerId), value: alertId, ttlMs: openMs },
    ]);
  }

  /** Counts this visit once (for "visits this year") and returns the year's count. */
  async function visitsThisYear(store: StoreEntry, v: Visit, customerId: string, now: number): Promise<number | undefined> {
    const year = String(localTime(now, store.config.timezone).year);
    try {
      await d.kv.countOnce({ mark: d.keys.visitMark(customerId, store.config.storeId, v.deviceId, v.enteredAt), markTtlMs: 86_400_000, ttlMs: YEAR_MS,
        hincr: [{ key: d.keys.visitsByYear(customerId), field: year, by: 1 }] });
      return Number(await d.kv.hget(d.keys.visitsByYear(customerId), year) ?? 0);
    } catch { return undefined; }
  }

  async function compose(store: StoreEntry, zone: Zone, v: Visit, p: Profile, reason: 'arrived' | 'lingering', alertId: string,
    createdAt: number, visits: number | undefined, claimedBy?: AlertBody['claimedBy']): Promise<AlertBody> {
    const now = d.clock.now();
    const ranked = await d.rank({ profile: p, catalog: store.catalog, limit: ALERT_RANKING,
      context: { storeId: store.config.storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now, eslSkus: v.eslSkus } })
      .catch(() => ({ items: [], ranker: 'none' }));
    return buildAlert({ alertId, store: store.config, catalog: store.catalog.bySku, categoryOf: store.categoryOf, profile: p, visit: v, zoneId: zone.zoneId,
      reason, ranked: ranked.items, local: localTime(now, store.config.timezone), now, createdAt, t: translatorFor(store.config),
      ...(visits !== undefined ? { visitsThisYear: visits } : {}), ...(claimedBy ? { claimedBy } : {}) });
  }

  async function raise(store: StoreEntry, zone: Zone, v: Visit, p: Profile, reason: 'arrived' | 'lingering'): Promise<void> {
    const cfg = store.config.associates;
    const storeId = store.config.storeId;
    if (!(await d.kv.setNx(d.keys.alertCooldown(storeId, p.customerId), cfg.cooldownMs))) { count('cooldown'); return; }
    const now = d.clock.now();
    const alertId = `al-${d.newId()}`;
    const alert = await compose(store, zone, v, p, reason, alertId, now, await visitsThisYear(store, v, p.customerId, now));
    const o: Open = { alert, customerId: p.customerId, eslCount: v.eslCount };
    await persist(o);
    await d.kv.pushCapped(d.keys.alerts(storeId), alertId, 200, openMs);
    await deliver(o, 'raised');
    log.info({ storeId, alertId, zoneId: zone.zoneId, reason }, 'VIP alert raised');
  }

  /** The open alert of a member in a store: this instance's, or the one another instance raised (from Redis). */
  async function openOf(storeId: string, customerId: string): Promise<Open | undefined> {
    const id = ofCustomer.get(k2(storeId, customerId)) ?? await d.kv.get(d.keys.alertOf(storeId, customerId)).catch(() => null);
    return id ? open.get(k2(storeId, id)) ?? await load(storeId, id) : undefined;
  }

  async function load(storeId: string, alertId: string): Promise<Open | undefined> {
    const raw = await d.kv.get(d.keys.alert(storeId, alertId)).catch(() => null);
    if (!raw) return undefined;
    let json: { customerId?: unknown; alert?: unknown };
    try { json = JSON.parse(raw) as typeof json; } catch { return undefined; }
    const a = parseUntrusted(AlertVip.omit({ seq: true }), json.alert);
    if (!a.success || typeof json.customerId !== 'string') return undefined;
    const holder = await d.kv.get(d.keys.alertClaim(storeId, alertId)).catch(() => null);
    const alert: AlertBody = { ...a.data };
    if (holder) alert.claimedBy = a.data.claimedBy?.associateId === holder ? a.data.claimedBy : { associateId: holder, claimedAt: d.clock.now() };
    else delete alert.claimedBy;
    return { alert, customerId: json.customerId, eslCount: 0 };
  }

  /** A VIP's alert, rebuilt with the newest visit (a tap, a zone they linger in). */
  async function update(store: StoreEntry, zone: Zone, v: Visit, p: Profile, reason: 'arrived' | 'lingering'): Promise<void> {
    const o = await openOf(store.config.storeId, p.customerId);
    if (!o) { if (reason === 'lingering') await raise(store, zone, v, p, reason); return; }
    const alert = await compose(store, reason === 'lingering' ? zone : (store.zones.get(o.alert.zoneId) ?? zone), v, p,
      reason === 'lingering' ? 'lingering' : (o.alert.reason ?? 'arrived'), o.alert.alertId, o.alert.createdAt, o.alert.customer.visitsThisYear, o.alert.claimedBy);
    const next: Open = { alert, customerId: p.customerId, eslCount: v.eslCount };
    await persist(next);
    await deliver(next, 'updated');
  }

  /** An alert from another instance: delivered to this instance's associates (and audited here). */
  async function onNotice(raw: string): Promise<void> {
    let json: unknown;
    try { json = JSON.parse(raw); } catch { return; }
    if ((json as { origin?: unknown } | null)?.origin === d.origin) return;
    const n = parseUntrusted(AlertNotice, json);
    if (!n.success || !d.stores.has(n.data.storeId)) return;
    const { storeId, customerId } = n.data;
    const at = d.clock.now();
    if (n.data.alert) {
      const o: Open = { alert: n.data.alert, customerId, eslCount: open.get(k2(storeId, n.data.alert.alertId))?.eslCount ?? 0 };
      open.set(k2(storeId, o.alert.alertId), o);
      ofCustomer.set(k2(storeId, customerId), o.alert.alertId);
      d.hub.sendAlert(storeId, o.alert);
      await audit.write(associatesOf(storeId).map((associateId) => ({ at, storeId, associateId, customerId, alertId: o.alert.alertId, action: 'alert' as const })));
    }
    if (n.data.claimed) {
      const o = open.get(k2(storeId, n.data.claimed.alertId));
      if (o) {
        if (n.data.claimed.associateId) o.alert = { ...o.alert, claimedBy: { associateId: n.data.claimed.associateId, claimedAt: n.data.claimed.claimedAt } };
        else { const { claimedBy: _, ...rest } = o.alert; o.alert = rest; }
      }
      d.hub.sendClaimed(storeId, n.data.claimed);
    }
    if (n.data.closed) forget(storeId, n.data.closed.alertId);
  }

  function forget(storeId: string, alertId: string): void {
    const o = open.get(k2(storeId, alertId));
    open.delete(k2(storeId, alertId));
    if (o && ofCustomer.get(k2(storeId, o.customerId)) === alertId) ofCustomer.delete(k2(storeId, o.customerId));
    d.hub.forgetAlert(storeId, alertId);
  }

  async function claim(ctx: { storeId: string; associateId: string }, f: Claim | Release): Promise<void> {
    const { storeId, associateId } = ctx;
    const o = open.get(k2(storeId, f.alertId)) ?? await load(storeId, f.alertId);
    if (!o) { count('unknown'); return; }
    open.set(k2(storeId, f.alertId), o);
    const key = d.keys.alertClaim(storeId, f.alertId);
    const now = d.clock.now();
    let claimed: { type: 'alert.claimed'; alertId: string; associateId: string | null; claimedAt: number };
    if (f.type === 'claim') {
      const holder = await d.kv.claim(key, associateId, openMs);
      if (holder !== associateId) {
        count('claim_lost');
        // The loser (and anyone who missed it) hears who holds it.
        d.hub.sendClaimed(storeId, { type: 'alert.claimed', alertId: f.alertId, associateId: holder, claimedAt: o.alert.claimedBy?.claimedAt ?? now });
        return;
      }
      if (o.alert.claimedBy?.associateId === associateId) {
        // Claimed again by its holder (a claim re-sent after a reconnect): say so again, nothing changes.
        d.hub.sendClaimed(storeId, { type: 'alert.claimed', alertId: f.alertId, associateId, claimedAt: o.alert.claimedBy.claimedAt });
        return;
      }
      o.alert = { ...o.alert, claimedBy: { associateId, claimedAt: now } };
      claimed = { type: 'alert.claimed', alertId: f.alertId, associateId, claimedAt: now };
      count('claimed');
    } else {
      if (!(await d.kv.release(key, associateId))) { count('release_refused'); return; }
      const { claimedBy: _, ...rest } = o.alert;
      o.alert = rest;
      claimed = { type: 'alert.claimed', alertId: f.alertId, associateId: null, claimedAt: now };
      count('released');
    }
    await persist(o);
    d.hub.sendClaimed(storeId, claimed);
    await audit.write([{ at: now, storeId, associateId, customerId: o.customerId, alertId: f.alertId, action: f.type }]);
    const notice: AlertNotice = { origin: d.origin, storeId, customerId: o.customerId, claimed };
    await d.kv.publish(d.keys.alertsChanged(), JSON.stringify(notice)).catch((err: unknown) => log.warn({ err }, 'claim notice not published'));
  }

  return {
    /**
     * The shoppers of one zone, as the scheduler decided it: raises and updates alerts (asynchronously).
     * Returns when the zone should be looked at again (a VIP about to have lingered), if ever.
     */
    observe(store: StoreEntry, zone: Zone, shoppers: readonly ZoneShopper[], now: number): number | undefined {
      const cfg = store.config.associates;
      let wake: number | undefined;
      for (const { visit: v, profile: p } of shoppers) {
        if (!v.customerId || !alertable(p, cfg)) continue;
        const vk = `${store.config.storeId}|${v.deviceId}|${v.enteredAt}`;
        if (!arrived.has(vk)) {
          arrived.set(vk, true);
          // Redis unreachable: look again at the next decision of a zone they are in.
          track(raise(store, zone, v, p, 'arrived').catch((err: unknown) => { arrived.delete(vk); throw err; }));
          continue;
        }
        const known = open.get(k2(store.config.storeId, ofCustomer.get(k2(store.config.storeId, p.customerId)) ?? ''));
        if (known && v.eslCount > known.eslCount) { known.eslCount = v.eslCount; track(update(store, zone, v, p, 'arrived')); }
        if (cfg.lingerMs > 0) {
          const lk = `${vk}|${zone.zoneId}`;
          const at = v.zoneEnteredAt + cfg.lingerMs;
          if (lingered.has(lk)) continue;
          if (now >= at) { lingered.set(lk, true); track(update(store, zone, v, p, 'lingering')); } else wake = Math.min(wake ?? at, at);
        }
      }
      return wake;
    },
    /** A `claim` or `release` frame from an associate (the hub's onClaim). */
    claim(ctx: { storeId: string; associateId: string }, f: Claim | Release): void { track(claim(ctx, f)); },
    /** An associate connected and was sent the open alerts: each is a view of a profile. */
    replayed(ctx: { storeId: string; associateId: string }, alertIds: readonly string[]): void {
      const at = d.clock.now();
      const entries: AuditEntry[] = [];
      for (const id of alertIds) {
        const o = open.get(k2(ctx.storeId, id));
        if (o) entries.push({ at, storeId: ctx.storeId, associateId: ctx.associateId, customerId: o.customerId, alertId: id, action: 'replay' });
      }
      track(audit.write(entries));
    },
    audit: audit.read,
    /** Listens for other instances' alerts, and brings back the store's open alerts (a restart). */
    async start(): Promise<void> {
      await d.kv.subscribe(d.keys.alertsChanged(), (m) => track(onNotice(m)));
      for (const s of d.stores.all()) {
        const storeId = s.config.storeId;
        const ids = await d.kv.lrange(d.keys.alerts(storeId), 0, 199).catch(() => [] as string[]);
        for (const id of ids.reverse()) {
          const o = await load(storeId, id);
          if (!o) continue;
          open.set(k2(storeId, id), o);
          ofCustomer.set(k2(storeId, o.customerId), id);
          d.hub.sendAlert(storeId, o.alert);
          if (o.alert.claimedBy) d.hub.sendClaimed(storeId, { type: 'alert.claimed', alertId: id, ...o.alert.claimedBy });
        }
      }
    },
    /** Forgets alerts older than their open time (replay, claims). */
    sweep(): void {
      const now = d.clock.now();
      for (const [, o] of open) if (now - o.alert.createdAt >= openMs) forget(o.alert.storeId, o.alert.alertId);
    },
    /** Open alerts on this instance (tests, the live view). */
    openAlerts: (storeId: string): AlertBody[] => [...open.values()].filter((o) => o.alert.storeId === storeId).map((o) => o.alert),
    /** Resolves when no alert work is in flight (tests, shutdown). */
    async idle(): Promise<void> { while (pending.size) await Promise.allSettled([...pending]); },
  };
}
export type Alerts = ReturnType<typeof createAlerts>;
