import type { Screen, ShelfLabel, StoreConfig, Zone } from '#contracts';
import { indexCatalog } from '../scoring/catalog.js';
import type { StoreCatalog } from '../scoring/types.js';

/** One configured store with the lookups the pipeline needs, built once per configuration. */
export type StoreEntry = {
  config: StoreConfig;
  catalog: StoreCatalog;
  zones: Map<string, Zone>;
  screensByZone: Map<string, Screen[]>;
  screens: Map<string, Screen>;
  labels: Map<string, ShelfLabel>;
  categoryOf: (sku: string) => string | undefined;
  /** Per zone: the catalog restricted to the zone's categories (what a screen there can point to nearby). */
  zoneCatalogs: Map<string, StoreCatalog>;
};

export function indexStore(config: StoreConfig): StoreEntry {
  const catalog = indexCatalog(config.catalog);
  const screensByZone = new Map<string, Screen[]>();
  for (const s of config.screens) screensByZone.set(s.zoneId, [...(screensByZone.get(s.zoneId) ?? []), s]);
  return {
    config, catalog, screensByZone,
    zones: new Map(config.zones.map((z) => [z.zoneId, z])),
    screens: new Map(config.screens.map((s) => [s.screenId, s])),
    labels: new Map(config.labels.map((l) => [l.labelId, l])),
    categoryOf: (sku) => catalog.bySku.get(sku)?.category,
    zoneCatalogs: new Map(config.zones.map((z) => {
      const cats = new Set(z.categories);
      return [z.zoneId, indexCatalog(config.catalog.filter((i) => cats.has(i.category)))];
    })),
  };
}

/** The stores this engine serves; a configuration can be replaced at run time (API). */
export function createStoreRegistry(configs: readonly StoreConfig[]) {
  const stores = new Map(configs.map((c) => [c.storeId, indexStore(c)]));
  const listeners: ((e: StoreEntry) => void)[] = [];
  return {
    get: (storeId: string) => stores.get(storeId),
    has: (storeId: string) => stores.has(storeId),
    hasScreen: (storeId: string, screenId: string) => stores.get(storeId)?.screens.has(screenId) ?? false,
    hasLabel: (storeId: string, labelId: string) => stores.get(storeId)?.labels.has(labelId) ?? false,
    all: () => [...stores.values()],
    replace(config: StoreConfig): StoreEntry {
      const e = indexStore(config);
      stores.set(config.storeId, e);
      for (const l of listeners) l(e);
      return e;
    },
    onChange(l: (e: StoreEntry) => void) { listeners.push(l); },
  };
}
export type StoreRegistry = ReturnType<typeof createStoreRegistry>;
