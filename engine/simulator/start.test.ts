import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../contracts/events.js';
import { parseTopic } from '../contracts/topics.js';
import { createEmbeddedBus } from '../platform/embedded-bus.js';
import { silentLogger } from '../platform/log.js';
import { loadDemoShoppers, startDemoSimulator } from './start.js';
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
});
