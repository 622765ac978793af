import type { z } from 'zod';
import type { PreviewRequest, PreviewResult, Rule, RuleInput, RuleVersion } from '#contracts';

/**
 * Realistic bodies for the rules routes' OpenAPI document (docs/rules-api.md). Checked against the
 * schemas by engine/api/routes-rules.test.ts, so the reference page never shows a body the API refuses.
 */

/** A shopper rule with a trigger: members with a birthday this week see cakes and a greeting headline. */
export const BIRTHDAY_RULE = {
  ruleId: 'birthday-week',
  name: 'Birthday week treats',
  description: 'Members whose birthday is within 7 days see cakes and party goods first, once per visit.',
  priority: 500,
  target: { modes: ['shopper'], consent: ['displayName'] },
  trigger: { type: 'birthday', withinDays: 7 },
  actions: {
    boost: [{ categories: ['cakes', 'party'], factor: 3 }],
    headline: { en: 'Happy birthday! A treat for you', de: 'Alles Gute zum Geburtstag!' },
    badge: 'Birthday treat',
  },
  caps: { perShopperPerVisit: 1, perShopperPerDay: 2 },
} satisfies RuleInput;

/** An exclusion for one store's kids zone, on every screen and in every mode. */
export const KIDS_ZONE_RULE = {
  ruleId: 'no-alcohol-kids-zone',
  name: 'No alcohol in the kids zone',
  description: 'Wine, beer and spirits never appear on the screens of the kids zone.',
  priority: 1000,
  target: { stores: ['s-001'], zones: ['z-kids'] },
  actions: { exclude: { categories: ['wine', 'beer', 'spirits'] } },
} satisfies RuleInput;

/** A dwell offer: a shopper lingering at the coffee wall gets the house blend pinned, at most once a visit. */
export const DWELL_RULE = {
  ruleId: 'coffee-dwell-offer',
  name: 'Coffee wall: lingering shoppers',
  priority: 300,
  target: { stores: ['s-001'], zones: ['z-coffee'], hours: { from: '07:00', to: '11:00' } },
  trigger: { type: 'dwell', seconds: 45 },
  actions: { pin: ['SKU-COFFEE-HOUSE-1KG'], template: 'hero', headline: 'Still deciding? Try our house blend', badge: 'Offer' },
  caps: { perShopperPerVisit: 1, perScreenPerHour: 20 },
} satisfies RuleInput;

const stamp = { version: 3, updatedAt: 1_767_603_600_000, updatedBy: 'merch-anna' };

/** The kids-zone rule as stored. */
export const STORED_RULE: Rule = { ...KIDS_ZONE_RULE, enabled: true, ...stamp };

/** Its history, newest first. */
export const RULE_HISTORY: RuleVersion[] = [
  { ruleId: KIDS_ZONE_RULE.ruleId, version: 3, at: stamp.updatedAt, by: 'merch-anna', action: 'enable', rule: STORED_RULE },
  { ruleId: KIDS_ZONE_RULE.ruleId, version: 2, at: stamp.updatedAt - 60_000, by: 'merch-anna', action: 'disable', rule: { ...STORED_RULE, enabled: false, version: 2, updatedAt: stamp.updatedAt - 60_000 } },
  { ruleId: KIDS_ZONE_RULE.ruleId, version: 1, at: stamp.updatedAt - 86_400_000, by: 'merchandiser', action: 'create', rule: { ...STORED_RULE, version: 1, updatedAt: stamp.updatedAt - 86_400_000, updatedBy: 'merchandiser' } },
];

/** A preview of one screen for a member, with a draft rule tried on top of the live ones. */
export const PREVIEW_REQUEST = {
  storeId: 's-001',
  screenId: 'scr-coffee-1',
  customerId: 'c-10231',
  at: '2026-01-05T09:30:00+01:00',
  visit: { dwellSeconds: 60, visitSeconds: 300 },
  draft: [DWELL_RULE],
} satisfies z.input<typeof PreviewRequest>;

/** What that preview answers. */
export const PREVIEW_RESULT: PreviewResult = {
  storeId: 's-001', zoneId: 'z-coffee', at: 1_767_601_800_000, locale: 'en',
  screens: [{
    screenId: 'scr-coffee-1', mode: 'shopper', ranker: 'model aisle-ranker@2026-01-02',
    frame: { type: 'screen.content', screenId: 'scr-coffee-1', storeId: 's-001', zoneId: 'z-coffee', decisionId: 'preview-1', reason: 'shopper', template: 'hero',
      headline: 'Still deciding? Try our house blend', ttlMs: 30_000, currency: 'EUR',
      items: [{ sku: 'SKU-COFFEE-HOUSE-1KG', name: 'House Blend 1 kg', price: 14.9, badge: 'Offer' },
        { sku: 'SKU-COFFEE-ESP-500', name: 'Espresso Beans 500 g', price: 8.5 }] },
    items: [
      { sku: 'SKU-COFFEE-HOUSE-1KG', score: 0.41, why: ['affinity coffee 0.8', 'pinned by coffee-dwell-offer'], rules: ['coffee-dwell-offer'] },
      { sku: 'SKU-COFFEE-ESP-500', score: 0.77, why: ['bought 3× before'], rules: [] },
    ],
    rules: [
      { ruleId: 'coffee-dwell-offer', name: 'Coffee wall: lingering shoppers', status: 'matched', why: 'dwell 60 s ≥ 45 s', effects: ['pinned SKU-COFFEE-HOUSE-1KG'] },
      { ruleId: 'birthday-week', name: 'Birthday week treats', status: 'not-matched', why: 'birthday in 42 days' },
    ],
  }],
};
