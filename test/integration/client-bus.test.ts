import mqtt from 'mqtt';
import { describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../engine/platform/log.js';
import { createClientBus } from '../../engine/platform/client-bus.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';

describe('client bus on a real broker: acknowledgement after the work, in arrival order', () => {
  it('redelivers to the next session whatever was not acknowledged, and never what was', async () => {
    const url = inject('mosquittoUrl');
    const clientId = uniqueId('bus');
    const topic = `aisle-test/${uniqueId('t')}/pos`;
    const got: string[] = [];
    const held = new Map<string, () => void>();
    // Message 2's work never finishes; 1, 3, 4 finish at once. 3 and 4 wait behind 2 (acknowledgements go in order).
    const bus = await createClientBus({ url, clientId, log: silentLogger(), onMessage: (_t, payload) => {
      const m = payload.toString();
      got.push(m);
      if (m === '2') return new Promise<void>((r) => held.set(m, r));
      return Promise.resolve();
    } });
    await bus.subscribe(topic);
    const pub = await mqtt.connectAsync(url, { clientId: uniqueId('pub'), reconnectPeriod: 0 });
    for (const m of ['1', '2', '3', '4']) await pub.publishAsync(topic, m, { qos: 1 });
    await eventually(() => (got.length === 4 ? true : undefined));
    expect(bus.unacked).toBe(3); // 2 at work, 3 and 4 done but behind it
    await bus.stopTaking(50);
    await pub.publishAsync(topic, '5', { qos: 1 }); // arrives while stopping: not taken, not acknowledged
    await bus.close();

    const again: string[] = [];
    const next = await createClientBus({ url, clientId, log: silentLogger(), onMessage: (_t, payload) => { again.push(payload.toString()); return Promise.resolve(); } });
    await eventually(() => (again.length >= 4 ? true : undefined));
    await new Promise((r) => setTimeout(r, 200)); // nothing more may come
    expect(again).toEqual(['2', '3', '4', '5']);
    expect(next.unacked).toBe(0);
    await next.close();
    // The session is acknowledged empty: a third session gets nothing.
    const third: string[] = [];
    const last = await createClientBus({ url, clientId, log: silentLogger(), onMessage: (_t, payload) => { third.push(payload.toString()); } });
    await new Promise((r) => setTimeout(r, 200));
    expect(third).toEqual([]);
    await last.close();
    await (await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 0 })).endAsync();
    await pub.endAsync();
    held.get('2')?.();
  });
});
