import type { CatalogItem, Profile } from '#contracts';

/** Real-time context of a decision; every field the ranker may use, known or not. */
export type RankContext = {
  storeId: string;
  zoneId: string;
  /** Categories of the zone the screen is in. */
  zoneCategories: readonly string[];
  /** Decision time, epoch ms (from the injected clock). */
  now: number;
  /** Dwell of the shopper in this zone so far, ms (undefined: unknown, e.g. audience/idle). */
  dwellMs?: number;
  /** SKUs whose shelf labels the shopper tapped during this visit, newest first. */
  eslSkus?: readonly string[];
};

/** A request to rank items for one screen. */
export type RankRequest = {
  /** The consenting shopper (shopper mode). Absent in audience and idle modes. */
  profile?: Profile;
  /** Consenting shoppers of an audience: their shared interests are used, never their identity. */
  audience?: readonly Profile[];
  /** The store's in-stock catalog (the ranker draws candidates from it). */
  catalog: StoreCatalog;
  context: RankContext;
  limit: number;
  /**
   * A model experiment's arm (docs/experiments.md §Model versions): rank with this model version when the
   * engine holds it; otherwise the serving version ranks, and the result's `ranker` says which did.
   */
  modelVersion?: string;
};

export type RankedItem = {
  item: CatalogItem;
  score: number;
  /** Short reasons, most important first; joined with " · " on the screen. */
  why: string[];
};

export type RankResult = { items: RankedItem[]; ranker: string };

/** The scoring port the decisions pipeline calls. The model (ONNX) and the fallback both implement it. */
export interface Ranker {
  readonly name: string;
  rank(req: RankRequest): Promise<RankResult>;
}

/** A store's catalog indexed for fast candidate lookups. Built once per store config. */
export type StoreCatalog = {
  bySku: ReadonlyMap<string, CatalogItem>;
  /** In-stock items per category, best sellers first when the store knows sales order. */
  byCategory: ReadonlyMap<string, readonly CatalogItem[]>;
  /** In-stock items in catalog order (the demo orders by past sales). */
  inStock: readonly CatalogItem[];
  /** Promotion items in stock. */
  promos: readonly CatalogItem[];
};
