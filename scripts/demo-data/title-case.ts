/** Small words kept lower-case inside a name (never at its start). */
const MINOR = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
/** Tokens that stay upper-case. */
const UPPER = new Set(['LED', 'USB', 'UK', 'DVD', 'CD', 'ABC', 'I', 'II', 'III', 'IV', 'XL', 'XXL']);
/** Units glued to numbers ("20CM") are written lower-case ("20cm"). */
const UNIT = /^(\d+(?:\.\d+)?)(CM|MM|M|G|KG|ML|L|PC|PCS)$/;

function capWord(word: string, first: boolean): string {
  if (word.length === 0) return word;
  if (UPPER.has(word)) return word;
  const unit = UNIT.exec(word);
  if (unit) return unit[1]! + unit[2]!.toLowerCase();
  const lower = word.toLowerCase();
  if (!first && MINOR.has(lower)) return lower;
  // Capitalise after hyphens, slashes and plus signs too: T-LIGHT → T-Light, CASH+CARRY → Cash+Carry.
  return lower.replace(/(^|[-/+(&])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/**
 * Turns an Online Retail description ("WHITE HANGING HEART T-LIGHT HOLDER") into a shelf name
 * ("White Hanging Heart T-Light Holder"): collapses spaces, drops trailing dots and commas.
 * @example titleCase("PAPER CHAIN KIT 50'S CHRISTMAS ") // "Paper Chain Kit 50's Christmas"
 */
export function titleCase(description: string): string {
  const words = description.trim().replace(/[.,]+$/, '').split(/\s+/).filter((w) => w.length > 0);
  return words.map((w, i) => capWord(w.toUpperCase(), i === 0)).join(' ');
}
