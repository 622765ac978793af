/**
 * @module shared/store-info
 * Best-effort look-up of a store's display name and time zone from the engine's HTTP API
 * (`/api/v1/stores/{id}`, then the `/api/v1/stores` list). Any failure yields `undefined`:
 * the displays then fall back to the store id.
 */
import { z } from 'zod';

const StoreInfo = z.object({ storeId: z.string(), name: z.string(), timezone: z.string().optional() });
export type StoreInfo = z.infer<typeof StoreInfo>;

export async function fetchStoreInfo(storeId: string, token: string | undefined,
  signal?: AbortSignal): Promise<StoreInfo | undefined> {
  const init: RequestInit = { signal: signal ?? null, headers: token ? { authorization: `Bearer ${token}` } : {} };
  const get = async (url: string): Promise<unknown> => {
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  };
  try {
    const one = StoreInfo.safeParse(await get(`/api/v1/stores/${encodeURIComponent(storeId)}`));
    if (one.success) return one.data;
  } catch { /* try the list */ }
  try {
    const list = z.array(StoreInfo).safeParse(await get('/api/v1/stores'));
    if (list.success) return list.data.find((s) => s.storeId === storeId);
  } catch { /* unknown */ }
  return undefined;
}
