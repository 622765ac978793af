import { describe, expect, it } from 'vitest';
import { Profile } from '#contracts';
import { silentLogger } from '../platform/log.js';
import { indexCatalog } from './catalog.js';
import { createRankChooser } from './choose.js';
import type { RankRequest, Ranker } from './types.js';

const catalog = indexCatalog([{ sku: 'A', name: 'A', category: 'x', brand: '', price: 1, inStock: true }, { sku: 'B', name: 'B', category: 'y', brand: '', price: 1, inStock: true }]);
const profile = Profile.parse({ customerId: 'c-1', consent: { personalization: true, displayName: false, associateAlerts: false }, updatedAt: 1 });
const req = (over: Partial<RankRequest> = {}): RankRequest => ({ profile, catalog, limit: 2, context: { storeId: 's', zoneId: 'z', zoneCategories: ['x'], now: 0 }, ...over });

function setup(name = 'model:test@1') {
  let t = 0;
  let calls = 0;
  const model: Ranker = { name: 'model', rank: async (r) => { calls++; return { items: [{ item: r.catalog.inStock[0]!, score: calls, why: [] }], ranker: name }; } };
  const rank = createRankChooser({ model, log: silentLogger(), cacheMs: 10_000, now: () => t });
  return { rank, calls: () => calls, advance: (ms: number) => { t += ms; } };
}

describe('createRankChooser', () => {
  it('ranks a group or an empty zone with the heuristic, never the model', async () => {
    const s = setup();
    expect((await s.rank(req({ profile: undefined, audience: [] }))).ranker).toBe('heuristic');
    expect(s.calls()).toBe(0);
  });
  it('reuses a shopper\'s ranking in a zone while nothing about them changed, for cacheMs', async () => {
    const s = setup();
    await s.rank(req());
    await s.rank(req());
    expect(s.calls()).toBe(1);
    await s.rank(req({ context: { ...req().context, zoneId: 'z2' } }));
    await s.rank(req({ profile: { ...profile, updatedAt: 2 } }));
    await s.rank(req({ context: { ...req().context, eslSkus: ['A'] } }));
    await s.rank(req({ catalog: indexCatalog([...catalog.inStock]) }));
    expect(s.calls()).toBe(5);
    s.advance(10_001);
    await s.rank(req());
    expect(s.calls()).toBe(6);
  });
  it('serves a shorter request from a longer ranking of the same shopper, not the other way round; versions apart', async () => {
    let calls = 0;
    const model: Ranker = { name: 'model', rank: async (r) => { calls++; return { items: r.catalog.inStock.slice(0, r.limit).map((item, i) => ({ item, score: 1 - i / 10, why: [] })), ranker: 'model:t@1' }; } };
    const rank = createRankChooser({ model, log: silentLogger(), cacheMs: 10_000, now: () => 0 });
    expect((await rank(req({ limit: 1 }))).items).toHaveLength(1);
    expect((await rank(req({ limit: 2 }))).items.map((i) => i.item.sku)).toEqual(['A', 'B']);
    expect(calls).toBe(2);
    expect((await rank(req({ limit: 1 }))).items.map((i) => i.item.sku)).toEqual(['A']);
    expect((await rank(req({ limit: 2 }))).items).toHaveLength(2);
    expect(calls).toBe(2);
    await rank(req({ limit: 1, modelVersion: 'v0' }));
    expect(calls).toBe(3);
  });
  it('does not keep a fallback answer, so the model gets its chance next time', async () => {
    const s = setup('heuristic');
    await s.rank(req());
    await s.rank(req());
    expect(s.calls()).toBe(2);
  });
  it('falls back to the heuristic when the model throws', async () => {
    const rank = createRankChooser({ model: { name: 'model', rank: () => Promise.reject(new Error('boom')) }, log: silentLogger() });
    const r = await rank(req());
    expect(r.ranker).toBe('heuristic');
    expect(r.items.map((i) => i.item.sku)).toEqual(['A']); // the zone's category
  });
});
