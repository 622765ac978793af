/**
 * Meraki's cloud sometimes writes non-finite floats as bare tokens (`"x": NaN`, `"y": -NaN`, `-Infinity`),
 * which is not JSON (docs/gateways/meraki.md §Quirks). Before parsing, every such token outside a string
 * becomes `null`; the text of strings is never touched, whatever it contains.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const BARE = ['NaN', 'Infinity'] as const;

/** Letters, digits, `_` and `$`: a bare token must not be glued to one of these on either side. */
function isWordChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x24;
}

/** The length of a bare NaN/Infinity token (with an optional sign) starting at `i`, or 0. */
function bareTokenAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const start = c === MINUS || c === PLUS ? i + 1 : i;
  for (const word of BARE) {
    if (text.startsWith(word, start) && !isWordChar(text.charCodeAt(start + word.length))) return start + word.length - i;
  }
  return 0;
}

/** The text with every bare `NaN`, `-NaN`, `Infinity`, `-Infinity` (and `+` forms) outside strings replaced by `null`. */
export function relaxNonFinite(text: string): string {
  if (!text.includes('NaN') && !text.includes('Infinity')) return text;
  const n = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the whole string literal, escapes included; an unterminated one runs to the end (JSON.parse refuses it).
      i++;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i += 2;
        else if (s === QUOTE) { i++; break; } else i++;
      }
      continue;
    }
    if ((c === 0x4e /* N */ || c === 0x49 /* I */ || c === MINUS || c === PLUS) && !isWordChar(text.charCodeAt(i - 1))) {
      const len = bareTokenAt(text, i);
      if (len > 0) {
        out += text.slice(copied, i) + 'null';
        i += len;
        copied = i;
        continue;
      }
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Parses a Meraki body leniently (a leading BOM and bare non-finite numbers allowed); undefined when it is not JSON. */
export function parseRelaxed(text: string): { ok: true; value: unknown } | { ok: false } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(relaxNonFinite(body)) };
  } catch {
    // The parser's message quotes the body (a MAC, an e-mail): it is never logged nor returned.
    return { ok: false };
  }
}
