// Test-only: a fixed sweep of ranking requests (the demo store and shoppers) against a committed model
// version, reduced to a digest plus a few spelled-out results, so a pure speed-up of the ranker can be checked
// to change nothing (items, scores to the last bit, reasons, ranker name).
//
// Re-record (only when a change is MEANT to change rankings, e.g. a new model version):
//   npx tsx engine/scoring/rank-equivalence.fixture.ts --write     (records every version under models/artifacts/ranker)
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Profile } from '#contracts';
import { rebaseDemoProfile, rebaseDemoStore } from '../demo/rebase.js';
import { parseProfilesNdjson } from '../profiles/import.js';
import { silentLogger } from '../platform/log.js';
import { loadStoreConfigs } from '../stores/load.js';
import { indexStore } from '../stores/registry.js';
import { createHeuristicRanker } from './heuristic.js';
import { repoRoot } from './index.js';
import { ModelHolder } from './model-holder.js';
import { createModelRanker } from './model-ranker.js';
import { servingFeatures } from './serving-features.js';
import type { RankRequest, RankResult, Ranker } from './types.js';

export const FIXTURE_PATH = join(repoRoot(), 'engine/scoring/rank-equivalence.expected.json');
export const VERSIONS_DIR = join(repoRoot(), 'models/artifacts/ranker');

/** A fixed decision time (a Monday afternoon, UTC): hour and weekday are features. */
const NOW = Date.UTC(2026, 10, 23, 15, 0);

/** The sweep: every demo shopper once (zones, label taps, dwell and limits varied), a few audiences. */
export function sweepRequests(): RankRequest[] {
  const store = indexStore(rebaseDemoStore(loadStoreConfigs()[0]!, NOW));
  const profiles: Profile[] = parseProfilesNdjson(readFileSync(join(repoRoot(), 'engine/demo/profiles.ndjson'), 'utf8')).profiles
    .map((p) => rebaseDemoProfile(p, NOW))
    .map((p) => ({ ...p, consent: { ...p.consent, personalization: true } }));
  const { zones, storeId } = store.config;
  const inStock = store.catalog.inStock;
  const out: RankRequest[] = [];
  profiles.forEach((p, i) => {
    const zone = zones[i % zones.length]!;
    const eslSkus = i % 4 === 1 ? [p.recentSkus[1] ?? 'SKU-NONE', inStock[(i * 13) % inStock.length]!.sku] : i % 4 === 2 ? [] : undefined;
    out.push({
      profile: p, catalog: store.catalog, limit: i % 7 === 0 ? 200 : i % 7 === 1 ? 12 : 18,
      context: { storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now: NOW + (i % 5) * 3_600_000,
        ...(i % 3 === 0 ? {} : { dwellMs: 30_000 + i }), ...(eslSkus ? { eslSkus } : {}) },
    });
  });
  for (let i = 0; i < 40; i++) {
    const zone = zones[i % zones.length]!;
    out.push({
      audience: profiles.slice(i * 3, i * 3 + 2 + (i % 2)), catalog: store.zoneCatalogs.get(zone.zoneId)!, limit: 24,
      context: { storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now: NOW },
    });
  }
  return out;
}

/** One result as compared: ranker, and per item sku, score (exact) and reasons. */
export const canonical = (r: RankResult): string =>
  JSON.stringify([r.ranker, r.items.map((i) => [i.item.sku, i.score, i.why])]);

export type SweepRecord = { version: string; requests: number; digest: string; samples: string[] };

/** Runs the sweep with `rank` one request at a time and digests the canonical results. */
export async function runSweep(version: string, rank: (req: RankRequest) => Promise<RankResult>, reqs = sweepRequests()): Promise<SweepRecord> {
  const h = createHash('sha256');
  const samples: string[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const r = await rank(reqs[i]!);
    h.update(canonical(r)).update('\n');
    // Spelled out (first 8 items) for a readable diff when the digest differs.
    if (i < 3 || i === 7 || i === reqs.length - 1) samples.push(canonical({ ...r, items: r.items.slice(0, 8) }));
  }
  return { version, requests: reqs.length, digest: h.digest('hex'), samples };
}

/** The model ranker on one version folder, as the engine builds it. */
export async function rankerFor(version: string): Promise<{ ranker: Ranker; close: () => Promise<void> }> {
  const holder = new ModelHolder({ loader: { expectedFeatures: servingFeatures.names, parseItemStats: servingFeatures.parseItemStats }, log: silentLogger() });
  const r = await holder.load(join(VERSIONS_DIR, version));
  if (!r.ok) throw new Error(`${version}: ${r.error.code} ${r.error.reason}`);
  const ranker = createModelRanker({ holder, features: servingFeatures, fallback: createHeuristicRanker(), log: silentLogger() });
  return { ranker, close: () => holder.close() };
}

export const readExpected = (): SweepRecord[] => JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as SweepRecord[];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--write')) {
  const versions = readdirSync(VERSIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const records: SweepRecord[] = [];
  for (const v of versions) {
    const { ranker, close } = await rankerFor(v);
    records.push(await runSweep(v, (req) => ranker.rank(req)));
    await close();
  }
  writeFileSync(FIXTURE_PATH, `${JSON.stringify(records, null, 1)}\n`);
  console.log(records.map((r) => `${r.version}: ${r.requests} requests, ${r.digest}`).join('\n'));
}
