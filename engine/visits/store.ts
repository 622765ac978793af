import { Visit } from '#contracts';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';

export type VisitStoreDeps = { kv: Kv; keys: Keys; log: Logger; metrics?: Metrics; ttlMs: number; flushMs?: number;
  /** A visit changed only by a ping (still in the same zone) is re-written at most this often. */
  heartbeatWriteMs?: number; clock?: { now(): number } };

/**
 * Visits live in this process (the hot path never waits on Redis) and are written behind to Redis
 * in one pipeline per flush, so another instance can take a store over (docs/contracts.md §Scale).
 * A device this process has not seen is looked up in Redis once (takeover).
 * Also keeps the zone → devices index the decisions need.
 */
export function createVisitStore({ kv, keys, log, metrics, ttlMs, flushMs = 50, heartbeatWriteMs = 15_000, clock = Date }: VisitStoreDeps) {
  const visits = new Map<string, Visit>();
  const writtenAt = new Map<string, number>(); // when each visit was last queued for writing
  const zones = new Map<string, Set<string>>(); // `${storeId}/${zoneId}` → visit keys
  const dirty = new Map<string, Visit | null>(); // null: delete
  const id = (storeId: string, deviceId: string) => `${storeId}\u0000${deviceId}`;
  const zoneKey = (storeId: string, zoneId: string) => `${storeId}/${zoneId}`;

  const perStore = new Map<string, number>();
  const count = (storeId: string, by: number) => {
    const n = (perStore.get(storeId) ?? 0) + by;
    if (n > 0) perStore.set(storeId, n); else perStore.delete(storeId);
  };
  const index = (k: string, prev: Visit | undefined, next: Visit | undefined) => {
    if (!prev && next) count(next.storeId, 1);
    else if (prev && !next) count(prev.storeId, -1);
    if (prev && prev.zoneId !== next?.zoneId) zones.get(zoneKey(prev.storeId, prev.zoneId))?.delete(k);
    if (next) {
      const zk = zoneKey(next.storeId, next.zoneId);
      let set = zones.get(zk);
      if (!set) zones.set(zk, (set = new Set()));
      set.add(k);
    }
  };

  let flushing = false;
  async function flush(): Promise<void> {
    if (flushing || dirty.size === 0 || !kv.isUp()) return;
    flushing = true;
    const batch = [...dirty];
    dirty.clear();
    try {
      // One hash per store (docs/contracts.md §Redis keys): a new owner reads a store's visits in one HGETALL.
      const sets = new Map<string, Record<string, string>>();
      const dels = new Map<string, string[]>();
      for (const [k, v] of batch) {
        const [s, dev] = k.split('\u0000') as [string, string];
        if (v) (sets.get(s) ?? sets.set(s, {}).get(s)!)[dev] = JSON.stringify(v);
        else (dels.get(s) ?? dels.set(s, []).get(s)!).push(dev);
      }
      await Promise.all([
        ...[...sets].map(([s, fields]) => kv.hsetMany(keys.visits(s), fields, ttlMs)),
        ...[...dels].map(([s, devs]) => kv.hdel(keys.visits(s), devs)),
      ]);
    } catch (err) {
      metrics?.redisErrors.inc({ op: 'visit.flush' });
      log.debug({ err: (err as Error).message }, 'visit write-behind failed; will retry');
      for (const [k, v] of batch) if (!dirty.has(k)) dirty.set(k, v);
    } finally {
      flushing = false;
    }
  }
  /** A visit read from Redis, if it is still live (seen within the TTL); anything else is none. */
  const revive = (raw: string | null | undefined, now: number): Visit | undefined => {
    if (!raw) return undefined;
    try {
      const v = Visit.parse(JSON.parse(raw));
      return now - v.lastSeenAt <= ttlMs ? v : undefined;
    } catch { return undefined; }
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    /** The visit, from memory or (first time this process sees the device) from Redis. */
    async get(storeId: string, deviceId: string): Promise<Visit | undefined> {
      const k = id(storeId, deviceId);
      const v = visits.get(k);
      if (v || dirty.has(k) || !kv.isUp()) return v;
      try {
        const taken = revive(await kv.hget(keys.visits(storeId), deviceId), clock.now());
        if (!taken || visits.has(k)) return visits.get(k);
        visits.set(k, taken);
        index(k, undefined, taken);
        return taken;
      } catch {
        return visits.get(k);
      }
    },
    peek(storeId: string, deviceId: string): Visit | undefined { return visits.get(id(storeId, deviceId)); },
    /**
     * Replaces a visit. Changes of zone, identity or shelf taps are written behind at once; a ping that
     * only refreshes liveness is written at most every heartbeatWriteMs (enough for a takeover to see it alive).
     */
    set(storeId: string, deviceId: string, next: Visit | undefined): void {
      const k = id(storeId, deviceId);
      const prev = visits.get(k);
      if (next) visits.set(k, next); else visits.delete(k);
      index(k, prev, next);
      const now = clock.now();
      const pingOnly = !!prev && !!next && prev.zoneId === next.zoneId && prev.customerId === next.customerId && prev.eslCount === next.eslCount;
      if (pingOnly && now - (writtenAt.get(k) ?? 0) < heartbeatWriteMs) return;
      if (next) writtenAt.set(k, now); else writtenAt.delete(k);
      dirty.set(k, next ?? null);
    },
    /** Visits in a zone right now. */
    inZone(storeId: string, zoneId: string): Visit[] {
      const out: Visit[] = [];
      for (const k of zones.get(zoneKey(storeId, zoneId)) ?? []) { const v = visits.get(k); if (v) out.push(v); }
      return out;
    },
    countInZone(storeId: string, zoneId: string): number { return zones.get(zoneKey(storeId, zoneId))?.size ?? 0; },
    /** Visits of a store held in this process (bounded by the caller: AISLE_MAX_VISITS). */
    countInStore(storeId: string): number { return perStore.get(storeId) ?? 0; },
    all(): IterableIterator<Visit> { return visits.values(); },
    flush,
    /**
     * Takes a store over (docs/scale.md): every live visit Redis holds for it joins this process, unless this
     * process already has a newer copy; stale ones are removed from Redis. Returns how many were restored.
     */
    async restore(storeId: string): Promise<number> {
      const all = await kv.hgetall(keys.visits(storeId));
      const now = clock.now();
      const stale: string[] = [];
      let n = 0;
      for (const [deviceId, raw] of Object.entries(all)) {
        const v = revive(raw, now);
        if (!v || v.storeId !== storeId || v.deviceId !== deviceId) { stale.push(deviceId); continue; }
        const k = id(storeId, deviceId);
        const mine = visits.get(k);
        if (mine && mine.lastSeenAt >= v.lastSeenAt) continue;
        visits.set(k, v);
        index(k, mine, v);
        n++;
      }
      if (stale.length) await kv.hdel(keys.visits(storeId), stale).catch(() => {});
      return n;
    },
    /** A store's live visits as Redis has them (a store another instance decides: its live view). */
    async snapshot(storeId: string): Promise<Visit[]> {
      const now = clock.now();
      return Object.values(await kv.hgetall(keys.visits(storeId))).map((raw) => revive(raw, now)).filter((v): v is Visit => !!v);
    },
    /** Forgets a store's visits in this process (handed to another instance; they stay in Redis). Pending writes go out first. */
    async drop(storeId: string): Promise<void> {
      for (let i = 0; i < 10 && dirty.size && kv.isUp(); i++) {
        await flush();
        if (dirty.size) await new Promise((r) => setTimeout(r, 20));
      }
      for (const [k, v] of visits) {
        if (v.storeId !== storeId || dirty.has(k)) continue;
        visits.delete(k);
        writtenAt.delete(k);
        index(k, v, undefined);
      }
    },
    async close(): Promise<void> { clearInterval(timer); await flush(); },
    get size(): number { return visits.size; },
  };
}
export type VisitStore = ReturnType<typeof createVisitStore>;
