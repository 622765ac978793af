import { describe, expect, it } from 'vitest';
import { Experiment, ExperimentInput, ExperimentReport, ExperimentVersion, ROLES, StoreConfig, type Role, type TokenEntry } from '#contracts';
import { createExperimentStore } from '../experiments/experiment-store.js';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { silentLogger } from '../platform/log.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createMetrics } from '../platform/metrics.js';
import { createRuleStore } from '../rules/rule-store.js';
import { createStoreRegistry } from '../stores/registry.js';
import { DWELL_EXPERIMENT, EXPERIMENT_HISTORY, EXPERIMENT_REPORT, MINIMAL_EXPERIMENT, MODEL_EXPERIMENT, STORED_EXPERIMENT } from './experiment-examples.js';
import { createApi, type ApiDeps } from './index.js';
import { BIRTHDAY_RULE, DWELL_RULE } from './rule-examples.js';

const store = (storeId: string) => StoreConfig.parse({ storeId, name: `Store ${storeId}`, zones: [{ zoneId: 'z-kids', name: 'Kids', categories: ['toys'] }],
  catalog: [{ sku: 'S-1', name: 'Item', category: 'toys', price: 3 }] });
const T = {
  merchAll: { token: 'merch-all-xxxxxxxxxx', role: 'merchandiser', storeId: '*', subject: 'merch-anna' },
  merch1: { token: 'merch-s001-xxxxxxxxx', role: 'merchandiser', storeId: 's-001' },
  merch2: { token: 'merch-s002-xxxxxxxxx', role: 'merchandiser', storeId: 's-002' },
  console1: { token: 'console-s001-xxxxxxx', role: 'console', storeId: 's-001' },
  consoleAll: { token: 'console-all-xxxxxxxx', role: 'console', storeId: '*' },
  screen1: { token: 'screen-s001-xxxxxxxx', role: 'screen', storeId: 's-001', subject: 'scr-1' },
  assoc: { token: 'assoc-all-xxxxxxxxxx', role: 'associate', storeId: '*' },
  gateway: { token: 'gw-s001-xxxxxxxxxxxx', role: 'label-gateway', storeId: 's-001' },
} satisfies Record<string, TokenEntry>;
type Who = keyof typeof T;
const ID = DWELL_EXPERIMENT.experimentId;

