import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { createConsoleApi } from './api.js';
import type { AisleExperimentChart } from './experiment-chart.js';
import type { AisleExperimentsPage } from './experiments-page.js';
import { readStoreModel } from './store-model.js';
import { MERCH_TOKEN, apiError, json, storedRule, stubApi, testStoreConfig, until } from './test-fakes.js';
import './experiments-page.js';

const q = <E extends Element = HTMLElement>(sel: string) => deepQueryAll<E>(document.body, sel);

const experiment = { experimentId: 'x-1', name: 'Coffee mornings test', status: 'running', ruleId: 'r-1',
  arms: [{ armId: 'treatment', name: 'Rule on', share: 0.8 }, { armId: 'holdout', name: 'Holdout', share: 0.2 }] };
const report = {
  arms: [
    { armId: 'treatment', shoppers: 1200, impressions: 5400, conversions: 168, rate: 0.14, rateLow: 0.121, rateHigh: 0.16, revenuePerShopper: 3.42 },
    { armId: 'holdout', shoppers: 300, impressions: 0, conversions: 30, rate: 0.1, rateLow: 0.071, rateHigh: 0.139, revenuePerShopper: 2.5 },
  ],
  comparisons: [{ armId: 'treatment', absLift: 0.04, absLow: 0.002, absHigh: 0.078, relLift: 0.4, relLow: 0.02, relHigh: 0.78,
    verdict: 'better', neededPerArm: 1500 }],
  updatedAt: 1_760_000_000_000,
};

async function mount(experimentId?: string) {
  const page = document.createElement('aisle-experiments-page') as AisleExperimentsPage;
  page.api = createConsoleApi(MERCH_TOKEN);
  page.store = readStoreModel(testStoreConfig());
  page.access = 'merchandiser';
  page.experimentId = experimentId;
  document.body.append(page);
  await page.updateComplete;
  return page;
}

const rules = ({ path }: { path: string }) => (path === '/api/v1/rules' ? json([storedRule()]) : undefined);

afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); });

