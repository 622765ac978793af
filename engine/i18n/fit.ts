/**
 * @module i18n/fit
 * Cuts shopper-facing text to a schema's length limit (badge 24, note 60, headline 80) by whole graphemes.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` in at most `max` UTF-16 code units (the unit zod's `.max()` counts), cut between graphemes so
 * no surrogate pair, emoji sequence or combining mark is split; a cut text ends with "…".
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  const room = max - 1; // the ellipsis is one code unit
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > room) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}
