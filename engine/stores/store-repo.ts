import { randomBytes } from 'node:crypto';
import { StoreConfig, parseUntrusted } from '#contracts';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { silentLogger, type Logger } from '../platform/log.js';

export type StoreRepoDeps = {
  kv: Kv; keys: Pick<Keys, 'store' | 'storeChanged'>;
  /** This instance, so it can ignore its own change notices (as profile:changed does). */
  origin?: string;
  log?: Logger;
};

/**
 * Store configurations in Redis (docs/contracts.md §Store configuration): `store:{storeId}` holds the
 * config JSON, and every save announces `{origin}|{storeId}` on `store:changed` so other instances reload.
 * The same over the in-memory Kv (demo). Calls reject when the Kv is down; callers decide.
 */
export function createStoreRepo({ kv, keys, origin = randomBytes(4).toString('hex'), log = silentLogger() }: StoreRepoDeps) {
  return {
    origin,
    /**
     * The stored copies of these stores. A missing one is absent from the map; an unreadable or
     * invalid one is left out with a warning (the caller keeps what it has) and listed in `invalid`.
     */
    async load(storeIds: readonly string[]): Promise<{ found: Map<string, StoreConfig>; invalid: string[] }> {
      const found = new Map<string, StoreConfig>();
      const invalid: string[] = [];
      if (!storeIds.length) return { found, invalid };
      const raws = await kv.mget(storeIds.map(keys.store));
      storeIds.forEach((storeId, i) => {
        const raw = raws[i];
        if (raw === null || raw === undefined) return;
        let json: unknown;
        try { json = JSON.parse(raw); } catch { json = undefined; }
        const r = parseUntrusted(StoreConfig, json);
        if (r.success && r.data.storeId === storeId) found.set(storeId, r.data);
        else {
          invalid.push(storeId);
          const issue = r.success ? { path: 'storeId', message: `holds store ${r.data.storeId}` } : { path: r.error.issues[0]?.path.join('.'), message: r.error.issues[0]?.message };
          log.warn({ storeId, key: keys.store(storeId), ...issue }, 'stored store configuration is invalid; keeping the current one');
        }
      });
      return { found, invalid };
    },
    /** Writes the configuration and announces it. */
    async save(config: StoreConfig): Promise<void> {
      await kv.set(keys.store(config.storeId), JSON.stringify(config));
      await kv.publish(keys.storeChanged(), `${origin}|${config.storeId}`);
    },
    /** Writes a configuration without announcing it (seeding from the file: nobody holds an older copy). */
    async seed(config: StoreConfig): Promise<void> {
      await kv.set(keys.store(config.storeId), JSON.stringify(config));
    },
    /** Calls `changed(storeId)` for every change another instance announces. */
    async watch(changed: (storeId: string) => void): Promise<void> {
      await kv.subscribe(keys.storeChanged(), (msg) => {
        const bar = msg.indexOf('|');
        const from = bar === -1 ? '' : msg.slice(0, bar);
        const storeId = bar === -1 ? msg : msg.slice(bar + 1);
        if (from !== origin && storeId) changed(storeId);
      });
    },
  };
}
export type StoreRepo = ReturnType<typeof createStoreRepo>;
