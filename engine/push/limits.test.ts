import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_WS_FRAME_BYTES } from '#contracts';
import { HUB_DEFAULTS } from './defaults.js';
import { counterValue, startHub, T0, TestClient, until, type Harness } from './testing.js';

/** docs/contracts.md §Security and privacy: every bound of the WebSocket edge, with small limits. */

const SCREEN1 = { role: 'screen', token: 'screen-coffee-1-token', storeId: 's-001', screenId: 'scr-coffee-1' };
const ANY_SCREEN = { role: 'screen', token: 'screen-any-s001-token', storeId: 's-001' };

let h: Harness | undefined;
afterEach(async () => { vi.useRealTimers(); await h?.stop(); h = undefined; });

const refusedCount = (reason: string) => counterValue(h!.metrics.wsRefused, { reason });

/** Expects the next frame to be an error with `code`, then a close with `closeCode`. */
async function expectRefused(c: TestClient, code: string, closeCode: number): Promise<void> {
  expect(await c.next()).toMatchObject({ type: 'error', code });
  expect((await c.closed).code).toBe(closeCode);
}

describe('total connections', () => {
  it('answers 503 at the upgrade above maxConnections, and counts it', async () => {
    h = await startHub({ maxConnections: 2 });
    const a = await TestClient.open(h.url);
    await TestClient.open(h.url); // sockets count before hello
    await expect(TestClient.open(h.url)).rejects.toThrow(/503/);
    expect(await refusedCount('capacity')).toBe(1);
    a.close();
    await until(() => h!.hub.stats().sockets === 1);
    await TestClient.open(h.url);
  });
});

describe('connections per address', () => {
  it('refuses the excess with ws.too_many_connections and 4429, sockets without hello included', async () => {
    h = await startHub({ maxConnectionsPerAddress: 2, exemptAddresses: [] });
    const a = await TestClient.open(h.url);
    await TestClient.hello(h.url, SCREEN1);
    await expectRefused(await TestClient.open(h.url), 'ws.too_many_connections', 4429);
    expect(await refusedCount('per_address')).toBe(1);
    a.close();
    await until(() => h!.hub.stats().sockets === 1);
    await TestClient.hello(h.url, SCREEN1);
  });

  it('does not bound loopback by default (the bench, a local proxy)', async () => {
    h = await startHub({ maxConnectionsPerAddress: 1 });
    for (let i = 0; i < 3; i++) await TestClient.hello(h.url, SCREEN1);
    expect(await refusedCount('per_address')).toBe(0);
  });

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    h = await startHub({ maxConnectionsPerAddress: 1, exemptAddresses: [] });
    const xff = (a: string) => ({ headers: { 'x-forwarded-for': a } });
    await TestClient.open(h.url, xff('203.0.113.1'));
    await expectRefused(await TestClient.open(h.url, xff('203.0.113.2')), 'ws.too_many_connections', 4429); // both are 127.0.0.1
  });

  it('counts per forwarded client behind a trusted proxy', async () => {
    h = await startHub({ maxConnectionsPerAddress: 1, exemptAddresses: [], trustedProxies: ['127.0.0.1'] });
    const xff = (a: string) => ({ headers: { 'x-forwarded-for': a } });
    await TestClient.open(h.url, xff('203.0.113.1'));
    await TestClient.open(h.url, xff('203.0.113.2'));
    await expectRefused(await TestClient.open(h.url, xff('9.9.9.9, 203.0.113.1')), 'ws.too_many_connections', 4429);
  });
});

describe('connections per token', () => {
  it('refuses the excess hello with ws.too_many_connections and 4429; a closed one frees its place', async () => {
    h = await startHub({ maxConnectionsPerToken: 2 });
    const { c: first } = await TestClient.hello(h.url, SCREEN1);
    await TestClient.hello(h.url, SCREEN1);
    const third = await TestClient.open(h.url);
    third.send({ type: 'hello', ...SCREEN1 });
    await expectRefused(third, 'ws.too_many_connections', 4429);
    expect(await refusedCount('per_token')).toBe(1);
    first.close();
    await until(() => h!.hub.clients().length === 1);
    await TestClient.hello(h.url, SCREEN1);
  });

  it('counts a store-wide screen token per screen, and a refused hello takes no place', async () => {
    h = await startHub({ maxConnectionsPerToken: 1 });
    await TestClient.hello(h.url, { ...ANY_SCREEN, screenId: 'scr-coffee-1' });
    await TestClient.hello(h.url, { ...ANY_SCREEN, screenId: 'scr-coffee-2' });
    const again = await TestClient.open(h.url);
    again.send({ type: 'hello', ...ANY_SCREEN, screenId: 'scr-coffee-2' });
    await expectRefused(again, 'ws.too_many_connections', 4429);
    // a wrong token is refused for what it is, before any count
    const wrong = await TestClient.open(h.url);
    wrong.send({ type: 'hello', ...SCREEN1, token: 'not-a-token-at-all' });
    await expectRefused(wrong, 'ws.unauthorized', 4401);
  });
});

