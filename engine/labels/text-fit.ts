/**
 * @module labels/text-fit
 * Measures, wraps and shortens label text with the shipped font's own advance widths (font-metrics.ts), so the layout
 * is the same wherever it runs: no DOM, no canvas, no ICU dictionary. The font keeps no kerning or ligatures, so the
 * sum of advances is exactly what the browser and resvg draw (docs/labels.md §Rendering).
 */
import { ADVANCES, FONT_UNITS } from './font-metrics.js';

const ELLIPSIS = '…';

/** Width in px of `text` at `size` px. Hanzi, CJK punctuation, full-width forms and missing glyphs are one em. */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    units += ADVANCES.get(cp) ?? (/\p{M}|[\u200b-\u200d\ufe00-\ufe0f]/u.test(ch) ? 0 : FONT_UNITS.missingGlyph);
  }
  return (units / FONT_UNITS.upem) * size;
}

/** The largest whole px size in [min, max] at which `text` fits `width` (`min` when even that is too wide). */
export function fitSize(text: string, width: number, max: number, min: number): number {
  const perPx = textWidth(text, 1);
  if (perPx === 0) return max;
  return Math.max(min, Math.min(max, Math.floor(width / perPx)));
}

/** Clusters: a character with the combining marks, variation selectors and joined characters that follow it. */
function clusters(text: string): string[] {
  return text.match(/\P{M}(?:\p{M}|[\ufe00-\ufe0f]|\u200d\P{M})*/gu) ?? [];
}

/** Characters a line may break before and after, one at a time (CJK writing has no spaces between words). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
/** No line starts with these (closing punctuation, in CJK and Latin). */
const NO_START = /^[，。、！？：；）》」』】〕〗…‥・ー々～％,.!?:;)\]}%’”]/u;
/** No line ends with these (opening punctuation). */
const NO_END = /[（《「『【〔〖([{‘“]$/u;

/** Unbreakable pieces of a line; a piece ends with its trailing space, if any. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let last = '';
  for (const c of clusters(text)) {
    const breakBefore = cur !== '' && !NO_END.test(last) && !NO_START.test(c)
      && (last === ' ' || last === '-' || last === '/' || CJK.test(c) || CJK.test(last));
    if (breakBefore) { out.push(cur); cur = ''; }
    cur += c;
    last = c;
  }
  if (cur) out.push(cur);
  // A quantity stays with its unit: "1 kg", "250 g", "6 St." never break.
  for (let i = out.length - 2; i >= 0; i--) {
    if (/\d $/.test(out[i]!) && /^\p{L}{1,3}\.? ?$/u.test(out[i + 1]!)) out.splice(i, 2, out[i]! + out[i + 1]!);
  }
  return out;
}

/** `text` cut to fit `width` with a trailing "…" (whole clusters; `text` itself when it fits). */
export function ellipsize(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  const cs = clusters(text);
  while (cs.length > 0 && textWidth(`${cs.join('').trimEnd()}${ELLIPSIS}`, size) > width) cs.pop();
  return `${cs.join('').trimEnd()}${ELLIPSIS}`;
}

/**
 * `text` in at most `maxLines` lines of at most `width` px: breaks at spaces, after hyphens and slashes, and between
 * CJK characters (never before closing or after opening punctuation); a piece wider than a line is split between
 * characters; what does not fit ends the last line with "…".
 */
export function wrapText(text: string, width: number, size: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const queue = pieces(text.replace(/\s+/g, ' ').trim());
  while (queue.length > 0) {
    const piece = queue.shift()!;
    if (textWidth(`${line}${piece}`.trimEnd(), size) <= width) { line += piece; continue; }
    if (line === '') {
      // One piece wider than the line: as many clusters as fit, the rest goes on.
      const cs = clusters(piece);
      let n = 1;
      while (n < cs.length && textWidth(cs.slice(0, n + 1).join(''), size) <= width) n++;
      lines.push(cs.slice(0, n).join(''));
      if (n < cs.length) queue.unshift(cs.slice(n).join(''));
    } else {
      lines.push(line.trimEnd());
      line = '';
      queue.unshift(piece);
    }
    if (lines.length === maxLines) {
      const rest = `${line}${queue.join('')}`;
      if (rest === '') return lines;
      lines[maxLines - 1] = ellipsize(`${lines[maxLines - 1]!} ${rest}`, width, size);
      return lines;
    }
  }
  if (line.trimEnd() !== '') lines.push(line.trimEnd());
  return lines;
}
