/**
 * @module screen/category-icon
 * Simple line icons for generated product visuals, picked by keywords in the item's catalog category
 * (from the store's configuration, never from the frame: frames carry no category).
 */
import { svg, type SVGTemplateResult } from 'lit';

const ICONS: Array<[RegExp, string]> = [
  [/coffee|tea|cup|mug/, 'M4 8h13v6a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5z M17 10h1.5a2.5 2.5 0 0 1 0 5H16 M8 2.5v3 M12.5 2.5v3'],
  [/wine|beer|spirit|drink|juice|water/, 'M10 2h4 M10.5 2v5L8 10.5V21a1 1 0 0 0 1 1h6a1 1 0 0 0 1-1V10.5L13.5 7V2 M8 14h8'],
  [/produce|fruit|veg|garden|plant|flower|organic/, 'M5 20c0-9 6-15 15-15 0 9-6 15-15 15z M5 20l9-9'],
  [/bak|bread|cake|pastr/, 'M5 12a4 4 0 0 1-1-7.5C6 3 9 3 12 3s6 0 8 1.5A4 4 0 0 1 19 12v8H5z M9 8v2 M15 8v2'],
  [/dairy|milk|cheese|egg|frozen/, 'M8 2h8v4l2 3v13H6V9l2-3z M6 12h12 M8 6h8'],
  [/christmas|party|gift|toy|seasonal/, 'M3 8h18v4H3z M5 12v9h14v-9 M12 8v13 M12 8C10 4 6 4 6 6.5S9 8 12 8s6-.5 6-1.5S14 4 12 8'],
  [/beauty|health|care|pharm|baby/, 'M12 20s-8-5-8-11a4 4 0 0 1 8-1.5A4 4 0 0 1 20 9c0 6-8 11-8 11z'],
  [/light|candle|lamp/, 'M9 18h6 M10 21h4 M12 3a6 6 0 0 0-3.5 10.9V16h7v-2.1A6 6 0 0 0 12 3z'],
  [/home|kitchen|decor|furn|storage|textile|cushion/, 'M3 11.5 12 4l9 7.5 M5.5 10v10h13V10 M10 20v-5h4v5'],
  [/stationer|book|paper|card|sign|plaque/, 'M6 3h10l3 3v15H6z M9 9h7 M9 13h7 M9 17h4'],
];
const DEFAULT_ICON = 'M5 8h14l-1.2 13H6.2z M9 8V6.5a3 3 0 0 1 6 0V8';

/** A 24×24 stroke icon for `category` (a neutral shopping bag when it is unknown or nothing matches). */
export function categoryIcon(category: string | undefined): SVGTemplateResult {
  const c = (category ?? '').toLowerCase();
  const d = ICONS.find(([re]) => re.test(c))?.[1] ?? DEFAULT_ICON;
  return svg`<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.4"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d=${d}></path></svg>`;
}