async function setup(over: Partial<ApiDeps> & { kv?: Kv } = {}) {
  const clock = manualClock(1_767_600_000_000);
  const kv = over.kv ?? createMemoryKv(clock);
  const keys = createKeys('t:');
  const rules = createRuleStore({ kv, keys, clock });
  await rules.create(DWELL_RULE, 'seed');
  await rules.create(BIRTHDAY_RULE, 'seed');
  const experiments = createExperimentStore({ kv, keys, clock, newExperimentId: () => 'e-generated' });
  const reported: string[] = [];
  const app = createApi({ stores: createStoreRegistry([store('s-001'), store('s-002')]), metrics: createMetrics(), log: silentLogger(), startedAt: 0,
    live: () => ({}), screenToken: () => undefined, ready: () => ({}), verify: (t) => Object.values(T).find((x) => x.token === t),
    rules, experiments, report: async (e) => { reported.push(`${e.experimentId}@${e.version}`); return EXPERIMENT_REPORT; },
    ...over });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (who: Who | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; res: Response }> => {
    const res = await app.request(`http://x/api/v1/experiments${path}`, { method, headers: { ...(who ? { authorization: `Bearer ${T[who].token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: await res.json(), res };
  };
  return { app, rules, experiments, clock, reported, call };
}
const answer = (r: { status: number; body: { error?: { code: string } } }) => [r.status, r.body.error?.code];

describe('experiments API: the whole life of an experiment', () => {
  it('create (201 + Location), read with its report, list, replace, start, pause, resume, stop, versions, delete, restore', async () => {
    const { call, reported } = await setup();
    const created = await call('merchAll', 'POST', '', DWELL_EXPERIMENT);
    expect(created.status).toBe(201);
    expect(created.res.headers.get('location')).toBe(`/api/v1/experiments/${ID}`);
    expect(created.body).toMatchObject({ experimentId: ID, status: 'draft', version: 1, updatedBy: 'merch-anna' });
    expect(answer(await call('merchAll', 'POST', '', DWELL_EXPERIMENT))).toEqual([409, 'experiment.exists']);
    const generated = await call('merchAll', 'POST', '', MINIMAL_EXPERIMENT);
    expect(generated.res.headers.get('location')).toBe('/api/v1/experiments/e-generated');

    const read = await call('console1', 'GET', `/${ID}`);
    expect(read.body).toEqual({ experiment: created.body, report: EXPERIMENT_REPORT });
    expect(reported).toEqual([`${ID}@1`]);
    expect((await call('merchAll', 'GET', '')).body.map((e: Experiment) => e.experimentId)).toEqual(['coffee-dwell-2026-q1', 'e-generated']);

    const put = await call('merchAll', 'PUT', `/${ID}`, { ...DWELL_EXPERIMENT, name: 'Dwell offer, 50/50',
      arms: [{ armId: 'treatment', name: 'On', share: 0.5, rule: 'on' }, { armId: 'holdout', name: 'Off', share: 0.5, rule: 'off' }] });
    expect(put.body).toMatchObject({ version: 2, name: 'Dwell offer, 50/50', status: 'draft' });
    expect((await call('merchAll', 'POST', `/${ID}/start`)).body).toMatchObject({ version: 3, status: 'running' });
    expect((await call('merchAll', 'GET', '?status=running')).body.map((e: Experiment) => e.experimentId)).toEqual([ID]);
    expect((await call('merchAll', 'GET', '?ruleId=birthday-week')).body.map((e: Experiment) => e.experimentId)).toEqual(['e-generated']);
    expect((await call('merchAll', 'POST', `/${ID}/pause`)).body).toMatchObject({ version: 4, status: 'paused' });
    expect((await call('merchAll', 'POST', `/${ID}/resume`)).body).toMatchObject({ version: 5, status: 'running' });
    expect((await call('merchAll', 'POST', `/${ID}/stop`)).body).toMatchObject({ version: 6, status: 'stopped' });
    const del = await call('merchAll', 'DELETE', `/${ID}`);
    expect(del.body).toMatchObject({ experimentId: ID, version: 7, action: 'delete', by: 'merch-anna' });
    expect(answer(await call('merchAll', 'GET', `/${ID}`))).toEqual([404, 'experiment.not_found']);

    const versions = await call('console1', 'GET', `/${ID}/versions`);
    expect(versions.body.map((v: ExperimentVersion) => v.action)).toEqual(['delete', 'stop', 'resume', 'pause', 'start', 'update', 'create']);
    const restored = await call('merchAll', 'POST', `/${ID}/restore`, { version: 1 });
    expect(restored.body).toMatchObject({ version: 8, status: 'draft', name: DWELL_EXPERIMENT.name });
    expect(answer(await call('merchAll', 'POST', `/${ID}/restore`, { version: 7 }))).toEqual([409, 'experiment.nothing_to_restore']);
    expect(answer(await call('merchAll', 'POST', `/${ID}/restore`, { version: 99 }))).toEqual([404, 'experiment.version_not_found']);
    expect(answer(await call('merchAll', 'POST', '/nope/restore', { version: 1 }))).toEqual([404, 'experiment.not_found']);
  });

  it('refuses status changes its status does not allow with 409 experiment.invalid_transition; the same status changes nothing', async () => {
    const { call, experiments } = await setup();
    await call('merchAll', 'POST', '', DWELL_EXPERIMENT);
    for (const step of ['resume', 'pause', 'stop']) expect(answer(await call('merchAll', 'POST', `/${ID}/${step}`)), step).toEqual([409, 'experiment.invalid_transition']);
    await call('merchAll', 'POST', `/${ID}/start`);
    expect((await call('merchAll', 'POST', `/${ID}/start`)).body.version).toBe(2); // already running
    expect((await call('merchAll', 'POST', `/${ID}/resume`)).body.version).toBe(2);
    expect(answer(await call('merchAll', 'DELETE', `/${ID}`))).toEqual([409, 'experiment.invalid_transition']);
    expect(answer(await call('merchAll', 'PUT', `/${ID}`, { ...DWELL_EXPERIMENT, status: 'draft' }))).toEqual([409, 'experiment.invalid_transition']);
    await call('merchAll', 'POST', `/${ID}/pause`);
    expect(answer(await call('merchAll', 'POST', `/${ID}/start`))).toEqual([409, 'experiment.invalid_transition']); // a paused one resumes
    await call('merchAll', 'POST', `/${ID}/stop`);
    for (const step of ['start', 'pause', 'resume']) expect(answer(await call('merchAll', 'POST', `/${ID}/${step}`)), step).toEqual([409, 'experiment.invalid_transition']);
    expect((await call('merchAll', 'POST', `/${ID}/stop`)).body.version).toBe(4);
    expect(answer(await call('merchAll', 'PUT', `/${ID}`, { ...DWELL_EXPERIMENT, status: 'stopped' }))).toEqual([409, 'experiment.invalid_transition']);
    expect(answer(await call('merchAll', 'POST', `/${ID}/restore`, { version: 1 }))).toEqual([409, 'experiment.invalid_transition']);
    expect(experiments.get(ID)).toMatchObject({ status: 'stopped', version: 4 });
  });

  it('refuses bad input with 400 naming the field, a rule that does not exist included; nothing changes', async () => {
    const { call, experiments } = await setup();
    await call('merchAll', 'POST', '', DWELL_EXPERIMENT);
    const before = experiments.snapshot();
    const noRule = await call('merchAll', 'POST', '', { ...DWELL_EXPERIMENT, experimentId: 'other', ruleId: 'no-such-rule' });
    expect(noRule.status).toBe(400);
    expect(noRule.body.error).toEqual({ code: 'validation', message: expect.stringContaining('no-such-rule'), issues: [{ path: ['ruleId'], message: expect.any(String) }] });
    expect((await call('merchAll', 'PUT', `/${ID}`, { ...DWELL_EXPERIMENT, ruleId: 'no-such-rule' })).body.error.issues[0].path).toEqual(['ruleId']);
    const cases: [unknown, (string | number)[]][] = [
      [{ name: 'x' }, ['ruleId']],
      [{ ...DWELL_EXPERIMENT, surprise: 1 }, []],
      [{ ...DWELL_EXPERIMENT, arms: [{ armId: 'treatment', name: 'On', share: 0.9, rule: 'on' }, { armId: 'holdout', name: 'Off', share: 0.2, rule: 'off' }] }, ['arms']],
      [{ ...DWELL_EXPERIMENT, arms: [{ armId: 'treatment', name: 'On', share: 0.5, rule: 'on' }, { armId: 'holdout', name: 'Off', share: 0.5, rule: 'on' }] }, ['arms', 1, 'rule']],
      [{ ...DWELL_EXPERIMENT, endAt: DWELL_EXPERIMENT.startAt }, ['endAt']],
      [{ ...DWELL_EXPERIMENT, status: 'finished' }, ['status']],
      [{ ...DWELL_EXPERIMENT, attributionHours: 0 }, ['attributionHours']],
    ];
    for (const [body, path] of cases) {
      const r = await call('merchAll', 'PUT', `/${ID}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.issues[0].path, JSON.stringify(body)).toEqual(path);
    }
    expect((await call('merchAll', 'PUT', `/${ID}`, { ...DWELL_EXPERIMENT, experimentId: 'other' })).body.error.issues).toEqual([{ path: ['experimentId'], message: expect.any(String) }]);
    expect((await call('merchAll', 'GET', '/bad%20id')).body.error).toMatchObject({ code: 'validation', issues: [{ path: ['experimentId'] }] });
    expect((await call('merchAll', 'GET', '?status=finished')).status).toBe(400);
    expect((await call('merchAll', 'POST', `/${ID}/restore`, { version: 0 })).body.error.issues[0].path).toEqual(['version']);
    expect(answer(await call('merchAll', 'POST', '', '{oops'))).toEqual([400, 'body.invalid_json']);
    expect((await call('merchAll', 'POST', '', JSON.stringify(DWELL_EXPERIMENT), { 'content-type': 'text/plain' })).status).toBe(415);
    expect(experiments.snapshot()).toBe(before);
  });

  it('asks the ruleExists dependency when one is given', async () => {
    const asked: string[] = [];
    const { call } = await setup({ ruleExists: async (id) => { asked.push(id); return id === 'only-this'; } });
    expect((await call('merchAll', 'POST', '', DWELL_EXPERIMENT)).status).toBe(400);
    expect((await call('merchAll', 'POST', '', { ...DWELL_EXPERIMENT, ruleId: 'only-this' })).status).toBe(201);
    expect(asked).toEqual(['coffee-dwell-offer', 'only-this']);
  });

  it('answers 503 store.unavailable for changes while Redis is down, and keeps serving reads', async () => {
    const mem = createMemoryKv(manualClock(0));
    let down = false;
    const kv: Kv = { ...mem, isUp: () => !down, lrange: (...a) => (down ? Promise.reject(new Error('down')) : mem.lrange(...a)) };
    const { call } = await setup({ kv });
    await call('merchAll', 'POST', '', DWELL_EXPERIMENT);
    down = true;
    for (const [method, path, body] of [['POST', '', { ...DWELL_EXPERIMENT, experimentId: 'another' }], ['PUT', `/${ID}`, DWELL_EXPERIMENT], ['POST', `/${ID}/start`],
      ['DELETE', `/${ID}`], ['GET', `/${ID}/versions`], ['POST', `/${ID}/restore`, { version: 1 }]] as const) {
      const r = await call('merchAll', method, path, body);
      expect({ method, path, status: r.status, code: r.body.error?.code }).toEqual({ method, path, status: 503, code: 'store.unavailable' });
    }
    expect((await call('consoleAll', 'GET', `/${ID}`)).body.experiment.version).toBe(1);
    expect((await call('consoleAll', 'GET', '')).body.length).toBe(1);
  });

  it('without an experiment store wired in, lists nothing, finds nothing and answers 503 to changes', async () => {
    const { call } = await setup({ experiments: undefined, report: undefined });
    expect((await call('merchAll', 'GET', '')).body).toEqual([]);
    expect(answer(await call('merchAll', 'GET', `/${ID}`))).toEqual([404, 'experiment.not_found']);
    expect(answer(await call('merchAll', 'POST', '', DWELL_EXPERIMENT))).toEqual([503, 'store.unavailable']);
  });

  it('without a report dependency, reads answer report null', async () => {
    const { call } = await setup({ report: undefined });
    await call('merchAll', 'POST', '', DWELL_EXPERIMENT);
    expect((await call('merchAll', 'GET', `/${ID}`)).body.report).toBeNull();
  });
});

describe('experiments API: who may do what', () => {
  it('console reads; screens, gateways, associates and callers without a token get nothing', async () => {
    const { call } = await setup();
    await call('merchAll', 'POST', '', DWELL_EXPERIMENT);
    expect((await call('console1', 'GET', '')).body.length).toBe(1);
    expect((await call('console1', 'GET', `/${ID}/versions`)).status).toBe(200);
    for (const [method, path, body] of [['POST', '', { ...DWELL_EXPERIMENT, experimentId: 'x2' }], ['PUT', `/${ID}`, DWELL_EXPERIMENT], ['POST', `/${ID}/start`],
      ['DELETE', `/${ID}`], ['POST', `/${ID}/restore`, { version: 1 }]] as const) {
      expect(answer(await call('console1', method, path, body)), `${method} ${path}`).toEqual([403, 'auth.forbidden']);
    }
    for (const who of ['screen1', 'assoc', 'gateway'] as const) {
      expect((await call(who, 'GET', '')).status).toBe(403);
      expect((await call(who, 'GET', `/${ID}`)).status).toBe(403);
      expect((await call(who, 'GET', `/${ID}/versions`)).status).toBe(403);
      expect((await call(who, 'POST', `/${ID}/stop`)).status).toBe(403);
    }
    expect(answer(await call(null, 'GET', ''))).toEqual([401, 'auth.missing']);
    expect((await call(null, 'POST', '', DWELL_EXPERIMENT)).status).toBe(401);
    expect(answer(await call(null, 'GET', `/${ID}`, undefined, { authorization: 'Bearer nope-nope-nope-nope' }))).toEqual([401, 'auth.invalid']);
  });

  it('a store-bound token sees and writes only experiments whose stores is exactly its store', async () => {
    const { call } = await setup();
    await call('merchAll', 'POST', '', DWELL_EXPERIMENT); // s-001
    await call('merchAll', 'POST', '', { ...DWELL_EXPERIMENT, experimentId: 'two', stores: ['s-002'] });
    await call('merchAll', 'POST', '', { ...DWELL_EXPERIMENT, experimentId: 'both', stores: ['s-001', 's-002'] });
    await call('merchAll', 'POST', '', { ...MINIMAL_EXPERIMENT, experimentId: 'everywhere' });

    const ids = async (who: Who) => (await call(who, 'GET', '')).body.map((e: Experiment) => e.experimentId);
    expect(await ids('merch1')).toEqual([ID]);
    expect(await ids('console1')).toEqual([ID]);
    expect(await ids('merch2')).toEqual(['two']);
    expect(await ids('merchAll')).toEqual(['both', ID, 'everywhere', 'two']);
    for (const id of ['two', 'both', 'everywhere']) {
      expect(answer(await call('merch1', 'GET', `/${id}`)), id).toEqual([404, 'experiment.not_found']);
      expect((await call('merch1', 'GET', `/${id}/versions`)).status, id).toBe(404);
      expect((await call('merch1', 'POST', `/${id}/start`)).status, id).toBe(404);
      expect((await call('merch1', 'PUT', `/${id}`, { ...DWELL_EXPERIMENT, experimentId: id })).status, id).toBe(404);
      expect((await call('merch1', 'POST', `/${id}/restore`, { version: 1 })).status, id).toBe(404);
    }

    for (const stores of [['s-002'], ['s-001', 's-002'], undefined]) {
      const r = await call('merch1', 'POST', '', { ...DWELL_EXPERIMENT, experimentId: 'mine', stores });
      expect(r.status, JSON.stringify(stores)).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'auth.forbidden', issues: [{ path: ['stores'] }] });
    }
    expect((await call('merch1', 'POST', '', { ...DWELL_EXPERIMENT, experimentId: 'mine' })).body).toMatchObject({ version: 1, updatedBy: 'merchandiser' });
    // Its own: changeable, but not re-aimed elsewhere.
    expect((await call('merch1', 'PUT', '/mine', { ...DWELL_EXPERIMENT, experimentId: 'mine', stores: ['s-002'] })).status).toBe(403);
    expect((await call('merch1', 'POST', '/mine/start')).status).toBe(200);
    expect((await call('merch1', 'POST', '/mine/stop')).status).toBe(200);
    expect((await call('merch1', 'DELETE', '/mine')).status).toBe(200);
    expect((await call('merch2', 'POST', '/mine/restore', { version: 1 })).status).toBe(404);
    expect((await call('merch1', 'POST', '/mine/restore', { version: 1 })).status).toBe(200);
    // A version aimed elsewhere cannot be restored by a store-bound token.
    await call('merchAll', 'PUT', '/mine', { ...DWELL_EXPERIMENT, experimentId: 'mine', stores: ['s-002'] });
    await call('merchAll', 'PUT', '/mine', { ...DWELL_EXPERIMENT, experimentId: 'mine', stores: ['s-001'] });
    const other = await call('merch1', 'POST', '/mine/restore', { version: 6 });
    expect([other.status, other.body.error.issues[0].path]).toEqual([403, ['stores']]);
    expect((await call('merch1', 'POST', '/mine/restore', { version: 1 })).status).toBe(200);
  });
});

