import { describe, expect, it } from 'vitest';
import { Profile, StoreConfig, type AlertClaimed, type Visit } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import { silentLogger } from '../platform/log.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { rankHeuristic } from '../scoring/heuristic.js';
import { createStoreRegistry } from '../stores/registry.js';
import type { AlertBody } from './alert-content.js';
import { createAlerts } from './alerts.js';

const all = { personalization: true, displayName: true, associateAlerts: true };
const store = StoreConfig.parse({ storeId: 's-1', name: 'S', timezone: 'Europe/London', locale: 'en-GB',
  zones: [{ zoneId: 'z-1', name: 'Entrance', categories: ['candles'] }, { zoneId: 'z-2', name: 'Back', categories: ['candles'] }],
  catalog: Array.from({ length: 6 }, (_, i) => ({ sku: `S-${i}`, name: `Candle ${i}`, category: 'candles', price: 3 })),
  associates: { cooldownMs: 600_000, lingerMs: 30_000 } });
const vip = Profile.parse({ customerId: 'c-v', displayName: 'Vi', tier: 'platinum', affinities: { candles: 1 }, consent: all });
const gold = Profile.parse({ customerId: 'c-g', tier: 'gold', consent: all });

function setup() {
  const clock = manualClock(1_800_000_000_000);
  const kv = createMemoryKv(clock);
  const stores = createStoreRegistry([store]);
  const sent: AlertBody[] = [];
  const claimed: Omit<AlertClaimed, 'seq'>[] = [];
  let n = 0;
  const alerts = createAlerts({ kv, keys: createKeys('t:'), clock, log: silentLogger(), origin: 'o-1', stores,
    hub: { sendAlert: (_s, f) => sent.push(f), sendClaimed: (_s, f) => claimed.push(f), forgetAlert: () => {}, clients: () => [] },
    publishAlert: () => {}, rank: async (req) => ({ items: rankHeuristic(req), ranker: 'heuristic' }), profile: async () => undefined, newId: () => `${++n}` });
  const entry = stores.get('s-1')!;
  const visit = (deviceId: string, p: Profile, zoneId = 'z-1', over: Partial<Visit> = {}): Visit => ({ storeId: 's-1', deviceId, customerId: p.customerId,
    enteredAt: clock.now(), lastSeenAt: clock.now(), lastEventTs: clock.now(), zoneId, zoneEnteredAt: clock.now(), dwellMs: {}, zonesVisited: [zoneId],
    eslSkus: [], eslCount: 0, ...over });
  const see = (v: Visit, p: Profile) => alerts.observe(entry, entry.zones.get(v.zoneId!)!, [{ visit: v, profile: p }], clock.now());
  return { alerts, clock, sent, claimed, visit, see };
}

describe('VIP alerts', () => {
  it('one alert per visit, none again within the cooldown, one after it; none for a non-VIP', async () => {
    const s = setup();
    const v1 = s.visit('d-1', vip);
    s.see(v1, vip); s.see(v1, vip);
    s.see(s.visit('d-g', gold), gold);
    await s.alerts.idle();
    expect(s.sent.map((a) => [a.alertId, a.reason])).toEqual([['al-1', 'arrived']]);
    s.clock.advance(60_000);
    s.see(s.visit('d-2', vip), vip); // a new visit within the cooldown
    await s.alerts.idle();
    expect(s.sent).toHaveLength(1);
    s.clock.advance(600_000);
    s.see(s.visit('d-3', vip), vip);
    await s.alerts.idle();
    expect(s.sent.map((a) => a.alertId)).toEqual(['al-1', 'al-2']);
  });

  it('lingering in a zone updates the open alert once per zone, and asks to be woken when it will have lingered', async () => {
    const s = setup();
    const v = s.visit('d-1', vip);
    expect(s.see(v, vip)).toBeUndefined();
    await s.alerts.idle();
    expect(s.see(v, vip)).toBe(v.zoneEnteredAt + 30_000);
    s.clock.advance(30_000);
    s.see(v, vip); s.see(v, vip);
    await s.alerts.idle();
    expect(s.sent.map((a) => [a.alertId, a.reason, a.zoneId])).toEqual([['al-1', 'arrived', 'z-1'], ['al-1', 'lingering', 'z-1']]);
    expect(s.sent[1]!.createdAt).toBe(s.sent[0]!.createdAt);
  });

  it('claims: the first wins, a second associate is told who holds it, only the holder releases', async () => {
    const s = setup();
    s.see(s.visit('d-1', vip), vip);
    await s.alerts.idle();
    const ctx = (associateId: string) => ({ storeId: 's-1', associateId });
    s.alerts.claim(ctx('a-1'), { type: 'claim', alertId: 'al-1' });
    s.alerts.claim(ctx('a-2'), { type: 'claim', alertId: 'al-1' });
    await s.alerts.idle();
    expect(s.claimed.map((c) => c.associateId)).toEqual(['a-1', 'a-1']);
    s.alerts.claim(ctx('a-2'), { type: 'release', alertId: 'al-1' });
    await s.alerts.idle();
    expect(s.claimed).toHaveLength(2);
    s.alerts.claim(ctx('a-1'), { type: 'release', alertId: 'al-1' });
    s.alerts.claim(ctx('a-1'), { type: 'claim', alertId: 'al-nope' });
    await s.alerts.idle();
    expect(s.claimed.at(-1)).toMatchObject({ alertId: 'al-1', associateId: null });
    expect(s.claimed).toHaveLength(3);
  });
});
