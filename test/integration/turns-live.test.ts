import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Profile, StoreConfig, type ScreenContent } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { testProfiles, testStore, uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';

const NAMES = ['Lena', 'Wei', 'Omar', 'Sofia', 'Jonas'];

/** A busy zone on a real broker and Redis: five consenting shoppers in front of one screen each get a turn. */
describe('personal turns in a busy zone', () => {
  let t: TestEngine;
  let screen: TestWs;
  const content = (f: { type: string }): f is ScreenContent => f.type === 'screen.content';

  beforeAll(async () => {
    const storeId = uniqueId('t');
    const shoppers = NAMES.map((name, i) => Profile.parse({ customerId: `c-turn-${i}`, displayName: name, lifecycle: 'active',
      affinities: { candles: 0.5 + i / 10 }, consent: { personalization: true, displayName: true, associateAlerts: false }, updatedAt: 1 }));
    const store = StoreConfig.parse({ ...testStore(storeId), turns: { turnMs: 1000 } });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, store, profiles: [...testProfiles(), ...shoppers] });
    screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId, screenId: 'scr-candles-1' });
    await screen.next(content);
  });
  afterAll(async () => { await screen?.close(); await t?.close(); });

  it('serves each of five consenting shoppers in arrival order, one turn at a time', async () => {
    const from = screen.frames.length;
    for (let i = 0; i < NAMES.length; i++) {
      await t.publish('presence', { deviceId: `d-turn-${i}`, customerId: `c-turn-${i}`, zoneId: 'z-candles', rssi: -60, source: 'ble' });
      await new Promise((r) => setTimeout(r, 20)); // distinct arrival times
    }
    const last = await screen.next<ScreenContent>((f) => content(f) && f.greeting?.includes(NAMES.at(-1)!) === true, 10_000, from);
    const turns = screen.frames.slice(from).filter(content).filter((f) => f.reason === 'shopper');
    const greeted = [...new Set(turns.map((f) => f.greeting))];
    expect(greeted).toEqual(NAMES.map((n) => `Welcome back, ${n}`));
    // Each turn lasted about turnMs: never interrupted by the next arrival.
    const starts = NAMES.map((n) => turns.find((f) => f.greeting === `Welcome back, ${n}`)!.createdAt!);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(950);
    expect(last.reason).toBe('shopper');
  });
});
