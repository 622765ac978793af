import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventTopic, type ScreenContent } from '#contracts';
import { silentLogger } from '../../engine/platform/log.js';
import { startMerakiTransport, type MerakiTransport } from '../../engine/simulator/via-meraki.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { connectWs } from '../helpers/ws-client.js';

/**
 * The demo's shoppers seen through a real Meraki receiver (AISLE_SIM_VIA=meraki): presence as Scanning API
 * POSTs to the gateway, which publishes pseudonymised presence to the broker; the identity link names the
 * same pseudonym, so the engine gives the member their personal turn. No raw MAC reaches the engine.
 */
describe('simulated shoppers through the Meraki gateway', () => {
  let t: TestEngine;
  let via: MerakiTransport;
  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId: uniqueId('mk') });
    via = await startMerakiTransport({ store: t.store, mqttUrl: inject('mosquittoUrl'), log: silentLogger(),
      direct: async (topic, payload) => { await t.pub.publishAsync(topic, payload, { qos: 1 }); } });
  });
  afterAll(async () => { await via?.close(); await t?.close(); });

  it('a member walking in through Meraki gets their personal turn; the engine only ever sees the pseudonym', async () => {
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    const ev = (type: string, body: object) => JSON.stringify({ type, id: uniqueId('ev'), ts: Date.now(), storeId: t.storeId, ...body });
    await via.publish(eventTopic(t.storeId, 'presence'), ev('presence', { deviceId: 'sim-d-1', zoneId: 'z-candles', source: 'wifi' }));
    await via.publish(eventTopic(t.storeId, 'identity'), ev('identity', { deviceId: 'sim-d-1', customerId: 'c-mia', method: 'app-login' }));
    const f = await screen.next<ScreenContent>((x) => x.type === 'screen.content' && x.reason === 'shopper', 10_000);
    expect(f.greeting).toBe('Welcome back, Mia');
    const visits = await eventually(async () => { const v = t.engine.visits.inZone(t.storeId, 'z-candles'); return v.length ? v : undefined; });
    expect(visits.map((v) => v.deviceId)).toEqual([expect.stringMatching(/^hm1-[a-z2-7]{26}$/)]);
    expect(via.stats()).toMatchObject({ posts: 1, observations: 1 });
    await screen.close();
  });
});
