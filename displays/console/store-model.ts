/**
 * @module console/store-model
 * What the console needs from a store's configuration (`GET /api/v1/stores/{id}`, docs/contracts.md
 * §Store configuration), read leniently and indexed: names for zones and screens (merchandisers never
 * have to read an id), the catalog searchable by name, its categories, the store's language and currency.
 *
 * Zones may carry floor-plan coordinates `x, y, w, h` (any unit, e.g. metres): the engine's schema has
 * none yet, so they are read when present and the floor plan otherwise lays zones out as a grid.
 */
import { z } from 'zod';
import { validLocale } from '../shared/format.js';

const Num = z.number().finite();
const ZoneShape = z.object({ zoneId: z.string(), name: z.string(), categories: z.array(z.string()).catch([]),
  x: Num.optional().catch(undefined), y: Num.optional().catch(undefined),
  w: Num.positive().optional().catch(undefined), h: Num.positive().optional().catch(undefined) });
const ScreenShape = z.object({ screenId: z.string(), zoneId: z.string(), slots: z.number().catch(4),
  template: z.enum(['hero', 'grid']).optional().catch(undefined), name: z.string().optional().catch(undefined) });
const LabelShape = z.object({ labelId: z.string(), sku: z.string(), zoneId: z.string() });
const StoreShape = z.object({
  storeId: z.string(), name: z.string(),
  currency: z.string().catch('EUR').default('EUR'), timezone: z.string().catch('UTC').default('UTC'),
  locale: z.string().catch('en').default('en'),
  zones: z.array(ZoneShape), screens: z.array(ScreenShape).catch([]).default([]),
  labels: z.array(LabelShape).catch([]).default([]),
});

export type ZoneInfo = z.infer<typeof ZoneShape>;
/** A shelf label of the configuration: its item and zone. */
export type LabelInfo = z.infer<typeof LabelShape>;
/** `label`: "Kitchen & Dining · screen 2" (anywhere); `short`: "Screen 2" (inside its zone's card). */
export type ScreenInfo = z.infer<typeof ScreenShape> & { label: string; short: string };
export interface CatalogEntry { sku: string; name: string; category: string; price: number; memberPrice?: number | undefined; inStock: boolean }

export interface StoreModel {
  storeId: string;
  name: string;
  currency: string;
  timezone: string;
  /** A valid BCP 47 tag (the store's), for prices and dates. */
  locale: string;
  zones: ZoneInfo[];
  screens: ScreenInfo[];
  labelCount: number;
  /** The shelf labels, in configuration order. */
  labels: LabelInfo[];
  catalog: CatalogEntry[];
  bySku: ReadonlyMap<string, CatalogEntry>;
  /** sku → category (lower case), for the screen templates' colours and icons. */
  categoryOf: ReadonlyMap<string, string>;
  /** Every catalog category, sorted. */
  categories: string[];
}

/** Catalog entries checked by hand, not by zod: a catalog may hold 40k items. Malformed ones are skipped. */
function readCatalog(raw: unknown): CatalogEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: CatalogEntry[] = [];
  for (const e of raw as unknown[]) {
    const i = (e ?? {}) as Record<string, unknown>;
    if (typeof i['sku'] !== 'string' || typeof i['name'] !== 'string' || typeof i['category'] !== 'string' || typeof i['price'] !== 'number') continue;
    out.push({ sku: i['sku'], name: i['name'], category: i['category'], price: i['price'],
      memberPrice: typeof i['memberPrice'] === 'number' ? i['memberPrice'] : undefined, inStock: i['inStock'] !== false });
  }
  return out;
}

/** "Kitchen & Dining · screen 2": the zone's name and the screen's place in it, unless the config names the screen. */
function labelScreens(screens: z.infer<typeof ScreenShape>[], zones: ZoneInfo[]): ScreenInfo[] {
  const zoneName = new Map(zones.map((z) => [z.zoneId, z.name]));
  const perZone = new Map<string, number>();
  for (const s of screens) perZone.set(s.zoneId, (perZone.get(s.zoneId) ?? 0) + 1);
  const seen = new Map<string, number>();
  return screens.map((s) => {
    const n = (seen.get(s.zoneId) ?? 0) + 1;
    seen.set(s.zoneId, n);
    const zone = zoneName.get(s.zoneId) ?? s.zoneId;
    const several = perZone.get(s.zoneId)! > 1;
    const label = s.name ?? (several ? `${zone} · screen ${n}` : `${zone} · screen`);
    return { ...s, label, short: s.name ?? (several ? `Screen ${n}` : 'Screen') };
  });
}

/** The store model of a configuration body; throws when it is not a store configuration at all. */
export function readStoreModel(body: unknown): StoreModel {
  const s = StoreShape.parse(body);
  const catalog = readCatalog((body as { catalog?: unknown }).catalog);
  return {
    storeId: s.storeId, name: s.name, currency: s.currency, timezone: s.timezone, locale: validLocale(s.locale) ?? 'en',
    zones: s.zones, screens: labelScreens(s.screens, s.zones), labelCount: s.labels.length, labels: s.labels,
    catalog, bySku: new Map(catalog.map((c) => [c.sku, c])),
    categoryOf: new Map(catalog.map((c) => [c.sku, c.category.toLowerCase()])),
    categories: [...new Set(catalog.map((c) => c.category))].sort((a, b) => a.localeCompare(b)),
  };
}

export const zoneName = (m: StoreModel | undefined, zoneId: string): string => m?.zones.find((z) => z.zoneId === zoneId)?.name ?? zoneId;
export const screenLabel = (m: StoreModel | undefined, screenId: string): string => m?.screens.find((s) => s.screenId === screenId)?.label ?? screenId;
export const productName = (m: StoreModel | undefined, sku: string): string => m?.bySku.get(sku)?.name ?? sku;

/**
 * Catalog items whose name (or sku) contains every word of `query`, best first: names that start with
 * the query, then the catalog's order (the demo's is popularity). At most `limit`.
 */
export function searchCatalog(m: StoreModel, query: string, limit = 8): CatalogEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const q = query.trim().toLowerCase();
  const starts: CatalogEntry[] = [];
  const rest: CatalogEntry[] = [];
  for (const c of m.catalog) {
    const hay = `${c.name} ${c.sku}`.toLowerCase();
    if (!words.every((w) => hay.includes(w))) continue;
    (c.name.toLowerCase().startsWith(q) || c.sku.toLowerCase() === q ? starts : rest).push(c);
    if (starts.length >= limit) break;
  }
  return [...starts, ...rest].slice(0, limit);
}
