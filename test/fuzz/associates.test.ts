import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditEntry, LabelUpdate, Profile, StoreConfig, type AlertClaimed } from '#contracts';
import { testProfiles, testStore, uniqueId } from '../helpers/fixtures.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { fuzzParams, fuzzTimeout } from './runs.js';
import { idArb } from './support/arbitraries.js';
import { installProcessGuard } from './support/guard.js';
import { assertHealthy } from './support/liveness.js';
import { openWs } from './support/ws-client.js';

// Associates and label gateways (300 runs each by default, heavy: many round trips per run).
// 1. Claim and release frames for real and made-up alerts, from two associates at once, with a label
//    gateway sending the same frames: Redis holds at most one holder per alert, the last `alert.claimed`
//    each associate saw names it, the gateway is refused and keeps its labels, nothing crashes.
// 2. The audit route with generated query strings and every role: 200 with audit entries to a
//    merchandiser, 400 naming the parameter, 403 to everyone else, never a 5xx.

const guard = installProcessGuard();
let t: TestEngine;
let redis: Redis;
const alertIds: string[] = [];
const all = { personalization: true, displayName: true, associateAlerts: true };

beforeAll(async () => {
  const storeId = uniqueId('fz-as');
  const vips = ['c-v1', 'c-v2', 'c-v3'].map((customerId) => Profile.parse({ customerId, displayName: 'V', tier: 'platinum', points: 9000, lifecycle: 'active',
    affinities: { candles: 0.9 }, consent: all, updatedAt: 1 }));
  t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, profiles: [...testProfiles(), ...vips],
    store: StoreConfig.parse({ ...testStore(storeId), labelPolicy: { minIntervalMs: 0 } }) });
  redis = new Redis(inject('redisUrl'));
  const watcher = await openWs(t.port);
  await watcher.send(JSON.stringify({ type: 'hello', role: 'associate', token: `tok-assoc-${storeId}-xx`, storeId, associateId: 'assoc-1' }));
  for (const v of vips) await t.publish('presence', { deviceId: `d-${v.customerId}`, customerId: v.customerId, zoneId: 'z-candles', source: 'wifi' });
  await watcher.until((e) => e.kind === 'frame' && e.frame.type === 'alert.vip' && new Set(watcher.events.flatMap((x) => x.kind === 'frame' && x.frame.type === 'alert.vip' ? [x.frame.alertId] : [])).size === 3, 5000);
  for (const e of watcher.events) if (e.kind === 'frame' && e.frame.type === 'alert.vip' && !alertIds.includes(e.frame.alertId)) alertIds.push(e.frame.alertId);
  await watcher.close();
  expect(alertIds).toHaveLength(3);
});
afterAll(async () => { await t?.close(); redis?.disconnect(); guard.uninstall(); });

const claimKey = (alertId: string) => `${t.prefix}alert:claim:${t.storeId}:${alertId}`;

