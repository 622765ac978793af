/**
 * @module associate/store-names
 * The store's name and its zones' names, best effort, from the engine's HTTP API with the associate's token:
 * `GET /api/v1/stores` (any role: the stores the token reaches, with their names) and
 * `GET /api/v1/stores/{id}` (an associate gets the player view, whose `zones[]` carry the names). When it cannot
 * be read, the app names a zone from its id (`z-kitchen` → "Kitchen"), never failing on it.
 */
import { z } from 'zod';

export interface StoreNames {
  name?: string | undefined;
  /** zoneId → name; empty when the configuration could not be read. */
  zones: ReadonlyMap<string, string>;
}

const StoreHead = z.object({ storeId: z.string(), name: z.string() });
const Zones = z.object({ zones: z.array(z.object({ zoneId: z.string(), name: z.string() }).loose()) }).loose();

export class StoreApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

async function getJson(url: string, token: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ?? null, headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new StoreApiError(0, 'unreachable');
  }
  if (!res.ok) throw new StoreApiError(res.status, `${url}: ${res.status}`);
  return res.json();
}

/** The stores the token reaches, `[{ storeId, name }]`; throws `StoreApiError` (status 0: unreachable). */
export async function fetchStores(token: string, signal?: AbortSignal): Promise<Array<{ storeId: string; name: string }>> {
  const r = z.array(StoreHead.loose()).safeParse(await getJson('/api/v1/stores', token, signal));
  if (!r.success) throw new StoreApiError(500, 'unexpected answer');
  return r.data.map((s) => ({ storeId: s.storeId, name: s.name }));
}

/** Store name and zone names; whatever cannot be read is left out. Never throws. */
export async function fetchStoreNames(storeId: string, token: string, signal?: AbortSignal): Promise<StoreNames> {
  const zones = new Map<string, string>();
  let name: string | undefined;
  try {
    const body = await getJson(`/api/v1/stores/${encodeURIComponent(storeId)}`, token, signal);
    const r = Zones.safeParse(body);
    if (r.success) for (const zn of r.data.zones) zones.set(zn.zoneId, zn.name);
    const head = StoreHead.safeParse(body);
    if (head.success) name = head.data.name;
  } catch { /* unreadable: names from ids */ }
  if (name === undefined) {
    try { name = (await fetchStores(token, signal)).find((s) => s.storeId === storeId)?.name; } catch { /* unknown */ }
  }
  return { name, zones };
}

/** A zone's name, else a readable form of its id: `z-kitchen` → "Kitchen", `zone_home-2` → "Home 2". */
export function zoneLabel(zoneId: string, zones: ReadonlyMap<string, string>): string {
  const known = zones.get(zoneId);
  if (known) return known;
  const words = zoneId.replace(/^(z|zone)[-_.:]/i, '').split(/[-_.:]+/).filter(Boolean).join(' ');
  return words ? words[0]!.toUpperCase() + words.slice(1) : zoneId;
}
