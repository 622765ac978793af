import type { Visit } from '#contracts';
import type { ClientInfo } from '../push/index.js';
import type { StoreEntry } from '../stores/registry.js';

type Current = { decisionId: string; reason: string; seq: number; createdAt?: number; skus: string[] } | undefined;

/** The live view of a store: shoppers per zone (counts only, no identities), screens and labels online. Pure. */
export function liveView(store: StoreEntry, inZone: (zoneId: string) => readonly Visit[], clients: readonly ClientInfo[],
  current: (screenId: string) => Current, now: number) {
  const mine = clients.filter((c) => c.storeId === store.config.storeId);
  const screensOnline = new Set(mine.filter((c) => c.role === 'screen').map((c) => c.target));
  return {
    storeId: store.config.storeId,
    at: now,
    zones: store.config.zones.map((z) => {
      const vs = inZone(z.zoneId);
      return { zoneId: z.zoneId, name: z.name, shoppers: vs.length, identified: vs.filter((v) => v.customerId).length };
    }),
    screens: store.config.screens.map((s) => ({ screenId: s.screenId, zoneId: s.zoneId, online: screensOnline.has(s.screenId), current: current(s.screenId) })),
    labels: { configured: store.config.labels.length, gatewaysOnline: mine.filter((c) => c.role === 'label-gateway').length },
    clients: Object.fromEntries(['screen', 'label-gateway', 'associate', 'console', 'merchandiser'].map((r) => [r, mine.filter((c) => c.role === r).length])),
  };
}
