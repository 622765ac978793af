import { COLLECTIONS } from './catalog.js';

/**
 * Product families of the demo catalog: variants of one product ("Lunch Bag Red Retrospot", "Lunch Bag Black
 * Skull" → "Lunch Bag"), derived from the real names only, deterministically.
 *
 * The rule, kept simple on purpose:
 * 1. A name's **key** is its shortest leading phrase of at least two words that ends in a *product word*:
 *    not a number or pack size ("6", "Set/20", "50's"), not a small word ("of", "and"), not a colour, a size
 *    ("Small", "Large") or a design line ("Retrospot", "Regency"). "Set of 6 Ribbons Party" → "Set of 6
 *    Ribbons", "Heart of Wicker Small" → "Heart of Wicker". At least one word must follow the key (the variant).
 * 2. A name that *starts* with a colour, size, design line or number has no key: "Red Retrospot Cake Stand"
 *    and "Red Retrospot Mug" share a design, not a product.
 * 3. Items of the same category with the same key (case-insensitive) form a family when there are at least two.
 *    The family's name is the longest leading phrase all of them share, trimmed back so that it still ends in
 *    a product word and leaves every member a variant word ("Paper Chain Kit 50's Christmas" + "Paper Chain
 *    Kit Vintage Christmas" → "Paper Chain Kit"), written as the best-selling member (catalog order) spells it.
 *
 * Names like "Doormat Red Retrospot" (one-word product) are missed on purpose: the engine's own fallback (the
 * first two words) still keeps a screen from showing four of them.
 */

const MINOR = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with', '&', '+']);
const COLOURS = new Set([
  'red', 'black', 'white', 'pink', 'blue', 'green', 'ivory', 'cream', 'gold', 'silver', 'purple', 'yellow', 'orange',
  'grey', 'gray', 'brown', 'natural', 'assorted', 'lilac', 'turquoise', 'chocolate', 'antique', 'colour', 'colours',
]);
const SIZES = new Set(['small', 'large', 'medium', 'mini', 'big', 'giant', 'tall', 'tiny']);
/** Every word of the design lines the catalog names as brands ("DOLLY GIRL" → dolly, girl). */
const DESIGNS = new Set(COLLECTIONS.flatMap((c) => c.toLowerCase().split(' ')));

/** True for a word that can end a family name (a noun-like word of the product, not a qualifier). */
export function isProductWord(word: string): boolean {
  const w = word.toLowerCase();
  return !/\d/.test(w) && !MINOR.has(w) && !COLOURS.has(w) && !SIZES.has(w) && !DESIGNS.has(w);
}

const wordsOf = (name: string): string[] => name.trim().split(/\s+/).filter((w) => w.length > 0);

/** The family key of a name (rule 1–2), as its words; undefined when it has none. */
export function familyKey(name: string): string[] | undefined {
  const words = wordsOf(name);
  if (words.length < 3 || !isProductWord(words[0]!)) return undefined;
  for (let n = 2; n < words.length; n++) if (isProductWord(words[n - 1]!)) return words.slice(0, n);
  return undefined;
}

/**
 * The family of every item that has one (rule 3): sku → family name. Items are read in catalog order, so the
 * best seller of a family spells its name.
 */
export function deriveFamilies(items: readonly { sku: string; name: string; category: string }[]): Map<string, string> {
  const groups = new Map<string, { sku: string; words: string[] }[]>();
  for (const it of items) {
    const key = familyKey(it.name);
    if (!key) continue;
    const id = `${it.category}\u0000${key.join(' ').toLowerCase()}`;
    const g = groups.get(id);
    const member = { sku: it.sku, words: wordsOf(it.name) };
    if (g) g.push(member);
    else groups.set(id, [member]);
  }
  const out = new Map<string, string>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const first = g[0]!.words;
    // Longest shared leading phrase that leaves every member a variant word...
    let n = Math.min(...g.map((m) => m.words.length - 1));
    for (let i = 0; i < n; i++) {
      if (g.some((m) => m.words[i]!.toLowerCase() !== first[i]!.toLowerCase())) { n = i; break; }
    }
    // ...ending in a product word (never shorter than the key, which does).
    while (n > 2 && !isProductWord(first[n - 1]!)) n--;
    const family = first.slice(0, n).join(' ').slice(0, 80);
    for (const m of g) out.set(m.sku, family);
  }
  return out;
}
