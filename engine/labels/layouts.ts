/**
 * @module labels/layouts
 * The geometry of each e-paper display a shelf label can have (docs/labels.md §Rendering): its pixel size and where
 * the name, prices, promo band and SKU go. All sizes in px; text positions are baselines.
 */
import type { LabelDisplay } from '../contracts/index.js';

/** The three colours a black/white/red e-paper panel can show; nothing else is ever drawn. */
export const LABEL_COLORS = { black: '#000000', white: '#ffffff', red: '#c00000' } as const;
export type LabelColorName = keyof typeof LABEL_COLORS;

/** A display's layout. */
export interface DisplayLayout {
  width: number;
  height: number;
  /** Inner margin on every side. */
  pad: number;
  name: { size: number; lineHeight: number; maxLines: number; firstBaseline: number };
  /** The big price (the member price when there is one): largest and smallest size, baseline. */
  price: { maxSize: number; minSize: number; baseline: number };
  /** With a member price: the regular price (black) and the caption (red), stacked in the left column. */
  regular: { size: number; baseline: number };
  caption: { size: number };
  /** The bottom strip: the promo band when there is a promo, the SKU in it in any case. */
  footer: { height: number; promoSize: number; promoMinSize: number; skuSize: number; baselineFromBottom: number };
}

/** The layouts, by display: 2.9" (296×128) and 4.2" (400×300). */
export const LAYOUTS: Readonly<Record<LabelDisplay, DisplayLayout>> = {
  'bwr-296x128': {
    width: 296, height: 128, pad: 6,
    name: { size: 15, lineHeight: 18, maxLines: 2, firstBaseline: 19 },
    price: { maxSize: 46, minSize: 20, baseline: 101 },
    regular: { size: 18, baseline: 72 },
    caption: { size: 12 },
    footer: { height: 20, promoSize: 13, promoMinSize: 10, skuSize: 10, baselineFromBottom: 6 },
  },
  'bwr-400x300': {
    width: 400, height: 300, pad: 12,
    name: { size: 26, lineHeight: 31, maxLines: 3, firstBaseline: 35 },
    price: { maxSize: 104, minSize: 36, baseline: 240 },
    regular: { size: 34, baseline: 174 },
    caption: { size: 20 },
    footer: { height: 36, promoSize: 22, promoMinSize: 16, skuSize: 16, baselineFromBottom: 11 },
  },
};

/** The display a label is drawn for when neither the frame nor the store configuration names one. */
export const DEFAULT_DISPLAY: LabelDisplay = 'bwr-296x128';
