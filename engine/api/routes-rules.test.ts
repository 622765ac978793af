import { describe, expect, it } from 'vitest';
import { PreviewRequest, PreviewResult, Rule, RuleInput, RuleVersion, StoreConfig, type TokenEntry } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { silentLogger } from '../platform/log.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createMetrics } from '../platform/metrics.js';
import { createRuleStore } from '../rules/rule-store.js';
import { createStoreRegistry } from '../stores/registry.js';
import { createApi, type ApiDeps } from './index.js';
import { BIRTHDAY_RULE, DWELL_RULE, KIDS_ZONE_RULE, PREVIEW_REQUEST, PREVIEW_RESULT, RULE_HISTORY, STORED_RULE } from './rule-examples.js';

const store = (storeId: string) => StoreConfig.parse({ storeId, name: `Store ${storeId}`, zones: [{ zoneId: 'z-kids', name: 'Kids', categories: ['toys'] }],
  catalog: [{ sku: 'S-1', name: 'Item', category: 'toys', price: 3 }] });
const T = {
  merchAll: { token: 'merch-all-xxxxxxxxxx', role: 'merchandiser', storeId: '*', subject: 'merch-anna' },
  merch1: { token: 'merch-s001-xxxxxxxxx', role: 'merchandiser', storeId: 's-001' },
  merch2: { token: 'merch-s002-xxxxxxxxx', role: 'merchandiser', storeId: 's-002' },
  console1: { token: 'console-s001-xxxxxxx', role: 'console', storeId: 's-001' },
  screen1: { token: 'screen-s001-xxxxxxxx', role: 'screen', storeId: 's-001', subject: 'scr-1' },
  assoc: { token: 'assoc-all-xxxxxxxxxx', role: 'associate', storeId: '*' },
} satisfies Record<string, TokenEntry>;
type Who = keyof typeof T;

