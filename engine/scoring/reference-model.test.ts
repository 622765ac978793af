// The committed reference model (models/artifacts), loaded and verified the way the engine does,
// ranking real demo shoppers against the demo store's catalog.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Profile, StoreConfig } from '#contracts';
import { rebaseDemoProfile } from '../demo/rebase.js';
import { silentLogger } from '../platform/log.js';
import { indexCatalog } from './catalog.js';
import { createHeuristicRanker } from './heuristic.js';
import { createScoring, repoRoot, type Scoring } from './index.js';
import type { RankRequest } from './types.js';

const root = repoRoot();
const store = StoreConfig.parse(JSON.parse(readFileSync(join(root, 'engine/demo/store.s-001.json'), 'utf8')));
const catalog = indexCatalog(store.catalog);
const now = Date.UTC(2026, 10, 23, 15, 0);
const profiles = readFileSync(join(root, 'engine/demo/profiles.ndjson'), 'utf8').split('\n').filter(Boolean)
  .map((l) => rebaseDemoProfile(Profile.parse(JSON.parse(l)), now))
  .map((p) => ({ ...p, consent: { ...p.consent, personalization: true } }));
const kitchen = store.zones.find((z) => z.categories.includes('kitchen & dining')) ?? store.zones[0]!;
const req = (p: Partial<RankRequest>): RankRequest => ({
  catalog, limit: 6, ...p,
  context: { storeId: store.storeId, zoneId: kitchen.zoneId, zoneCategories: kitchen.categories, now, dwellMs: 30_000, eslSkus: [] },
});

// No skip when the artifact is missing: the engine ships with it, so its absence is a failure.
describe('the committed reference model', () => {
  let scoring: Scoring;
  beforeAll(async () => {
    scoring = await createScoring({ fallback: createHeuristicRanker(), log: silentLogger(), pollMs: 3_600_000 });
  });
  afterAll(() => scoring?.close());

  it('loads and verifies (sha256, features, golden, item stats)', () => {
    expect(scoring.status().lastError).toBeUndefined();
    expect(scoring.ready()).toBe(true);
    expect(scoring.status().serving?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ranks a real shopper with the model: in-stock items, scores in order, 1–3 reasons, some personal', async () => {
    const shopper = [...profiles].sort((a, b) => b.recentSkus.length - a.recentSkus.length)[0]!;
    const r = await scoring.rank(req({ profile: shopper }));
    expect(r.ranker).toMatch(/^model:/);
    expect(r.items).toHaveLength(6);
    for (const it of r.items) {
      expect(catalog.bySku.get(it.item.sku)?.inStock).toBe(true);
      expect(it.why.length).toBeGreaterThanOrEqual(1);
      expect(it.why.length).toBeLessThanOrEqual(3);
    }
    expect(r.items.map((i) => i.score)).toEqual([...r.items.map((i) => i.score)].sort((a, b) => b - a));
    expect(r.items.flatMap((i) => i.why).some((w) => /bought|interest/.test(w))).toBe(true);
  });

  it('ranks every demo shopper and an audience without falling back', async () => {
    let byModel = 0;
    for (const p of profiles) if ((await scoring.rank(req({ profile: p }))).ranker.startsWith('model:')) byModel++;
    expect(byModel).toBe(profiles.length);
    const a = await scoring.rank(req({ audience: profiles.slice(0, 3) }));
    expect(a.ranker).toMatch(/^model:/);
    expect(a.items.flatMap((i) => i.why).filter((w) => /bought|browsed|tapped/.test(w))).toEqual([]);
  });
});
