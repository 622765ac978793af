import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { createConsoleApi } from './api.js';
import type { AisleRulesPage } from './rules-page.js';
import { readStoreModel } from './store-model.js';
import { MERCH_TOKEN, STORE_ID, json, storedRule, stubApi, testStoreConfig, until, type StoredRule } from './test-fakes.js';
import './rules-page.js';

const q = <E extends Element = HTMLElement>(sel: string) => deepQueryAll<E>(document.body, sel);
const rowIds = () => q('tr.rule').map((r) => r.dataset['ruleId']);

function rulesApi() {
  let rules = [
    storedRule({ ruleId: 'r-1', name: 'Coffee mornings', priority: 300, target: { stores: [STORE_ID], zones: ['z-coffee'], hours: { from: '07:00', to: '11:00' } } }),
    storedRule({ ruleId: 'r-2', name: 'No wine for kids', priority: 200, enabled: false, target: { stores: [STORE_ID], zones: ['z-entrance'] },
      actions: { exclude: { categories: ['wine'] } } }),
    storedRule({ ruleId: 'r-3', name: 'Birthday treat', priority: 100, trigger: { type: 'birthday', withinDays: 7 }, actions: { pin: ['SKU-5', 'SKU-6', 'SKU-1'] } }),
  ];
  const versions = [
    { ruleId: 'r-1', version: 2, at: 2, by: 'anna', action: 'update', rule: rules[0] },
    { ruleId: 'r-1', version: 1, at: 1, by: 'anna', action: 'create', rule: { ...rules[0], name: 'Coffee early', version: 1 } },
  ];
  const api = stubApi(({ method, path, body }) => {
    const m = /^\/api\/v1\/rules\/([^/]+)(?:\/(\w+))?$/.exec(path);
    if (method === 'GET' && path === '/api/v1/rules') return json(rules);
    if (!m) return undefined;
    const [, id, action] = m;
    const rule = rules.find((r) => r.ruleId === id);
    if (method === 'POST' && (action === 'enable' || action === 'disable') && rule) {
      const next = { ...rule, enabled: action === 'enable', version: rule.version + 1 };
      rules = rules.map((r) => (r.ruleId === id ? next : r));
      return json(next);
    }
    if (method === 'DELETE' && rule) {
      rules = rules.filter((r) => r.ruleId !== id);
      return json({ ruleId: id, version: rule.version + 1, at: 3, by: 'anna', action: 'delete' });
    }
    if (method === 'GET' && action === 'versions') return json(versions);
    if (method === 'POST' && action === 'restore') {
      const v = (body as { version: number }).version;
      const back: StoredRule = { ...(id === 'r-1' ? versions.find((x) => x.version === v)!.rule as StoredRule : storedRule({ ruleId: id, name: 'No wine for kids' })), version: 9 };
      rules = [...rules.filter((r) => r.ruleId !== id), back];
      return json(back);
    }
    return undefined;
  });
  return { api, rules: () => rules };
}

async function mount(access: 'console' | 'merchandiser' = 'merchandiser') {
  const page = document.createElement('aisle-rules-page') as AisleRulesPage;
  page.api = createConsoleApi(MERCH_TOKEN);
  page.store = readStoreModel(testStoreConfig());
  page.access = access;
  document.body.append(page);
  await until(() => q('tr.rule').length > 0);
  return page;
}

afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); });

