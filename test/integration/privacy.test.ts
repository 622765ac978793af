import mqtt from 'mqtt';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decisionsTopic, DecisionMessage, type ScreenContent } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { connectWs } from '../helpers/ws-client.js';

describe('privacy on topics and profiles', () => {
  let t: TestEngine;
  let watcher: mqtt.MqttClient;
  const raw: string[] = [];
  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    watcher = await mqtt.connectAsync(inject('mosquittoUrl'), { reconnectPeriod: 0, clientId: uniqueId('watch') });
    watcher.on('message', (_topic, payload) => raw.push(payload.toString()));
    await watcher.subscribeAsync(decisionsTopic(t.storeId), { qos: 0 });
  });
  afterAll(async () => { await watcher?.endAsync(); await t?.close(); });

  it('publishes decisions with the customer id and the internal reasons, but never a name, a greeting or the frame', async () => {
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    const f = await screen.next<ScreenContent>((x) => x.type === 'screen.content' && x.reason === 'shopper');
    expect(f.greeting).toBe('Welcome back, Mia'); // her screen may greet her (consent.displayName)…
    const msg = await eventually(() => raw.map((r) => DecisionMessage.parse(JSON.parse(r))).find((m) => m.decisionId === f.decisionId));
    expect(msg.customerId).toBe('c-mia'); // …analytics gets the id for attribution…
    expect(msg.items[0]!.why).toMatch(/bought 4× before|affinity/); // …and the internal reasons…
    const text = raw.find((r) => r.includes(f.decisionId))!;
    expect(text).not.toMatch(/Mia|Welcome|greeting|"frame"/); // …but no name and no greeting.
    await screen.close();
  });

  it('records a label tap in a profile only with consent to personalization', async () => {
    const r = new Redis(inject('redisUrl'));
    const browsed = async (c: string) => (JSON.parse((await r.get(createKeys(t.prefix).profile(c)))!) as { browsedSkus: string[] }).browsedSkus;
    await t.publish('esl', { labelId: 'L-2', action: 'nfc', customerId: 'c-noah' }); // no consent
    await t.publish('esl', { labelId: 'L-2', action: 'nfc', customerId: 'c-mia' });
    await eventually(async () => ((await browsed('c-mia')).includes('SKU-03') ? true : undefined));
    await t.engine.settle();
    expect(await browsed('c-noah')).not.toContain('SKU-03');
    r.disconnect();
  });
});
