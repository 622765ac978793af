/**
 * @module shared/store-info
 * Best-effort look-up of a store's display name, time zone and catalog categories from the engine's
 * HTTP API (`/api/v1/stores/{id}`, the store configuration; then the `/api/v1/stores` list, which has
 * only the name). Any failure yields `undefined`: the displays then fall back to the store id.
 */
import { z } from 'zod';

const StoreHead = z.object({ storeId: z.string(), name: z.string(), timezone: z.string().optional() });

export interface StoreInfo {
  storeId: string;
  name: string;
  timezone?: string | undefined;
  /**
   * sku → catalog category (lower case), from the store configuration's `catalog`; empty when only the
   * store list answered. Screens use it for an item's colour and icon only, never as text: screen frames
   * carry no category (docs/contracts.md §WebSocket protocol).
   */
  categories: ReadonlyMap<string, string>;
}

/**
 * The sku → category map of a store configuration body. Lenient on purpose: a malformed catalog entry
 * is skipped, it never costs the store name. Plain checks, no zod: a catalog may hold 40k items.
 */
export function catalogCategories(body: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const catalog = (body as { catalog?: unknown } | null)?.catalog;
  if (!Array.isArray(catalog)) return out;
  for (const e of catalog as unknown[]) {
    const { sku, category } = (e ?? {}) as { sku?: unknown; category?: unknown };
    if (typeof sku === 'string' && typeof category === 'string' && category) out.set(sku, category.toLowerCase());
  }
  return out;
}

export async function fetchStoreInfo(storeId: string, token: string | undefined,
  signal?: AbortSignal): Promise<StoreInfo | undefined> {
  const init: RequestInit = { signal: signal ?? null, headers: token ? { authorization: `Bearer ${token}` } : {} };
  const get = async (url: string): Promise<unknown> => {
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  };
  try {
    const body = await get(`/api/v1/stores/${encodeURIComponent(storeId)}`);
    const one = StoreHead.safeParse(body);
    if (one.success) return { ...one.data, categories: catalogCategories(body) };
  } catch { /* try the list */ }
  try {
    const list = z.array(StoreHead).safeParse(await get('/api/v1/stores'));
    const found = list.success ? list.data.find((s) => s.storeId === storeId) : undefined;
    if (found) return { ...found, categories: new Map() };
  } catch { /* unknown */ }
  return undefined;
}