describe('rules list', () => {
  it('lists the store\'s rules in words, with names not ids', async () => {
    const { api } = rulesApi();
    await mount();
    expect(api.calls[0]!.path).toBe(`/api/v1/rules?storeId=${STORE_ID}`);
    expect(rowIds()).toEqual(['r-1', 'r-2', 'r-3']);
    const first = deepTexts(document.body, 'tr.rule')[0]!;
    expect(first).toContain('Kaffee & Tee · 07:00–11:00');
    expect(deepTexts(document.body, 'tr.rule')[1]).toContain('Hides wine');
    expect(deepTexts(document.body, 'tr.rule')[2]).toContain('Birthday coming up');
    expect(deepTexts(document.body, 'tr.rule')[2]).toContain('Pins Espresso Cups, Set of 2, Milk Frother +1');
  });

  it('searches by name and filters enabled ones, with clear empty states', async () => {
    rulesApi();
    await mount();
    await userEvent.type(q<HTMLInputElement>('input.search')[0]!, 'coffee');
    await until(() => rowIds().join() === 'r-1');
    await userEvent.clear(q<HTMLInputElement>('input.search')[0]!);
    await userEvent.selectOptions(q<HTMLSelectElement>('select.filter')[0]!, 'disabled');
    await until(() => rowIds().join() === 'r-2');
    await userEvent.type(q<HTMLInputElement>('input.search')[0]!, 'birthday');
    await until(() => deepTexts(document.body, '.empty')[0]?.includes('No rule matches'));
  });

  it('enables and disables', async () => {
    const { api } = rulesApi();
    await mount();
    q('tr.rule[data-rule-id="r-2"] .toggle')[0]!.click();
    await until(() => api.callsTo('POST', '/api/v1/rules/r-2/enable').length === 1);
    await until(() => deepTexts(document.body, 'tr.rule[data-rule-id="r-2"] .badge')[0] === 'Enabled');
    expect(deepTexts(document.body, '.banner.info')[0]).toContain('enabled');
  });

  it('deletes after a confirmation, and can undo it', async () => {
    const { api } = rulesApi();
    await mount();
    q('tr.rule[data-rule-id="r-2"] .delete')[0]!.click();
    const dialog = await until(() => q<HTMLDialogElement>('dialog.confirm').find((d) => d.open));
    expect(deepTexts(dialog, 'h2')[0]).toBe('Delete “No wine for kids”?');
    await userEvent.keyboard('{Escape}'); // Esc keeps it
    await until(() => !dialog.open);
    expect(api.callsTo('DELETE', '/api/v1/rules/r-2')).toEqual([]);
    q('tr.rule[data-rule-id="r-2"] .delete')[0]!.click();
    await until(() => dialog.open);
    (dialog.querySelector('button[value=delete]') as HTMLButtonElement).click();
    await until(() => api.callsTo('DELETE', '/api/v1/rules/r-2').length === 1);
    await until(() => rowIds().join() === 'r-1,r-3');
    q('.undo')[0]!.click();
    await until(() => api.callsTo('POST', '/api/v1/rules/r-2/restore').length === 1);
    expect(api.callsTo('POST', '/api/v1/rules/r-2/restore')[0]!.body).toEqual({ version: 1 });
    await until(() => rowIds().includes('r-2'));
  });

  it('shows a rule\'s versions and restores an earlier one', async () => {
    const { api } = rulesApi();
    await mount();
    q('tr.rule[data-rule-id="r-1"] .history')[0]!.click();
    await until(() => q('tr.version').length === 2);
    expect(deepTexts(document.body, 'tr.version')[1]).toContain('Created (“Coffee early”)');
    expect(q('tr.version[data-version="2"] .restore')).toEqual([]); // the current one
    q('tr.version[data-version="1"] .restore')[0]!.click();
    await until(() => api.callsTo('POST', '/api/v1/rules/r-1/restore').length === 1);
    expect(api.callsTo('POST', '/api/v1/rules/r-1/restore')[0]!.body).toEqual({ version: 1 });
    await until(() => deepTexts(document.body, '.banner.info')[0]?.includes('restored as version 9'));
  });

  it('gives a look-only token no buttons that change rules', async () => {
    rulesApi();
    await mount('console');
    expect(q('.new-rule')).toEqual([]);
    expect(q('.toggle')).toEqual([]);
    expect(q('.delete')).toEqual([]);
    expect(q('.history').length).toBe(3);
  });

  it('says when there are no rules yet', async () => {
    stubApi(({ path }) => (path === '/api/v1/rules' ? json([]) : undefined));
    const page = document.createElement('aisle-rules-page') as AisleRulesPage;
    page.api = createConsoleApi(MERCH_TOKEN);
    page.store = readStoreModel(testStoreConfig());
    page.access = 'merchandiser';
    document.body.append(page);
    await until(() => deepTexts(document.body, '.empty')[0]?.includes('No rules yet'));
  });
});
