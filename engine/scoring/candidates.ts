import type { CatalogItem, Profile } from '#contracts';
import type { StoreCatalog } from './types.js';

export type CandidateSource = 'zone' | 'history' | 'browsed' | 'esl' | 'affinity' | 'promo';
export type Candidate = { item: CatalogItem; sources: Set<CandidateSource> };

export type CandidateInput = {
  catalog: StoreCatalog;
  zoneCategories: readonly string[];
  /** Personal signals: only from a consenting shopper (shopper mode). */
  profile?: Profile;
  eslSkus?: readonly string[];
  /** Category interests (a shopper's, or an audience's shared ones), 0..1. */
  affinities?: Readonly<Record<string, number>>;
  perCategory?: number;
  max?: number;
};

/**
 * In-stock candidates for one screen: the zone's categories, the shopper's own and browsed items,
 * shelf labels tapped this visit, top items of their favourite categories, and promotions. Pure.
 */
export function selectCandidates({ catalog, zoneCategories, profile, eslSkus = [], affinities = {}, perCategory = 30, max = 200 }: CandidateInput): Candidate[] {
  const out = new Map<string, Candidate>();
  const add = (item: CatalogItem | undefined, source: CandidateSource) => {
    if (!item || !item.inStock) return;
    const c = out.get(item.sku);
    if (c) c.sources.add(source);
    else if (out.size < max) out.set(item.sku, { item, sources: new Set([source]) });
  };
  for (const sku of eslSkus) add(catalog.bySku.get(sku), 'esl');
  if (profile) {
    for (const sku of profile.browsedSkus.slice(0, 10)) add(catalog.bySku.get(sku), 'browsed');
    for (const sku of profile.recentSkus.slice(0, 30)) add(catalog.bySku.get(sku), 'history');
  }
  for (const cat of zoneCategories) for (const it of (catalog.byCategory.get(cat) ?? []).slice(0, perCategory)) add(it, 'zone');
  const favourites = Object.entries(affinities).filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]).slice(0, 4);
  for (const [cat] of favourites) for (const it of (catalog.byCategory.get(cat) ?? []).slice(0, 10)) add(it, 'affinity');
  for (const it of catalog.promos.slice(0, 20)) add(it, 'promo');
  return [...out.values()];
}

const shared = new WeakMap<readonly Profile[], Record<string, number>>();

/** Shared interests of a group: the mean of the members' affinities (absent = 0). Callers never change the result. */
export function sharedAffinities(profiles: readonly Profile[]): Record<string, number> {
  if (!profiles.length) return {};
  // A zone decision asks once per distinct screen request, with the same audience array: worked out once.
  const known = shared.get(profiles);
  if (known) return known;
  const sum = new Map<string, number>();
  for (const p of profiles) {
    const a = p.affinities;
    for (const c of Object.keys(a)) sum.set(c, (sum.get(c) ?? 0) + a[c]!);
  }
  const out: Record<string, number> = {};
  for (const [c, v] of sum) out[c] = v / profiles.length;
  shared.set(profiles, out);
  return out;
}
