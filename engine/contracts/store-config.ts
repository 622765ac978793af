import { z } from 'zod';
import { LabelId, ScreenId, Sku, StoreId, ZoneId } from './ids.js';

export const Zone = z.object({
  zoneId: ZoneId,
  name: z.string().min(1).max(80),
  categories: z.array(z.string().min(1)).default([]),
});
export type Zone = z.infer<typeof Zone>;

export const Screen = z.object({
  screenId: ScreenId,
  zoneId: ZoneId,
  /** How many items the screen shows. */
  slots: z.number().int().min(1).max(24).default(4),
  /** Preferred template; the decision may still pick `hero` for a single shopper. */
  template: z.enum(['hero', 'grid']).optional(),
});
export type Screen = z.infer<typeof Screen>;

export const ShelfLabel = z.object({ labelId: LabelId, sku: Sku, zoneId: ZoneId });
export type ShelfLabel = z.infer<typeof ShelfLabel>;

export const CatalogItem = z.object({
  sku: Sku,
  name: z.string().min(1).max(120),
  category: z.string().min(1),
  brand: z.string().max(80).default(''),
  price: z.number().nonnegative(),
  memberPrice: z.number().nonnegative().optional(),
  image: z.string().optional(),
  inStock: z.boolean().default(true),
  /** Marked as a promotion in the store's idle loop. */
  promo: z.boolean().optional(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

/** docs/contracts.md §Store configuration: one document per store. */
export const StoreConfig = z.object({
  storeId: StoreId,
  name: z.string().min(1).max(120),
  currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
  timezone: z.string().default('UTC'),
  zones: z.array(Zone).min(1),
  screens: z.array(Screen).default([]),
  labels: z.array(ShelfLabel).default([]),
  catalog: z.array(CatalogItem).min(1),
}).superRefine((cfg, ctx) => {
  const zones = new Set(cfg.zones.map((z) => z.zoneId));
  const skus = new Set(cfg.catalog.map((c) => c.sku));
  cfg.screens.forEach((s, i) => {
    if (!zones.has(s.zoneId)) ctx.addIssue({ code: 'custom', path: ['screens', i, 'zoneId'], message: `unknown zone ${s.zoneId}` });
  });
  cfg.labels.forEach((l, i) => {
    if (!zones.has(l.zoneId)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'zoneId'], message: `unknown zone ${l.zoneId}` });
    if (!skus.has(l.sku)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'sku'], message: `unknown sku ${l.sku}` });
  });
  const dup = (xs: string[]) => xs.find((x, i) => xs.indexOf(x) !== i);
  const d1 = dup(cfg.zones.map((z) => z.zoneId));
  if (d1) ctx.addIssue({ code: 'custom', path: ['zones'], message: `duplicate zoneId ${d1}` });
  const d2 = dup(cfg.screens.map((s) => s.screenId));
  if (d2) ctx.addIssue({ code: 'custom', path: ['screens'], message: `duplicate screenId ${d2}` });
  const d3 = dup(cfg.catalog.map((c) => c.sku));
  if (d3) ctx.addIssue({ code: 'custom', path: ['catalog'], message: `duplicate sku ${d3}` });
});
export type StoreConfig = z.infer<typeof StoreConfig>;

export const StoreSummary = z.object({ storeId: StoreId, name: z.string(), zones: z.number(), screens: z.number() });
export type StoreSummary = z.infer<typeof StoreSummary>;

