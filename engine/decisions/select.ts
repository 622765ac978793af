/**
 * The items a screen shows, from a ranked list (any ranker, after rules): at most half of the slots per
 * category and a third per product family (catalog `family`, else the first two words of the name,
 * "Lunch Bag …") while others are available, so a screen is not four of one thing; then the zone quota.
 */
export function selectForScreen<T extends { item: { category: string; name?: string; family?: string } }>(ranked: readonly T[], zoneCategories: readonly string[], slots: number): T[] {
  if (slots <= 0) return [];
  const catCap = Math.max(1, Math.ceil(slots / 2));
  const familyCap = Math.max(1, Math.floor(slots / 3));
  const perCat = new Map<string, number>();
  const perFamily = new Map<string, number>();
  // Three tiers, each in rank order: within both caps; within the family cap only; the rest.
  const tiers: [T[], T[], T[]] = [[], [], []];
  for (const r of ranked) {
    const fam = familyOf(r.item);
    const n = perCat.get(r.item.category) ?? 0;
    const f = fam ? perFamily.get(fam) ?? 0 : 0;
    const tier = f >= familyCap ? 2 : n >= catCap ? 1 : 0;
    tiers[tier].push(r);
    if (tier === 0) perCat.set(r.item.category, n + 1);
    if (tier < 2 && fam) perFamily.set(fam, f + 1);
  }
  return applyZoneQuota(tiers.flat(), zoneCategories, slots);
}

/** A product family: the catalog's, else the first two words of a name of three or more words. */
export const familyOf = (item: { name?: string; family?: string }): string | undefined => {
  const known = families.get(item);
  if (known !== undefined) return known ?? undefined;
  let fam: string | null = null;
  if (item.family) fam = `f:${item.family.toLowerCase()}`;
  else {
    const words = item.name?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
    if (words.length >= 3) fam = words.slice(0, 2).join(' ');
  }
  families.set(item, fam);
  return fam ?? undefined;
};
/** Catalog items are immutable once a store is loaded: each item's family is worked out once. */
const families = new WeakMap<object, string | null>();

/**
 * The screen's items from a ranked list: best first, but at least half of the slots go to the zone's own
 * categories when the list has them, so a personal pick never crowds out what is on the shelf next to the screen.
 */
export function applyZoneQuota<T extends { item: { category: string } }>(ranked: readonly T[], zoneCategories: readonly string[], slots: number): T[] {
  if (!zoneCategories.length) return ranked.slice(0, slots);
  const zone = new Set(zoneCategories);
  const need = Math.min(Math.ceil(slots / 2), ranked.filter((r) => zone.has(r.item.category)).length);
  const out: T[] = [];
  let inZone = 0;
  for (const r of ranked) {
    if (out.length >= slots) break;
    const isZone = zone.has(r.item.category);
    if (!isZone && slots - out.length <= need - inZone) continue; // the remaining slots are reserved for the zone
    out.push(r);
    if (isZone) inZone++;
  }
  return out;
}
