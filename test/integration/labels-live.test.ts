import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StoreConfig, type LabelUpdate } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';

const MIN_INTERVAL = 400;

/**
 * Shelf labels on a real broker and Redis: every label has its content when a gateway connects; a consenting
 * member's personal turn brings the member price and a flash to the labels of what the screen shows them,
 * reverted when they leave; frames to one label respect the store's minimum interval; a gateway that
 * reconnects gets every label's state.
 */
describe('shelf labels follow shoppers', () => {
  const storeId = uniqueId('l');
  const base = testStore(storeId);
  // Candles: L-1 (SKU-14) and L-3 (SKU-11, which has a member price) — Mia loves candles.
  const store = StoreConfig.parse({ ...base, labelPolicy: { minIntervalMs: MIN_INTERVAL, maxFlashing: 2 },
    labels: [...base.labels, { labelId: 'L-3', sku: 'SKU-11', zoneId: 'z-candles', display: 'bwr-400x300' }] });
  let t: TestEngine;
  let gw: TestWs;
  const labelFrames = (ws: TestWs, labelId: string, from = 0) => ws.frames.slice(from).filter((f): f is LabelUpdate => f.type === 'label.update' && f.labelId === labelId);

  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, store });
    // Members' turns at the candles screen show SKU-11 first: the labels follow what the screen shows them.
    const rule = await fetch(`http://127.0.0.1:${t.port}/api/v1/rules`, { method: 'POST', headers: { authorization: `Bearer tok-merch-${storeId}-xxx`, 'content-type': 'application/json' },
      body: JSON.stringify({ ruleId: 'r-lantern', name: 'Tea lights first', target: { stores: [storeId], zones: ['z-candles'], tiers: ['member', 'silver', 'gold', 'platinum'] }, actions: { pin: ['SKU-11'] } }) });
    expect(rule.status).toBe(201);
    gw = await connectWs(t.port, { role: 'label-gateway', token: `tok-gateway-${storeId}-x`, storeId, gatewayId: 'gw-1' });
    await gw.next((f) => f.type === 'welcome');
  });
  afterAll(async () => { await gw?.close(); await t?.close(); });

  it('every label has its base content: name, price, promo, no member price', async () => {
    await eventually(async () => (['L-1', 'L-2', 'L-3'].every((id) => labelFrames(gw, id).length) ? true : undefined));
    const l3 = labelFrames(gw, 'L-3')[0]!;
    expect(l3).toMatchObject({ sku: 'SKU-11', name: 'candles item 1', price: 3, currency: 'GBP', locale: 'en-GB', display: 'bwr-400x300' });
    expect(l3.memberPrice).toBeUndefined();
    expect(l3.mode).toBeUndefined();
  });

  it('a consenting member\'s personal turn brings the member price and a flash to the labels of what the screen shows them; it reverts when they leave', async () => {
    const from = gw.frames.length;
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    const personal = await gw.next<LabelUpdate>((f) => f.type === 'label.update' && f.labelId === 'L-3' && f.mode === 'personal', 5000, from);
    expect(personal).toMatchObject({ memberPrice: 2.5, promo: 'Member price', flash: { color: 'green', durationMs: 5000 } });
    expect(JSON.stringify(personal)).not.toContain('Mia');
    // Noah (no consent) changes nothing.
    await t.publish('presence', { deviceId: 'd-noah', customerId: 'c-noah', zoneId: 'z-kitchen', source: 'wifi' });
    const leftAt = gw.frames.length;
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    const back = await gw.next<LabelUpdate>((f) => f.type === 'label.update' && f.labelId === 'L-3' && f.mode === undefined, 5000, leftAt);
    expect(back.memberPrice).toBeUndefined();
    expect(back.flash).toBeUndefined();
    expect(labelFrames(gw, 'L-2', from)).toEqual([]);
  });

  it('frames to one label keep the store\'s minimum interval, and the latest content wins', async () => {
    await new Promise((r) => setTimeout(r, MIN_INTERVAL + 50));
    const from = gw.frames.length;
    for (let i = 0; i < 4; i++) {
      await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
      await t.engine.settle();
      await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
      await t.engine.settle();
    }
    // After the flurry the label settles on the base content (Mia is gone).
    await eventually(async () => (labelFrames(gw, 'L-3', from).at(-1)?.mode === undefined && labelFrames(gw, 'L-3', from).length ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, MIN_INTERVAL * 2));
    // updatedAt is when the engine sent the frame (its clock): arrival times here carry the event loop's jitter.
    const times = labelFrames(gw, 'L-3').map((f) => f.updatedAt!);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN_INTERVAL);
    // Eight changes in a few milliseconds: the first goes out, the rest collapse into one frame after the interval.
    expect(labelFrames(gw, 'L-3', from).length).toBeLessThanOrEqual(3);
    expect(labelFrames(gw, 'L-3').at(-1)!.mode).toBeUndefined();
  });

  it('a gateway that reconnects gets every label\'s current state', async () => {
    const again = await connectWs(t.port, { role: 'label-gateway', token: `tok-gateway-${storeId}-x`, storeId, gatewayId: 'gw-1', resumeSeq: 1 });
    await eventually(async () => (['L-1', 'L-2', 'L-3'].every((id) => labelFrames(again, id).length === 1) ? true : undefined));
    for (const id of ['L-1', 'L-2', 'L-3']) expect(labelFrames(again, id)[0]).toEqual(labelFrames(gw, id).at(-1));
    await again.close();
  });
});
