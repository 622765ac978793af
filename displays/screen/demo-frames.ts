/**
 * @module screen/demo-frames
 * Built-in sample frames for `?demo=…` (try the player without an engine) and for tests.
 * They are valid `screen.content` frames (strict items: only shopper-facing words, no scores or reasons);
 * the demo feeds them through the same validation path.
 */
import type { ScreenContent } from '../shared/contracts.js';

const base = {
  type: 'screen.content', screenId: 'scr-demo', storeId: 's-demo', ttlMs: 3_600_000, currency: 'GBP', locale: 'en-GB',
} as const;

export const DEMO_HERO: ScreenContent = {
  ...base, seq: 1, decisionId: 'dec-demo-hero', reason: 'shopper', template: 'hero',
  greeting: 'Welcome back, Mia', headline: 'Picked for your morning',
  items: [
    { sku: 'SKU-1001', name: 'Ethiopia Yirgacheffe Single-Origin Beans 250g', price: 8.9, memberPrice: 7.9,
      badge: 'For you', note: 'Because you like coffee' },
    { sku: 'SKU-1044', name: 'Stoneware Pour-Over Dripper', price: 24, note: 'Pairs well with fresh beans' },
    { sku: 'SKU-2210', name: 'Almond Croissant', price: 2.4, memberPrice: 1.95, badge: 'Fresh today',
      note: 'Baked in store this morning' },
    { sku: 'SKU-3307', name: 'Oat Barista Edition 1L', price: 2.1, note: 'Dairy-free, foams like milk' },
  ],
};

export const DEMO_GRID: ScreenContent = {
  ...base, seq: 2, decisionId: 'dec-demo-grid', reason: 'audience', template: 'grid',
  headline: 'Popular in Home & Kitchen this week',
  items: [
    { sku: 'SKU-4101', name: 'Regency Cakestand, 3 Tier', price: 12.75, memberPrice: 10.95, badge: 'Member deal',
      note: 'Popular with shoppers here' },
    { sku: 'SKU-4102', name: 'White Hanging Heart T-Light Holder', price: 2.95 },
    { sku: 'SKU-4103', name: 'Jumbo Shopper Bag, Red Retrospot', price: 2.08, badge: 'Bestseller',
      note: 'Holds up to 20 kg' },
    { sku: 'SKU-4104', name: 'Assorted Colour Bird Ornament', price: 1.69, note: 'Popular with shoppers here' },
    { sku: 'SKU-4105', name: 'Set of 3 Cake Tins, Pantry Design', price: 4.95, memberPrice: 4.25 },
    { sku: 'SKU-4106', name: 'Paper Chain Kit, 50s Christmas', price: 2.95, badge: 'Seasonal',
      note: 'Back for the holidays' },
    { sku: 'SKU-4107', name: 'Natural Slate Heart Chalkboard', price: 2.55 },
    { sku: 'SKU-4108', name: 'Lunch Bag, Red Retrospot', price: 1.65, memberPrice: 1.45 },
  ],
};

export const DEMO_IDLE: ScreenContent = {
  ...base, seq: 3, decisionId: 'dec-demo-idle', reason: 'idle', template: 'grid', ttlMs: 20_000,
  headline: 'This week’s offers',
  items: DEMO_GRID.items.filter((i) => i.memberPrice !== undefined || i.badge).slice(0, 4),
};

export const DEMO_FRAMES = { hero: DEMO_HERO, grid: DEMO_GRID, idle: DEMO_IDLE } as const;
export type DemoName = keyof typeof DEMO_FRAMES;

/**
 * The demo store's catalog categories (sku → category), as a real player gets them from the store's
 * configuration (`shared/store-info.ts`); they colour the generated visuals and pick their icons.
 */
export const DEMO_CATEGORIES: ReadonlyMap<string, string> = new Map([
  ['SKU-1001', 'coffee'], ['SKU-1044', 'kitchen & dining'], ['SKU-2210', 'bakery'], ['SKU-3307', 'dairy'],
  ['SKU-4101', 'kitchen & dining'], ['SKU-4102', 'candles & lights'], ['SKU-4103', 'bags'], ['SKU-4104', 'home decor'],
  ['SKU-4105', 'kitchen & dining'], ['SKU-4106', 'christmas'], ['SKU-4107', 'home decor'], ['SKU-4108', 'bags'],
]);
