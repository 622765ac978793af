import type { StoreConfig } from '#contracts';
import { createKeyedSerial } from '../platform/keyed-serial.js';
import { silentLogger, type Logger } from '../platform/log.js';
import type { StoreEntry, StoreRegistry } from './registry.js';
import type { StoreRepo } from './store-repo.js';

export type StoreSyncDeps = { stores: StoreRegistry; repo: StoreRepo; log?: Logger };

/**
 * Keeps the registry and the stored copies in step (docs/contracts.md §Store configuration): the stored
 * copy wins over the file, the file only seeds a store that has none, a replacement is stored before it
 * takes effect, and other instances' replacements are picked up from their change notices.
 */
export function createStoreSync({ stores, repo, log = silentLogger() }: StoreSyncDeps) {
  // One store's reloads and saves run one after another, so a slow read never applies an older copy last.
  const serially = createKeyedSerial();
  const same = (a: StoreConfig, b: StoreConfig) => JSON.stringify(a) === JSON.stringify(b);

  const reload = (storeId: string) => serially(storeId, async () => {
    const { found } = await repo.load([storeId]);
    const config = found.get(storeId);
    const current = stores.get(storeId);
    if (config && current && !same(config, current.config)) stores.replace(config);
  });

  return {
    /**
     * At start-up, and again when the store comes back: every configured store takes its stored copy;
     * a store with none is seeded with what this instance holds. Only configured stores are read.
     */
    async load(): Promise<{ loaded: string[]; seeded: string[] }> {
      const ids = stores.all().map((e) => e.config.storeId);
      const { found, invalid } = await repo.load(ids);
      const loaded: string[] = [];
      const seeded: string[] = [];
      for (const storeId of ids) {
        await serially(storeId, async () => {
          const current = stores.get(storeId)!;
          const config = found.get(storeId);
          if (config) {
            loaded.push(storeId);
            if (!same(config, current.config)) stores.replace(config);
          } else if (!invalid.includes(storeId)) {
            await repo.seed(current.config);
            seeded.push(storeId);
          }
        });
      }
      log.info({ loaded, seeded }, 'store configurations synchronised');
      return { loaded, seeded };
    },
    /** Stores a replacement, then applies it here (its screens re-decide). Rejects, changing nothing, when it cannot be stored. */
    save: (config: StoreConfig): Promise<StoreEntry> => serially(config.storeId, async () => {
      await repo.save(config);
      return stores.replace(config);
    }),
    /** Follows other instances' replacements. */
    async watch(): Promise<void> {
      await repo.watch((storeId) => {
        if (!stores.has(storeId)) return;
        reload(storeId).catch((err: unknown) => log.warn({ err, storeId }, 'could not reload a changed store configuration'));
      });
    },
  };
}
export type StoreSync = ReturnType<typeof createStoreSync>;