/**
 * docs/security.md §Experiments — this table is that section: every role with a token for the store the
 * experiment runs in ("own": `stores: ["s-001"]`), for another store ("other") and for every store ("*"),
 * on every route; each cell on a fresh draft. `…/pause`, `…/resume` and `…/stop` are guarded like `…/start`.
 */
type Cell = '200' | '201' | '200 listed' | '200 empty' | '401' | '403' | '404';
type Column = 'list' | 'read' | 'versions' | 'create' | 'replace' | 'start' | 'delete' | 'restore';
const COLUMNS: Record<Column, [string, string, unknown?]> = {
  list: ['GET', ''], read: ['GET', `/${ID}`], versions: ['GET', `/${ID}/versions`],
  create: ['POST', '', { ...DWELL_EXPERIMENT, experimentId: 'new-one' }], replace: ['PUT', `/${ID}`, DWELL_EXPERIMENT],
  start: ['POST', `/${ID}/start`], delete: ['DELETE', `/${ID}`], restore: ['POST', `/${ID}/restore`, { version: 1 }],
};
const refused = (c: Cell) => ({ list: c, read: c, versions: c, create: c, replace: c, start: c, delete: c, restore: c });
const MATRIX: ({ role: Role | 'no token' | 'unknown token'; scope: 'own' | 'other' | '*' | '-' } & Record<Column, Cell>)[] = [
  ...(['screen', 'label-gateway', 'associate'] as const).flatMap((role) => (['own', 'other', '*'] as const).map((scope) => ({ role, scope, ...refused('403') }))),
  { role: 'console', scope: 'own', ...refused('403'), list: '200 listed', read: '200', versions: '200' },
  { role: 'console', scope: 'other', ...refused('403'), list: '200 empty', read: '404', versions: '404' },
  { role: 'console', scope: '*', ...refused('403'), list: '200 listed', read: '200', versions: '200' },
  { role: 'merchandiser', scope: 'own', list: '200 listed', read: '200', versions: '200', create: '201', replace: '200', start: '200', delete: '200', restore: '200' },
  { role: 'merchandiser', scope: 'other', list: '200 empty', read: '404', versions: '404', create: '403', replace: '404', start: '404', delete: '404', restore: '404' },
  { role: 'merchandiser', scope: '*', list: '200 listed', read: '200', versions: '200', create: '201', replace: '200', start: '200', delete: '200', restore: '200' },
  { role: 'no token', scope: '-', ...refused('401') },
  { role: 'unknown token', scope: '-', ...refused('401') },
];

