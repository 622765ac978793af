import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventTopic, type ScreenContent } from '#contracts';
import { silentLogger } from '../../engine/platform/log.js';
import { startEspresenseTransport, type EspresenseTransport } from '../../engine/simulator/via-espresense.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { connectWs } from '../helpers/ws-client.js';

/**
 * The demo's shoppers seen by ESPresense nodes (AISLE_SIM_VIA=espresense): node readings on a real broker, a
 * real ESPresense gateway turning them into pseudonymised presence; the member gets their personal turn and
 * the engine only ever sees the pseudonym.
 */
describe('simulated shoppers through the ESPresense gateway', () => {
  let t: TestEngine;
  let via: EspresenseTransport;
  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId: uniqueId('es') });
    via = await startEspresenseTransport({ store: t.store, mqttUrl: inject('mosquittoUrl'), log: silentLogger(), everyMs: 500,
      direct: async (topic, payload) => { await t.pub.publishAsync(topic, payload, { qos: 1 }); } });
    await new Promise((r) => setTimeout(r, 300)); // the gateway subscribes
  });
  afterAll(async () => { await via?.close(); await t?.close(); });

  it('a member reported by the candles node gets their personal turn; the engine sees only the pseudonym', async () => {
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    const ev = (type: string, body: object) => JSON.stringify({ type, id: uniqueId('ev'), ts: Date.now(), storeId: t.storeId, ...body });
    await via.publish(eventTopic(t.storeId, 'presence'), ev('presence', { deviceId: 'sim-d-2', zoneId: 'z-candles', source: 'ble' }));
    await via.publish(eventTopic(t.storeId, 'identity'), ev('identity', { deviceId: 'sim-d-2', customerId: 'c-mia', method: 'app-login' }));
    const f = await screen.next<ScreenContent>((x) => x.type === 'screen.content' && x.reason === 'shopper', 10_000);
    expect(f.greeting).toBe('Welcome back, Mia');
    const visits = await eventually(async () => { const v = t.engine.visits.inZone(t.storeId, 'z-candles'); return v.length ? v : undefined; });
    expect(visits.map((v) => v.deviceId)).toEqual([expect.stringMatching(/^hm1-[a-z2-7]{26}$/)]);
    expect(via.stats().readings).toBeGreaterThan(0);
    await screen.close();
  });
});
