import { describe, expect, it } from 'vitest';
import { DecisionMessage } from '../contracts/decision.js';
import { InboundEvent, type PosEvent } from '../contracts/events.js';
import { decisionsTopic, parseTopic } from '../contracts/topics.js';
import { createEmbeddedBus } from '../platform/embedded-bus.js';
import { silentLogger } from '../platform/log.js';
import { loadDemoShoppers, localEngineUrl, startDemoSimulator } from './start.js';
import { testStore } from './testing.js';

describe('startDemoSimulator', () => {
  it('loads the bundled demo members', () => {
    const shoppers = loadDemoShoppers();
    expect(shoppers.length).toBeGreaterThan(300);
    expect(shoppers[0]!.customerId).toMatch(/^c-\d+$/);
  });

  it('publishes valid events to a real broker over MQTT and stops cleanly', async () => {
    const got: { topic: string; event: InboundEvent }[] = [];
    const bus = await createEmbeddedBus({ port: 0, host: '127.0.0.1', log: silentLogger(), onMessage: (topic, payload) => {
      got.push({ topic, event: InboundEvent.parse(JSON.parse(payload.toString('utf8'))) });
    } });
    await bus.subscribe('aisle/v1/stores/+/+');
    const store = testStore();
    const sim = await startDemoSimulator({ engine: { stores: { all: () => [{ config: store }] } }, mqttUrl: bus.url, log: silentLogger(),
      customers: [{ customerId: 'c-1' }, { customerId: 'c-2' }], speed: 400, concurrentShoppers: 3 });
    await new Promise((r) => setTimeout(r, 800));
    await Promise.all([sim.stop(), sim.stop()]);
    await bus.close();
    expect(got.length).toBeGreaterThan(10);
    for (const g of got) expect(parseTopic(g.topic)).toMatchObject({ kind: 'event', storeId: 's-001', type: g.event.type });
  });

  it('hears the engine\'s decisions on the broker: members buy what their personal turns showed them', async () => {
    const pos: PosEvent[] = [];
    let bus: Awaited<ReturnType<typeof createEmbeddedBus>> | undefined;
    bus = await createEmbeddedBus({ port: 0, host: '127.0.0.1', log: silentLogger(), onMessage: (topic, payload) => {
      if (parseTopic(topic).kind !== 'event') return;
      const event = InboundEvent.parse(JSON.parse(payload.toString('utf8')));
      if (event.type === 'pos') pos.push(event);
      // The engine answers a member's arrival with a personal turn: one rule-brought item, one ranked.
      if (event.type === 'identity') {
        const msg: DecisionMessage = { decisionId: `dec-${event.id}`, storeId: 's-001', zoneId: 'z-entrance', screenId: 'scr-z-entrance', reason: 'shopper',
          customerId: event.customerId, shoppers: 1, ranker: 'heuristic', createdAt: Date.now(), origin: 'test', rules: ['r-1'],
          items: [{ sku: 'SKU-01', score: 1, why: 'pinned (r-1)' }, { sku: 'SKU-32', score: 1, why: 'ranked' }] };
        void bus!.publish(decisionsTopic('s-001'), JSON.stringify(DecisionMessage.parse(msg)));
      }
    } });
    await bus.subscribe('aisle/v1/stores/+/+');
    const sim = await startDemoSimulator({ engine: { stores: { all: () => [{ config: testStore() }] } }, mqttUrl: bus.url, log: silentLogger(),
      customers: [{ customerId: 'c-1' }], speed: 1_000, concurrentShoppers: 1, baseline: 1, effect: 0 });
    for (let t = 0; t < 100 && pos.filter((p) => p.customerId === 'c-1').length < 3; t++) await new Promise((r) => setTimeout(r, 50));
    await sim.stop();
    await bus.close();
    const members = pos.filter((p) => p.customerId === 'c-1');
    expect(members.length).toBeGreaterThanOrEqual(3);
    for (const p of members) expect(p.lines.map((l) => l.sku)).toEqual(expect.arrayContaining(['SKU-01', 'SKU-32']));
    expect(sim.stats().shownBought).toBeGreaterThan(0);
    expect(sim.screens()).toEqual([]); // no engine address: no screens played
  });

  it('refuses an unusable effect before connecting anywhere', async () => {
    await expect(startDemoSimulator({ engine: { stores: { all: () => [{ config: testStore() }] } }, mqttUrl: 'mqtt://127.0.0.1:1', log: silentLogger(),
      effect: -3 })).rejects.toThrow(/AISLE_SIM_EFFECT: must be a number of at least -1/);
  });

  it('reaches an engine listening on every address through loopback', () => {
    expect(localEngineUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080');
    expect(localEngineUrl('::', 8081)).toBe('http://127.0.0.1:8081');
    expect(localEngineUrl('127.0.0.1', 80)).toBe('http://127.0.0.1:80');
    expect(localEngineUrl('::1', 9000)).toBe('http://[::1]:9000');
  });
});
