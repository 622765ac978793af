/**
 * @module screen/demo-frames
 * Built-in sample frames for `?demo=…` (try the player without an engine) and for tests.
 * They are valid `screen.content` frames; the demo feeds them through the same validation path.
 */
import type { ScreenContent } from '../shared/contracts.js';

const base = { type: 'screen.content', screenId: 'scr-demo', storeId: 's-demo', ttlMs: 3_600_000, currency: 'GBP' } as const;

export const DEMO_HERO: ScreenContent = {
  ...base, seq: 1, decisionId: 'dec-demo-hero', reason: 'shopper', template: 'hero',
  greeting: 'Welcome back, Mia', headline: 'Picked for your morning',
  items: [
    { sku: 'SKU-1001', name: 'Ethiopia Yirgacheffe Single-Origin Beans 250g', category: 'coffee', price: 8.9,
      memberPrice: 7.9, badge: 'For you', why: 'affinity coffee 0.92 · rule r-coffee-am' },
    { sku: 'SKU-1044', name: 'Stoneware Pour-Over Dripper', category: 'kitchen', price: 24,
      why: 'bought together with coffee 0.41' },
    { sku: 'SKU-2210', name: 'Almond Croissant', category: 'bakery', price: 2.4, memberPrice: 1.95,
      badge: 'Fresh today', why: 'morning · bakery affinity 0.63' },
    { sku: 'SKU-3307', name: 'Oat Barista Edition 1L', category: 'dairy', price: 2.1, why: 'prefers dairy-free' },
  ],
};

export const DEMO_GRID: ScreenContent = {
  ...base, seq: 2, decisionId: 'dec-demo-grid', reason: 'audience', template: 'grid',
  headline: 'Popular in Home & Kitchen this week',
  items: [
    { sku: 'SKU-4101', name: 'Regency Cakestand, 3 Tier', category: 'kitchen', price: 12.75, memberPrice: 10.95,
      badge: 'Member deal', why: 'zone top seller · 38 today' },
    { sku: 'SKU-4102', name: 'White Hanging Heart T-Light Holder', category: 'lighting', price: 2.95,
      why: 'audience: home 0.71' },
    { sku: 'SKU-4103', name: 'Jumbo Shopper Bag, Red Retrospot', category: 'bags', price: 2.08, badge: 'Bestseller',
      why: 'audience: bags 0.55' },
    { sku: 'SKU-4104', name: 'Assorted Colour Bird Ornament', category: 'home', price: 1.69, why: 'trending +24%' },
    { sku: 'SKU-4105', name: 'Set of 3 Cake Tins, Pantry Design', category: 'kitchen', price: 4.95, memberPrice: 4.25,
      why: 'bought together 0.38' },
    { sku: 'SKU-4106', name: 'Paper Chain Kit, 50s Christmas', category: 'christmas', price: 2.95, badge: 'Seasonal',
      why: 'rule r-seasonal · boost 1.5' },
    { sku: 'SKU-4107', name: 'Natural Slate Heart Chalkboard', category: 'home', price: 2.55, why: 'audience: home 0.49' },
    { sku: 'SKU-4108', name: 'Lunch Bag, Red Retrospot', category: 'bags', price: 1.65, memberPrice: 1.45,
      why: 'zone top seller' },
  ],
};

export const DEMO_IDLE: ScreenContent = {
  ...base, seq: 3, decisionId: 'dec-demo-idle', reason: 'idle', template: 'grid', ttlMs: 20_000,
  headline: 'This week’s offers',
  items: DEMO_GRID.items.filter((i) => i.memberPrice !== undefined || i.badge).slice(0, 4),
};

export const DEMO_FRAMES = { hero: DEMO_HERO, grid: DEMO_GRID, idle: DEMO_IDLE } as const;
export type DemoName = keyof typeof DEMO_FRAMES;
