import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertVip, ScreenContent } from '#contracts';
import { startHub, T0, TestClient, type Harness } from './testing.js';

const SCREEN1 = { role: 'screen', token: 'screen-coffee-1-token', storeId: 's-001', screenId: 'scr-coffee-1' };
const SCREEN2 = { role: 'screen', token: 'screen-coffee-2-token', storeId: 's-001', screenId: 'scr-coffee-2' };
const ANN = { role: 'associate', token: 'associate-ann-token-', storeId: 's-001', associateId: 'ann' };
const BOB = { role: 'associate', token: 'associate-bob-s002-token', storeId: 's-002', associateId: 'bob' };
const CONSOLE = { role: 'console', token: 'console-everywhere-token', storeId: 's-001' };
const GATEWAY = { role: 'label-gateway', token: 'gateway-s001-token-', storeId: 's-001', gatewayId: 'gw-1' };

const content = (screenId: string, decisionId = 'dec-1', pad = 0): Omit<ScreenContent, 'seq'> => ({
  type: 'screen.content', screenId, decisionId, reason: 'idle', template: 'grid', ttlMs: 30_000,
  items: pad ? Array.from({ length: 24 }, (_, i) => ({ sku: `SKU-${i}`, name: 'n'.repeat(pad), price: 1, why: 'idle loop' })) : [],
});
const alert = (alertId: string): Omit<AlertVip, 'seq'> => ({
  type: 'alert.vip', alertId, storeId: 's-001', zoneId: 'z-entrance',
  customer: { tier: 'gold', points: 1, lifecycle: 'active', tags: [], lastPurchases: [], browsed: [] },
  suggestions: [], talkingPoints: [], createdAt: T0,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: Harness | undefined;
afterEach(async () => { await h?.stop(); h = undefined; });

describe('routing', () => {
  it('sends a screen only its own screen.content', async () => {
    h = await startHub();
    const { c: s1 } = await TestClient.hello(h.url, SCREEN1);
    const { c: s2 } = await TestClient.hello(h.url, SCREEN2);
    expect(h.hub.sendScreen('s-001', content('scr-coffee-1'))).toBe(1);
    expect(await s1.next()).toMatchObject({ type: 'screen.content', screenId: 'scr-coffee-1', seq: 1 });
    expect(await s2.drainFor(50)).toEqual([]);
  });

  it('sends alerts to the store\'s associates only: not to screens, not to other stores', async () => {
    h = await startHub();
    const { c: screen } = await TestClient.hello(h.url, SCREEN1);
    const { c: ann } = await TestClient.hello(h.url, ANN);
    const { c: bob } = await TestClient.hello(h.url, BOB);
    const { c: view } = await TestClient.hello(h.url, CONSOLE);
    h.hub.sendAlert('s-001', alert('al-1'));
    h.hub.sendClaimed('s-001', { type: 'alert.claimed', alertId: 'al-1', associateId: 'ann', claimedAt: T0 });
    expect(await ann.next()).toMatchObject({ type: 'alert.vip', alertId: 'al-1', seq: 1 });
    expect(await ann.next()).toMatchObject({ type: 'alert.claimed', alertId: 'al-1', seq: 2 });
    for (const c of [screen, bob, view]) expect(await c.drainFor(30)).toEqual([]);
  });

  it('never coalesces alerts with different alertIds, even for a client that does not read', async () => {
    h = await startHub({ maxBufferedBytes: 16 * 1024, heartbeatMs: 60_000 });
    const { c: ann } = await TestClient.hello(h.url, ANN);
    (ann.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = (id: string) => ({ ...alert(id), talkingPoints: ['t'.repeat(30_000)] });
    for (let i = 0; i < 200; i++) h.hub.sendAlert('s-001', big(`al-${i}`));
    expect(h.hub.stats().pendingFrames).toBeGreaterThan(0); // the kernel buffers filled up
    (ann.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await ann.next((f) => f.alertId === 'al-199', 5_000);
    expect(ann.frames.slice(1).map((f) => f.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('gives a console every screen of its store, current frames first', async () => {
    h = await startHub();
    h.hub.sendScreen('s-001', content('scr-coffee-1'));
    h.hub.sendScreen('s-002', content('scr-tea-1'));
    const { c: view } = await TestClient.hello(h.url, CONSOLE);
    expect(await view.next()).toMatchObject({ screenId: 'scr-coffee-1', seq: 1 });
    h.hub.sendScreen('s-001', content('scr-coffee-2'));
    expect(await view.next()).toMatchObject({ screenId: 'scr-coffee-2', seq: 1 });
    expect(await view.drainFor(30)).toEqual([]);
  });

  it('gives a label gateway its store\'s labels, current ones on connect', async () => {
    h = await startHub();
    const label = { type: 'label.update', labelId: 'L-1', sku: 'SKU-1', name: 'Item', price: 2 } as const;
    h.hub.sendLabel('s-001', label);
    expect(h.hub.sendLabel('s-001', { ...label, price: 3 })).toBe(2);
    h.hub.sendLabel('s-002', { ...label, labelId: 'L-9' });
    const { c: gw, welcome } = await TestClient.hello(h.url, GATEWAY);
    expect(welcome).toMatchObject({ role: 'label-gateway', target: 'gw-1' });
    expect(await gw.next()).toMatchObject({ type: 'label.update', labelId: 'L-1', price: 3, seq: 2 });
    h.hub.sendLabel('s-001', { ...label, labelId: 'L-2' });
    expect(await gw.next()).toMatchObject({ labelId: 'L-2', seq: 1 });
    expect(await gw.drainFor(30)).toEqual([]);
  });

  it('serializes a frame once however many sockets get it', async () => {
    h = await startHub();
    await TestClient.hello(h.url, SCREEN1);
    await TestClient.hello(h.url, SCREEN1);
    await TestClient.hello(h.url, CONSOLE);
    const spy = vi.spyOn(JSON, 'stringify');
    try {
      h.hub.sendScreen('s-001', content('scr-coffee-1'));
      expect(spy).toHaveBeenCalledTimes(1);
    } finally { spy.mockRestore(); }
  });
});

describe('seq and resume', () => {
  it('gives a reconnecting screen the current (latest) frame right after welcome', async () => {
    h = await startHub();
    const first = await TestClient.hello(h.url, { ...SCREEN1, resumeSeq: 0 });
    h.hub.sendScreen('s-001', content('scr-coffee-1', 'dec-1'));
    expect((await first.c.next()).seq).toBe(1);
    first.c.close();
    await first.c.closed;
    h.hub.sendScreen('s-001', content('scr-coffee-1', 'dec-2'));
    h.hub.sendScreen('s-001', content('scr-coffee-1', 'dec-3'));
    const again = await TestClient.hello(h.url, { ...SCREEN1, resumeSeq: 1 });
    expect(again.welcome.seq).toBe(3);
    expect(await again.c.next()).toMatchObject({ type: 'screen.content', seq: 3, decisionId: 'dec-3' });
    expect(h.hub.current('s-001', 'scr-coffee-1')).toMatchObject({ seq: 3, decisionId: 'dec-3' });
    expect(await again.c.drainFor(30)).toEqual([]);
  });

  it('keeps seqs monotonic per target across reconnects', async () => {
    h = await startHub();
    const seqs: number[] = [];
    for (let round = 0; round < 3; round++) {
      const { c } = await TestClient.hello(h.url, SCREEN1);
      if (round > 0) seqs.push((await c.next()).seq); // the replayed current frame
      h.hub.sendScreen('s-001', content('scr-coffee-1', `dec-${round}`));
      seqs.push((await c.next((f) => f.decisionId === `dec-${round}`)).seq);
      c.close();
      await c.closed;
    }
    expect(seqs).toEqual([1, 1, 2, 2, 3]);
    expect(h.hub.sendScreen('s-001', content('scr-coffee-2'))).toBe(1); // per target
  });
});

describe('backpressure', () => {
  it('keeps one pending frame per target for a client that does not read; it ends with the latest', async () => {
    const maxBufferedBytes = 64 * 1024;
    h = await startHub({ maxBufferedBytes, heartbeatMs: 60_000 });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    let last = 0;
    for (let i = 0; i < 400; i++) last = h.hub.sendScreen('s-001', content('scr-coffee-1', `dec-${i}`, 1500));
    for (let i = 0; i < 20; i++) {
      const st = h.hub.stats();
      expect(st.maxPendingPerSocket).toBeLessThanOrEqual(1);
      expect(st.maxBufferedAmount).toBeLessThan(maxBufferedBytes + 64 * 1024);
      await sleep(5);
    }
    const coalesced = (await h.metrics.wsFrames.get()).values.find((v) => v.labels.outcome === 'coalesced');
    expect(coalesced?.value ?? 0).toBeGreaterThan(0);
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const final = await c.next((f) => f.seq === last, 5_000);
    expect(final.decisionId).toBe(`dec-${last - 1}`);
    expect(c.frames.length).toBeLessThan(400);
    const seqs = c.frames.slice(1).map((f) => f.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // never out of order
  });
});

describe('heartbeat and close', () => {
  it('drops a socket that misses 2 protocol pings', async () => {
    h = await startHub({ heartbeatMs: 30 });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // cannot answer pings
    for (let i = 0; i < 50 && h.hub.stats().sockets > 0; i++) await sleep(20);
    expect(h.hub.stats().sockets).toBe(0);
    expect(h.hub.clients()).toEqual([]);
  });

  it('keeps a live socket across heartbeats', async () => {
    h = await startHub({ heartbeatMs: 30 });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    await sleep(150);
    c.send({ type: 'ping' });
    expect((await c.next()).type).toBe('pong');
  });

  it('close() is idempotent, sends 1001 and refuses new upgrades', async () => {
    h = await startHub();
    const { c: a } = await TestClient.hello(h.url, SCREEN1);
    const { c: b } = await TestClient.hello(h.url, ANN);
    const p1 = h.hub.close();
    const p2 = h.hub.close();
    expect(p2).toBe(p1);
    await p1;
    expect(await a.closed).toEqual({ code: 1001, reason: 'going away' });
    expect((await b.closed).code).toBe(1001);
    await expect(TestClient.open(h.url)).rejects.toThrow(/503/);
    expect(h.hub.stats().sockets).toBe(0);
    expect((await h.metrics.wsClients.get()).values.every((v) => v.value === 0)).toBe(true);
  });

  it('close() is bounded when a client never answers the close handshake', async () => {
    h = await startHub({ closeTimeoutMs: 100, heartbeatMs: 60_000 });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const started = Date.now();
    await h.hub.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(h.hub.stats().sockets).toBe(0);
  });
});
