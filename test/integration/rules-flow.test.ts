import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PreviewResult, Rule, RuleVersion, ScreenContent } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';

/**
 * The merchandiser's flow end to end (real broker, Redis, engine): write a rule with a trigger,
 * try it in the preview for a shopper and a screen, publish it, see it on that screen within a
 * second when the shopper does what the trigger waits for, change it, restore the earlier version.
 */
describe('a merchandiser publishes a shelf-label rule', () => {
  let t: TestEngine;
  let screen: TestWs;
  const content = (f: { type: string }): f is ScreenContent => f.type === 'screen.content';
  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`http://127.0.0.1:${t.port}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer tok-merch-${t.storeId}-xxx`, 'content-type': 'application/json' } });
    return { status: res.status, body: await res.json() as T };
  };
  // A tap on the label of SKU-03 (kitchen item 3) shows what goes with it: SKU-06 first.
  const rule = () => ({ ruleId: 'r-goes-with', name: 'What goes with kitchen item 3', enabled: false, priority: 300,
    target: { stores: [t.storeId], zones: ['z-kitchen'] }, trigger: { type: 'eslTap', skus: ['SKU-03'] },
    actions: { pin: ['SKU-06'] }, caps: { perShopperPerVisit: 5 } });

  beforeAll(async () => {
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-kitchen-1'), storeId: t.storeId, screenId: 'scr-kitchen-1' });
    await screen.next(content);
  });
  afterAll(async () => { await screen?.close(); await t?.close(); });

  it('drafts, previews, publishes, sees it live within a second, and restores', async () => {
    expect((await api('POST', '/api/v1/rules', rule())).status).toBe(201);

    // Preview: the draft (enabled) for Mia at the kitchen screen, as if she had tapped the label.
    const pre = await api<PreviewResult>('POST', '/api/v1/rules/preview', { storeId: t.storeId, screenId: 'scr-kitchen-1', customerId: 'c-mia',
      visit: { tappedSkus: ['SKU-03'] }, draft: [{ ...rule(), enabled: true }] });
    expect(pre.status).toBe(200);
    const p = pre.body.screens[0]!;
    expect(p.mode).toBe('shopper');
    expect(p.frame.items[0]).toMatchObject({ sku: 'SKU-06', badge: 'Pairs well', note: 'Goes well with kitchen item 3' });
    expect(p.frame.headline).toBe('Goes well with kitchen item 3');
    expect(p.rules.find((r) => r.ruleId === 'r-goes-with')).toMatchObject({ status: 'matched', why: 'eslTap trigger' });
    // Without the draft the live (disabled) rule does nothing, and the preview says so.
    const off = await api<PreviewResult>('POST', '/api/v1/rules/preview', { storeId: t.storeId, screenId: 'scr-kitchen-1', customerId: 'c-mia',
      visit: { tappedSkus: ['SKU-03'] } });
    expect(off.body.screens[0]!.rules.find((r) => r.ruleId === 'r-goes-with')?.status).toBe('disabled');

    // Mia walks into the kitchen and taps the label: still the disabled rule, nothing pinned.
    let from = screen.frames.length;
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-kitchen', rssi: -55, source: 'wifi' });
    // Label taps travel on their own (transactional) session: tap once she is known to be there.
    await screen.next<ScreenContent>((f) => content(f) && f.reason === 'shopper', 3000, from);
    await t.publish('esl', { labelId: 'L-2', action: 'nfc', customerId: 'c-mia', deviceId: 'd-mia' });
    await t.engine.settle();
    const before = screen.frames.slice(from).filter(content).at(-1)!;
    expect(before.reason).toBe('shopper');
    expect(before.items[0]!.sku).not.toBe('SKU-06');

    // Publish: on her screen within a second, exactly as previewed.
    from = screen.frames.length;
    const t0 = Date.now();
    expect((await api<Rule>('POST', '/api/v1/rules/r-goes-with/enable')).status).toBe(200);
    const live = await screen.next<ScreenContent>((f) => content(f) && f.items[0]?.sku === 'SKU-06', 3000, from);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(live.headline).toBe('Goes well with kitchen item 3');

    // Change it, then restore the published version.
    expect((await api('PUT', '/api/v1/rules/r-goes-with', { ...rule(), enabled: true, actions: { pin: ['SKU-04'] } })).status).toBe(200);
    await screen.next<ScreenContent>((f) => content(f) && f.items[0]?.sku === 'SKU-04', 3000, from);
    const history = (await api<RuleVersion[]>('GET', '/api/v1/rules/r-goes-with/versions')).body;
    expect(history.map((v) => v.action)).toEqual(['update', 'enable', 'create']);
    const published = history.find((v) => v.action === 'enable')!;
    from = screen.frames.length;
    expect((await api('POST', '/api/v1/rules/r-goes-with/restore', { version: published.version })).status).toBe(200);
    await screen.next<ScreenContent>((f) => content(f) && f.items[0]?.sku === 'SKU-06', 3000, from);
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
  });
});
