import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { Lru } from '../platform/lru.js';
import type { Metrics } from '../platform/metrics.js';

export type IdentityDeps = { kv: Kv; keys: Keys; log: Logger; metrics?: Metrics; ttlMs: number; cacheSize?: number; clock: { now(): number } };

/**
 * Device ↔ member links (aisle:device:{deviceId} → customerId, with a TTL), cached in process.
 * Devices arrive pseudonymised by the gateways: no raw MAC ever reaches this store.
 */
export function createIdentityStore({ kv, keys, log, metrics, ttlMs, cacheSize = 100_000, clock }: IdentityDeps) {
  const cache = new Lru<string, { customerId: string | null; until: number }>(cacheSize);
  const NEGATIVE_MS = 60_000;
  return {
    /** Holds a link in this process at once (the durable write is the caller's: `write`). */
    remember(deviceId: string, customerId: string): void {
      cache.set(deviceId, { customerId, until: clock.now() + ttlMs });
    },
    /** Stores a link in Redis; throws when Redis is unreachable (identity events journal it then). */
    async write(deviceId: string, customerId: string): Promise<void> {
      await kv.set(keys.device(deviceId), customerId, ttlMs);
    },
    /** Records a link best-effort (a presence event's own customerId); the cache holds it even when Redis is down. */
    async link(deviceId: string, customerId: string): Promise<void> {
      const known = cache.get(deviceId);
      cache.set(deviceId, { customerId, until: clock.now() + ttlMs });
      if (known?.customerId === customerId && known.until - ttlMs > clock.now() - 3_600_000) return; // refreshed within the hour
      try { await kv.set(keys.device(deviceId), customerId, ttlMs); }
      catch (err) { metrics?.redisErrors.inc({ op: 'device.link' }); log.debug({ err: (err as Error).message }, 'device link not stored'); }
    },
    /** The link this process holds for a device, without I/O (undefined if none or unknown). */
    known(deviceId: string): string | undefined {
      const c = cache.get(deviceId);
      return c && c.until > clock.now() ? c.customerId ?? undefined : undefined;
    },
    /** The member a device belongs to, if linked. */
    async resolve(deviceId: string): Promise<string | undefined> {
      const c = cache.get(deviceId);
      if (c && c.until > clock.now()) return c.customerId ?? undefined;
      try {
        const id = await kv.get(keys.device(deviceId));
        // A link taken while the read was on its way (an identity event on the other session) is newer than what was read.
        const meanwhile = cache.get(deviceId);
        if (meanwhile !== c && meanwhile?.customerId) return meanwhile.customerId;
        cache.set(deviceId, { customerId: id, until: clock.now() + (id ? ttlMs : NEGATIVE_MS) });
        return id ?? undefined;
      } catch {
        metrics?.redisErrors.inc({ op: 'device.resolve' });
        return c?.customerId ?? undefined;
      }
    },
  };
}
export type IdentityStore = ReturnType<typeof createIdentityStore>;
