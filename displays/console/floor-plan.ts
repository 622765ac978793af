/**
 * @module console/floor-plan
 * Where each zone goes on the live page's floor plan. When every zone has coordinates (`x, y, w, h`, any
 * unit; store-model.ts) they are scaled into the plan's box, keeping proportions; otherwise the zones
 * form a tidy grid in configuration order. Pure.
 */
import type { ZoneInfo } from './store-model.js';

export interface PlacedZone { zoneId: string; left: number; top: number; width: number; height: number }

export type FloorLayout =
  | { kind: 'plan'; /** width / height of the plan */ aspect: number; zones: PlacedZone[] }
  | { kind: 'grid'; columns: number };

type WithBox = ZoneInfo & { x: number; y: number; w: number; h: number };
const hasBox = (z: ZoneInfo): z is WithBox => z.x !== undefined && z.y !== undefined && z.w !== undefined && z.h !== undefined;

/** Percentages of the plan's box for each zone (`plan`), or the grid's column count (`grid`). */
export function layoutZones(zones: readonly ZoneInfo[]): FloorLayout {
  if (zones.length && zones.every(hasBox)) {
    const boxes = zones as WithBox[];
    const minX = Math.min(...boxes.map((z) => z.x));
    const minY = Math.min(...boxes.map((z) => z.y));
    const spanX = Math.max(...boxes.map((z) => z.x + z.w)) - minX;
    const spanY = Math.max(...boxes.map((z) => z.y + z.h)) - minY;
    if (spanX > 0 && spanY > 0) {
      const pct = (v: number, span: number) => Math.round((v / span) * 10_000) / 100;
      return {
        kind: 'plan', aspect: Math.min(4, Math.max(0.5, spanX / spanY)),
        zones: boxes.map((z) => ({ zoneId: z.zoneId, left: pct(z.x - minX, spanX), top: pct(z.y - minY, spanY),
          width: pct(z.w, spanX), height: pct(z.h, spanY) })),
      };
    }
  }
  const n = zones.length;
  return { kind: 'grid', columns: n <= 1 ? 1 : n <= 4 ? 2 : 3 };
}
