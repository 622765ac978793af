import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PreviewResult, Rule, ScreenContent } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';

/**
 * Rules in the hot path, end to end on a real broker and Redis with two engine instances: a rule
 * created through one instance's API reaches screens on both within a second, without a restart;
 * an invalid change leaves the old rule serving; an older version can be restored; the preview
 * answers exactly what the live path sends.
 */
describe('merchandiser rules, live on two instances', () => {
  let a: TestEngine;
  let b: TestEngine;
  let onA: TestWs;
  let onB: TestWs;
  const content = (f: { type: string }): f is ScreenContent => f.type === 'screen.content';

  beforeAll(async () => {
    const storeId = uniqueId('t');
    const prefix = `${uniqueId('test')}:`;
    a = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, prefix });
    b = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, prefix });
    onA = await connectWs(a.port, { role: 'screen', token: a.screenToken('scr-kitchen-1'), storeId, screenId: 'scr-kitchen-1' });
    onB = await connectWs(b.port, { role: 'screen', token: b.screenToken('scr-entrance-1'), storeId, screenId: 'scr-entrance-1' });
    await onA.next(content);
    await onB.next(content);
  });
  afterAll(async () => { await onA?.close(); await onB?.close(); await b?.close(); await a?.close(); });

  const api = (t: TestEngine, method: string, path: string, body?: unknown) => fetch(`http://127.0.0.1:${t.port}${path}`, {
    method, headers: { authorization: `Bearer tok-merch-${t.storeId}-xxx`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const pinRule = (sku: string) => ({ ruleId: 'r-pin', name: 'Pin one kitchen item', priority: 500,
    target: { stores: [a.storeId] }, actions: { pin: [sku], headline: { en: 'This week only', de: 'Nur diese Woche' } } });
  /** The next frame on a socket (after `from`) whose first item is `sku`; resolves with how long it took. */
  async function firstItem(ws: TestWs, sku: string, from: number, t0: number): Promise<{ frame: ScreenContent; ms: number }> {
    const frame = await ws.next<ScreenContent>((f) => content(f) && f.items[0]?.sku === sku, 3000, from);
    return { frame, ms: Date.now() - t0 };
  }

  it('applies a rule created through the API on every instance within a second, without a restart', async () => {
    const fromA = onA.frames.length;
    const fromB = onB.frames.length;
    const t0 = Date.now();
    const res = await api(a, 'POST', '/api/v1/rules', pinRule('SKU-05'));
    expect(res.status).toBe(201);
    const [onEngineA, onEngineB] = await Promise.all([firstItem(onA, 'SKU-05', fromA, t0), firstItem(onB, 'SKU-05', fromB, t0)]);
    expect(onEngineA.ms).toBeLessThan(1000);
    expect(onEngineB.ms).toBeLessThan(1000);
    expect(onEngineB.frame.headline).toBe('This week only');
    expect(JSON.stringify(onEngineB.frame)).not.toContain('r-pin'); // rule ids never reach a screen
  });

  it('rejects an invalid change naming the field, and the old rule keeps serving', async () => {
    const res = await api(b, 'PUT', '/api/v1/rules/r-pin', { ...pinRule('SKU-05'), actions: { boost: [{ categories: ['kitchen'], factor: 50 }] } });
    expect(res.status).toBe(400);
    const body = await res.json() as { error: { issues: { path: (string | number)[] }[] } };
    expect(body.error.issues[0]!.path.join('.')).toMatch(/actions\.boost\.0\.factor/);
    const from = onA.frames.length;
    await a.publish('presence', { deviceId: 'd-anon-1', zoneId: 'z-kitchen', source: 'wifi' }); // makes the zone decide again
    const f = await onA.next<ScreenContent>(content, 3000, from);
    expect(f.items[0]!.sku).toBe('SKU-05');
    await a.publish('presence', { deviceId: 'd-anon-1', zoneId: null, source: 'wifi' });
  });

  it('restores an older version on every instance', async () => {
    expect((await api(a, 'PUT', '/api/v1/rules/r-pin', pinRule('SKU-06'))).status).toBe(200);
    await onB.next<ScreenContent>((f) => content(f) && f.items[0]?.sku === 'SKU-06', 3000, 0);
    const versions = await (await api(b, 'GET', '/api/v1/rules/r-pin/versions')).json() as { version: number; rule?: Rule }[];
    const first = versions.find((v) => v.rule?.actions.pin?.[0] === 'SKU-05')!;
    const from = onB.frames.length;
    const t0 = Date.now();
    const res = await api(b, 'POST', '/api/v1/rules/r-pin/restore', { version: first.version });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Rule).version).toBeGreaterThan(first.version);
    expect((await firstItem(onB, 'SKU-05', from, t0)).ms).toBeLessThan(1000);
    await eventually(() => (onA.frames.filter(content).at(-1)?.items[0]?.sku === 'SKU-05' ? true : undefined));
  });

  it('previews exactly what the live path sends for the same shopper, screen and time', async () => {
    const from = onA.frames.length;
    await a.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-kitchen', rssi: -55, source: 'wifi' });
    const live = await onA.next<ScreenContent>((f) => content(f) && f.reason === 'shopper', 3000, from);
    const res = await api(a, 'POST', '/api/v1/rules/preview', { storeId: a.storeId, screenId: 'scr-kitchen-1', customerId: 'c-mia', at: live.createdAt });
    expect(res.status).toBe(200);
    const p = await res.json() as PreviewResult;
    const shown = p.screens[0]!;
    const strip = ({ seq: _s, decisionId: _d, eventTs: _e, ...rest }: Partial<ScreenContent>) => rest;
    // The preview reads Mia's live visit and decides at the frame's instant: the same frame, bar its numbering.
    expect(strip(shown.frame as ScreenContent)).toEqual(strip(live));
    expect(shown.rules.find((r) => r.ruleId === 'r-pin')).toMatchObject({ status: 'matched' });
    expect(shown.items[0]).toMatchObject({ sku: 'SKU-05', rules: ['r-pin'] });
    expect(shown.items[0]!.why.join(' ')).toContain('pinned');
    await a.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
  });
});
