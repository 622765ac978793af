import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Profile, type AlertClaimed, type AlertVip, type ServerFrame } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { presenceMessage } from './harness/plan.js';
import type { Publisher } from './harness/publisher.js';
import { whenReadyz } from './harness/rules.js';
import { startRig } from './harness/rig.js';
import { perTestScope, type Scope } from './harness/scope.js';

// Associates across failures (docs/associates.md): real engine processes, a private Mosquitto and Redis per case.
// With Redis down no claim is granted and no alert raised (the cooldown, which makes an alert one per visit, lives
// there); nothing crashes, and everything works again once it is back. After a SIGKILL, the open alerts and their
// claims come back from Redis, and an associate who reconnects gets each once.

const all = { personalization: true, displayName: true, associateAlerts: true };
const VIPS = ['c-vip-1', 'c-vip-2'];
async function seedVips(r: Redis, prefix: string): Promise<void> {
  const ps = VIPS.map((customerId) => Profile.parse({ customerId, displayName: customerId, tier: 'platinum', points: 20_000, lifecycle: 'active',
    affinities: { candles: 0.8 }, consent: all, updatedAt: 1 }));
  await r.mset(...ps.flatMap((p) => [createKeys(prefix).profile(p.customerId), JSON.stringify(p)]));
}

async function associate(s: Scope, port: number, storeId: string, who: 'assoc-1' | 'assoc-2'): Promise<TestWs> {
  const token = who === 'assoc-1' ? `tok-assoc-${storeId}-xx` : `tok-assoc2-${storeId}-x`;
  const ws = await connectWs(port, { role: 'associate', token, storeId, associateId: who });
  s.defer(`${who} socket`, () => { ws.ws.terminate(); });
  await ws.next((f) => f.type === 'welcome', 10_000);
  return ws;
}

let n = 0;
const arrive = (pub: Publisher, storeId: string, customerId: string, deviceId: string) =>
  pub.publish(presenceMessage(storeId, `as-${++n}-${deviceId}`, { deviceId, customerId, zoneId: 'z-entrance' }));
const alertsOf = (ws: TestWs) => ws.frames.filter((f): f is AlertVip => f.type === 'alert.vip');
const claimedOf = (ws: TestWs, alertId: string) => ws.frames.filter((f): f is AlertClaimed => f.type === 'alert.claimed' && f.alertId === alertId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('associates across failures', () => {
  const scope = perTestScope();

  it('Redis down: no claim granted, no alert raised, nothing crashes; once it is back, claims and alerts work', async () => {
    const s = scope();
    const { ids, redis, engine, pub, r } = await startRig(s, 'asdown', { seed: seedVips });
    const ann = await associate(s, engine.port, ids.storeId, 'assoc-1');
    await arrive(pub, ids.storeId, 'c-vip-1', 'd-v1-a');
    const alert = await ann.next<AlertVip>((f) => f.type === 'alert.vip', 10_000);

    await redis.stop('SIGKILL');
    await whenReadyz(engine, 503, 10_000);
    ann.ws.send(JSON.stringify({ type: 'claim', alertId: alert.alertId }));
    await arrive(pub, ids.storeId, 'c-vip-2', 'd-v2-a');
    await sleep(1500);
    expect(claimedOf(ann, alert.alertId), 'a claim granted without Redis').toEqual([]);
    expect(alertsOf(ann).map((f) => f.alertId), 'an alert raised without its cooldown').toEqual([alert.alertId]);
    expect(engine.running()).toBe(true);
    const afterDown = ann.frames.length;

    await redis.restart();
    await whenReadyz(engine, 200, 15_000);
    const from = ann.frames.length;
    ann.ws.send(JSON.stringify({ type: 'claim', alertId: alert.alertId }));
    const claimed = await ann.next<AlertClaimed>((f: ServerFrame) => f.type === 'alert.claimed' && f.alertId === alert.alertId, 10_000, from);
    expect(claimed.associateId).toBe('assoc-1');
    expect(await r.get(createKeys(ids.prefix).alertClaim(ids.storeId, alert.alertId))).toBe('assoc-1');
    // VIP 2 gets an alert now, once: either at the next decision of the zone they are still in (which may come
    // as soon as Redis is back, before the claim above) or when they come in again on another device.
    await arrive(pub, ids.storeId, 'c-vip-2', 'd-v2-b');
    const second = await ann.next<AlertVip>((f) => f.type === 'alert.vip' && f.alertId !== alert.alertId, 10_000, afterDown);
    await sleep(500);
    expect(alertsOf(ann).filter((f) => f.alertId === second.alertId).length).toBeGreaterThanOrEqual(1);
    expect(new Set(alertsOf(ann).map((f) => f.alertId)).size).toBe(2);
  });

  it('SIGKILL with an open, claimed alert: after the restart it comes back, and a reconnecting associate gets it once, with its holder', async () => {
    const s = scope();
    const { ids, engine, pub } = await startRig(s, 'askill', { seed: seedVips });
    const ann = await associate(s, engine.port, ids.storeId, 'assoc-1');
    await arrive(pub, ids.storeId, 'c-vip-1', 'd-v1-a');
    const alert = await ann.next<AlertVip>((f) => f.type === 'alert.vip', 10_000);
    ann.ws.send(JSON.stringify({ type: 'claim', alertId: alert.alertId }));
    await ann.next((f) => f.type === 'alert.claimed' && f.alertId === alert.alertId && f.associateId === 'assoc-1', 10_000);

    expect((await engine.kill('SIGKILL')).signal).toBe('SIGKILL');
    await engine.restart();
    const bo = await associate(s, engine.port, ids.storeId, 'assoc-2');
    await bo.next((f) => f.type === 'alert.vip' && f.alertId === alert.alertId, 10_000);
    await bo.next((f) => f.type === 'alert.claimed' && f.alertId === alert.alertId, 10_000);
    // The same VIP walking in again within the cooldown raises nothing new; the replay came once.
    await arrive(pub, ids.storeId, 'c-vip-1', 'd-v1-b');
    await sleep(1000);
    expect(alertsOf(bo).map((f) => f.alertId)).toEqual([alert.alertId]);
    expect(alertsOf(bo)[0]!.customer.displayName).toBe('c-vip-1');
    expect(claimedOf(bo, alert.alertId).at(-1)!.associateId).toBe('assoc-1');
    // The holder's claim survived: assoc-2 cannot take it.
    bo.ws.send(JSON.stringify({ type: 'claim', alertId: alert.alertId }));
    await sleep(500);
    expect(claimedOf(bo, alert.alertId).every((f) => f.associateId === 'assoc-1')).toBe(true);
  });
});
