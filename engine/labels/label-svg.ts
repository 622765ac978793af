/**
 * @module labels/label-svg
 * What a black/white/red e-paper shelf label shows, as an SVG string: the one layout the browser component and the
 * PNG renderer both draw (docs/labels.md §Rendering). Pure: no DOM, no clock, no I/O.
 */
import type { LabelDisplay, LabelUpdate } from '../contracts/index.js';
import { createTranslator } from '../i18n/index.js';
import { LABEL_FONT_FAMILY } from './font-metrics.js';
import { DEFAULT_DISPLAY, LABEL_COLORS, LAYOUTS } from './layouts.js';
import { ellipsize, fitSize, textWidth, wrapText } from './text-fit.js';

/** What a label draws: a `label.update` frame, or any object with the same fields. */
export type LabelContent = Pick<LabelUpdate, 'sku' | 'name' | 'price'>
  & Partial<Pick<LabelUpdate, 'memberPrice' | 'promo' | 'currency' | 'locale' | 'display'>>;

/** Fallbacks for what the label does not say (the store's), and the drawing size. */
export interface LabelSvgOptions {
  /** The display to draw for; wins over `label.display` (it names the hardware). Default `bwr-296x128`. */
  display?: LabelDisplay | undefined;
  /** BCP 47 tag when the label has none; default `en`. */
  locale?: string | undefined;
  /** ISO 4217 code when the label has none; without any, prices are plain amounts. */
  currency?: string | undefined;
  /** Multiplies the SVG's width and height attributes (the drawing itself stays in display pixels). Default 1. */
  scale?: number | undefined;
}

const { black, white, red } = LABEL_COLORS;

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const num = (n: number) => String(Math.round(n * 100) / 100);

/** Intl's narrow and thin spaces (`1 234,50 €` in fr-FR) become the no-break space the font has. */
const tidySpaces = (s: string) => s.replace(/[\u2007\u2009\u202f]/g, '\u00a0');

interface TextSpec { cls: string; x: number; y: number; size: number; fill: string; anchor?: 'end'; text: string }

function text({ cls, x, y, size, fill, anchor, text: t }: TextSpec): string {
  const a = anchor ? ` text-anchor="${anchor}"` : '';
  return `<text class="${cls}" x="${num(x)}" y="${num(y)}" font-size="${num(size)}" fill="${fill}"${a}>${escapeXml(t)}</text>`;
}

/** The label as an SVG document of exactly the display's size in pixels (times `scale`), in three colours. */
export function labelSvg(label: LabelContent, opts: LabelSvgOptions = {}): string {
  const wanted = opts.display ?? label.display;
  // An unknown display (from JavaScript, or a newer engine) draws the default one rather than nothing.
  const display = wanted !== undefined && Object.hasOwn(LAYOUTS, wanted) ? wanted : DEFAULT_DISPLAY;
  const L = LAYOUTS[display];
  const locale = label.locale ?? opts.locale ?? 'en';
  const tr = createTranslator(locale);
  const currency = label.currency ?? opts.currency ?? '';
  const priceText = tidySpaces(tr.price(label.price, currency));
  const member = label.memberPrice !== undefined && label.memberPrice < label.price ? label.memberPrice : undefined;
  const inner = L.width - 2 * L.pad;
  const right = L.width - L.pad;
  const parts: string[] = [`<rect class="paper" width="${L.width}" height="${L.height}" fill="${white}"/>`];

  const lines = wrapText(label.name, inner, L.name.size, L.name.maxLines);
  lines.forEach((line, i) => parts.push(text({
    cls: 'name', x: L.pad, y: L.name.firstBaseline + i * L.name.lineHeight, size: L.name.size, fill: black, text: line,
  })));

  let memberLabel = '';
  if (member === undefined) {
    const size = fitSize(priceText, inner, L.price.maxSize, L.price.minSize);
    parts.push(text({ cls: 'price', x: right, y: L.price.baseline, size, fill: black, anchor: 'end', text: priceText }));
  } else {
    const memberText = tidySpaces(tr.price(member, currency));
    const caption = tr.t('label.memberPrice');
    memberLabel = `, ${caption} ${memberText}`;
    // Left column: the regular price over the caption; the member price takes the rest of the width, big and red.
    const column = Math.min(inner / 2, Math.max(textWidth(priceText, L.regular.size), textWidth(caption, L.caption.size)));
    const gap = L.pad * 1.5;
    const size = fitSize(memberText, inner - column - gap, L.price.maxSize, L.price.minSize);
    parts.push(text({ cls: 'price', x: L.pad, y: L.regular.baseline, size: L.regular.size, fill: black, text: priceText }));
    parts.push(text({
      cls: 'member-caption', x: L.pad, y: L.price.baseline, size: L.caption.size, fill: red,
      text: ellipsize(caption, column, L.caption.size),
    }));
    parts.push(text({ cls: 'member-price', x: right, y: L.price.baseline, size, fill: red, anchor: 'end', text: memberText }));
  }

  const footerTop = L.height - L.footer.height;
  const footerBaseline = L.height - L.footer.baselineFromBottom;
  const promo = label.promo?.replace(/\s+/g, ' ').trim();
  if (promo) {
    const skuWidth = textWidth(label.sku, L.footer.skuSize);
    const room = inner - skuWidth - 2 * L.pad;
    const size = fitSize(promo, room, L.footer.promoSize, L.footer.promoMinSize);
    parts.push(`<rect class="promo-band" x="0" y="${footerTop}" width="${L.width}" height="${L.footer.height}" fill="${red}"/>`);
    parts.push(text({ cls: 'promo', x: L.pad, y: footerBaseline, size, fill: white, text: ellipsize(promo, room, size) }));
    parts.push(text({ cls: 'sku', x: right, y: footerBaseline, size: L.footer.skuSize, fill: white, anchor: 'end', text: label.sku }));
  } else {
    parts.push(text({ cls: 'sku', x: L.pad, y: footerBaseline, size: L.footer.skuSize, fill: black, text: label.sku }));
  }

  const scale = opts.scale !== undefined && opts.scale > 0 ? opts.scale : 1;
  const aria = `${label.name}, ${priceText}${memberLabel}${promo ? `, ${promo}` : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${num(L.width * scale)}" height="${num(L.height * scale)}" `
    + `viewBox="0 0 ${L.width} ${L.height}" font-family="${LABEL_FONT_FAMILY}" font-weight="700" `
    + `lang="${escapeXml(tr.locale)}" role="img" aria-label="${escapeXml(aria)}" data-display="${display}">`
    + `${parts.join('')}</svg>`;
}
