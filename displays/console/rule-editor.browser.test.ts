import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { createConsoleApi } from './api.js';
import type { AisleRuleEditorPage } from './rule-editor-page.js';
import { readStoreModel } from './store-model.js';
import { MERCH_TOKEN, STORE_ID, apiError, json, previewAnswer, storedRule, stubApi, testStoreConfig, until, type Handler } from './test-fakes.js';
import './rule-editor-page.js';

const q = <E extends Element = HTMLElement>(sel: string) => deepQueryAll<E>(document.body, sel);
const field = (path: string) => q(`[data-field="${path}"]`)[0]!;
const input = (path: string) => field(path).querySelector('input, select, textarea') as HTMLInputElement;
const errorsAt = (path: string) => deepTexts(field(path), '.error');

const previewRoute = (answer = () => previewAnswer()): Handler => ({ method, path }) =>
  (method === 'POST' && path === '/api/v1/rules/preview' ? json(answer()) : undefined);

async function mountEditor(o: { ruleId?: string; access?: 'console' | 'merchandiser' } = {}) {
  const page = document.createElement('aisle-rule-editor-page') as AisleRuleEditorPage;
  page.api = createConsoleApi(MERCH_TOKEN);
  page.store = readStoreModel(testStoreConfig());
  page.access = o.access ?? 'merchandiser';
  page.ruleId = o.ruleId;
  document.body.append(page);
  await page.updateComplete;
  await until(() => q('aisle-rule-form').length === 1);
  return page;
}

async function typeInto(el: HTMLInputElement, text: string): Promise<void> {
  await userEvent.clear(el);
  if (text) await userEvent.type(el, text);
}

beforeEach(() => { location.hash = '#/rules/new'; });
afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); });

