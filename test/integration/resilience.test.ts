import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ScreenContent } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { startTestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { connectWs } from '../helpers/ws-client.js';

const freePort = () => new Promise<number>((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
});

/** A Redis of this test's own (persisting to an AOF in `dir`, as a production Redis would), so it can be stopped and restarted. */
async function privateRedis(port: number, dir: string): Promise<ChildProcess> {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes',
    '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
  const { Redis } = await import('ioredis');
  await eventually(async () => { const r = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
    r.on('error', () => {});
    try { await r.connect(); return (await r.ping()) === 'PONG' ? true : undefined; } finally { r.disconnect(); } }, 5000, 50);
  return p;
}
const stop = (p: ChildProcess) => new Promise<void>((r) => {
  if (p.exitCode !== null || p.signalCode !== null) return r();
  p.once('exit', () => r());
  p.kill('SIGKILL');
});

describe('Redis outage', () => {
  const procs: ChildProcess[] = [];
  afterAll(async () => { for (const p of procs) await stop(p); });

  it('keeps screens fed with fallback content while Redis is down, and personalizes again when it returns', async () => {
    const port = await freePort();
    const dir = mkdtempSync(`${tmpdir()}/aisle-redis-`);
    let redis = await privateRedis(port, dir);
    procs.push(redis);
    const t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: `redis://127.0.0.1:${port}` });
    const screen = await connectWs(t.port, { role: 'screen', token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' });
    try {
      await screen.next((f) => f.type === 'screen.content');
      await stop(redis);
      await eventually(async () => ((await fetch(`http://127.0.0.1:${t.port}/readyz`)).status === 503 ? true : undefined));
      // Mia's profile was never read by this engine, so it is not cached: she gets non-personalized content.
      let from = screen.frames.length;
      await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
      const during = await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason !== 'idle', 5000, from);
      expect(during.reason).toBe('audience');
      expect(during.items.length).toBe(4);
      expect(during.greeting).toBeUndefined();
      // A purchase made during the outage is parked, not lost.
      await t.publish('pos', { transactionId: 'T-out', customerId: 'c-mia', currency: 'GBP', total: 10, lines: [{ sku: 'SKU-11', qty: 1, unitPrice: 10 }] });

      from = screen.frames.length;
      redis = await privateRedis(port, dir); // restarts with its data, as after a crash with persistence
      procs.push(redis);
      await eventually(async () => ((await fetch(`http://127.0.0.1:${t.port}/readyz`)).status === 200 ? true : undefined), 8000);
      // No new event needed: the engine re-decides every zone when its store comes back.
      const after = await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason === 'shopper', 8000, from);
      expect(after.greeting).toBe('Welcome back, Mia');
      const { Redis } = await import('ioredis');
      const r = new Redis(port, '127.0.0.1');
      const p = await eventually(async () => { const x = JSON.parse((await r.get(createKeys(t.prefix).profile('c-mia'))) ?? '{}'); return x.recentSkus?.[0] === 'SKU-11' ? x : undefined; }, 8000);
      r.disconnect();
      expect(p.points).toBe(4200 + 15);
    } finally {
      await screen.close();
      await t.close();
    }
  });
});

describe('screens and roles', () => {
  it('gives a reconnecting screen its current content at once, and keeps roles apart', async () => {
    const t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl') });
    try {
      const hello = { role: 'screen' as const, token: t.screenToken('scr-candles-1'), storeId: t.storeId, screenId: 'scr-candles-1' };
      const a = await connectWs(t.port, hello);
      const first = await a.next<ScreenContent>((f) => f.type === 'screen.content');
      await a.close();
      await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
      await eventually(() => (t.engine.hub.current(t.storeId, 'scr-candles-1')?.reason === 'shopper' ? true : undefined));
      const b = await connectWs(t.port, { ...hello, resumeSeq: first.seq });
      const welcome = await b.next((f) => f.type === 'welcome');
      const resumed = await b.next<ScreenContent>((f) => f.type === 'screen.content');
      expect(b.frames.indexOf(resumed)).toBe(b.frames.indexOf(welcome) + 1);
      expect(resumed.reason).toBe('shopper');
      expect(resumed.seq).toBeGreaterThan(first.seq);
      await b.close();

      // A screen token cannot pose as an associate (who receives alerts), nor as another screen.
      const asAssociate = await connectWs(t.port, { ...hello, role: 'associate', associateId: 'assoc-1' });
      expect(await asAssociate.next((f) => f.type === 'error')).toMatchObject({ code: 'ws.forbidden' });
      expect(await asAssociate.closed).toBe(4403);
      const otherScreen = await connectWs(t.port, { ...hello, screenId: 'scr-kitchen-1' });
      expect(await otherScreen.next((f) => f.type === 'error')).toMatchObject({ code: 'ws.forbidden' });
      // An alert sent to the store reaches its associate and never a screen.
      const screen = await connectWs(t.port, hello);
      const assoc = await connectWs(t.port, { role: 'associate', token: `tok-assoc-${t.storeId}-xx`, storeId: t.storeId, associateId: 'assoc-1' });
      await assoc.next((f) => f.type === 'welcome');
      await screen.next((f) => f.type === 'screen.content');
      t.engine.hub.sendAlert(t.storeId, { type: 'alert.vip', alertId: 'al-1', storeId: t.storeId, zoneId: 'z-candles', createdAt: Date.now(),
        customer: { tier: 'platinum', points: 1, lifecycle: 'active', tags: [], lastPurchases: [], browsed: [] }, suggestions: [], talkingPoints: [] });
      await assoc.next((f) => f.type === 'alert.vip');
      await new Promise((r) => setTimeout(r, 100));
      expect(screen.frames.some((f) => f.type.startsWith('alert'))).toBe(false);
      await screen.close();
      await assoc.close();
    } finally {
      await t.close();
    }
  });
});
