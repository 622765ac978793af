import { Profile } from '#contracts';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { Lru } from '../platform/lru.js';
import type { Metrics } from '../platform/metrics.js';

export type ProfileStoreDeps = { kv: Kv; keys: Keys; log: Logger; metrics?: Metrics; cacheSize: number;
  /** This instance's id, so its own change notices don't evict what it just wrote. */
  origin: string; clock: { now(): number }; negativeTtlMs?: number };

/** Result of a lookup: `unavailable` when the store could not answer (Redis down). */
export type ProfileLookup = { profile?: Profile; unavailable?: true };

/**
 * Profiles from Redis behind a bounded LRU (docs/contracts.md §Redis keys). Change notices on a channel evict
 * entries on every instance; with Redis down it serves what the LRU holds.
 */
export function createProfileStore({ kv, keys, log, metrics, cacheSize, origin, clock, negativeTtlMs = 30_000 }: ProfileStoreDeps) {
  const cache = new Lru<string, Profile | { missingUntil: number }>(cacheSize);

  const fromCache = (id: string): Profile | null | undefined => {
    const v = cache.get(id);
    if (v === undefined) return undefined;
    if ('missingUntil' in v) { if (v.missingUntil > clock.now()) return null; cache.delete(id); return undefined; }
    return v;
  };
  const parse = (id: string, raw: string | null): Profile | undefined => {
    if (raw === null) { cache.set(id, { missingUntil: clock.now() + negativeTtlMs }); return undefined; }
    try {
      const p = Profile.parse(JSON.parse(raw));
      cache.set(id, p);
      return p;
    } catch (err) {
      log.warn({ customerId: id, err: (err as Error).message.slice(0, 200) }, 'unreadable profile in store; ignored');
      return undefined;
    }
  };

  return {
    /** Several profiles with one round trip for the misses. */
    async getMany(ids: readonly string[]): Promise<Map<string, ProfileLookup>> {
      const out = new Map<string, ProfileLookup>();
      const misses: string[] = [];
      for (const id of ids) {
        const c = fromCache(id);
        if (c === undefined) misses.push(id);
        else out.set(id, c ? { profile: c } : {});
      }
      metrics?.profileCache.inc({ result: 'hit' }, ids.length - misses.length);
      if (misses.length) {
        metrics?.profileCache.inc({ result: 'miss' }, misses.length);
        try {
          const raws = await kv.mget(misses.map(keys.profile));
          misses.forEach((id, i) => out.set(id, { profile: parse(id, raws[i] ?? null) }));
        } catch (err) {
          metrics?.redisErrors.inc({ op: 'profile.get' });
          log.debug({ err: (err as Error).message }, 'profile lookup failed; serving without');
          for (const id of misses) out.set(id, { unavailable: true });
        }
      }
      return out;
    },
    async get(id: string): Promise<ProfileLookup> {
      return (await this.getMany([id])).get(id) ?? {};
    },
    invalidate(id: string): void { cache.delete(id); },
    /** Keeps a profile this instance just committed (the writer tells us), so reads see it at once. */
    remember(p: Profile): void { cache.set(p.customerId, p); },
    /** Listens for change notices (from the import command or other instances). */
    async listen(): Promise<void> {
      await kv.subscribe(keys.profileChanged(), (msg) => {
        const bar = msg.indexOf('|');
        const from = bar === -1 ? '' : msg.slice(0, bar);
        const id = bar === -1 ? msg : msg.slice(bar + 1);
        if (from !== origin) cache.delete(id);
      });
    },
    get cached(): number { return cache.size; },
  };
}
export type ProfileStore = ReturnType<typeof createProfileStore>;
