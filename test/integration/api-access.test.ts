import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROLES, type Role, type TokenEntry } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { uniqueId } from '../helpers/fixtures.js';

/**
 * docs/security.md §Who may call what — this table is that section: every role, with a token for the
 * store it calls ("own"), for another store ("other") and for every store ("*"), on every
 * /api/v1/stores route. `200 player` is the screen's (associate's, label gateway's) reduced view of a store (name, time zone, item
 * categories); `200 full` the whole configuration; `200 listed` / `200 empty` whether the store is in
 * the list. A token for another store never learns more than a 403 (or a list without the store).
 */
type Outcome = '200 listed' | '200 empty' | '200 full' | '200 player' | '200' | '401' | '403';
type Row = { role: Role | 'no token' | 'unknown token'; scope: 'own' | 'other' | '*' | '-';
  list: Outcome; read: Outcome; replace: Outcome; screens: Outcome; live: Outcome };

const MATRIX: Row[] = [
  // role             scope     GET /stores     GET /{id}       PUT /{id}        GET /{id}/screens  GET /{id}/live
  { role: 'screen', scope: 'own', list: '200 listed', read: '200 player', replace: '403', screens: '403', live: '403' },
  { role: 'screen', scope: 'other', list: '200 empty', read: '403', replace: '403', screens: '403', live: '403' },
  { role: 'screen', scope: '*', list: '200 listed', read: '200 player', replace: '403', screens: '403', live: '403' },
  { role: 'label-gateway', scope: 'own', list: '200 listed', read: '200 player', replace: '403', screens: '403', live: '403' },
  { role: 'label-gateway', scope: 'other', list: '200 empty', read: '403', replace: '403', screens: '403', live: '403' },
  { role: 'label-gateway', scope: '*', list: '200 listed', read: '200 player', replace: '403', screens: '403', live: '403' },
  { role: 'associate', scope: 'own', list: '200 listed', read: '200 player', replace: '403', screens: '403', live: '403' },
  { role: 'associate', scope: 'other', list: '200 empty', read: '403', replace: '403', screens: '403', live: '403' },
  { role: 'associate', scope: '*', list: '200 listed', read: '200 player', replace: '403', screens: '403', live: '403' },
  { role: 'console', scope: 'own', list: '200 listed', read: '200 full', replace: '403', screens: '200', live: '200' },
  { role: 'console', scope: 'other', list: '200 empty', read: '403', replace: '403', screens: '403', live: '403' },
  { role: 'console', scope: '*', list: '200 listed', read: '200 full', replace: '403', screens: '200', live: '200' },
  { role: 'merchandiser', scope: 'own', list: '200 listed', read: '200 full', replace: '200', screens: '200', live: '200' },
  { role: 'merchandiser', scope: 'other', list: '200 empty', read: '403', replace: '403', screens: '403', live: '403' },
  { role: 'merchandiser', scope: '*', list: '200 listed', read: '200 full', replace: '200', screens: '200', live: '200' },
  { role: 'no token', scope: '-', list: '401', read: '401', replace: '401', screens: '401', live: '401' },
  { role: 'unknown token', scope: '-', list: '401', read: '401', replace: '401', screens: '401', live: '401' },
];

describe('who may call what (role × route)', () => {
  let t: TestEngine;
  let base: string;
  const storeId = uniqueId('t');
  const otherStore = uniqueId('other');
  const tokenOf = (role: Role, scope: Row['scope']) => `tok-${role}-${scope === '*' ? 'all' : scope}-${storeId}`;
  const tokens: TokenEntry[] = ROLES.flatMap((role) => (['own', 'other', '*'] as const).map((scope) => ({
    token: tokenOf(role, scope), role, storeId: scope === 'own' ? storeId : scope === 'other' ? otherStore : '*',
    ...(role === 'screen' ? { subject: 'scr-kitchen-1' } : {}) })));

  beforeAll(async () => {
    t = await startTestEngine({ storeId, mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), deps: { tokens } });
    base = `http://127.0.0.1:${t.port}`;
  });
  afterAll(async () => { await t?.close(); });

  it('has a row for every role and scope', () => {
    for (const role of ROLES) for (const scope of ['own', 'other', '*'] as const) expect(MATRIX.some((r) => r.role === role && r.scope === scope)).toBe(true);
  });

  it.each(MATRIX)('$role ($scope store)', async (row) => {
    const token = row.role === 'no token' ? undefined : row.role === 'unknown token' ? 'tok-nobody-at-all-xx' : tokenOf(row.role, row.scope);
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const call = (path: string, init: RequestInit = {}) => fetch(`${base}/api/v1/stores${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
    const results = {
      list: await call(''),
      read: await call(`/${storeId}`),
      replace: await call(`/${storeId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(t.store) }),
      screens: await call(`/${storeId}/screens`),
      live: await call(`/${storeId}/live`),
    };
    for (const [route, res] of Object.entries(results) as [keyof typeof results, Response][]) {
      const want = row[route];
      const body = await res.json() as Record<string, unknown> & { error?: { code: string } };
      expect({ route, status: res.status }).toEqual({ route, status: Number(want.slice(0, 3)) });
      if (want === '401') expect(body.error?.code).toMatch(/^auth\.(missing|invalid)$/);
      if (want === '403') expect(body.error?.code).toBe('auth.forbidden');
      if (want === '200 listed') expect((body as unknown as { storeId: string }[]).map((s) => s.storeId)).toContain(storeId);
      if (want === '200 empty') expect(body).toEqual([]);
      if (want === '200 full') expect(Object.keys(body)).toEqual(expect.arrayContaining(['zones', 'screens', 'labels', 'catalog']));
      if (want === '200 player') {
        expect(Object.keys(body).sort()).toEqual(['catalog', 'currency', 'labels', 'name', 'storeId', 'timezone', 'zones']);
        expect((body.zones as object[])[0]).toEqual({ zoneId: expect.any(String), name: expect.any(String) });
        expect(JSON.stringify(body)).not.toMatch(/"price"|"screens"/);
        expect((body.catalog as object[])[0]).toEqual({ sku: expect.any(String), category: expect.any(String) });
      }
    }
  });
});
