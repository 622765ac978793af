import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { framesTopic, type RemoteFrame, type ScreenContent } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';

const metric = async (port: number, outcome: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('aisle_remote_frames_total{') && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').pop()) : 0;
};

/** Frames another instance made for a screen this one holds (engines-only topic, docs/contracts.md §Scale). */
describe('frames between engine instances', () => {
  let t: TestEngine;
  let other: mqtt.MqttClient;
  let screen: TestWs;
  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    other = await mqtt.connectAsync(inject('mosquittoUrl'), { reconnectPeriod: 0, clientId: uniqueId('other-engine') });
    screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    await screen.next((f) => f.type === 'screen.content');
  });
  afterAll(async () => { await screen?.close(); await other?.endAsync(); await t?.close(); });

  const frame = (decisionId: string, over: Partial<RemoteFrame['frame']> = {}): RemoteFrame['frame'] => ({ type: 'screen.content',
    screenId: 'scr-candles-1', storeId: t.storeId, decisionId, reason: 'idle', template: 'grid', ttlMs: 30_000,
    items: [{ sku: 'SKU-10', name: 'candles item 0', price: 2 }], ...over });
  const send = (topicStore: string, msg: unknown) => other.publishAsync(framesTopic(topicStore), JSON.stringify(msg), { qos: 1 });

  it('delivers a frame from another instance to the screen whose socket this one holds', async () => {
    await send(t.storeId, { origin: 'engine-b', storeId: t.storeId, frame: frame('dec-remote-ok') });
    const f = await screen.next<ScreenContent>((x) => x.type === 'screen.content' && x.decisionId === 'dec-remote-ok');
    expect(f.items[0]!.sku).toBe('SKU-10');
  });

  it('lets no screen have a frame whose store or screen disagrees with its topic, or that breaks the schema', async () => {
    const before = screen.frames.length;
    const accepted = await metric(t.port, 'accepted');
    await send('s-elsewhere', { origin: 'engine-b', storeId: t.storeId, frame: frame('dec-bad-topic') }); // topic of another store
    await send(t.storeId, { origin: 'engine-b', storeId: 's-elsewhere', frame: frame('dec-bad-payload') }); // payload of another store
    await send(t.storeId, { origin: 'engine-b', storeId: t.storeId, frame: frame('dec-bad-frame', { storeId: 's-elsewhere' }) });
    await send(t.storeId, { origin: 'engine-b', storeId: t.storeId, frame: frame('dec-bad-screen', { screenId: 'scr-not-in-store' }) });
    await send(t.storeId, { origin: 'engine-b', storeId: t.storeId, frame: { ...frame('dec-bad-item'), items: [{ sku: 'SKU-10', name: 'x', price: 1, why: 'bought 4× before' }] } });
    await send(t.storeId, 'not json{');
    // A valid frame sent last, so everything before it has been handled when it arrives.
    await send(t.storeId, { origin: 'engine-b', storeId: t.storeId, frame: frame('dec-remote-last') });
    await screen.next((x) => x.type === 'screen.content' && (x as ScreenContent).decisionId === 'dec-remote-last', 5000, before);
    const got = screen.frames.slice(before).filter((x): x is ScreenContent => x.type === 'screen.content').map((x) => x.decisionId);
    expect(got.filter((d) => d.startsWith('dec-bad'))).toEqual([]);
    await eventually(async () => ((await metric(t.port, 'accepted')) >= accepted + 1 ? true : undefined));
    expect(await metric(t.port, 'store_mismatch')).toBeGreaterThanOrEqual(2);
    expect(await metric(t.port, 'invalid')).toBeGreaterThanOrEqual(2);
  });
});