describe('experiments', () => {
  it('says clearly that experiments are not switched on when the engine has no such API (404 / 501)', async () => {
    stubApi(rules);
    await mount();
    await until(() => q('.not-built').length === 1);
    expect(deepTexts(document.body, '.not-built')[0]).toContain('not switched on');
    expect(q('.new-experiment')).toEqual([]);
    document.body.replaceChildren();
    stubApi(rules, ({ path }) => (path.startsWith('/api/v1/experiments') ? apiError(501, 'not_implemented', 'later') : undefined));
    await mount('x-1');
    await until(() => q('.not-built').length === 1);
  });

  it('lists experiments with their rule by name', async () => {
    stubApi(rules, ({ path }) => (path === '/api/v1/experiments' ? json([experiment]) : undefined));
    await mount();
    const card = await until(() => q('.experiment[data-experiment-id="x-1"]')[0]);
    await until(() => card.textContent?.includes('Rule: Coffee mornings'));
    expect(card.textContent).toContain('Rule on 80% · Holdout 20%');
    expect(card.getAttribute('href')).toBe('#/experiments/x-1');
  });

  it('shows a report: arms, conversion rate per arm with its interval on a chart, lift against the holdout', async () => {
    stubApi(rules, ({ path }) => (path === '/api/v1/experiments/x-1' ? json({ experiment, report }) : undefined));
    await mount('x-1');
    await until(() => q('.arms tr[data-arm-id]').length === 2);
    const treatment = deepTexts(document.body, '.arms tr[data-arm-id="treatment"]')[0]!;
    expect(treatment).toContain('1.200'); // de-DE
    expect(treatment).toContain('14 % 12,1 % to 16 %');
    expect(treatment).toContain('3,42 €');
    expect(deepTexts(document.body, '.verdict')).toEqual(['Better than the holdout']);
    const cmp = deepTexts(document.body, '.comparison')[0]!;
    expect(cmp).toContain('+4 points');
    expect(cmp).toContain('(95%: +0,2 to +7,8)');
    expect(cmp).toContain('+40%');
    expect(deepTexts(document.body, '.power')[0]).toContain('about 1.500 shoppers per arm (this arm has 1.200)');
    const chart = await until(() => q<AisleExperimentChart>('aisle-experiment-chart')[0]);
    await until(() => chart.chart);
    await chart.drawn;
    expect(chart.chart!.data.labels).toEqual(['Rule on', 'Holdout']);
    expect(chart.chart!.data.datasets[0]!.data).toEqual([0.14, 0.1]);
    expect(q('canvas')[0]!.getAttribute('aria-label')!.replace(/\s+/g, ' ')).toContain('Rule on: 14 % (12,1 % to 16 %)');
  });

  it('says when an experiment has no results yet, and when it does not exist', async () => {
    stubApi(rules, ({ path }) => (path === '/api/v1/experiments/x-1' ? json({ experiment, report: null })
      : path === '/api/v1/experiments/x-9' ? apiError(404, 'experiment.not_found', 'no experiment x-9') : undefined));
    await mount('x-1');
    await until(() => deepTexts(document.body, '.empty')[0]?.includes('No results yet'));
    document.body.replaceChildren();
    await mount('x-9');
    await until(() => deepTexts(document.body, '.banner')[0]?.includes('no such experiment'));
  });

  it('reads the engine\'s verdict codes and their words, and starts, pauses and stops an experiment', async () => {
    let status = 'draft';
    const api = stubApi(rules, ({ method, path }) => {
      const m = /^\/api\/v1\/experiments\/x-1(?:\/(\w+))?$/.exec(path);
      if (!m) return undefined;
      if (method === 'POST') { status = { start: 'running', pause: 'paused', resume: 'running', stop: 'stopped' }[m[1]!]!; return json({ ...experiment, status }); }
      return json({ experiment: { ...experiment, status }, report: { ...report, confidence: 0.95, comparisons: [{ ...report.comparisons[0], verdict: 'not_enough_data',
        verdictText: 'Too few shoppers to tell yet.', revenueDiff: 0.92, revenueLow: -0.1, revenueHigh: 1.9 }] } });
    });
    await mount('x-1');
    await until(() => deepTexts(document.body, '.verdict')[0] === 'Not enough shoppers yet');
    expect(deepTexts(document.body, '.verdict-text')).toEqual(['Too few shoppers to tell yet.']);
    expect(deepTexts(document.body, '.comparison')[0]).toContain('Revenue per shopper +0,92 € (95%: -0,10 € to 1,90 €)');
    expect(q('.status-action').map((b) => b.dataset['action'])).toEqual(['start']);
    q('.status-action')[0]!.click();
    await until(() => q('.status-action').map((b) => b.dataset['action']).join() === 'pause,stop');
    expect(api.callsTo('POST', '/api/v1/experiments/x-1/start').length).toBe(1);
    q('.status-action[data-action="stop"]')[0]!.click();
    await until(() => q('.status-action').length === 0);
    expect(deepTexts(document.body, '.detail .badge')[0]).toBe('stopped');
  });

  it('creates an experiment for a rule with a holdout', async () => {
    const api = stubApi(rules, ({ method, path, body }) => (path === '/api/v1/experiments'
      ? (method === 'POST' ? json({ ...experiment, ...(body as object), experimentId: 'x-2', status: 'draft' }, 201) : json([])) : undefined));
    await mount();
    (await until(() => q('.new-experiment')[0])).click();
    const dialog = await until(() => q<HTMLDialogElement>('dialog.new-experiment-dialog').find((d) => d.open));
    const [name] = [...dialog.querySelectorAll('input')];
    name!.value = 'Does it sell?';
    name!.dispatchEvent(new Event('input'));
    await until(() => dialog.querySelector<HTMLSelectElement>('select')!.options.length === 1);
    await until(() => !(dialog.querySelector('button.primary') as HTMLButtonElement).disabled);
    dialog.querySelector('form')!.requestSubmit();
    await until(() => api.callsTo('POST', '/api/v1/experiments').length === 1);
    expect(api.callsTo('POST', '/api/v1/experiments')[0]!.body).toEqual({ name: 'Does it sell?', ruleId: 'r-1', stores: ['s-test'], arms: [
      { armId: 'treatment', name: 'Rule on', share: 0.8, rule: 'on' }, { armId: 'holdout', name: 'Holdout', share: 0.2, rule: 'off' }] });
    await until(() => !dialog.open);
  });
});
