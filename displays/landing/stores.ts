/**
 * @module landing/stores
 * Loads the store list and each store's screens from the engine (`/api/v1/stores`, `/api/v1/stores/{id}`).
 */
import { z } from 'zod';
import { StoreSummary } from '../shared/contracts.js';

/** Just what the landing page needs from a StoreConfig (engine/contracts/store-config.ts). */
const StoreScreens = z.object({
  storeId: z.string(),
  name: z.string(),
  zones: z.array(z.object({ zoneId: z.string(), name: z.string() })),
  screens: z.array(z.object({ screenId: z.string(), zoneId: z.string(), template: z.string().optional(),
    /** The screen's own token, handed to console/merchandiser callers by /api/v1/stores/{id}/screens. */
    token: z.string().optional() })).default([]),
});
export type StoreScreens = z.infer<typeof StoreScreens>;

async function getJson(url: string, token: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal: signal ?? null, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}.`);
  if (!(res.headers.get('content-type') ?? '').includes('json')) throw new Error(`No engine API at ${url}.`);
  return res.json();
}

export async function loadStores(token: string, signal?: AbortSignal): Promise<StoreScreens[]> {
  const list = z.array(StoreSummary).parse(await getJson('/api/v1/stores', token, signal));
  return Promise.all(list.map(async (s) => {
    try {
      const cfg = StoreScreens.parse(await getJson(`/api/v1/stores/${encodeURIComponent(s.storeId)}`, token, signal));
      // Staff tokens get each screen's own token, so the links open the player signed in.
      const links = await getJson(`/api/v1/stores/${encodeURIComponent(s.storeId)}/screens`, token, signal).catch(() => []);
      const byId = new Map(z.array(z.object({ screenId: z.string(), token: z.string().optional() })).parse(links).map((l) => [l.screenId, l.token]));
      return { ...cfg, screens: cfg.screens.map((sc) => ({ ...sc, token: byId.get(sc.screenId) })) };
    } catch {
      return { storeId: s.storeId, name: s.name, zones: [], screens: [] };
    }
  }));
}

export function screenHref(storeId: string, screenId: string, token: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ store: storeId, screen: screenId, ...(token ? { token } : {}), ...extra });
  return `/screen/?${q}`;
}