describe('client frame rate', () => {
  it('drops frames over the rate with one ws.rate_limited per second, and keeps the socket', async () => {
    h = await startHub({ maxFramesPerSecond: 5, frameBurst: 5, maxDroppedFrames: 1_000 });
    const { c } = await TestClient.hello(h.url, SCREEN1); // hello took 1 of 5
    const mark = c.frames.length;
    for (let i = 0; i < 10; i++) c.send({ type: 'ping', t: i });
    await until(async () => (await refusedCount('rate_limited')) === 6);
    h.clock.advance(200); // one more frame's worth, and no second warning within the second
    for (let i = 10; i < 13; i++) c.send({ type: 'ping', t: i });
    await until(async () => (await refusedCount('rate_limited')) === 8);
    h.clock.advance(1_000);
    await c.exchange();
    expect(c.frames.slice(mark, -1).map((f) => (f.type === 'pong' ? f.t : f.code))).toEqual([0, 1, 2, 3, 'ws.rate_limited', 10]);
    h.clock.advance(1_000);
    const again = c.frames.length;
    for (let i = 0; i < 6; i++) c.send({ type: 'ping', t: 100 + i });
    await until(async () => (await refusedCount('rate_limited')) === 9);
    h.clock.advance(1_000);
    await c.exchange();
    expect(c.frames.slice(again).filter((f) => f.type === 'error')).toHaveLength(1); // more than a second later: one more warning
    expect(await counterValue(h.metrics.wsErrors, { code: 'ws.rate_limited' })).toBe(2);
  });

  it('closes a socket that keeps flooding with ws.rate_limited and 4429', async () => {
    h = await startHub({ maxFramesPerSecond: 5, frameBurst: 5, maxDroppedFrames: 20 });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    for (let i = 0; i < 100; i++) c.send({ type: 'ping', t: i });
    expect((await c.closed).code).toBe(4429);
    expect(c.frames.filter((f) => f.type === 'error').map((f) => f.code)).toEqual(['ws.rate_limited', 'ws.rate_limited']);
    expect(await refusedCount('flood')).toBe(1);
    await until(() => h!.hub.stats().sockets === 0);
  });

  it('never limits a real screen at the defaults: a frame rendered (and confirmed) every 250 ms, bursts of 10, a ping every 15 s', async () => {
    let handled = 0;
    h = await startHub({ onImpression: () => { handled++; } });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    const imp = (n: number) => ({ type: 'impression', screenId: 'scr-coffee-1', decisionId: `dec-${n}`, skus: ['SKU-1'], renderedAt: T0 });
    let sent = 0;
    for (let second = 0; second < 60; second++) {
      const burst = second % 10 === 0 ? 10 : 4;
      for (let i = 0; i < burst; i++) {
        c.send(imp(sent++));
        await until(() => handled === sent); // the hub reads the clock when the frame arrives: move it only after
        h.clock.advance(1_000 / burst);
      }
      if (second % 15 === 0) expect(await c.exchange()).toEqual([]); // the player's ping
    }
    expect(await refusedCount('rate_limited')).toBe(0);
  });
});

describe('payload size', () => {
  it('closes with 1009 above a configured maxPayloadBytes', async () => {
    h = await startHub({ maxPayloadBytes: 1_024 });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    expect(await c.exchange(JSON.stringify({ type: 'ping', pad: 'x'.repeat(900) }))).toHaveLength(1); // its pong
    c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(1_024) }));
    expect((await c.closed).code).toBe(1009);
    expect(await refusedCount('frame_too_large')).toBe(1);
  });

  it('defaults to the contract limit', () => {
    expect(HUB_DEFAULTS.maxPayloadBytes).toBe(MAX_WS_FRAME_BYTES);
  });
});

describe('hello timeout', () => {
  it('closes a silent socket with ws.hello_required and 4408 after 5 s by default (fake timers)', async () => {
    h = await startHub();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const c = await TestClient.open(h.url);
    await until(() => h!.hub.stats().sockets === 1);
    vi.advanceTimersByTime(HUB_DEFAULTS.helloTimeoutMs - 1);
    const hello = await TestClient.open(h.url); // a second socket that does say hello in time
    hello.send({ type: 'hello', ...SCREEN1 });
    await until(() => h!.hub.clients().length === 1);
    expect(c.frames).toEqual([]);
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    await expectRefused(c, 'ws.hello_required', 4408);
    expect(await refusedCount('hello_timeout')).toBe(1);
    expect(h.hub.clients()).toHaveLength(1);
  });
});
