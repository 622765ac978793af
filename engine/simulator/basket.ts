import type { PosLine } from '../contracts/events.js';
import type { CatalogItem } from '../contracts/store-config.js';
import { intBetween, pickWeighted, shuffled, type Random } from './random.js';

/** What a basket is drawn from: the shopper's interests and the zones they walked through. */
export type BasketOptions = {
  catalog: readonly CatalogItem[];
  /** Category → 0..1 (the shopper's affinities; empty for anonymous shoppers). */
  affinities?: Readonly<Record<string, number>>;
  /** Categories of the zones visited. */
  visitedCategories?: ReadonlySet<string>;
  /** Members pay the member price where there is one. */
  member: boolean;
  minLines?: number;
  maxLines?: number;
};

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Sum of qty × unit price, to the penny: the POS `total` of these lines. */
export const basketTotal = (lines: readonly PosLine[]): number => round2(lines.reduce((s, l) => s + l.qty * l.unitPrice, 0));

/**
 * 1–6 distinct in-stock items, favouring best sellers (catalog order), the shopper's categories and the
 * zones they visited; integer quantities 1–4. Empty only when nothing is in stock.
 */
export function pickBasket(random: Random, opts: BasketOptions): PosLine[] {
  const { catalog, affinities = {}, visitedCategories = new Set<string>(), member, minLines = 1, maxLines = 6 } = opts;
  const pool = catalog.map((item, rank) => ({ item, rank })).filter((c) => c.item.inStock);
  const weight = ({ item, rank }: { item: CatalogItem; rank: number }): number =>
    (1 + 4 * (affinities[item.category] ?? 0) + (visitedCategories.has(item.category) ? 1.5 : 0)) / (1 + rank / 40);
  const n = Math.min(pool.length, intBetween(random, minLines, maxLines));
  const lines: PosLine[] = [];
  for (let i = 0; i < n; i++) {
    const chosen = pickWeighted(random, pool, weight);
    pool.splice(pool.indexOf(chosen), 1);
    const unitPrice = member && chosen.item.memberPrice !== undefined ? chosen.item.memberPrice : chosen.item.price;
    lines.push({ sku: chosen.item.sku, qty: intBetween(random, 1, 4), unitPrice });
  }
  return lines;
}

/**
 * How simulated shoppers react to what screens showed them in their personal turns (docs/experiments.md §In the demo):
 * at checkout a shopper thinks of `attention` of the items shown this visit (a random few when more were shown), and
 * each joins the basket with probability `baseline`, or `baseline × (1 + effect)` when a merchandiser rule brought it
 * (pinned or boosted). `effect` 0: rules sell nothing extra (an A/A check).
 *
 * Why only a few: a rule changes how many different items a shopper sees in a visit (its pins first, the ranker's
 * picks once it is capped), and with a chance per item, more items seen would mean more bought even at effect 0 —
 * the experiment would measure variety, not the effect.
 */
export type Reaction = { baseline: number; effect: number; attention?: number };

/** Shown items a shopper thinks of at checkout: the smallest demo screen's worth. */
export const ATTENTION = 4;

/**
 * The demo's reaction: a shown item the shopper thinks of is picked up 15% of the time, four times as often when a rule
 * brought it. That large an effect is what a few minutes of the demo need to show a lift beyond noise: the demo's
 * rules bring one or two of a turn's items and the planned baskets add shown items in both arms, so a smaller
 * per-item effect is diluted below what some 40 shoppers per arm can detect (docs/experiments.md §In the demo).
 */
export const DEFAULT_REACTION: Reaction = { baseline: 0.15, effect: 3 };

/** Problems with a reaction, in words that name the setting (empty when it is usable). */
export function reactionProblems(r: Reaction): string[] {
  const out: string[] = [];
  if (!(Number.isFinite(r.baseline) && r.baseline >= 0 && r.baseline <= 1)) out.push(`baseline: must be a number from 0 to 1 (got ${r.baseline})`);
  if (r.attention !== undefined && !(Number.isInteger(r.attention) && r.attention >= 1)) out.push(`attention: must be a whole number of at least 1 (got ${r.attention})`);
  if (!(Number.isFinite(r.effect) && r.effect >= -1)) out.push(`AISLE_SIM_EFFECT: must be a number of at least -1 (got ${r.effect}); 0.5 means +50% for rule-brought items, 0 no effect`);
  else if (out.length === 0 && r.baseline * (1 + r.effect) > 1) out.push(`AISLE_SIM_EFFECT: baseline ${r.baseline} × (1 + ${r.effect}) is over 1; at most ${Math.floor((1 / r.baseline - 1) * 100) / 100}`);
  return out;
}

/** The chance that a shown item the shopper thinks of joins the basket. */
export const shownBuyChance = (r: Reaction, byRule: boolean): number => (byRule ? r.baseline * (1 + r.effect) : r.baseline);

/**
 * The checkout's lines plus the shown items the shopper picks up: `attention` of them considered (all when fewer were
 * shown), each at most once, one unit, at the price they pay; items the store does not sell or has run out of are
 * skipped. The planned lines come first, unchanged.
 */
export function addShownItems(random: Random, lines: readonly PosLine[], shown: readonly { sku: string; byRule: boolean }[],
  opts: { catalog: readonly CatalogItem[]; member: boolean; reaction: Reaction }): PosLine[] {
  const out = lines.slice();
  if (!shown.length) return out;
  const attention = opts.reaction.attention ?? ATTENTION;
  const considered = shown.length > attention ? shuffled(random, shown).slice(0, attention) : shown;
  const have = new Set(lines.map((l) => l.sku));
  const bySku = new Map(opts.catalog.map((c) => [c.sku, c]));
  for (const s of considered) {
    const item = bySku.get(s.sku);
    if (have.has(s.sku) || !item?.inStock) continue;
    if (!(random() < shownBuyChance(opts.reaction, s.byRule))) continue;
    have.add(s.sku);
    out.push({ sku: item.sku, qty: 1, unitPrice: opts.member && item.memberPrice !== undefined ? item.memberPrice : item.price });
  }
  return out;
}
