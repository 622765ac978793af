import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROLES, type PreviewResult, type Role, type RuleInput, type TokenEntry } from '#contracts';
import { createApi } from '../../engine/api/index.js';
import { createHttpServer } from '../../engine/api/server.js';
import { createKeys } from '../../engine/platform/keys.js';
import type { Kv } from '../../engine/platform/kv.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createMetrics } from '../../engine/platform/metrics.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { createRuleStore, type RuleStore } from '../../engine/rules/rule-store.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';
import { dropPrefix } from '../helpers/engine.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';

/**
 * docs/security.md §Who may call what, rules — this table is that section: every role with a token
 * for the store the rule is aimed at ("own"), for another store ("other") and for every store ("*"),
 * on every /api/v1/rules route. "200 listed" / "200 empty": whether the rule is in the list. A token
 * for another store does not see a rule aimed elsewhere (404, as if it did not exist).
 */
type Outcome = '200' | '201' | '200 listed' | '200 empty' | '401' | '403' | '404';
type Row = { role: Role | 'no token' | 'unknown token'; scope: 'own' | 'other' | '*' | '-'; list: Outcome; read: Outcome; versions: Outcome;
  preview: Outcome; create: Outcome; replace: Outcome; enable: Outcome; delete: Outcome; restore: Outcome };
const denied = { list: '403', read: '403', versions: '403', preview: '403', create: '403', replace: '403', enable: '403', delete: '403', restore: '403' } as const;
const MATRIX: Row[] = [
  ...(['screen', 'label-gateway', 'associate'] as const).flatMap((role) => (['own', 'other', '*'] as const).map((scope) => ({ role, scope, ...denied }))),
  { role: 'console', scope: 'own', list: '200 listed', read: '200', versions: '200', preview: '200', create: '403', replace: '403', enable: '403', delete: '403', restore: '403' },
  { role: 'console', scope: 'other', list: '200 empty', read: '404', versions: '404', preview: '403', create: '403', replace: '403', enable: '403', delete: '403', restore: '403' },
  { role: 'console', scope: '*', list: '200 listed', read: '200', versions: '200', preview: '200', create: '403', replace: '403', enable: '403', delete: '403', restore: '403' },
  { role: 'merchandiser', scope: 'own', list: '200 listed', read: '200', versions: '200', preview: '200', create: '201', replace: '200', enable: '200', delete: '200', restore: '200' },
  { role: 'merchandiser', scope: 'other', list: '200 empty', read: '404', versions: '404', preview: '403', create: '403', replace: '404', enable: '404', delete: '404', restore: '404' },
  { role: 'merchandiser', scope: '*', list: '200 listed', read: '200', versions: '200', preview: '200', create: '201', replace: '200', enable: '200', delete: '200', restore: '200' },
  { role: 'no token', scope: '-', list: '401', read: '401', versions: '401', preview: '401', create: '401', replace: '401', enable: '401', delete: '401', restore: '401' },
  { role: 'unknown token', scope: '-', list: '401', read: '401', versions: '401', preview: '401', create: '401', replace: '401', enable: '401', delete: '401', restore: '401' },
];

