import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientFrame, type TokenEntry } from '../contracts/index.js';
import { systemClock } from '../platform/clock.js';
import { screenTokenFor, startScreenPlayers, wsUrlOf, type ScreenPlayers } from './screens.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (ok: () => boolean, ms = 3_000) => { for (const end = Date.now() + ms; !ok() && Date.now() < end;) await sleep(10); };

/** A stand-in engine: `/ws` answers a screen's hello with welcome and lets the test push frames to it. */
async function fakeEngine() {
  const server: Server = createServer();
  const wss = new WebSocketServer({ server, path: '/ws' });
  const got: { screenId?: string; frame: ClientFrame }[] = [];
  const sockets = new Map<string, WebSocket>();
  let hellos = 0;
  wss.on('connection', (ws) => {
    let screenId: string | undefined;
    ws.on('message', (data) => {
      const frame = ClientFrame.parse(JSON.parse(String(data)));
      got.push({ screenId, frame });
      if (frame.type === 'hello') {
        hellos++;
        if (frame.token !== `tok-${frame.screenId}` || frame.role !== 'screen') { ws.close(4401, 'unauthorized'); return; }
        screenId = frame.screenId!;
        sockets.set(screenId, ws);
        ws.send(JSON.stringify({ type: 'welcome', role: 'screen', storeId: frame.storeId, target: screenId, seq: 0, heartbeatMs: 15_000, serverTime: Date.now() }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const content = (screenId: string, decisionId: string, seq: number, skus: string[]) => JSON.stringify({
    type: 'screen.content', seq, screenId, storeId: 's-001', decisionId, reason: 'shopper', template: 'hero', ttlMs: 30_000,
    items: skus.map((sku) => ({ sku, name: sku, price: 1 })) });
  return {
    url, got, sockets, hellos: () => hellos,
    send: (screenId: string, payload: string) => sockets.get(screenId)!.send(payload),
    content,
    close: async () => { for (const c of wss.clients) c.terminate(); wss.close(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

let players: ScreenPlayers | undefined;
let engine: Awaited<ReturnType<typeof fakeEngine>> | undefined;
afterEach(async () => { await players?.stop(); await engine?.close(); players = undefined; engine = undefined; });

describe('startScreenPlayers', () => {
  it('says hello as each screen and confirms every frame it receives with one impression', async () => {
    engine = await fakeEngine();
    players = startScreenPlayers({ url: engine.url, storeId: 's-001', clock: systemClock,
      screens: [{ screenId: 'scr-a', token: 'tok-scr-a' }, { screenId: 'scr-b', token: 'tok-scr-b' }] });
    await until(() => engine!.sockets.size === 2);
    const hellos = engine.got.filter((g) => g.frame.type === 'hello').map((g) => g.frame);
    expect(hellos).toEqual(expect.arrayContaining([
      { type: 'hello', role: 'screen', token: 'tok-scr-a', storeId: 's-001', screenId: 'scr-a' },
      { type: 'hello', role: 'screen', token: 'tok-scr-b', storeId: 's-001', screenId: 'scr-b' }]));
    const before = Date.now();
    engine.send('scr-a', engine.content('scr-a', 'dec-1', 1, ['SKU-1', 'SKU-2']));
    engine.send('scr-a', engine.content('scr-a', 'dec-1', 1, ['SKU-1', 'SKU-2'])); // the same frame again: no second impression
    engine.send('scr-a', engine.content('scr-b', 'dec-x', 2, ['SKU-9'])); // another screen's frame on this socket: ignored
    engine.send('scr-a', '{"type":"screen.content","seq":"bad"}');
    engine.send('scr-a', 'not json');
    engine.send('scr-b', engine.content('scr-b', 'dec-2', 1, ['SKU-3']));
    engine.send('scr-a', engine.content('scr-a', 'dec-1', 2, ['SKU-1', 'SKU-2'])); // resent with a new seq: confirmed again, as a browser does
    await until(() => engine!.got.filter((g) => g.frame.type === 'impression').length >= 3);
    await sleep(50);
    const imps = engine.got.filter((g) => g.frame.type === 'impression');
    // Each on its own screen's socket (the two sockets' frames may arrive in either order).
    const on = (screenId: string) => imps.filter((g) => g.screenId === screenId).map((g) => g.frame);
    expect(on('scr-a')).toEqual([
      { type: 'impression', screenId: 'scr-a', decisionId: 'dec-1', skus: ['SKU-1', 'SKU-2'], renderedAt: expect.any(Number) },
      { type: 'impression', screenId: 'scr-a', decisionId: 'dec-1', skus: ['SKU-1', 'SKU-2'], renderedAt: expect.any(Number) },
    ]);
    expect(on('scr-b')).toEqual([{ type: 'impression', screenId: 'scr-b', decisionId: 'dec-2', skus: ['SKU-3'], renderedAt: expect.any(Number) }]);
    for (const g of imps) expect((g.frame as { renderedAt: number }).renderedAt).toBeGreaterThanOrEqual(before);
    expect(players.stats()).toEqual({ frames: 4, impressions: 3, open: 2 });
  });

  it('reconnects a dropped socket, retries a refused one slowly, and stays away after stop()', async () => {
    engine = await fakeEngine();
    players = startScreenPlayers({ url: engine.url, storeId: 's-001', clock: systemClock, retryMs: 20,
      screens: [{ screenId: 'scr-a', token: 'tok-scr-a' }, { screenId: 'scr-z', token: 'wrong' }] });
    await until(() => engine!.sockets.size === 1);
    engine.sockets.get('scr-a')!.close(1001);
    engine.sockets.clear();
    await until(() => engine!.sockets.size === 1);
    expect(engine.sockets.has('scr-a')).toBe(true);
    engine.send('scr-a', engine.content('scr-a', 'dec-9', 1, ['SKU-1']));
    await until(() => engine!.got.some((g) => g.frame.type === 'impression'));
    // The refused screen tried once, then waits at least 10 s before the next hello.
    expect(engine.got.filter((g) => g.frame.type === 'hello' && g.frame.screenId === 'scr-z')).toHaveLength(1);
    await players.stop();
    await players.stop();
    const hellos = engine.hellos();
    engine.sockets.clear();
    await sleep(100);
    expect(engine.hellos()).toBe(hellos);
    expect(players.stats().open).toBe(0);
  });
});

describe('screen tokens and addresses', () => {
  it('picks the token bound to the screen, or one for any screen of the store (or every store)', () => {
    const tokens: TokenEntry[] = [
      { token: 'con', role: 'console', storeId: 's-001' },
      { token: 'a', role: 'screen', storeId: 's-001', subject: 'scr-a' },
      { token: 'other', role: 'screen', storeId: 's-002', subject: 'scr-b' },
      { token: 'any', role: 'screen', storeId: '*' },
    ];
    expect(screenTokenFor(tokens, 's-001', 'scr-a')).toBe('a');
    expect(screenTokenFor(tokens, 's-001', 'scr-b')).toBe('any');
    expect(screenTokenFor(tokens.slice(0, 3), 's-001', 'scr-b')).toBeUndefined();
  });
  it('turns the engine address into its WebSocket endpoint', () => {
    expect(wsUrlOf('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws');
    expect(wsUrlOf('https://shop.example/')).toBe('wss://shop.example/ws');
  });
});
