import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ScreenContent } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { eventually } from '../helpers/eventually.js';

/** Real Mosquitto, real Redis, real WebSocket: presence in a zone changes that zone's screen. */
describe('presence → decision → screen', () => {
  let t: TestEngine;
  let screen: TestWs;
  const content = (f: { type: string }): f is ScreenContent => f.type === 'screen.content';

  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    await screen.next((f) => f.type === 'welcome');
    await screen.next((f) => content(f) && f.reason === 'idle');
  });
  afterAll(async () => { await screen?.close(); await t?.close(); });

  /** When the newest content frame before index `i` was made (the turn running then). */
  const t0 = (i: number) => [...screen.frames.slice(0, i)].reverse().find(content)?.createdAt ?? 0;
  const nextContent = (pred: (f: ScreenContent) => boolean) => screen.next<ScreenContent>((f) => content(f) && pred(f), 5000, 0);

  it('shows a consenting shopper their own content, with their first name', async () => {
    const from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', rssi: -60, source: 'wifi' });
    const f = await screen.next<ScreenContent>((x) => content(x) && x.reason === 'shopper', 5000, from);
    expect(f.greeting).toBe('Welcome back, Mia');
    expect(f.template).toBe('hero');
    expect(f.items.length).toBe(4);
    // Mia bought SKU-14 four times and loves candles: it leads, said as an interest, never as her history.
    expect(f.items[0]!.sku).toBe('SKU-14');
    expect(f.items[0]!.note).toBe('Because you like candles');
    expect(JSON.stringify(f)).not.toMatch(/bought|browsed|affinity|4×/);
    // At least half of the screen is this zone's own category (candles are SKU-1x in the test store).
    expect(f.items.filter((i) => i.sku.startsWith('SKU-1')).length).toBeGreaterThanOrEqual(2);
  });

  it('goes idle when she leaves the store', async () => {
    const from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    const f = await screen.next<ScreenContent>((x) => content(x) && x.reason === 'idle', 5000, from);
    expect(f.greeting).toBeUndefined();
  });

  it('never personalizes a shopper without consent and never shows their name', async () => {
    const from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-noah', customerId: 'c-noah', zoneId: 'z-candles', source: 'ble' });
    const f = await screen.next<ScreenContent>((x) => content(x) && x.reason !== 'idle', 5000, from);
    expect(f.reason).toBe('audience');
    expect(f.greeting).toBeUndefined();
    expect(JSON.stringify(f)).not.toContain('Noah');
    expect(JSON.stringify(f)).not.toMatch(/bought|browsed|affinity|tapped/);
    await t.publish('presence', { deviceId: 'd-noah', zoneId: null, source: 'ble' });
    await screen.next<ScreenContent>((x) => content(x) && x.reason === 'idle', 5000, from + 1);
  });

  it('personalizes without a name when only displayName consent is missing', async () => {
    const from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-ava', customerId: 'c-ava', zoneId: 'z-candles', source: 'wifi' });
    const f = await screen.next<ScreenContent>((x) => content(x) && x.reason === 'shopper', 5000, from);
    expect(f.greeting).toBeUndefined();
    expect(JSON.stringify(f)).not.toContain('Ava');
  });

  it('takes turns when a second consenting shopper arrives: the running turn is never interrupted', async () => {
    const from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    // Ava's turn (2 s in the test store) runs out first; then Mia's turn greets her by name.
    const mia = await screen.next<ScreenContent>((x) => content(x) && x.greeting === 'Welcome back, Mia', 6000, from);
    expect(mia.reason).toBe('shopper');
    expect(mia.createdAt! - t0(from)).toBeGreaterThanOrEqual(1000);
    const shown = screen.frames.slice(from).filter(content);
    // Nothing in between but Ava's own (nameless) turn: no audience frame, no name that is not the turn's.
    for (const f of shown.slice(0, shown.indexOf(mia))) {
      expect(f.reason).toBe('shopper');
      expect(JSON.stringify(f)).not.toMatch(/Mia|Ava/);
    }
    // And Ava gets the screen back after Mia's turn.
    const back = await screen.next<ScreenContent>((x) => content(x) && x.reason === 'shopper' && !x.greeting, 6000, screen.frames.indexOf(mia) + 1);
    expect(JSON.stringify(back)).not.toMatch(/Mia|Ava/);
  });

  it('links a device identified later (identity event) and personalizes it', async () => {
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    await t.publish('presence', { deviceId: 'd-ava', zoneId: null, source: 'wifi' });
    await eventually(() => (t.engine.visits.countInZone(t.storeId, 'z-candles') === 0 ? true : undefined));
    await t.engine.settle();
    const from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-new', zoneId: 'z-candles', source: 'wifi' });
    await screen.next<ScreenContent>((x) => content(x) && x.reason === 'audience', 5000, from);
    await t.publish('identity', { deviceId: 'd-new', customerId: 'c-mia', method: 'app-login' });
    const f = await screen.next<ScreenContent>((x) => content(x) && x.reason === 'shopper', 5000, from);
    expect(f.greeting).toBe('Welcome back, Mia');
    // The link is committed in Redis with a TTL (the frame may come first), and the visit is written behind.
    const { Redis } = await import('ioredis');
    const r = new Redis(inject('redisUrl'));
    await eventually(async () => ((await r.get(`${t.prefix}device:d-new`)) === 'c-mia' ? true : undefined));
    expect(await r.pttl(`${t.prefix}device:d-new`)).toBeGreaterThan(80 * 86_400_000);
    await eventually(async () => ((await r.hexists(createKeys(t.prefix).visits(t.storeId), 'd-new')) === 1 ? true : undefined));
    r.disconnect();
  });

  it('applies a POS purchase to the profile in Redis', async () => {
    await t.publish('pos', { transactionId: 'T-1', customerId: 'c-mia', currency: 'GBP', total: 12.5,
      lines: [{ sku: 'SKU-30', qty: 1, unitPrice: 10 }, { sku: 'SKU-31', qty: 0.5, unitPrice: 5 }] });
    const { Redis } = await import('ioredis');
    const r = new Redis(inject('redisUrl'));
    const p = await eventually(async () => {
      const x = JSON.parse((await r.get(createKeys(t.prefix).profile('c-mia')))!);
      return x.points > 4200 ? x : undefined;
    });
    r.disconnect();
    expect(p.points).toBe(4200 + Math.floor(12.5 * 1.5));
    expect(p.recentSkus.slice(0, 2)).toEqual(['SKU-30', 'SKU-31']);
    expect(p.rfm).toMatchObject({ frequency: 1, recencyDays: 0 });
  });
});
