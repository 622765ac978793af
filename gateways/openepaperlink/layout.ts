/**
 * A label as the AP's JSON drawing commands (`/jsonupload`, docs/gateways/openepaperlink.md §png or json): the same
 * layout as the PNG and the browser, because it is read off the one layout function, `labelSvg()`
 * (engine/labels/label-svg.ts): every wrapped line, fitted size, ellipsis and formatted price it decided, at its
 * positions. The AP then draws the text itself, with the TrueType font it ships (Signika SemiBold), so glyphs differ
 * a little from the label font and characters Signika lacks (hanzi) do not show: use `png` for a zh-CN store.
 *
 * Commands used: `{ "box": [x, y, w, h, color] }` and `{ "text": [x, y, text, font, color, align, size] }` with
 * colour 0 white, 1 black, 2 red; align 0 left, 2 right (x is then the right edge); for a TrueType font `y` is the
 * top of the line (the baseline is `ascent × size` below it) and `size` its pixel size.
 */
import type { LabelDisplay } from '#contracts';
import { labelSvg, type LabelContent } from '../../engine/labels/label-svg.js';
import { DEFAULT_DISPLAY, LABEL_COLORS, LAYOUTS } from '../../engine/labels/layouts.js';

/** The AP's TrueType font (its `/fonts/Signika-SB.ttf`) and its ascent (hhea ascender 1880 / 2000 units per em). */
export const AP_FONT = 'Signika-SB.ttf';
export const AP_FONT_ASCENT = 0.94;

export type DrawCommand =
  | { box: [x: number, y: number, w: number, h: number, color: number] }
  | { text: [x: number, y: number, text: string, font: string, color: number, align: number, size: number] };

const COLOR_CODES: Record<string, number> = { [LABEL_COLORS.white]: 0, [LABEL_COLORS.black]: 1, [LABEL_COLORS.red]: 2 };

const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) =>
  ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);

/**
 * The AP replaces `{…}` in a text with its own variables (`{ap_ip}`, `{.json.path}`): a product name may not inject
 * one, so braces become parentheses.
 */
export const neutralizeBraces = (s: string) => s.replace(/\{/g, '(').replace(/\}/g, ')');

const RECT = /<rect class="([\w-]+)"(?: x="([\d.]+)" y="([\d.]+)")? width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})"\/>/g;
const TEXT = /<text class="([\w-]+)" x="([\d.]+)" y="([\d.]+)" font-size="([\d.]+)" fill="(#[0-9a-f]{6})"( text-anchor="end")?>([^<]*)<\/text>/g;

/** The drawing commands of a label for a display: what `labelSvg()` draws, element by element, in its order. */
export function labelCommands(label: LabelContent, display?: LabelDisplay, opts: { locale?: string; currency?: string } = {}): DrawCommand[] {
  const d = display ?? label.display ?? DEFAULT_DISPLAY;
  const L = LAYOUTS[d] ?? LAYOUTS[DEFAULT_DISPLAY];
  const svg = labelSvg(label, { display: d, locale: opts.locale, currency: opts.currency });
  const out: { at: number; cmd: DrawCommand }[] = [];
  for (const m of svg.matchAll(RECT)) {
    if (m[1] === 'paper') continue; // the AP's canvas starts white
    out.push({ at: m.index, cmd: { box: [Math.round(Number(m[2] ?? 0)), Math.round(Number(m[3] ?? 0)), Math.round(Number(m[4])), Math.round(Number(m[5])), COLOR_CODES[m[6]!] ?? 1] } });
  }
  for (const m of svg.matchAll(TEXT)) {
    const size = Math.round(Number(m[4]));
    const top = Math.max(0, Math.round(Number(m[3]) - AP_FONT_ASCENT * size));
    const text = neutralizeBraces(unescapeXml(m[7]!));
    out.push({ at: m.index, cmd: { text: [Math.round(Number(m[2])), Math.min(top, L.height - 1), text, AP_FONT, COLOR_CODES[m[5]!] ?? 1, m[6] ? 2 : 0, size] } });
  }
  return out.sort((a, b) => a.at - b.at).map((e) => e.cmd);
}
