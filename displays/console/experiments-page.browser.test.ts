import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { createConsoleApi } from './api.js';
import type { AisleExperimentChart } from './experiment-chart.js';
import type { AisleExperimentsPage } from './experiments-page.js';
import { readStoreModel } from './store-model.js';
import { MERCH_TOKEN, apiError, json, modelRoutes, modelVersionsAnswer, storedRule, stubApi, testStoreConfig, until } from './test-fakes.js';
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

const modelExperiment = { experimentId: 'x-m', name: 'November model', status: 'running', kind: 'model', stores: ['s-test'],
  arms: [{ armId: 'treatment', name: 'New model (29 Nov)', share: 0.5, model: '20261129-124537' },
    { armId: 'holdout', name: 'Current model (23 Nov)', share: 0.5, model: '20261123-111256' }] };

async function openNewExperiment() {
  (await until(() => q('.new-experiment')[0])).click();
  return until(() => q<HTMLDialogElement>('dialog.new-experiment-dialog').find((d) => d.open));
}
const typeInto = (el: HTMLInputElement, value: string) => { el.value = value; el.dispatchEvent(new Event('input')); };
const choose = (el: HTMLSelectElement, value: string) => { el.value = value; el.dispatchEvent(new Event('change')); };
const texts = (root: ParentNode, sel: string) => [...root.querySelectorAll(sel)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
const create = (dialog: HTMLDialogElement) => dialog.querySelector<HTMLButtonElement>('button.primary')!;

/** Opens "New experiment", names it and chooses "Model versions". */
async function newModelExperiment(name = 'November model') {
  const dialog = await openNewExperiment();
  typeInto(dialog.querySelector('input.name')!, name);
  dialog.querySelector<HTMLInputElement>('input[name="kind"][value="model"]')!.click();
  return dialog;
}

/** Answers the experiments list with `list` and a create with the body it got. */
const experimentsRoute = (list: unknown[] = []) => ({ method, path, body }: { method: string; path: string; body: unknown }) =>
  (path === '/api/v1/experiments' ? (method === 'POST' ? json({ ...(body as object), experimentId: 'x-new', status: 'draft' }, 201) : json(list)) : undefined);

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

  it('creates a model experiment: versions by the day they were made, the newest against the one before, names that follow', async () => {
    const api = stubApi(rules, modelRoutes(), experimentsRoute([modelExperiment]));
    await mount();
    const dialog = await newModelExperiment();
    const treatment = await until(() => dialog.querySelector<HTMLSelectElement>('select.model-treatment'));
    const baseline = dialog.querySelector<HTMLSelectElement>('select.model-baseline')!;
    // In the store's language and time zone (de-DE, Berlin); a version that failed to load is shown, not offered.
    expect([...treatment.options].map((o) => [o.textContent!.trim(), o.disabled])).toEqual([
      ['6. Dez. 2026 · could not be loaded', true],
      ['29. Nov. 2026 · serving now · NDCG@10 0,299', false],
      ['23. Nov. 2026 · NDCG@10 0,298', false]]);
    // By default the newest usable version (the serving one) against the one before it.
    expect([treatment.value, baseline.value]).toEqual(['20261129-124537', '20261123-111256']);
    expect(texts(dialog, '.arm-pick .hint')[0]).toBe('Version 20261129-124537 · offline test on purchases after 1. Nov. 2011: NDCG@10 0,299, Recall@10 0,188');
    expect([...dialog.querySelectorAll<HTMLInputElement>('input.arm-name')].map((i) => i.value)).toEqual(['New model (29. Nov.)', 'Previous model (23. Nov.)']);
    expect(dialog.querySelector<HTMLInputElement>('input.holdout')!.value).toBe('50');
    expect(texts(dialog, '.model-busy')[0]).toContain('“November model” already tests model versions in this store');

    // The older one against the serving one: the arms' names follow, until one is typed; and back.
    choose(treatment, '20261123-111256');
    choose(baseline, '20261129-124537');
    await until(() => dialog.querySelector<HTMLInputElement>('input.arm-name')!.value === 'Earlier model (23. Nov.)');
    expect(dialog.querySelectorAll<HTMLInputElement>('input.arm-name')[1]!.value).toBe('Current model (29. Nov.)');
    choose(treatment, '20261129-124537');
    choose(baseline, '20261123-111256');
    await until(() => dialog.querySelector<HTMLInputElement>('input.arm-name')!.value === 'New model (29. Nov.)');
    expect(dialog.querySelectorAll<HTMLInputElement>('input.arm-name')[1]!.value).toBe('Previous model (23. Nov.)');
    typeInto(dialog.querySelectorAll<HTMLInputElement>('input.arm-name')[1]!, 'Last week’s model');
    typeInto(dialog.querySelector('input.holdout')!, '20');
    await until(() => !create(dialog).disabled);
    dialog.querySelector('form')!.requestSubmit();
    await until(() => api.callsTo('POST', '/api/v1/experiments').length === 1);
    expect(api.callsTo('POST', '/api/v1/experiments')[0]!.body).toEqual({ name: 'November model', kind: 'model', stores: ['s-test'], arms: [
      { armId: 'treatment', name: 'New model (29. Nov.)', share: 0.8, model: '20261129-124537' },
      { armId: 'holdout', name: 'Last week’s model', share: 0.2, model: '20261123-111256' }] });
    await until(() => !dialog.open);
  });

  it('refuses the same model version on both sides, on the field, before anything is sent', async () => {
    const api = stubApi(rules, modelRoutes(), experimentsRoute());
    await mount();
    const dialog = await newModelExperiment();
    const treatment = await until(() => dialog.querySelector<HTMLSelectElement>('select.model-treatment'));
    await until(() => !create(dialog).disabled);
    choose(treatment, '20261123-111256');
    await until(() => treatment.getAttribute('aria-invalid') === 'true');
    expect(texts(dialog, '.arm-pick .error')).toEqual(['Choose a different version from the one it is compared against: with the same version on both sides there is nothing to compare.']);
    expect(create(dialog).disabled).toBe(true);
    dialog.querySelector('form')!.requestSubmit();
    choose(dialog.querySelector<HTMLSelectElement>('select.model-baseline')!, '20261129-124537');
    await until(() => treatment.getAttribute('aria-invalid') === 'false' && !create(dialog).disabled);
    expect(texts(dialog, '.arm-pick .error')).toEqual([]);
    expect(api.callsTo('POST', '/api/v1/experiments')).toEqual([]);
  });

  it('says when fewer than two model versions can be tested, or when the engine cannot list them', async () => {
    stubApi(rules, modelRoutes(modelVersionsAnswer({ n: 1, failed: false })), experimentsRoute());
    await mount();
    let dialog = await newModelExperiment();
    await until(() => dialog.querySelector('.no-versions'));
    expect(texts(dialog, '.no-versions')[0]).toBe('Only one model version is installed Train another with npm run model:train: it appears here once it is in the engine\'s model folder. Until then, test rules.');
    expect(dialog.querySelector('select')).toBeNull();
    expect(dialog.querySelector('input.holdout')).toBeNull();
    expect(create(dialog).disabled).toBe(true);
    // Back to a rule: everything is there again.
    dialog.querySelector<HTMLInputElement>('input[name="kind"][value="rule"]')!.click();
    await until(() => dialog.querySelector('select.rule') && !create(dialog).disabled);

    document.body.replaceChildren();
    stubApi(rules, modelRoutes(modelVersionsAnswer({ n: 1 })), experimentsRoute());
    await mount();
    dialog = await newModelExperiment();
    await until(() => texts(dialog, '.no-versions')[0]?.startsWith('Only one model version can be used 6. Dez. 2026 could not be loaded (checksum mismatch: model.onnx).'));

    document.body.replaceChildren();
    stubApi(rules, experimentsRoute()); // an engine without GET /api/v1/models
    await mount();
    dialog = await newModelExperiment();
    await until(() => texts(dialog, '.banner')[0]?.startsWith('Model versions could not be loaded.'));
    expect(create(dialog).disabled).toBe(true);
  });

  it('names a model experiment\'s versions by their day in the list and the report, the version strings beside them', async () => {
    const older = { ...modelExperiment, experimentId: 'x-old', status: 'stopped',
      arms: [{ armId: 'treatment', name: 'Autumn model', share: 0.5, model: '20261001-080000' }, { armId: 'holdout', name: 'Summer model', share: 0.5, model: 'summer' }] };
    stubApi(rules, modelRoutes(), ({ path }) => (path === '/api/v1/experiments' ? json([experiment, modelExperiment, older])
      : path === '/api/v1/experiments/x-m' ? json({ experiment: modelExperiment, report }) : undefined));
    await mount();
    const card = await until(() => q('.experiment[data-experiment-id="x-m"]')[0]);
    await until(() => deepTexts(card, '.models')[0] === 'Models: 29. Nov. 2026 vs 23. Nov. 2026 (20261129-124537 vs 20261123-111256)');
    expect(card.textContent).not.toContain('Rule:');
    expect(card.textContent).toContain('New model (29 Nov) 50% · Current model (23 Nov) 50%');
    await until(() => q('.experiment[data-experiment-id="x-1"]')[0]!.textContent!.includes('Rule: Coffee mornings'));
    // Versions no longer in the model folder: the day their stamp names, or the version as it is.
    expect(deepTexts(q('.experiment[data-experiment-id="x-old"]')[0]!, '.models')[0]).toBe('Models: 1. Okt. 2026 vs summer (20261001-080000 vs summer)');

    document.body.replaceChildren();
    await mount('x-m');
    await until(() => deepTexts(document.body, '.detail .models')[0] === 'Models: 29. Nov. 2026 vs 23. Nov. 2026 (20261129-124537 vs 20261123-111256)');
    expect(deepTexts(document.body, '.detail')[0]).not.toContain('Testing the rule');
    expect(deepTexts(document.body, '.arm-model')).toEqual(['29. Nov. 2026 · 20261129-124537', '23. Nov. 2026 · 20261123-111256']);
  });

  it('puts the engine\'s refusal on the field it names: an unknown model version, a rule that no longer exists', async () => {
    let refuse = ['arms', 0, 'model'];
    const api = stubApi(rules, modelRoutes(), ({ method, path }) => (method === 'POST' && path === '/api/v1/experiments'
      ? apiError(400, 'validation', `body.${refuse.join('.')}: no such thing`, [{ path: refuse, message: refuse[0] === 'ruleId' ? 'no rule r-1' : 'no model version 20261123-111256 (GET /api/v1/models lists them)' }])
      : undefined), experimentsRoute());
    await mount();
    const dialog = await newModelExperiment();
    const treatment = await until(() => dialog.querySelector<HTMLSelectElement>('select.model-treatment'));
    await until(() => !create(dialog).disabled);
    dialog.querySelector('form')!.requestSubmit();
    await until(() => treatment.getAttribute('aria-invalid') === 'true');
    expect(api.callsTo('POST', '/api/v1/experiments').length).toBe(1);
    expect(texts(dialog, '.arm-pick .error')).toEqual(['no model version 20261123-111256 (GET /api/v1/models lists them)']);
    expect(dialog.querySelector('[role="alert"]')).toBeNull();
    expect(dialog.open).toBe(true);
    expect((dialog.getRootNode() as ShadowRoot).activeElement).toBe(treatment); // focus lands on the field to fix
    choose(treatment, '20261129-124537'); // picking another version clears it (and here says it is the baseline's)
    choose(dialog.querySelector<HTMLSelectElement>('select.model-baseline')!, '20261123-111256');
    await until(() => texts(dialog, '.arm-pick .error').length === 0);

    refuse = ['ruleId'];
    dialog.querySelector<HTMLInputElement>('input[name="kind"][value="rule"]')!.click();
    const rule = await until(() => dialog.querySelector<HTMLSelectElement>('select.rule'));
    dialog.querySelector('form')!.requestSubmit();
    await until(() => rule.getAttribute('aria-invalid') === 'true');
    expect(rule.closest('label')!.querySelector('.error')!.textContent).toBe('no rule r-1');
  });
});
