/**
 * @module shared/label-svg
 * The one place the displays take the shelf-label layout from: the engine's pure `labelSvg()` (the PNG renderer draws
 * the same SVG) and its font, loaded into the document so browser and PNG match (docs/labels.md §Rendering).
 * Like shared/contracts.ts, a relative path on purpose: vite, vitest and tsc all resolve it without extra config.
 */
import fontUrl from '../../engine/labels/fonts/aisle-label-sans-bold.otf?url';
import { LABEL_FONT_FAMILY } from '../../engine/labels/font-metrics.js';

export { labelSvg, type LabelContent, type LabelSvgOptions } from '../../engine/labels/label-svg.js';
export { LABEL_COLORS, LAYOUTS, DEFAULT_DISPLAY } from '../../engine/labels/layouts.js';
export { LABEL_FONT_FAMILY };
// The label frame's types (shared/contracts.ts does not list them yet).
export type { LabelDisplay, LabelUpdate } from '../../engine/contracts/index.js';

let loading: Promise<void> | undefined;

/**
 * Adds the label font to the document once (a shadow root's @font-face does not apply) and resolves when it is
 * ready; a font that fails to load leaves the browser's fallback, never an error.
 */
export function loadLabelFont(): Promise<void> {
  loading ??= (async () => {
    const face = new FontFace(LABEL_FONT_FAMILY, `url(${fontUrl})`, { weight: '700', display: 'block' });
    document.fonts.add(face);
    try {
      await face.load();
    } catch {
      // Offline or blocked: text still shows, in the fallback font.
    }
  })();
  return loading;
}
