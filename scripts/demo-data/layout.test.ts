import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../engine/contracts/store-config.js';
import { CATEGORIES } from '../../models/data/categories.js';
import { buildLayout, DEMO_ZONES, labelId, zoneOfCategory } from './layout.js';

const catalog: CatalogItem[] = CATEGORIES.flatMap((category, ci) => Array.from({ length: 12 }, (_, i) => ({
  sku: `SKU-${ci}-${i}`, name: `${category} ${i}`, category, brand: '', price: 1, inStock: i !== 1, promo: i === 2,
})));

describe('DEMO_ZONES', () => {
  it('places every category in exactly one zone', () => {
    for (const c of CATEGORIES) expect(DEMO_ZONES.filter((z) => z.categories.includes(c)), c).toHaveLength(1);
  });
});

describe('buildLayout', () => {
  const { zones, screens, labels } = buildLayout(catalog);
  it('names screens after zones, 1–2 per zone, entrance first with a hero', () => {
    expect(zones.map((z) => z.zoneId)).toContain('z-entrance');
    expect(screens[0]).toEqual({ screenId: 'scr-entrance-1', zoneId: 'z-entrance', slots: 4, template: 'hero' });
    for (const z of zones) {
      const n = screens.filter((s) => s.zoneId === z.zoneId).length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(2);
    }
    for (const s of screens) { expect(s.slots).toBeGreaterThanOrEqual(4); expect(s.slots).toBeLessThanOrEqual(6); }
  });
  it('labels in-stock items of each zone once, entrance mixing seasonal and promos', () => {
    expect(labels).toHaveLength(zones.length * 8);
    expect(new Set(labels.map((l) => l.sku)).size).toBe(labels.length);
    expect(labels[0]!.labelId).toBe('L-000001');
    const bySku = new Map(catalog.map((c) => [c.sku, c]));
    for (const l of labels) {
      const item = bySku.get(l.sku)!;
      expect(item.inStock).toBe(true);
      if (l.zoneId !== 'z-entrance') expect(zoneOfCategory(zones, item.category)).toBe(l.zoneId);
    }
    const entrance = labels.filter((l) => l.zoneId === 'z-entrance').map((l) => bySku.get(l.sku)!);
    expect(entrance.some((i) => i.promo && i.category !== 'christmas' && i.category !== 'easter')).toBe(true);
    expect(entrance.some((i) => i.category === 'christmas')).toBe(true);
  });
  it('pads label ids', () => {
    expect(labelId(231)).toBe('L-000231');
  });
});