describe('rule editor', () => {
  it('checks the rule with the engine\'s schema as you type, and Enter saves it', async () => {
    const api = stubApi(previewRoute(), ({ method, path, body }) => (method === 'POST' && path === '/api/v1/rules'
      ? json({ ...(body as object), ruleId: 'r-new', version: 1, updatedAt: 1, updatedBy: 'merch', target: (body as { target: object }).target }, 201) : undefined));
    await mountEditor();
    const name = input('name');
    name.focus();
    await userEvent.keyboard('{Enter}');
    await until(() => errorsAt('name').length > 0);
    expect(errorsAt('name')).toEqual(['Required']);
    expect(q('.foot .error')[0]!.textContent).toContain('to fix before saving');
    expect(api.callsTo('POST', '/api/v1/rules')).toEqual([]);

    await typeInto(name, 'Coffee mornings');
    expect(errorsAt('name')).toEqual([]);
    await typeInto(input('priority'), '2000');
    await until(() => errorsAt('priority').join() === 'At most 1000');
    expect(input('priority').getAttribute('aria-invalid')).toBe('true');
    await typeInto(input('priority'), '2x');
    await until(() => errorsAt('priority').join() === 'Enter a number');
    await typeInto(input('priority'), '250');
    await until(() => errorsAt('priority').length === 0);

    // Zones by name, never by id.
    const zones = field('target.zones').querySelector('select')!;
    expect([...zones.options].map((o) => o.textContent)).toEqual(['Add…', 'Eingang', 'Kaffee & Tee', 'Weinkeller']);
    await userEvent.selectOptions(zones, 'z-coffee');
    await until(() => deepTexts(field('target.zones'), '.chip').length === 1);
    expect(deepTexts(field('target.zones'), '.chip')[0]).toContain('Kaffee & Tee');

    await typeInto(input('target.hours'), '');
    const [from, to] = [...field('target.hours').querySelectorAll('input')];
    from!.value = '07:00';
    from!.dispatchEvent(new Event('input'));
    await until(() => errorsAt('target.hours').join() === 'Required');  // "to" is missing

    to!.value = '11:00';
    to!.dispatchEvent(new Event('input'));
    await until(() => errorsAt('target.hours').length === 0);

    name.focus();
    await userEvent.keyboard('{Enter}');
    await until(() => api.callsTo('POST', '/api/v1/rules').length === 1);
    expect(api.callsTo('POST', '/api/v1/rules')[0]!.body).toEqual({ name: 'Coffee mornings', enabled: true, priority: 250,
      target: { stores: [STORE_ID], zones: ['z-coffee'], hours: { from: '07:00', to: '11:00' } }, actions: {} });
    await until(() => location.hash === '#/rules/r-new');
    await until(() => q('.saved')[0]);
    expect(q('.saved')[0]!.textContent).toContain('Saved as version 1');
  });

  it('puts the server\'s issues on the fields they name, until that field is edited', async () => {
    let answer = () => apiError(400, 'validation', 'invalid body', [{ path: ['actions', 'boost', 0, 'factor'], message: 'the server wants less' }]);
    stubApi(previewRoute(), ({ method, path }) => (method === 'POST' && path === '/api/v1/rules' ? answer() : undefined));
    await mountEditor();
    await typeInto(input('name'), 'Boost coffee');
    q('.add-boost')[0]!.click();
    await until(() => q('.boost-row').length === 1);
    await userEvent.selectOptions(field('actions.boost.0.categories').querySelector('select')!, 'coffee');
    expect(input('actions.boost.0.factor').value).toBe('2');
    q('.save')[0]!.click();
    await until(() => errorsAt('actions.boost.0.factor').join() === 'the server wants less');
    expect(deepTexts(document.body, '.load-error')[0]).toContain('Not saved');
    await typeInto(input('actions.boost.0.factor'), '3');
    await until(() => errorsAt('actions.boost.0.factor').length === 0);

    answer = () => apiError(403, 'auth.forbidden', 'a token for store s-test may only create rules whose target.stores is exactly ["s-test"]',
      [{ path: ['target', 'stores'], message: 'must be exactly ["s-test"]' }]);
    (field('target.stores').querySelectorAll('input[type=radio]')[1] as HTMLInputElement).click(); // every store
    q('.save')[0]!.click();
    await until(() => errorsAt('target.stores').join() === 'must be exactly ["s-test"]');
  });

  it('previews the form\'s rule as a draft, debounced, and says what it did', async () => {
    const api = stubApi(previewRoute(() => previewAnswer('scr-coffee-1', { headline: 'Guten Morgen, Kaffee',
      rules: [{ ruleId: 'draft-1', name: 'Coffee mornings', status: 'matched', why: 'all conditions hold', effects: ['pinned Ethiopia Yirgacheffe 250g'] },
        { ruleId: 'r-9', name: 'No wine', status: 'not-matched', why: 'zone: not z-wine' }] })));
    await mountEditor();
    const previews = () => api.callsTo('POST', '/api/v1/rules/preview');
    await until(() => previews().length === 1);
    expect(previews()[0]!.body).toEqual({ storeId: STORE_ID, screenId: 'scr-entrance-1' }); // the form is not valid yet: no draft
    expect(deepTexts(q('aisle-rule-preview')[0]!, '.banner')[0]).toContain('without this one');

    await typeInto(input('name'), 'Coffee mornings'); // many keystrokes, one request
    await until(() => previews().length === 2);
    await new Promise((r) => setTimeout(r, 400));
    expect(previews().length).toBe(2);
    expect(previews()[1]!.body).toMatchObject({ draft: [{ name: 'Coffee mornings', target: { stores: [STORE_ID] }, actions: {} }] });

    // Pin a product found by name: type, then Enter picks the first match.
    const search = deepQueryAll<HTMLInputElement>(q('aisle-sku-picker')[0]!, 'input.search')[0]!;
    await userEvent.type(search, 'yirga');
    await until(() => deepTexts(q('aisle-sku-picker')[0]!, '.option').length === 1);
    await userEvent.keyboard('{Enter}');
    await until(() => previews().length === 3);
    expect(previews()[2]!.body).toMatchObject({ draft: [{ actions: { pin: ['SKU-1'] } }] });
    expect(deepTexts(q('aisle-sku-picker')[0]!, '.chip')[0]).toContain('Ethiopia Yirgacheffe 250g');

    // Describe a shopper.
    const describe = q<HTMLInputElement>('input[name=shopper]').find((r) => r.value === 'describe')!;
    describe.click();
    await until(() => previews().length === 4);
    expect(previews()[3]!.body).toMatchObject({ profile: { customerId: 'preview-shopper', tier: 'gold', lifecycle: 'active',
      consent: { personalization: true, displayName: false, associateAlerts: false } } });

    await until(() => q('.outcome.mine').length === 1);
    expect(deepTexts(document.body, '.outcome.mine')[0]).toContain('Coffee mornings (this rule)');
    expect(deepTexts(document.body, '.outcome.mine')[0]).toContain('pinned Ethiopia Yirgacheffe 250g');
    expect(q('.outcome').map((o) => o.dataset['status'])).toEqual(['matched', 'not-matched']);
    expect(deepTexts(q('aisle-grid-template')[0]!, '.headline')).toEqual(['Guten Morgen, Kaffee']);
  });

  it('edits a stored rule with PUT and keeps the conditions it cannot edit', async () => {
    const rule = storedRule({ target: { stores: [STORE_ID], zones: ['z-coffee'], affinities: { coffee: 0.5 } }, actions: { pin: ['SKU-1'], headline: { de: 'Kaffeezeit', en: 'Coffee time' } } });
    const api = stubApi(previewRoute(), ({ method, path, body }) => {
      if (path !== '/api/v1/rules/r-1') return undefined;
      return method === 'GET' ? json(rule) : method === 'PUT' ? json({ ...(body as object), ruleId: 'r-1', version: 2, updatedAt: 2, updatedBy: 'merch' }) : undefined;
    });
    await mountEditor({ ruleId: 'r-1' });
    await until(() => input('name')?.value === 'Coffee mornings');
    expect(deepTexts(document.body, '.banner.info').join()).toContain('interests');
    const rows = field('actions.headline').querySelectorAll('.local-row');
    expect([...rows].map((r) => [...r.querySelectorAll('input')].map((i) => i.value))).toEqual([['de', 'Kaffeezeit'], ['en', 'Coffee time']]);
    await typeInto(input('name'), 'Coffee mornings, all day');
    q('.save')[0]!.click();
    await until(() => api.callsTo('PUT', '/api/v1/rules/r-1').length === 1);
    expect(api.callsTo('PUT', '/api/v1/rules/r-1')[0]!.body).toEqual({ ruleId: 'r-1', name: 'Coffee mornings, all day', enabled: true, priority: 100,
      target: { stores: [STORE_ID], zones: ['z-coffee'], affinities: { coffee: 0.5 } }, actions: { pin: ['SKU-1'], headline: { de: 'Kaffeezeit', en: 'Coffee time' } } });
    await until(() => deepTexts(document.body, '.saved')[0]?.includes('version 2'));
  });

  it('lets a look-only token try a rule but not save it', async () => {
    stubApi(previewRoute());
    await mountEditor({ access: 'console' });
    expect(q('.save')).toEqual([]);
    expect(deepTexts(document.body, '.foot')[0]).toContain('saving needs a merchandiser token');
  });
});
