import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { StoreConfig, type Profile, type TokenEntry } from '#contracts';
import { rebaseDemoProfile } from '../../engine/demo/rebase.js';
import { createKeys } from '../../engine/platform/keys.js';
import { parseProfilesNdjson } from '../../engine/profiles/import.js';

const demo = (f: string) => fileURLToPath(new URL(`../../engine/demo/${f}`, import.meta.url));

export const BENCH_STORE = 's-bench';

/** What the receiver needs to connect one screen. */
export type ScreenRef = { screenId: string; zoneId: string; token: string };

/**
 * A big store: `zones` zones (every other one with two screens), the demo's 415-item catalog, its
 * categories spread so every zone has two of them.
 */
export function benchStore(zones = 20): StoreConfig {
  const d = JSON.parse(readFileSync(demo('store.s-001.json'), 'utf8')) as StoreConfig;
  const cats = [...new Set(d.catalog.map((c) => c.category))];
  const zs = Array.from({ length: zones }, (_, i) => ({
    zoneId: zoneId(i), name: `Aisle ${i + 1}`,
    categories: [...new Set([cats[i % cats.length]!, cats[(i + 5) % cats.length]!])],
  }));
  const screens = zs.flatMap((z, i) => Array.from({ length: i % 2 === 0 ? 2 : 1 }, (_, k) => ({
    screenId: `scr-${z.zoneId}-${k + 1}`, zoneId: z.zoneId, slots: k === 0 ? 4 : 6, template: k === 0 ? 'hero' as const : 'grid' as const })));
  const labels = zs.map((z, i) => ({ labelId: `L-bench-${i}`, sku: d.catalog[i]!.sku, zoneId: z.zoneId }));
  return StoreConfig.parse({ storeId: BENCH_STORE, name: 'Bench megastore', currency: d.currency, timezone: d.timezone,
    zones: zs, screens, labels, catalog: d.catalog });
}

export const zoneId = (i: number) => `z-${String(i).padStart(2, '0')}`;

/** Writes the store and a tokens file (one token per screen, one merchandiser's); returns the paths, the screens and that token. */
export function writeStoreFiles(dir: string, store: StoreConfig): { storesPath: string; tokensPath: string; screens: ScreenRef[]; merchandiserToken: string; gatewayToken: string; associateToken: string } {
  const screens = store.screens.map((s) => ({ screenId: s.screenId, zoneId: s.zoneId, token: `bench-${s.screenId}-${randomBytes(8).toString('hex')}` }));
  const merchandiserToken = `bench-merch-${randomBytes(12).toString('hex')}`;
  // A label gateway and an associate, so label frames and VIP alerts are delivered during the run, not just computed.
  const gatewayToken = `bench-gw-${randomBytes(12).toString('hex')}`;
  const associateToken = `bench-assoc-${randomBytes(12).toString('hex')}`;
  const tokens: TokenEntry[] = [...screens.map((s): TokenEntry => ({ token: s.token, role: 'screen', storeId: store.storeId, subject: s.screenId })),
    { token: merchandiserToken, role: 'merchandiser', storeId: store.storeId },
    { token: gatewayToken, role: 'label-gateway', storeId: store.storeId, subject: 'bench-gw' },
    { token: associateToken, role: 'associate', storeId: store.storeId, subject: 'bench-assoc' }];
  const storesPath = join(dir, 'store.s-bench.json');
  const tokensPath = join(dir, 'tokens.json');
  writeFileSync(storesPath, JSON.stringify(store));
  writeFileSync(tokensPath, JSON.stringify({ tokens }));
  return { storesPath, tokensPath, screens, merchandiserToken, gatewayToken, associateToken };
}

export const customerId = (n: number) => `c-bench-${n}`;

/**
 * `count` customers cloned from the demo profiles (dates moved to today), ids c-bench-0…; nine in ten
 * consent to personalization.
 */
export function benchProfiles(count: number, now = Date.now()): Profile[] {
  const base = parseProfilesNdjson(readFileSync(demo('profiles.ndjson'), 'utf8')).profiles.map((p) => rebaseDemoProfile(p, now));
  return Array.from({ length: count }, (_, n) => {
    const p = base[n % base.length]!;
    const personalization = n % 10 !== 9;
    return { ...p, customerId: customerId(n), consent: { personalization, displayName: personalization && n % 3 !== 0, associateAlerts: personalization } };
  });
}

/** Seeds profiles under the engine's own profile keys (`createKeys(prefix).profile`) in pipelined batches. */
export async function seedProfiles(redisUrl: string, prefix: string, profiles: Profile[]): Promise<void> {
  const r = new Redis(redisUrl);
  const keys = createKeys(prefix);
  for (let i = 0; i < profiles.length; i += 1000) {
    // One SET per key in a pipeline: with hash-tagged keys an MSET may span slots (Redis Cluster).
    const batch = r.pipeline();
    for (const p of profiles.slice(i, i + 1000)) batch.set(keys.profile(p.customerId), JSON.stringify(p));
    await batch.exec();
  }
  r.disconnect();
}
