/** Options for turning category spend into affinities. */
export type AffinityOptions = { maxCategories?: number; minCategories?: number; minShare?: number };

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Category affinities (0..1) from spend per category: each category's share of spend, scaled so the top one
 * scores 0.5–1 by how concentrated the shopper is (a single-category buyer gets 1, a spread-out one about 0.5),
 * keeping the top 3–6 categories (minor ones under `minShare` dropped once three are kept).
 * @example affinitiesFromSpend({ bags: 60, party: 30, garden: 10 }) // { bags: 0.8, party: 0.4, garden: 0.13 }
 */
export function affinitiesFromSpend(spend: Readonly<Record<string, number>>, opts: AffinityOptions = {}): Record<string, number> {
  const { maxCategories = 6, minCategories = 3, minShare = 0.05 } = opts;
  const entries = Object.entries(spend).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((s, [, v]) => s + v, 0);
  if (total <= 0) return {};
  const topShare = entries[0]![1] / total;
  const scale = (0.5 + 0.5 * topShare) / topShare;
  const out: Record<string, number> = {};
  entries.slice(0, maxCategories).forEach(([cat, v], i) => {
    const share = v / total;
    if (i >= minCategories && share < minShare) return;
    // A kept category never rounds down to 0: "bought a little" is still a signal.
    out[cat] = Math.max(0.01, round2(Math.min(1, share * scale)));
  });
  return out;
}
