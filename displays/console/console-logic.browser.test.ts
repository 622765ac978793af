import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router.js';
import { clean, editorStateOf, newEditorState, rowsToText, textToRows, toRuleInput } from './rule-draft.js';
import { buildPreviewQuery, DEFAULT_SHOPPER, type PreviewState } from './preview-query.js';
import { readStoreModel, searchCatalog } from './store-model.js';
import { storeWallTimeToInstant } from './store-time.js';
import { STORE_ID, storedRule, testStoreConfig } from './test-fakes.js';

describe('console logic', () => {
  it('routes by hash', () => {
    expect(parseRoute('')).toEqual({ page: 'live' });
    expect(parseRoute('#/rules')).toEqual({ page: 'rules' });
    expect(parseRoute('#/rules/new')).toEqual({ page: 'rule' });
    expect(parseRoute('#/rules/r%3Aa')).toEqual({ page: 'rule', ruleId: 'r:a' });
    expect(parseRoute('#/experiments/x-1')).toEqual({ page: 'experiments', experimentId: 'x-1' });
    expect(parseRoute('#/nonsense')).toEqual({ page: 'live' });
    expect(routeHref({ page: 'rule', ruleId: 'r:a' })).toBe('#/rules/r%3Aa');
  });

  it('drops what is empty and validates with the engine\'s RuleInput', () => {
    expect(clean({ name: '', description: '', target: { zones: [], hours: {} }, actions: { pin: [] }, caps: {} }))
      .toEqual({ name: '', actions: {} }); // an empty target is the schema's default
    const s = newEditorState(STORE_ID);
    const bad = toRuleInput({ ...s, draft: { ...s.draft, priority: Number.NaN, caps: { perShopperPerDay: 0 } } });
    expect(bad.ok).toBe(false);
    expect(bad.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'Required'], ['priority', 'Enter a number'], ['caps.perShopperPerDay', 'At least 1']]);
    const good = toRuleInput({ ...s, draft: { ...s.draft, name: 'ok' }, headline: [{ locale: 'de', text: 'Hallo' }, { locale: 'en', text: 'Hello' }] });
    expect(good).toEqual({ ok: true, issues: [], input: { name: 'ok', enabled: true, priority: 100, target: { stores: [STORE_ID] },
      actions: { headline: { de: 'Hallo', en: 'Hello' } } } });
  });

  it('round-trips a stored rule through the editor unchanged', () => {
    const rule = storedRule({ description: 'x', trigger: { type: 'dwell', seconds: 20 }, caps: { perShopperPerVisit: 1 },
      actions: { pin: ['SKU-1'], boost: [{ categories: ['coffee'], factor: 2 }], badge: 'Offer' } });
    const { version: _v, updatedAt: _u, updatedBy: _b, ...input } = rule;
    expect(toRuleInput(editorStateOf(rule as never))).toEqual({ ok: true, issues: [], input });
    expect(rowsToText(textToRows('Offer'))).toBe('Offer');
    expect(rowsToText([{ locale: '', text: '' }])).toBeUndefined();
  });

  it('reads store time as the store\'s, whatever the computer\'s zone', () => {
    expect(new Date(storeWallTimeToInstant('2026-12-20T08:30', 'Europe/Berlin')!).toISOString()).toBe('2026-12-20T07:30:00.000Z');
    expect(new Date(storeWallTimeToInstant('2026-07-01T08:30', 'Europe/Berlin')!).toISOString()).toBe('2026-07-01T06:30:00.000Z');
    expect(new Date(storeWallTimeToInstant('2026-03-29T03:30', 'Europe/London')!).toISOString()).toBe('2026-03-29T02:30:00.000Z');
    expect(storeWallTimeToInstant('', 'UTC')).toBeUndefined();
  });

  it('builds the preview request from the panel', () => {
    const s: PreviewState = { screenId: 'scr-coffee-1', shopper: 'describe', customerId: '', dwellSeconds: '45', tappedSku: 'SKU-3', at: '',
      described: { ...DEFAULT_SHOPPER, interests: ['coffee'], birthday: '1990-12-24', firstName: 'Mia', displayName: true } };
    expect(buildPreviewQuery(STORE_ID, 'Europe/Berlin', s, undefined)).toEqual({ storeId: STORE_ID, screenId: 'scr-coffee-1',
      profile: { customerId: 'preview-shopper', tier: 'gold', lifecycle: 'active', affinities: { coffee: 0.8 }, displayName: 'Mia', birthday: '12-24',
        consent: { personalization: true, displayName: true, associateAlerts: false } },
      visit: { dwellSeconds: 45, tappedSkus: ['SKU-3'] } });
    expect(buildPreviewQuery(STORE_ID, 'UTC', { ...s, shopper: 'member', customerId: ' c-1 ' }, { name: 'd', actions: {} }))
      .toMatchObject({ customerId: 'c-1', draft: [{ name: 'd', actions: {} }] });
  });

  it('names screens by their zone and finds products by name', () => {
    const m = readStoreModel(testStoreConfig());
    expect(m.screens.map((s) => s.label)).toEqual(['Eingang · screen', 'Kaffee & Tee · screen 1', 'Kaffee & Tee · screen 2', 'Weinkeller · screen']);
    expect(m.locale).toBe('de-DE');
    expect(searchCatalog(m, 'cups').map((c) => c.sku)).toEqual(['SKU-5']);
    expect(searchCatalog(m, 'colombia 500').map((c) => c.sku)).toEqual(['SKU-2']);
    expect(searchCatalog(m, '  ')).toEqual([]);
  });
});
