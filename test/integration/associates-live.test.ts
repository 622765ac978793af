import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Profile, StoreConfig, type AlertClaimed, type AlertVip, type AuditEntry, type ServerFrame } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { testProfiles, testStore, testTokens, uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { startMosquitto } from '../fault/harness/mosquitto.js';
import { perFileScope } from '../fault/harness/scope.js';

const all = { personalization: true, displayName: true, associateAlerts: true };
const vip = (customerId: string, over: object = {}) => Profile.parse({ customerId, displayName: 'Olivia', tier: 'platinum', points: 52_000, lifecycle: 'active',
  affinities: { candles: 0.8, kitchen: 0.4 }, recentSkus: ['SKU-14', 'SKU-03'], browsedSkus: ['SKU-12'], tags: ['prefers gift wrap'],
  consent: all, updatedAt: 1, ...over });

/**
 * Associates on a real broker and Redis, with two engine instances sharing Redis (B has its own broker, so
 * only A decides the store): a consenting VIP walking in raises one alert that associates on both instances
 * see; consent gates the alert and the name; two associates claiming at once — one on each instance — get
 * exactly one winner; releases, replays after a reconnect, shelf-label taps and the audit.
 */
describe('associates: VIP alerts and claims', () => {
  const scope = perFileScope();
  const storeId = uniqueId('a');
  const prefix = `${uniqueId('test')}:`;
  const base = testStore(storeId);
  const store = StoreConfig.parse({ ...base, associates: { vipTiers: ['platinum'], cooldownMs: 600_000 },
    labels: [...base.labels, { labelId: 'L-3', sku: 'SKU-05', zoneId: 'z-kitchen' }] });
  const tokens = [...testTokens(storeId),
    { token: `tok-assoc-other-${storeId}`, role: 'associate' as const, storeId: 's-elsewhere', subject: 'assoc-9' }];
  const profiles = [...testProfiles(), vip('c-vip'), vip('c-vip-quiet', { consent: { ...all, associateAlerts: false } }),
    vip('c-vip-anon', { consent: { ...all, displayName: false } })];
  let a: TestEngine;
  let b: TestEngine;
  let ann: TestWs; // assoc-1 on A
  let bo: TestWs; // assoc-2 on B
  let redis: Redis;
  const alertOf = (ws: TestWs, pred: (f: AlertVip) => boolean = () => true, from = 0) =>
    ws.next<AlertVip>((f) => f.type === 'alert.vip' && pred(f), 5000, from);
  const alerts = (ws: TestWs) => ws.frames.filter((f): f is AlertVip => f.type === 'alert.vip');
  const get = async (t: TestEngine, token: string, path: string) => {
    const res = await fetch(`http://127.0.0.1:${t.port}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() as unknown };
  };

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    a = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, prefix, store, profiles, deps: { tokens } });
    const own = await startMosquitto(scope);
    b = await startTestEngine({ mqttUrl: own.url, redisUrl: inject('redisUrl'), storeId, prefix, store, profiles, deps: { tokens } });
    ann = await connectWs(a.port, { role: 'associate', token: `tok-assoc-${storeId}-xx`, storeId, associateId: 'assoc-1' });
    bo = await connectWs(b.port, { role: 'associate', token: `tok-assoc2-${storeId}-x`, storeId, associateId: 'assoc-2' });
    await ann.next((f) => f.type === 'welcome');
    await bo.next((f) => f.type === 'welcome');
  });
  afterAll(async () => { await ann?.close(); await bo?.close(); await b?.close(); await a?.close(); redis?.disconnect(); });

  it('a consenting VIP walking in raises one alert, seen by the associates of both instances', async () => {
    const t0 = Date.now();
    await a.publish('presence', { deviceId: 'd-vip', customerId: 'c-vip', zoneId: 'z-entrance', source: 'wifi' });
    const got = await alertOf(ann);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(got).toMatchObject({ storeId, zoneId: 'z-entrance', reason: 'arrived',
      customer: { displayName: 'Olivia', tier: 'platinum', points: 52_000, lifecycle: 'active', tags: ['prefers gift wrap'], visitsThisYear: 1 } });
    expect(got.customer.customerId).toBeUndefined(); // handhelds get no customer id
    expect(got.customer.browsed.map((x) => x.sku)).toContain('SKU-12');
    expect(got.customer.lastPurchases.map((x) => x.sku)).toEqual(['SKU-14', 'SKU-03']);
    expect(got.suggestions.length).toBeGreaterThanOrEqual(2);
    expect(got.suggestions.length).toBeLessThanOrEqual(3);
    expect(got.suggestions[0]).toMatchObject({ sku: 'SKU-12', why: 'Browsed, not bought' });
    expect(got.talkingPoints).toContain('Looked at candles item 2, has not bought it yet');
    const there = await alertOf(bo, (f) => f.alertId === got.alertId);
    expect(there.customer).toEqual(got.customer);
    // The same visit, and a new one within the cooldown: no second alert.
    await a.publish('presence', { deviceId: 'd-vip', customerId: 'c-vip', zoneId: 'z-kitchen', source: 'wifi' });
    await a.publish('presence', { deviceId: 'd-vip', zoneId: null, source: 'wifi' });
    await a.publish('presence', { deviceId: 'd-vip-2', customerId: 'c-vip', zoneId: 'z-entrance', source: 'wifi' });
    await a.engine.settle();
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(alerts(ann).map((f) => f.alertId))).toEqual(new Set([got.alertId]));
  });

  it('no alert without consent to associate alerts; no name without consent to the name', async () => {
    const from = ann.frames.length;
    await a.publish('presence', { deviceId: 'd-quiet', customerId: 'c-vip-quiet', zoneId: 'z-entrance', source: 'wifi' });
    await a.publish('presence', { deviceId: 'd-anon', customerId: 'c-vip-anon', zoneId: 'z-entrance', source: 'wifi' });
    // Mia is gold, not a VIP here.
    await a.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-entrance', source: 'wifi' });
    const anon = await alertOf(ann, () => true, from);
    await a.engine.settle();
    await new Promise((r) => setTimeout(r, 300));
    expect(alerts(ann).slice(-1)[0]!.alertId).toBe(anon.alertId);
    expect(ann.frames.slice(from).filter((f) => f.type === 'alert.vip')).toHaveLength(1);
    expect(anon.customer.displayName).toBeUndefined();
    expect(anon.customer.tier).toBe('platinum');
    expect(await redis.exists(`${prefix}alert:cooldown:${storeId}:c-vip-quiet`)).toBe(0);
  });

  it('an associate of another store is refused', async () => {
    const other = await connectWs(a.port, { role: 'associate', token: `tok-assoc-other-${storeId}`, storeId, associateId: 'assoc-9' });
    const f = await other.next((x) => x.type === 'error');
    expect(f).toMatchObject({ type: 'error', code: 'ws.forbidden' });
    expect(other.frames.some((x) => x.type === 'alert.vip')).toBe(false);
    await other.closed;
  });

  it('two associates claim at once, one on each instance: exactly one wins and both see who', async () => {
    const alert = alerts(ann)[0]!;
    const fa = ann.frames.length;
    const fb = bo.frames.length;
    ann.ws.send(JSON.stringify({ type: 'claim', alertId: alert.alertId }));
    bo.ws.send(JSON.stringify({ type: 'claim', alertId: alert.alertId }));
    const claimed = (f: ServerFrame) => f.type === 'alert.claimed' && f.alertId === alert.alertId;
    const winner = await eventually(async () => (await redis.get(`${prefix}alert:claim:${storeId}:${alert.alertId}`)) ?? undefined);
    expect(['assoc-1', 'assoc-2']).toContain(winner);
    for (const [ws, from] of [[ann, fa], [bo, fb]] as const) {
      await ws.next(claimed, 5000, from);
      await eventually(async () => ((ws.frames.slice(from).filter(claimed).at(-1) as AlertClaimed | undefined)?.associateId === winner ? true : undefined));
      // Nobody is ever told the loser holds it.
      expect(ws.frames.slice(from).filter(claimed).every((f) => (f as AlertClaimed).associateId === winner)).toBe(true);
    }
    await a.engine.settle(); await b.engine.settle();
    const audit = (await get(a, `tok-merch-${storeId}-xxx`, `/api/v1/stores/${storeId}/audit?customerId=c-vip`)).body as AuditEntry[];
    expect(audit.filter((e) => e.action === 'claim')).toEqual([expect.objectContaining({ associateId: winner, alertId: alert.alertId, customerId: 'c-vip' })]);
  });

  it('the holder releases it; a reconnecting associate gets every open alert once, with its claim state', async () => {
    const alert = alerts(ann)[0]!;
    const winner = (await redis.get(`${prefix}alert:claim:${storeId}:${alert.alertId}`))!;
    const [holder, other] = winner === 'assoc-1' ? [ann, bo] : [bo, ann];
    const from = other.frames.length;
    holder.ws.send(JSON.stringify({ type: 'release', alertId: alert.alertId }));
    const released = await other.next<AlertClaimed>((f) => f.type === 'alert.claimed' && f.alertId === alert.alertId && f.associateId === null, 5000, from);
    expect(released.associateId).toBeNull();
    await ann.close();
    ann = await connectWs(a.port, { role: 'associate', token: `tok-assoc-${storeId}-xx`, storeId, associateId: 'assoc-1', resumeSeq: 3 });
    await ann.next((f) => f.type === 'welcome');
    await a.engine.settle();
    await new Promise((r) => setTimeout(r, 200));
    const replayed = alerts(ann);
    expect(replayed.map((f) => f.alertId).sort()).toEqual([...new Set(replayed.map((f) => f.alertId))].sort());
    expect(replayed.map((f) => f.alertId)).toContain(alert.alertId);
    const last = ann.frames.filter((f) => f.type === 'alert.claimed' && f.alertId === alert.alertId).at(-1) as AlertClaimed | undefined;
    expect(last?.associateId ?? null).toBeNull();
  });

  it('a VIP tapping a shelf label updates the open alert in place', async () => {
    const alert = alerts(ann).find((f) => f.customer.displayName === 'Olivia')!;
    const from = bo.frames.length;
    await a.publish('esl', { labelId: 'L-3', action: 'nfc', customerId: 'c-vip', deviceId: 'd-vip-2' });
    const updated = await alertOf(bo, (f) => f.alertId === alert.alertId, from);
    expect(updated.customer.browsed[0]).toEqual({ sku: 'SKU-05', name: 'kitchen item 5' });
    expect(updated.talkingPoints).toContain('Checked kitchen item 5 at the shelf today');
    expect(updated.createdAt).toBe(alert.createdAt);
  });

  it('the audit is read with a merchandiser token only', async () => {
    const path = `/api/v1/stores/${storeId}/audit`;
    const ok = await get(a, `tok-merch-${storeId}-xxx`, path);
    expect(ok.status).toBe(200);
    const entries = ok.body as AuditEntry[];
    expect(entries.some((e) => e.action === 'alert' && e.associateId === 'assoc-1' && e.customerId === 'c-vip')).toBe(true);
    expect(entries.some((e) => e.action === 'alert' && e.associateId === 'assoc-2')).toBe(true);
    expect(entries.some((e) => e.action === 'replay' && e.associateId === 'assoc-1')).toBe(true);
    expect(entries.some((e) => e.customerId === 'c-vip-quiet' || e.customerId === 'c-mia')).toBe(false);
    for (const token of [`tok-console-${storeId}-x`, `tok-assoc-${storeId}-xx`, `tok-screen-scr-entrance-1-${storeId}`]) {
      expect((await get(a, token, path)).status).toBe(403);
    }
    expect((await get(a, `tok-merch-${storeId}-xxx`, `${path}?limit=0`)).status).toBe(400);
  });
});