describe('experiments API: the role × store table of docs/security.md', () => {
  it.each(MATRIX)('$role, $scope', async (row) => {
    const tokens: TokenEntry[] = ROLES.flatMap((role) => (['own', 'other', '*'] as const).map((scope) => ({
      token: `tok-${role}-${scope}-xxxxxxxxxxxx`, role, storeId: scope === 'own' ? 's-001' : scope === 'other' ? 's-002' : '*' })));
    const header: Record<string, string> = row.role === 'no token' ? {} : { authorization: `Bearer ${row.role === 'unknown token' ? 'not-a-known-token-at-all' : `tok-${row.role}-${row.scope}-xxxxxxxxxxxx`}` };
    const got: Partial<Record<Column, Cell>> = {};
    for (const [column, [method, path, body]] of Object.entries(COLUMNS) as [Column, [string, string, unknown?]][]) {
      const { app, call } = await setup({ verify: (t) => tokens.find((x) => x.token === t) ?? Object.values(T).find((x) => x.token === t) });
      expect((await call('merchAll', 'POST', '', DWELL_EXPERIMENT)).status).toBe(201);
      const res = await app.request(`http://x/api/v1/experiments${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...header, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } });
      const status = String(res.status) as Cell;
      got[column] = column === 'list' && status === '200' ? ((await res.json() as unknown[]).length ? '200 listed' : '200 empty') : status;
    }
    const { role: _r, scope: _s, ...want } = row;
    expect(got).toEqual(want);
  });
});

describe('experiments API: documentation', () => {
  it('its examples are valid messages', () => {
    for (const e of [DWELL_EXPERIMENT, MINIMAL_EXPERIMENT, MODEL_EXPERIMENT]) expect(ExperimentInput.safeParse(e).success).toBe(true);
    expect(Experiment.safeParse(STORED_EXPERIMENT).success).toBe(true);
    expect(ExperimentReport.safeParse(EXPERIMENT_REPORT).success).toBe(true);
    for (const v of EXPERIMENT_HISTORY) expect(ExperimentVersion.safeParse(v).success).toBe(true);
  });

  it('openapi.json documents every experiments route with a summary, its request and its answers', async () => {
    const { app } = await setup();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc: any = await (await app.request('/api/v1/openapi.json')).json();
    const base = '/api/v1/experiments';
    const routes = [['get', base], ['post', base], ['get', `${base}/{experimentId}`], ['put', `${base}/{experimentId}`], ['delete', `${base}/{experimentId}`],
      ...['start', 'pause', 'resume', 'stop'].map((s) => ['post', `${base}/{experimentId}/${s}`]), ['get', `${base}/{experimentId}/versions`], ['post', `${base}/{experimentId}/restore`]];
    for (const [method, path] of routes) {
      const op = doc.paths[path!]?.[method!];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(op.description).toBeTruthy();
      expect(op.tags).toEqual(['experiments']);
      expect(op.security).toEqual([{ bearer: [] }]);
      const ok = op.responses['200'] ?? op.responses['201'];
      expect(ok.content['application/json'].schema).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
      if (path === base && method === 'post' || method === 'put' || path!.endsWith('/restore')) {
        expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
      }
    }
    expect(doc.paths[base].post.requestBody.content['application/json'].examples).toHaveProperty('dwell');
    expect(doc.components.schemas.ExperimentInput.properties.arms.type).toBe('array');
    expect(doc.components.schemas.Experiment.required).toEqual(expect.arrayContaining(['experimentId', 'status', 'version', 'updatedAt', 'updatedBy']));
    expect(doc.components.schemas.ExperimentReport.properties.comparisons.type).toBe('array');
    expect(doc.components.schemas.ExperimentVersion.properties.action.enum).toEqual(['create', 'update', 'start', 'pause', 'resume', 'stop', 'delete', 'restore']);
    expect(doc.components.schemas.RestoreRequest).toBeDefined(); // the rules' own, untouched
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('experiments');
  });
});

describe('experiments API: model versions', () => {
  const versions = [
    { name: 'ranker', version: '20261129-124537', createdAt: '2026-11-29T12:45:37.289Z', use: 'serving' as const },
    { name: 'ranker', version: '20261123-111256', createdAt: '2026-11-23T11:12:56.835Z', use: 'available' as const },
  ];
  const models = async (app: Awaited<ReturnType<typeof setup>>['app'], who: Who) => {
    const res = await app.request('http://x/api/v1/models', { headers: { authorization: `Bearer ${T[who].token}` } });
    return { status: res.status, body: await res.json() };
  };

  it('lists the model versions to the console and merchandisers, nobody else', async () => {
    const { app } = await setup({ modelVersions: async () => versions });
    expect(await models(app, 'merch1')).toEqual({ status: 200, body: versions });
    expect((await models(app, 'console1')).status).toBe(200);
    for (const who of ['screen1', 'assoc', 'gateway'] as const) expect((await models(app, who)).status).toBe(403);
    expect((await app.request('http://x/api/v1/models')).status).toBe(401);
  });

  it('creates a model experiment naming versions that exist; refuses others, naming the arm\'s field', async () => {
    const { call } = await setup({ modelVersions: async () => versions });
    const created = await call('merchAll', 'POST', '', MODEL_EXPERIMENT);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'model', arms: [{ model: '20261129-124537' }, { model: '20261123-111256' }] });
    expect(created.body.ruleId).toBeUndefined();
    const unknown = await call('merchAll', 'POST', '', { ...MODEL_EXPERIMENT, experimentId: 'm2',
      arms: [{ ...MODEL_EXPERIMENT.arms[0], model: '20990101-000000' }, MODEL_EXPERIMENT.arms[1]] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toEqual(['arms', 0, 'model']);
    const noModel = await call('merchAll', 'POST', '', { ...MODEL_EXPERIMENT, experimentId: 'm3',
      arms: [{ armId: 'treatment', name: 'A', share: 0.5, rule: 'on' }, MODEL_EXPERIMENT.arms[1]] });
    expect(noModel.status).toBe(400);
    expect(noModel.body.error.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toEqual(expect.arrayContaining(['arms.0.model', 'arms.0.rule']));
    const withRule = await call('merchAll', 'POST', '', { ...MODEL_EXPERIMENT, experimentId: 'm4', ruleId: 'birthday-week' });
    expect(withRule.status).toBe(400);
    expect(withRule.body.error.issues[0].path).toEqual(['ruleId']);
    const ruleKindNoRule = await call('merchAll', 'POST', '', { name: 'no rule', arms: DWELL_EXPERIMENT.arms });
    expect(ruleKindNoRule.status).toBe(400);
    expect(ruleKindNoRule.body.error.issues[0].path).toEqual(['ruleId']);
    // Without a model folder no version exists.
    const bare = await setup();
    expect((await bare.call('merchAll', 'POST', '', MODEL_EXPERIMENT)).status).toBe(400);
    expect((await models(bare.app, 'merch1')).body).toEqual([]);
  });
});
