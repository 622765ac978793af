import { selectCandidates, sharedAffinities, type Candidate } from './candidates.js';
import type { RankRequest, RankResult, RankedItem, Ranker, StoreCatalog } from './types.js';

/**
 * The honest non-model ranking (the fallback when no model is loaded): popularity in the store,
 * the zone's categories, and — for a consenting shopper — their own items, browsing and interests.
 * Scores are additive and every term leaves a reason.
 */
export function createHeuristicRanker(): Ranker {
  return {
    name: 'heuristic',
    async rank(req: RankRequest): Promise<RankResult> { return { items: rankHeuristic(req), ranker: 'heuristic' }; },
  };
}

export function rankHeuristic(req: RankRequest): RankedItem[] {
  const { profile, audience, catalog, context, limit } = req;
  const affinities = profile ? profile.affinities : sharedAffinities(audience ?? []);
  const cands = selectCandidates({ catalog, zoneCategories: context.zoneCategories, profile, eslSkus: profile ? context.eslSkus : [], affinities });
  const popularity = popularityOf(catalog);
  const zoneCats = new Set(context.zoneCategories);
  const scored = cands.map((c) => score(c, popularity, zoneCats, affinities, req, audience?.length ?? 0));
  scored.sort((a, b) => b.score - a.score || a.item.sku.localeCompare(b.item.sku));
  return scored.slice(0, limit);
}

function score(c: Candidate, pop: Map<string, number>, zoneCats: Set<string>, aff: Record<string, number>, req: RankRequest, groupSize: number): RankedItem {
  const { item } = c;
  const why: [number, string][] = [];
  let s = 0;
  const p = pop.get(item.sku) ?? 0;
  s += 0.6 * p;
  if (p > 0.9) why.push([0.6 * p, 'store best seller']);
  if (zoneCats.has(item.category)) { s += 1; why.push([1, `popular in ${item.category}`]); }
  const a = aff[item.category] ?? 0;
  if (a > 0) {
    s += 1.2 * a;
    why.push([1.2 * a, groupSize > 1 ? `shared interest in ${item.category}` : `affinity ${item.category} ${a.toFixed(2)}`]);
  }
  const bought = req.profile?.skuCounts?.[item.sku] ?? (c.sources.has('history') ? 1 : 0);
  if (bought > 0) { const v = 0.7 * Math.log2(1 + bought); s += v; why.push([v, `bought ${bought}× before`]); }
  if (c.sources.has('browsed')) { s += 0.9; why.push([0.9, 'browsed, not bought yet']); }
  if (c.sources.has('esl')) { s += 1.1; why.push([1.1, 'tapped its shelf label']); }
  if (item.promo) { s += 0.15; why.push([0.15, 'on offer']); }
  why.sort((x, y) => y[0] - x[0]);
  return { item, score: Math.round(s * 1e4) / 1e4, why: why.slice(0, 3).map(([, w]) => w) };
}

/** Popularity in [0, 1] from catalog order (the store lists best sellers first). */
const popCache = new WeakMap<StoreCatalog, Map<string, number>>();
function popularityOf(catalog: StoreCatalog): Map<string, number> {
  let m = popCache.get(catalog);
  if (!m) {
    const n = Math.max(1, catalog.inStock.length - 1);
    m = new Map(catalog.inStock.map((it, i) => [it.sku, 1 - i / n]));
    popCache.set(catalog, m);
  }
  return m;
}
