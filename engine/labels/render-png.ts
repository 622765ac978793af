/**
 * @module labels/render-png
 * A shelf label as the e-paper panel shows it: the shared SVG layout rasterised by resvg with only the shipped font,
 * then every pixel set to one of the panel's three colours (docs/labels.md §Rendering). The same label gives the same
 * pixels on every machine (and the same bytes with the same Node, whose zlib compresses the PNG).
 */
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import type { LabelDisplay } from '../contracts/index.js';
import { LABEL_FONT_FAMILY, LABEL_FONT_FILE } from './font-metrics.js';
import { labelSvg, type LabelContent, type LabelSvgOptions } from './label-svg.js';
import { DEFAULT_DISPLAY, LABEL_COLORS } from './layouts.js';

const FONT_PATH = fileURLToPath(new URL(LABEL_FONT_FILE, import.meta.url));

/** Pixel values of a bitmap: index into PALETTE. */
export const PIXEL = { white: 0, black: 1, red: 2 } as const;

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
/** RGB of white, black and red, in PIXEL order. */
const PALETTE = [rgb(LABEL_COLORS.white), rgb(LABEL_COLORS.black), rgb(LABEL_COLORS.red)] as const;

/** One pixel per byte, each a PIXEL value (row-major): what a label gateway turns into its black and red planes. */
export interface LabelBitmap { width: number; height: number; pixels: Uint8Array }

/** Rasterises an SVG string with the shipped font alone (never the machine's fonts), white behind. */
export function rasterize(svg: string): { width: number; height: number; rgba: Buffer } {
  const image = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [FONT_PATH], defaultFontFamily: LABEL_FONT_FAMILY, sansSerifFamily: LABEL_FONT_FAMILY },
    background: LABEL_COLORS.white,
    logLevel: 'off',
  }).render();
  return { width: image.width, height: image.height, rgba: image.pixels };
}

/**
 * Each pixel to the panel colour it is closest to along the blend anti-aliasing made (docs/labels.md §Rendering).
 * The layout only ever puts black or red ink on white paper, or white ink on red, so every pixel is a mix of two of the
 * three colours, and it takes whichever covers more than half of it: red where the red channel leads green and blue
 * by at least half of pure red's lead (pink edges of red text, of the promo band, of white text on it), otherwise
 * black or white by lightness. A plain nearest-colour-in-RGB rule would be wrong here: a 50% grey edge of black text
 * is nearer to #c00000 than to black or white, and black text would get a red fringe.
 */
export function quantize({ width, height, rgba }: { width: number; height: number; rgba: Uint8Array }): LabelBitmap {
  const pixels = new Uint8Array(width * height);
  const [redR, redG, redB] = PALETTE[PIXEL.red];
  const redLead = redR - Math.max(redG, redB);
  for (let p = 0; p < pixels.length; p++) {
    const r = rgba[p * 4]!;
    const g = rgba[p * 4 + 1]!;
    const b = rgba[p * 4 + 2]!;
    if (2 * (r - Math.max(g, b)) >= redLead) pixels[p] = PIXEL.red;
    else pixels[p] = r + g + b < (3 * 255) / 2 ? PIXEL.black : PIXEL.white;
  }
  return { width, height, pixels };
}

/** The label as a three-colour bitmap at the display's size. */
export function renderLabelBitmap(label: LabelContent, display?: LabelDisplay, opts: Omit<LabelSvgOptions, 'display' | 'scale'> = {}): LabelBitmap {
  return quantize(rasterize(labelSvg(label, { ...opts, display: display ?? label.display ?? DEFAULT_DISPLAY })));
}

/** A bitmap as an RGB PNG holding only the three panel colours. */
export function encodePng({ width, height, pixels }: LabelBitmap): Buffer {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 6, inputHasAlpha: true });
  for (let p = 0; p < pixels.length; p++) {
    const [r, g, b] = PALETTE[pixels[p]!]!;
    png.data[p * 4] = r;
    png.data[p * 4 + 1] = g;
    png.data[p * 4 + 2] = b;
    png.data[p * 4 + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2, inputColorType: 6, inputHasAlpha: true });
}

/** The label as a PNG of exactly the display's pixel size, in black, white and red only. */
export function renderLabelPng(label: LabelContent, display?: LabelDisplay, opts: Omit<LabelSvgOptions, 'display' | 'scale'> = {}): Buffer {
  return encodePng(renderLabelBitmap(label, display, opts));
}
