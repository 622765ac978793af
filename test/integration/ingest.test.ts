import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEADLETTER_TOPIC, DeadLetter, type ScreenContent } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { uniqueId } from '../helpers/fixtures.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { connectWs } from '../helpers/ws-client.js';

const metric = async (port: number, name: string, labels: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('bad input → dead letter, engine keeps serving', () => {
  let t: TestEngine;
  const dead: DeadLetter[] = [];
  let watcher: mqtt.MqttClient;

  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    watcher = await mqtt.connectAsync(inject('mosquittoUrl'), { reconnectPeriod: 0 });
    watcher.on('message', (_topic, payload) => {
      const d = DeadLetter.parse(JSON.parse(payload.toString()));
      if (d.topic.includes(t.storeId)) dead.push(d);
    });
    await watcher.subscribeAsync(DEADLETTER_TOPIC, { qos: 1 });
  });
  afterAll(async () => { await watcher?.endAsync(); await t?.close(); });

  const raw = (type: string, body: string | Buffer, storeId = t.storeId) => t.pub.publishAsync(`aisle/v1/stores/${storeId}/${type}`, body, { qos: 1 });
  const good = (over: object = {}) => JSON.stringify({ type: 'presence', id: uniqueId('p'), ts: Date.now(), storeId: t.storeId,
    deviceId: 'd-1', zoneId: 'z-kitchen', source: 'wifi', ...over });

  // Topics of unknown types are not subscribed at all (the engine takes only what it consumes); decode()'s unit tests cover them.
  it('dead-letters invalid JSON, wrong types, a store mismatch, an oversized payload and a type mismatch, with reasons', async () => {
    await raw('presence', '{"type": "presence", oops');
    await raw('presence', good({ ts: 'now', id: 'wrong-type' }));
    await raw('presence', good({ storeId: 'other-store' }));
    await raw('presence', Buffer.alloc(70 * 1024, 0x41));
    await raw('pos', good());
    const all = await eventually(() => (dead.length >= 5 ? dead : undefined));
    const codes = all.map((d) => d.code).sort();
    expect(codes).toEqual(['invalid_json', 'invalid_shape', 'store_mismatch', 'too_large', 'type_mismatch']);
    const wrong = all.find((d) => d.code === 'invalid_shape')!;
    expect(wrong.reason).toMatch(/^invalid_shape: ts: /);
    expect(wrong.payload).toContain('wrong-type');
    expect(all.find((d) => d.code === 'too_large')!.payload.length).toBeLessThanOrEqual(4096);
    expect(await metric(t.port, 'aisle_dead_letters_total', 'code="invalid_json"')).toBeGreaterThanOrEqual(1);
  });

  it('still serves screens after bad input, and ignores a duplicate id', async () => {
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-kitchen-1'), storeId: t.storeId, screenId: 'scr-kitchen-1' });
    await screen.next((f) => f.type === 'screen.content');
    const id = uniqueId('dup');
    await t.publish('presence', { id, deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-kitchen', source: 'wifi' });
    await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason === 'shopper');
    await t.publish('presence', { id, deviceId: 'd-mia', zoneId: null, source: 'wifi' }); // same id: must be ignored
    await eventually(async () => ((await metric(t.port, 'aisle_events_total', 'outcome="duplicate"')) >= 1 ? true : undefined));
    await t.engine.settle();
    expect(t.engine.visits.peek(t.storeId, 'd-mia')?.zoneId).toBe('z-kitchen');
    await screen.close();
  });
});

describe('QoS 1 persistent session', () => {
  it('processes events published while the engine was down', async () => {
    const mqttUrl = inject('mosquittoUrl');
    const redisUrl = inject('redisUrl');
    const clientId = uniqueId('engine-restart');
    const prefix = `${uniqueId('test')}:`;
    const storeId = uniqueId('t');
    const first = await startTestEngine({ mqttUrl, redisUrl, clientId, prefix, storeId });
    await first.engine.stop(); // the broker keeps the session and queues QoS 1 messages for it
    await first.publish('presence', { deviceId: 'd-while-down', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    await first.publish('pos', { transactionId: 'T-down', customerId: 'c-mia', currency: 'GBP', total: 20, lines: [{ sku: 'SKU-10', qty: 2, unitPrice: 10 }] });
    await first.pub.endAsync();
    const second = await startTestEngine({ mqttUrl, redisUrl, clientId, prefix, storeId });
    try {
      const visit = await eventually(() => second.engine.visits.peek(storeId, 'd-while-down'));
      expect(visit.zoneId).toBe('z-candles');
      const { Redis } = await import('ioredis');
      const r = new Redis(redisUrl);
      const p = await eventually(async () => { const x = JSON.parse((await r.get(createKeys(prefix).profile('c-mia')))!); return x.points > 4200 ? x : undefined; });
      r.disconnect();
      expect(p.recentSkus[0]).toBe('SKU-10');
    } finally {
      await second.close();
    }
  });
});

describe('visit silence', () => {
  it('ends a visit when its device falls silent, and the zone goes idle', async () => {
    const t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), env: { AISLE_VISIT_SILENCE_MS: '400' } });
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-kitchen-1'), storeId: t.storeId, screenId: 'scr-kitchen-1' });
    try {
      await screen.next((f) => f.type === 'screen.content');
      const from = screen.frames.length;
      await t.publish('presence', { deviceId: 'd-quiet', customerId: 'c-mia', zoneId: 'z-kitchen', source: 'wifi' });
      await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason === 'shopper', 5000, from);
      const shown = screen.frames.length;
      const idle = await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason === 'idle', 5000, shown);
      expect(idle.greeting).toBeUndefined();
      expect(t.engine.visits.peek(t.storeId, 'd-quiet')).toBeUndefined();
      // The screen's impression of what it rendered is counted.
      screen.ws.send(JSON.stringify({ type: 'impression', screenId: 'scr-kitchen-1', decisionId: idle.decisionId, skus: idle.items.map((i) => i.sku), renderedAt: Date.now() }));
      await eventually(async () => ((await metric(t.port, 'aisle_impressions_total', `store="${t.storeId}"`)) === 1 ? true : undefined));
    } finally {
      await screen.close();
      await t.close();
    }
  });
});
