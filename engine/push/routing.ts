import type { Binding } from './auth.js';

// Channel and seq keys use '/', which ids cannot contain (ids.ts ID_PATTERN), so they never collide.
export const screenKey = (storeId: string, screenId: string) => `screen/${storeId}/${screenId}`;
export const viewKey = (storeId: string) => `view/${storeId}`;
export const labelKey = (storeId: string, labelId: string) => `label/${storeId}/${labelId}`;
export const labelsKey = (storeId: string) => `labels/${storeId}`;
export const alertsKey = (storeId: string) => `alerts/${storeId}`;

/** Channels a bound connection listens on. Alerts reach associates only; a screen only its own screen. */
export function channelsOf(b: Binding): string[] {
  switch (b.role) {
    case 'screen': return b.target ? [screenKey(b.storeId, b.target)] : [];
    case 'associate': return [alertsKey(b.storeId)];
    case 'label-gateway': return [labelsKey(b.storeId)];
    case 'console': case 'merchandiser': return [viewKey(b.storeId)];
  }
}

/** Waits for all promises, but no longer than `ms`. */
export async function settled(ps: Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  await Promise.race([Promise.all(ps), deadline]);
  clearTimeout(timer);
}

/** Gets or creates a map entry. */
export function mapOf<K, V>(m: Map<K, V>, k: K, make: () => V = () => new Map() as V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}