describe('rules API on Redis', () => {
  const redisUrl = inject('redisUrl');
  const prefix = `${uniqueId('test')}:`;
  const storeId = uniqueId('t');
  const otherStore = uniqueId('other');
  const tokenOf = (role: Role, scope: Row['scope']) => `tok-${role}-${scope === '*' ? 'all' : scope}-${storeId}`;
  const tokens: TokenEntry[] = ROLES.flatMap((role) => (['own', 'other', '*'] as const).map((scope) => ({
    token: tokenOf(role, scope), role, storeId: scope === 'own' ? storeId : scope === 'other' ? otherStore : '*' })));
  const instances: { base: string; rules: RuleStore; kv: Kv; server: Server }[] = [];

  async function instance() {
    const kv = await createRedisKv({ url: redisUrl, log: silentLogger(), commandTimeoutMs: 5000 });
    const rules = createRuleStore({ kv, keys: createKeys(prefix), origin: uniqueId('inst') });
    await rules.start();
    const api = createApi({ stores: createStoreRegistry([testStore(storeId), testStore(otherStore)]), metrics: createMetrics(), log: silentLogger(),
      startedAt: 0, live: () => ({}), screenToken: () => undefined, ready: () => ({}), verify: (t) => tokens.find((x) => x.token === t), rules,
      preview: async (req) => ({ storeId: req.storeId, zoneId: req.zoneId ?? 'z-kitchen', at: 0, locale: 'en', screens: [] }) satisfies PreviewResult });
    const server = createHttpServer({ fetch: api.fetch });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const i = { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, rules, kv, server };
    instances.push(i);
    return i;
  }
  const rule = (ruleId: string, over: Partial<RuleInput> = {}): RuleInput => ({ ruleId, name: 'No alcohol in the kids zone',
    target: { stores: [storeId], zones: ['z-kitchen'] }, actions: { exclude: { categories: ['wine'] } }, ...over });
  const send = (base: string, token: string | undefined, method: string, path: string, body?: unknown) => fetch(`${base}/api/v1/rules${path}`,
    { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined });

  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => { a = await instance(); b = await instance(); });
  afterAll(async () => {
    for (const i of instances) {
      i.server.closeAllConnections();
      await new Promise<void>((r) => i.server.close(() => r()));
      await i.rules.close(); await i.kv.close();
    }
    await dropPrefix(redisUrl, prefix);
  });

  it('a rule created through instance A is served by instance B within one second', async () => {
    const merch = tokenOf('merchandiser', '*');
    const t0 = Date.now();
    expect((await send(a.base, merch, 'POST', '', rule('kids-1'))).status).toBe(201);
    let seen = 0;
    while (Date.now() - t0 < 1000) {
      const res = await send(b.base, merch, 'GET', '/kids-1');
      if (res.status === 200) { seen = Date.now() - t0; break; }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(1000);
    // An invalid replacement through B changes nothing anywhere.
    const bad = await send(b.base, merch, 'PUT', '/kids-1', rule('kids-1', { priority: 5000 }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: unknown[] }[] } }).error.issues[0]!.path).toEqual(['priority']);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.rules.get('kids-1')!.version).toBe(1);
    expect(b.rules.get('kids-1')!.priority).toBe(100);
  });

  it('has a row for every role and scope', () => {
    for (const role of ROLES) for (const scope of ['own', 'other', '*'] as const) expect(MATRIX.some((r) => r.role === role && r.scope === scope)).toBe(true);
  });

  it.each(MATRIX)('$role ($scope store)', async (row) => {
    const ruleId = uniqueId('rule');
    expect((await send(a.base, tokenOf('merchandiser', '*'), 'POST', '', rule(ruleId))).status).toBe(201);
    const token = row.role === 'no token' ? undefined : row.role === 'unknown token' ? 'tok-nobody-at-all-xx' : tokenOf(row.role, row.scope);
    const call = (method: string, path: string, body?: unknown) => send(a.base, token, method, path, body);
    const results: Record<Exclude<keyof Row, 'role' | 'scope'>, Response> = {
      list: await call('GET', ''),
      read: await call('GET', `/${ruleId}`),
      versions: await call('GET', `/${ruleId}/versions`),
      preview: await call('POST', '/preview', { storeId, zoneId: 'z-kitchen' }),
      create: await call('POST', '', rule(`${ruleId}-new`)),
      replace: await call('PUT', `/${ruleId}`, rule(ruleId, { name: 'Replaced' })),
      enable: await call('POST', `/${ruleId}/disable`),
      delete: await call('DELETE', `/${ruleId}`),
      restore: await call('POST', `/${ruleId}/restore`, { version: 1 }),
    };
    for (const [route, res] of Object.entries(results) as [keyof typeof results, Response][]) {
      const want = row[route];
      const body = await res.json() as { error?: { code: string } } & unknown[];
      expect({ route, status: res.status }).toEqual({ route, status: Number(want.slice(0, 3)) });
      if (want === '401') expect(body.error?.code).toMatch(/^auth\.(missing|invalid)$/);
      if (want === '403') expect(body.error?.code).toBe('auth.forbidden');
      if (want === '404') expect(body.error?.code).toBe('rule.not_found');
      if (want === '200 listed') expect((body as { ruleId: string }[]).map((r) => r.ruleId)).toContain(ruleId);
      if (want === '200 empty') expect(body).toEqual([]);
    }
  });
});