function setup(over: Partial<ApiDeps> & { kv?: Kv } = {}) {
  const clock = manualClock(1_767_600_000_000);
  const kv = over.kv ?? createMemoryKv(clock);
  const rules = createRuleStore({ kv, keys: createKeys('t:'), clock, newRuleId: () => 'r-generated' });
  const previews: PreviewRequest[] = [];
  const app = createApi({ stores: createStoreRegistry([store('s-001'), store('s-002')]), metrics: createMetrics(), log: silentLogger(), startedAt: 0,
    live: () => ({}), screenToken: () => undefined, ready: () => ({}), verify: (t) => Object.values(T).find((x) => x.token === t),
    rules, preview: async (req) => { previews.push(req); return { ...PREVIEW_RESULT, storeId: req.storeId }; }, ...over });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (who: Who | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; res: Response }> => {
    const res = await app.request(`http://x/api/v1/rules${path}`, { method, headers: { ...(who ? { authorization: `Bearer ${T[who].token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: await res.json(), res };
  };
  return { app, rules, clock, previews, call };
}

describe('rules API: the whole life of a rule', () => {
  it('create (201 + Location), read, list, replace, disable, enable, versions, delete, restore', async () => {
    const { call } = setup();
    const created = await call('merchAll', 'POST', '', KIDS_ZONE_RULE);
    expect(created.status).toBe(201);
    expect(created.res.headers.get('location')).toBe('/api/v1/rules/no-alcohol-kids-zone');
    expect(created.body).toMatchObject({ ruleId: 'no-alcohol-kids-zone', version: 1, enabled: true, updatedBy: 'merch-anna' });
    expect((await call('merchAll', 'POST', '', KIDS_ZONE_RULE)).body.error.code).toBe('rule.exists');
    const generated = await call('merchAll', 'POST', '', { ...BIRTHDAY_RULE, ruleId: undefined });
    expect(generated.res.headers.get('location')).toBe('/api/v1/rules/r-generated');

    expect((await call('console1', 'GET', '/no-alcohol-kids-zone')).body).toEqual(created.body);
    expect((await call('merchAll', 'GET', '')).body.map((r: Rule) => r.ruleId)).toEqual(['no-alcohol-kids-zone', 'r-generated']);

    const put = await call('merchAll', 'PUT', '/no-alcohol-kids-zone', { ...KIDS_ZONE_RULE, name: 'No alcohol near toys' });
    expect(put.body).toMatchObject({ version: 2, name: 'No alcohol near toys' });
    expect((await call('merchAll', 'POST', '/no-alcohol-kids-zone/disable')).body).toMatchObject({ version: 3, enabled: false });
    expect((await call('merchAll', 'POST', '/no-alcohol-kids-zone/enable')).body).toMatchObject({ version: 4, enabled: true });
    const del = await call('merchAll', 'DELETE', '/no-alcohol-kids-zone');
    expect(del.body).toMatchObject({ version: 5, action: 'delete', by: 'merch-anna' });
    expect((await call('merchAll', 'GET', '/no-alcohol-kids-zone')).status).toBe(404);

    const versions = await call('console1', 'GET', '/no-alcohol-kids-zone/versions');
    expect(versions.body.map((v: RuleVersion) => v.action)).toEqual(['delete', 'enable', 'disable', 'update', 'create']);
    const restored = await call('merchAll', 'POST', '/no-alcohol-kids-zone/restore', { version: 1 });
    expect(restored.body).toMatchObject({ version: 6, name: 'No alcohol in the kids zone' });
    expect((await call('merchAll', 'POST', '/no-alcohol-kids-zone/restore', { version: 5 })).body.error.code).toBe('rule.nothing_to_restore');
    expect((await call('merchAll', 'POST', '/no-alcohol-kids-zone/restore', { version: 99 })).body.error.code).toBe('rule.version_not_found');
    expect((await call('merchAll', 'POST', '/nope/restore', { version: 1 })).status).toBe(404);
  });

  it('refuses bad input with 400 naming the field; an invalid replacement leaves the old rule serving', async () => {
    const { call, rules } = setup();
    await call('merchAll', 'POST', '', KIDS_ZONE_RULE);
    const before = rules.snapshot();
    const bad = await call('merchAll', 'PUT', '/no-alcohol-kids-zone', { ...KIDS_ZONE_RULE, actions: { boost: [{ categories: ['wine'], factor: 50 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation', issues: [{ path: ['actions', 'boost', 0, 'factor'], message: expect.any(String) }] });
    expect(bad.body.error.message).toContain('body.actions.boost.0.factor');
    expect(rules.snapshot()).toBe(before);
    expect(rules.get('no-alcohol-kids-zone')!.version).toBe(1);

    const cases: [unknown, (string | number)[]][] = [
      [{ name: 'x' }, ['actions']],
      [{ ...KIDS_ZONE_RULE, surprise: 1 }, []],
      [{ ...KIDS_ZONE_RULE, target: { hours: { from: '25:00', to: '10:00' } } }, ['target', 'hours', 'from']],
      [{ ...KIDS_ZONE_RULE, trigger: { type: 'teleport' } }, ['trigger', 'type']],
    ];
    for (const [body, path] of cases) {
      const r = await call('merchAll', 'PUT', '/no-alcohol-kids-zone', body);
      expect(r.status).toBe(400);
      expect(r.body.error.issues[0].path).toEqual(path);
    }
    const idMismatch = await call('merchAll', 'PUT', '/no-alcohol-kids-zone', { ...KIDS_ZONE_RULE, ruleId: 'other' });
    expect(idMismatch.body.error.issues).toEqual([{ path: ['ruleId'], message: expect.any(String) }]);
    expect((await call('merchAll', 'GET', '/bad%20id')).body.error).toMatchObject({ code: 'validation', issues: [{ path: ['ruleId'] }] });
    expect((await call('merchAll', 'POST', '/no-alcohol-kids-zone/restore', { version: 0 })).body.error.issues[0].path).toEqual(['version']);
    expect((await call('merchAll', 'POST', '', '{oops')).body.error.code).toBe('body.invalid_json');
    expect((await call('merchAll', 'POST', '', JSON.stringify(KIDS_ZONE_RULE), { 'content-type': 'text/plain' })).status).toBe(415);
    const big = JSON.stringify({ ...KIDS_ZONE_RULE, description: 'x'.repeat(2 * 1024 * 1024) });
    const tooBig = await call('merchAll', 'POST', '', big, { 'content-length': String(big.length) });
    expect([tooBig.status, tooBig.body.error.code]).toEqual([413, 'body.too_large']);
    expect(rules.get('no-alcohol-kids-zone')!.version).toBe(1);
  });

  it('answers 503 store.unavailable for changes while Redis is down, and keeps serving reads', async () => {
    const mem = createMemoryKv(manualClock(0));
    let down = false;
    const kv: Kv = { ...mem, isUp: () => !down, lrange: (...a) => (down ? Promise.reject(new Error('down')) : mem.lrange(...a)) };
    const { call } = setup({ kv });
    await call('merchAll', 'POST', '', KIDS_ZONE_RULE);
    down = true;
    for (const [method, path, body] of [['POST', '', DWELL_RULE], ['PUT', '/no-alcohol-kids-zone', KIDS_ZONE_RULE], ['POST', '/no-alcohol-kids-zone/disable'],
      ['DELETE', '/no-alcohol-kids-zone'], ['GET', '/no-alcohol-kids-zone/versions'], ['POST', '/no-alcohol-kids-zone/restore', { version: 1 }]] as const) {
      const r = await call('merchAll', method, path, body);
      expect({ path, method, status: r.status, code: r.body.error?.code }).toEqual({ path, method, status: 503, code: 'store.unavailable' });
    }
    expect((await call('console1', 'GET', '/no-alcohol-kids-zone')).body.version).toBe(1);
    expect((await call('console1', 'GET', '')).body.length).toBe(1);
  });
});

describe('rules API: who may do what', () => {
  it('console reads and previews; screens, associates and callers without a token get nothing', async () => {
    const { call } = setup();
    await call('merchAll', 'POST', '', KIDS_ZONE_RULE);
    expect((await call('console1', 'GET', '')).status).toBe(200);
    expect((await call('console1', 'POST', '', { ...DWELL_RULE }) ).status).toBe(403);
    expect((await call('console1', 'POST', '/no-alcohol-kids-zone/disable')).body.error.code).toBe('auth.forbidden');
    for (const who of ['screen1', 'assoc'] as const) {
      expect((await call(who, 'GET', '')).status).toBe(403);
      expect((await call(who, 'GET', '/no-alcohol-kids-zone')).status).toBe(403);
      expect((await call(who, 'POST', '/preview', PREVIEW_REQUEST)).status).toBe(403);
    }
    expect((await call(null, 'GET', '')).body.error.code).toBe('auth.missing');
    expect((await call(null, 'POST', '', KIDS_ZONE_RULE)).status).toBe(401);
  });

  it('a store-bound merchandiser sees rules that can apply to its store and writes only rules aimed at exactly it', async () => {
    const { call } = setup();
    await call('merchAll', 'POST', '', BIRTHDAY_RULE); // every store
    await call('merchAll', 'POST', '', KIDS_ZONE_RULE); // s-001
    await call('merchAll', 'POST', '', { ...DWELL_RULE, target: { stores: ['s-002'] } });
    await call('merchAll', 'POST', '', { ...DWELL_RULE, ruleId: 'both', target: { stores: ['s-001', 's-002'] } });

    const ids = async (who: Who, q = '') => (await call(who, 'GET', q)).body.map((r: Rule) => r.ruleId).sort();
    expect(await ids('merch1')).toEqual(['birthday-week', 'both', 'no-alcohol-kids-zone']);
    expect(await ids('merch2')).toEqual(['birthday-week', 'both', 'coffee-dwell-offer']);
    expect(await ids('merchAll', '?storeId=s-002')).toEqual(['birthday-week', 'both', 'coffee-dwell-offer']);
    expect((await call('merch1', 'GET', '?storeId=s-002')).status).toBe(403);
    expect((await call('merch1', 'GET', '?storeId=bad id')).status).toBe(400);
    expect((await call('merch1', 'GET', '/coffee-dwell-offer')).status).toBe(404); // another store's: as if absent
    expect((await call('merch1', 'GET', '/coffee-dwell-offer/versions')).status).toBe(404);

    const refused = await call('merch1', 'POST', '', { ...DWELL_RULE, ruleId: 'mine', target: { stores: ['s-002'] } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'auth.forbidden', message: expect.stringContaining('target.stores'), issues: [{ path: ['target', 'stores'] }] });
    expect((await call('merch1', 'POST', '', { ...DWELL_RULE, ruleId: 'mine', target: {} })).status).toBe(403);
    expect((await call('merch1', 'POST', '', { ...DWELL_RULE, ruleId: 'mine', target: { stores: ['s-001', 's-002'] } })).status).toBe(403);
    expect((await call('merch1', 'POST', '', { ...DWELL_RULE, ruleId: 'mine', target: { stores: ['s-001'] } })).body).toMatchObject({ version: 1, updatedBy: 'merchandiser' });

    // Rules reaching beyond its store: readable, not changeable.
    expect((await call('merch1', 'PUT', '/birthday-week', { ...BIRTHDAY_RULE, target: { stores: ['s-001'] } })).status).toBe(403);
    expect((await call('merch1', 'POST', '/both/disable')).status).toBe(403);
    expect((await call('merch1', 'DELETE', '/birthday-week')).status).toBe(403);
    // Its own: changeable, but not re-aimed elsewhere.
    expect((await call('merch1', 'PUT', '/no-alcohol-kids-zone', { ...KIDS_ZONE_RULE, target: { stores: ['s-002'] } })).status).toBe(403);
    expect((await call('merch1', 'POST', '/no-alcohol-kids-zone/disable')).status).toBe(200);
    expect((await call('merch1', 'DELETE', '/no-alcohol-kids-zone')).status).toBe(200);
    expect((await call('merch2', 'POST', '/no-alcohol-kids-zone/restore', { version: 1 })).status).toBe(404); // deleted, and never s-002's
    expect((await call('merch1', 'POST', '/no-alcohol-kids-zone/restore', { version: 1 })).status).toBe(200);
    // A version aimed elsewhere cannot be restored by a store-bound token.
    await call('merchAll', 'PUT', '/mine', { ...DWELL_RULE, ruleId: 'mine', target: { stores: ['s-002'] } });
    await call('merchAll', 'PUT', '/mine', { ...DWELL_RULE, ruleId: 'mine', target: { stores: ['s-001'] } });
    expect((await call('merch1', 'POST', '/mine/restore', { version: 2 })).status).toBe(403);
    expect((await call('merch1', 'POST', '/mine/restore', { version: 1 })).status).toBe(200);
  });
});

describe('rules API: preview', () => {
  it('validates, authorises and calls the preview with the parsed request', async () => {
    const { call, previews } = setup();
    const ok = await call('console1', 'POST', '/preview', PREVIEW_REQUEST);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(PREVIEW_RESULT);
    expect(previews[0]).toEqual(PreviewRequest.parse(PREVIEW_REQUEST));
    expect(previews[0]!.draft![0]!.enabled).toBe(true); // defaults applied
    const noScreen = await call('merchAll', 'POST', '/preview', { storeId: 's-001' });
    expect(noScreen.body.error.issues[0].path).toEqual(['screenId']);
    expect((await call('merchAll', 'POST', '/preview', { ...PREVIEW_REQUEST, draft: [{ name: 'x' }] })).body.error.issues[0].path).toEqual(['draft', 0, 'actions']);
    const other = await call('merch1', 'POST', '/preview', { ...PREVIEW_REQUEST, storeId: 's-002' });
    expect([other.status, other.body.error.issues[0].path]).toEqual([403, ['storeId']]);
    expect((await call('merchAll', 'POST', '/preview', { ...PREVIEW_REQUEST, storeId: 's-404' })).body.error.code).toBe('store.not_found');
    expect(previews.length).toBe(1);
  });

  it('without a rule store or preview wired in, lists nothing and answers 503 to the rest', async () => {
    const { call } = setup({ rules: undefined, preview: undefined });
    expect((await call('merchAll', 'GET', '')).body).toEqual([]);
    expect((await call('merchAll', 'POST', '', KIDS_ZONE_RULE)).status).toBe(503);
    expect((await call('merchAll', 'POST', '/preview', PREVIEW_REQUEST)).status).toBe(503);
  });
});

describe('rules API: documentation', () => {
  it('its examples are valid messages', () => {
    for (const r of [BIRTHDAY_RULE, KIDS_ZONE_RULE, DWELL_RULE]) expect(RuleInput.safeParse(r).success).toBe(true);
    expect(Rule.safeParse(STORED_RULE).success).toBe(true);
    for (const v of RULE_HISTORY) expect(RuleVersion.safeParse(v).success).toBe(true);
    expect(PreviewRequest.safeParse(PREVIEW_REQUEST).success).toBe(true);
    expect(PreviewResult.safeParse(PREVIEW_RESULT).success).toBe(true);
  });

  it('openapi.json documents every rules route with a summary, its request and its answers', async () => {
    const { app } = setup();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc: any = await (await app.request('/api/v1/openapi.json')).json();
    const routes = [['get', '/api/v1/rules'], ['post', '/api/v1/rules'], ['post', '/api/v1/rules/preview'], ['get', '/api/v1/rules/{ruleId}'],
      ['put', '/api/v1/rules/{ruleId}'], ['delete', '/api/v1/rules/{ruleId}'], ['post', '/api/v1/rules/{ruleId}/enable'],
      ['post', '/api/v1/rules/{ruleId}/disable'], ['get', '/api/v1/rules/{ruleId}/versions'], ['post', '/api/v1/rules/{ruleId}/restore']];
    for (const [method, path] of routes) {
      const op = doc.paths[path!]?.[method!];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(op.description).toBeTruthy();
      expect(op.security).toEqual([{ bearer: [] }]);
      const ok = op.responses['200'] ?? op.responses['201'];
      expect(ok.content['application/json'].schema).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
      if (method === 'post' || method === 'put') {
        if (!path!.endsWith('/enable') && !path!.endsWith('/disable')) expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
      }
    }
    expect(doc.paths['/api/v1/rules'].post.requestBody.content['application/json'].examples).toHaveProperty('kidsZone');
    expect(doc.components.schemas.RuleInput.properties.actions.type).toBe('object');
    expect(doc.components.schemas.Rule.required).toEqual(expect.arrayContaining(['ruleId', 'version', 'updatedAt', 'updatedBy']));
    expect(doc.components.schemas.PreviewRequest.properties.draft.type).toBe('array');
    expect(doc.paths['/healthz'].get.summary).toBe('Liveness');
    expect(doc.paths['/api/v1/stores/{storeId}'].put.summary).toBeTruthy();
  });
});