describe('fuzz: associates\' claims and label gateways', () => {
  it('at most one holder per alert; every associate\'s last word on it matches; gateways are refused and keep their labels', async () => {
    const alertArb = fc.oneof({ arbitrary: fc.constantFrom(...alertIds), weight: 4 }, { arbitrary: idArb, weight: 1 });
    const frameArb = fc.record({ who: fc.constantFrom('assoc-1', 'assoc-2', 'gw'), type: fc.constantFrom('claim', 'release'), alertId: alertArb });
    const holders = new Set<string | null>();
    await fc.assert(fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 12 }), async (frames) => {
      const from = guard.count;
      const hello = { 'assoc-1': { role: 'associate', token: `tok-assoc-${t.storeId}-xx`, associateId: 'assoc-1' },
        'assoc-2': { role: 'associate', token: `tok-assoc2-${t.storeId}-x`, associateId: 'assoc-2' },
        gw: { role: 'label-gateway', token: `tok-gateway-${t.storeId}-x`, gatewayId: 'gw-1' } } as const;
      const conns = Object.fromEntries(await Promise.all(Object.entries(hello).map(async ([who, h]) => {
        const c = await openWs(t.port);
        await c.send(JSON.stringify({ type: 'hello', storeId: t.storeId, ...h }));
        await c.until((e) => e.kind === 'frame' && e.frame.type === 'welcome');
        return [who, c] as const;
      }))) as Record<'assoc-1' | 'assoc-2' | 'gw', Awaited<ReturnType<typeof openWs>>>;
      try {
        await Promise.all(frames.map((f) => conns[f.who].send(JSON.stringify({ type: f.type, alertId: f.alertId }))));
        const marker = Math.random();
        await Promise.all(Object.values(conns).map(async (c) => {
          await c.send(JSON.stringify({ type: 'ping', t: marker }));
          await c.until((e) => e.kind === 'frame' && e.frame.type === 'pong' && e.frame.t === marker, 3000);
        }));
        await t.engine.settle();
        for (const id of alertIds) {
          const holder = await redis.get(claimKey(id));
          expect([null, 'assoc-1', 'assoc-2']).toContain(holder);
          holders.add(holder);
          for (const who of ['assoc-1', 'assoc-2'] as const) {
            const c = conns[who];
            // The engine's answers settle within a moment of the last frame.
            await c.until(() => {
              const last = c.events.flatMap((e) => e.kind === 'frame' && e.frame.type === 'alert.claimed' && e.frame.alertId === id ? [e.frame as AlertClaimed] : []).at(-1);
              return (last?.associateId ?? null) === holder;
            }, 2000).catch(() => undefined);
            const last = c.events.flatMap((e) => e.kind === 'frame' && e.frame.type === 'alert.claimed' && e.frame.alertId === id ? [e.frame as AlertClaimed] : []).at(-1);
            expect(last?.associateId ?? null, `${who}'s last word on ${id}`).toBe(holder);
          }
        }
        const gw = conns.gw;
        const gwFrames = gw.events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []));
        expect(gwFrames.filter((f) => f.type === 'error').every((f) => f.type === 'error' && f.code === 'ws.forbidden')).toBe(true);
        expect(gwFrames.filter((f) => f.type === 'error')).toHaveLength(frames.filter((f) => f.who === 'gw').length);
        expect(gwFrames.some((f) => f.type === 'alert.vip' || f.type === 'alert.claimed')).toBe(false);
        const labels = gwFrames.filter((f) => f.type === 'label.update');
        expect(new Set(labels.map((f) => (f as LabelUpdate).labelId))).toEqual(new Set(t.store.labels.map((l) => l.labelId)));
        for (const c of Object.values(conns)) {
          expect(c.closed).toBe(false);
          expect(c.events.filter((e) => e.kind === 'bad')).toEqual([]);
        }
      } finally {
        await Promise.all(Object.values(conns).map((c) => c.close()));
      }
      await assertHealthy(t.port);
      guard.assertClean(from, 'the run');
    }), fuzzParams('heavy'));
    // The runs did claim real alerts, and released them.
    expect(holders.size).toBeGreaterThan(1);
  }, fuzzTimeout('heavy', 200));

  it('the audit route: entries to a merchandiser, 400 naming the parameter, 403 to every other role, never a 5xx', async () => {
    const PARAMS = ['customerId', 'associateId', 'since', 'limit'];
    const value = fc.oneof(fc.constantFrom('', '0', '1', '-1', '1000', '1001', '1e3', 'NaN', 'c-v1', 'assoc-1', '%00', 'a'.repeat(65), '1.5', '__proto__'), fc.string({ maxLength: 20 }));
    const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 8 })), value), { maxLength: 4 });
    const roleArb = fc.constantFrom('merchandiser', 'console', 'associate', 'screen', 'label-gateway', 'none');
    const tokenOf = (role: string) => t.engine.tokens.find((x) => x.role === role)?.token;
    await fc.assert(fc.asyncProperty(query, roleArb, async (q, role) => {
      const qs = new URLSearchParams(q).toString();
      const token = tokenOf(role);
      const res = await fetch(`http://127.0.0.1:${t.port}/api/v1/stores/${t.storeId}/audit${qs ? `?${qs}` : ''}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const body = await res.json() as unknown;
      expect(res.status).toBeLessThan(500);
      if (role === 'none') { expect(res.status).toBe(401); return; }
      if (role !== 'merchandiser') { expect(res.status).toBe(403); return; }
      if (res.status === 200) {
        expect(Array.isArray(body)).toBe(true);
        for (const e of body as unknown[]) expect(AuditEntry.safeParse(e).success).toBe(true);
        return;
      }
      expect(res.status).toBe(400);
      const issues = (body as { error: { issues?: { path: (string | number)[] }[] } }).error.issues ?? [];
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => PARAMS.includes(String(i.path[0])) || i.path.length === 0)).toBe(true);
    }), fuzzParams('heavy'));
    await assertHealthy(t.port);
  }, fuzzTimeout('heavy', 50));
});
