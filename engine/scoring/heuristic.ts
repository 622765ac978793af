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
  const groupSize = audience?.length ?? 0;
  // Scores for every candidate, reasons only for those shown: a screen takes a dozen of up to 200 candidates.
  const scores = cands.map((c) => score(c, popularity, zoneCats, affinities, req, groupSize, undefined));
  const order = skuOrderOf(catalog);
  const top = cands.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || order(cands[a]!.item.sku) - order(cands[b]!.item.sku)).slice(0, limit);
  return top.map((i) => {
    const why: [number, string][] = [];
    const c = cands[i]!;
    score(c, popularity, zoneCats, affinities, req, groupSize, why);
    why.sort((x, y) => y[0] - x[0]);
    return { item: c.item, score: scores[i]!, why: why.slice(0, 3).map(([, w]) => w) };
  });
}

/** A candidate's score (rounded to 1e-4); its reasons, weighted, go into `why` when given. */
function score(c: Candidate, pop: Map<string, number>, zoneCats: Set<string>, aff: Readonly<Record<string, number>>, req: RankRequest, groupSize: number,
  why: [number, string][] | undefined): number {
  const { item } = c;
  let s = 0;
  const p = pop.get(item.sku) ?? 0;
  s += 0.6 * p;
  if (p > 0.9) why?.push([0.6 * p, 'store best seller']);
  if (zoneCats.has(item.category)) { s += 1; why?.push([1, `popular in ${item.category}`]); }
  const a = aff[item.category] ?? 0;
  if (a > 0) {
    s += 1.2 * a;
    why?.push([1.2 * a, groupSize > 1 ? `shared interest in ${item.category}` : `affinity ${item.category} ${a.toFixed(2)}`]);
  }
  const bought = req.profile?.skuCounts?.[item.sku] ?? (c.sources.has('history') ? 1 : 0);
  if (bought > 0) { const v = 0.7 * Math.log2(1 + bought); s += v; why?.push([v, `bought ${bought}× before`]); }
  if (c.sources.has('browsed')) { s += 0.9; why?.push([0.9, 'browsed, not bought yet']); }
  if (c.sources.has('esl')) { s += 1.1; why?.push([1.1, 'tapped its shelf label']); }
  if (item.promo) { s += 0.15; why?.push([0.15, 'on offer']); }
  return Math.round(s * 1e4) / 1e4;
}

/** Ties break by SKU in locale order: each SKU's place in that order, worked out once per catalog. */
const skuOrders = new WeakMap<StoreCatalog, (sku: string) => number>();
function skuOrderOf(catalog: StoreCatalog): (sku: string) => number {
  let f = skuOrders.get(catalog);
  if (!f) {
    const places = new Map([...catalog.bySku.keys()].sort((a, b) => a.localeCompare(b)).map((sku, i) => [sku, i]));
    // A SKU the catalog does not list (never a candidate) would sort last.
    f = (sku) => places.get(sku) ?? places.size;
    skuOrders.set(catalog, f);
  }
  return f;
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
