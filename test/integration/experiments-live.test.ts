import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Profile, type PreviewResult, type ExperimentReport, type ScreenContent } from '#contracts';
import { assignArm } from '../../engine/experiments/stats/assign.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { testProfiles, uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { startMosquitto } from '../fault/harness/mosquitto.js';
import { perFileScope } from '../fault/harness/scope.js';

const ARMS = [{ armId: 'treatment', name: 'Rule on', share: 0.5, rule: 'on' as const }, { armId: 'holdout', name: 'Holdout', share: 0.5, rule: 'off' as const }];

/**
 * An experiment end to end on a real broker and Redis, with two engine instances: shoppers split into
 * arms the same way on both, the holdout never gets the rule, screens confirm what they rendered,
 * purchases of shown SKUs convert in the shopper's arm exactly once, and the report counts them.
 */
describe('an experiment in the store', () => {
  const scope = perFileScope();
  let a: TestEngine;
  let b: TestEngine;
  let screen: TestWs;
  const expId = uniqueId('x');
  const content = (f: { type: string }): f is ScreenContent => f.type === 'screen.content';
  // Consenting members, and which arm each is in: the first of each arm takes part.
  const members = Array.from({ length: 12 }, (_, i) => Profile.parse({ customerId: `c-exp-${i}`, displayName: `M${i}`, lifecycle: 'active',
    affinities: { candles: 0.6 }, consent: { personalization: true, displayName: true, associateAlerts: true }, updatedAt: 1 }));
  const inArm = (arm: string) => members.find((m) => assignArm(expId, m.customerId, ARMS) === arm)!;
  const api = async <T>(t: TestEngine, method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${t.port}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer tok-merch-${t.storeId}-xxx`, 'content-type': 'application/json' } });
    return { status: res.status, body: await res.json() as T };
  };

  beforeAll(async () => {
    const storeId = uniqueId('t');
    const prefix = `${uniqueId('test')}:`;
    const profiles = [...testProfiles(), ...members];
    a = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, prefix, profiles });
    // B shares Redis but not the broker: it answers the API and previews, while A alone decides this store's screens
    // (with plain subscriptions two instances on one broker would both decide every zone; docs/contracts.md §Scale).
    const own = await startMosquitto(scope);
    b = await startTestEngine({ mqttUrl: own.url, redisUrl: inject('redisUrl'), storeId, prefix, profiles });
    screen = await connectWs(a.port, { role: 'screen', token: a.screenToken('scr-candles-1'), storeId, screenId: 'scr-candles-1' });
    await screen.next(content);
    expect((await api(a, 'POST', '/api/v1/rules', { ruleId: 'r-exp', name: 'Candle of the week', target: { stores: [storeId], tiers: ['member', 'silver', 'gold', 'platinum'] },
      actions: { pin: ['SKU-35'] } })).status).toBe(201);
    expect((await api(a, 'POST', '/api/v1/experiments', { experimentId: expId, name: 'Candle of the week vs holdout', ruleId: 'r-exp', stores: [storeId],
      status: 'running', arms: ARMS })).status).toBe(201);
  });
  afterAll(async () => { await screen?.close(); await b?.close(); await a?.close(); });

  /** A member's personal turn on the candles screen, confirmed by the screen as a player does. */
  async function turn(customerId: string): Promise<ScreenContent> {
    const from = screen.frames.length;
    await a.publish('presence', { deviceId: `d-${customerId}`, customerId, zoneId: 'z-candles', source: 'wifi' });
    const f = await screen.next<ScreenContent>((x) => content(x) && x.reason === 'shopper', 5000, from);
    screen.ws.send(JSON.stringify({ type: 'impression', screenId: 'scr-candles-1', decisionId: f.decisionId, skus: f.items.map((i) => i.sku), renderedAt: Date.now() }));
    return f;
  }
  const buy = (customerId: string, sku: string, id: string) => a.publish('pos', { id, transactionId: `tx-${id}`, customerId, currency: 'GBP', total: 5,
    lines: [{ sku, qty: 1, unitPrice: 5 }] });

  it('splits shoppers the same way on both instances; the holdout never gets the rule', async () => {
    for (const m of [inArm('treatment'), inArm('holdout')]) {
      const arm = assignArm(expId, m.customerId, ARMS);
      for (const t of [a, b]) {
        const p = await api<PreviewResult>(t, 'POST', '/api/v1/rules/preview', { storeId: t.storeId, screenId: 'scr-candles-1', customerId: m.customerId });
        expect(p.body.screens[0]!.rules.find((r) => r.ruleId === 'r-exp')!.status).toBe(arm === 'treatment' ? 'matched' : 'holdout');
        expect(p.body.screens[0]!.frame.items[0]!.sku === 'SKU-35').toBe(arm === 'treatment');
      }
    }
  });

  it('counts impressions and converts purchases of what was shown in the shopper\'s arm, once', async () => {
    const t = inArm('treatment');
    const h = inArm('holdout');
    const ft = await turn(t.customerId);
    expect(ft.items[0]!.sku).toBe('SKU-35');
    await a.publish('presence', { deviceId: `d-${t.customerId}`, zoneId: null, source: 'wifi' });
    const fh = await turn(h.customerId);
    expect(fh.greeting).toBe(`Welcome back, ${h.displayName}`);
    expect(fh.items.map((i) => i.sku)).not.toContain('SKU-35');
    const r = new Redis(inject('redisUrl'));
    await eventually(async () => ((await r.llen(`${a.prefix}impressions:${h.customerId}`)) === 1 ? true : undefined));
    await buy(t.customerId, 'SKU-35', 'pos-t1');
    await buy(t.customerId, 'SKU-35', 'pos-t1'); // redelivered: counts once
    await buy(h.customerId, fh.items[1]!.sku, 'pos-h1');
    await buy(h.customerId, 'SKU-30', 'pos-h2'); // never shown: no conversion
    await a.engine.settle();
    const report = await eventually(async () => {
      const g = await api<{ report: ExperimentReport }>(b, 'GET', `/api/v1/experiments/${expId}`);
      const arms = g.body.report?.arms ?? [];
      return arms.every((x) => x.conversions === 1) && arms.length === 2 ? g.body.report : undefined;
    });
    for (const arm of report.arms) expect(arm).toMatchObject({ shoppers: 1, impressions: 1, conversions: 1 });
    expect(report.arms.find((x) => x.armId === 'treatment')!.revenuePerShopper).toBe(5);
    expect(report.comparisons[0]).toMatchObject({ armId: 'treatment', verdict: 'not_enough_data' });
    r.disconnect();
  });

  it('stops splitting when paused: the rule applies to everyone again', async () => {
    expect((await api(a, 'POST', `/api/v1/experiments/${expId}/pause`)).status).toBe(200);
    const h = inArm('holdout');
    await eventually(async () => {
      const p = await api<PreviewResult>(b, 'POST', '/api/v1/rules/preview', { storeId: b.storeId, screenId: 'scr-candles-1', customerId: h.customerId });
      return p.body.screens[0]!.rules.find((x) => x.ruleId === 'r-exp')!.status === 'matched' ? true : undefined;
    });
  });
});
