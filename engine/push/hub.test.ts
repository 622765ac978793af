import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorFrame, MAX_WS_FRAME_BYTES, Welcome } from '#contracts';
import { counterValue, startHub, T0, TestClient, type Harness } from './testing.js';

const SCREEN1 = { role: 'screen', token: 'screen-coffee-1-token', storeId: 's-001', screenId: 'scr-coffee-1' };

let h: Harness;
beforeEach(async () => { h = await startHub({ helloTimeoutMs: 1_000 }); });
afterEach(async () => { await h.stop(); });

/** Sends a hello and expects an error frame with `code`, then a close with `closeCode`. */
async function refused(hello: Record<string, unknown>, code: string, closeCode: number) {
  const c = await TestClient.open(h.url);
  c.send({ type: 'hello', ...hello });
  const err = ErrorFrame.parse(await c.next());
  expect(err.code).toBe(code);
  expect((await c.closed).code).toBe(closeCode);
  return err;
}

describe('hello', () => {
  it('answers a valid hello with welcome', async () => {
    const { welcome } = await TestClient.hello(h.url, SCREEN1);
    expect(Welcome.parse(welcome)).toEqual({
      type: 'welcome', role: 'screen', storeId: 's-001', target: 'scr-coffee-1', seq: 0, heartbeatMs: 15_000, serverTime: T0,
    });
    expect(h.hub.clients()).toEqual([{ role: 'screen', storeId: 's-001', target: 'scr-coffee-1' }]);
    expect((await h.metrics.wsClients.get()).values).toContainEqual(expect.objectContaining({ labels: { role: 'screen' }, value: 1 }));
  });

  it('refuses an unknown token with ws.unauthorized and 4401', async () => {
    await refused({ ...SCREEN1, token: 'no-such-token-at-all' }, 'ws.unauthorized', 4401);
  });

  it('refuses a token for another role with ws.forbidden and 4403', async () => {
    await refused({ ...SCREEN1, role: 'associate', associateId: 'x' }, 'ws.forbidden', 4403);
    await refused({ role: 'console', token: 'associate-ann-token-', storeId: 's-001' }, 'ws.forbidden', 4403);
  });

  it('refuses a token for another store', async () => {
    await refused({ role: 'associate', token: 'associate-bob-s002-token', storeId: 's-001', associateId: 'bob' }, 'ws.forbidden', 4403);
  });

  it('refuses a screen token bound to another screen', async () => {
    await refused({ ...SCREEN1, screenId: 'scr-coffee-2' }, 'ws.forbidden', 4403);
  });

  it('refuses an associate token bound to another associate', async () => {
    await refused({ role: 'associate', token: 'associate-ann-token-', storeId: 's-001', associateId: 'eve' }, 'ws.forbidden', 4403);
  });

  it('refuses unknown stores and screens, after the token check', async () => {
    await refused({ role: 'console', token: 'console-everywhere-token', storeId: 's-404' }, 'ws.unknown_store', 4404);
    await refused({ role: 'screen', token: 'screen-any-s001-token', storeId: 's-001', screenId: 'scr-nope' }, 'ws.unknown_target', 4404);
    await refused({ role: 'screen', token: 'screen-any-s001-token', storeId: 's-001' }, 'ws.unknown_target', 4404);
  });

  it('closes a socket whose first frame is not hello', async () => {
    const c = await TestClient.open(h.url);
    c.send({ type: 'ping', t: 1 });
    expect((await c.next()).code).toBe('ws.hello_required');
    expect((await c.closed).code).toBe(4401);
  });

  it('closes a socket whose hello is malformed, with the zod path', async () => {
    const err = await refused({ role: 'screen', storeId: 's-001' }, 'ws.invalid_frame', 4400);
    expect(err.path).toEqual(['token']);
  });

  it('closes a socket that never says hello', async () => {
    await h.stop();
    h = await startHub({ helloTimeoutMs: 50 });
    const c = await TestClient.open(h.url);
    expect((await c.next()).code).toBe('ws.hello_required');
    expect((await c.closed).code).toBe(4408);
  });

  it('answers a second hello with ws.already_hello and keeps the socket', async () => {
    const { c } = await TestClient.hello(h.url, SCREEN1);
    c.send({ type: 'hello', ...SCREEN1 });
    expect((await c.next()).code).toBe('ws.already_hello');
    c.send({ type: 'ping', t: 7 });
    expect(await c.next()).toMatchObject({ type: 'pong', t: 7 });
  });
});

describe('inbound frames after hello', () => {
  it('answers invalid JSON with ws.invalid_json and keeps the socket open', async () => {
    const { c } = await TestClient.hello(h.url, SCREEN1);
    c.send('{not json');
    expect(ErrorFrame.parse(await c.next()).code).toBe('ws.invalid_json');
    c.send({ type: 'ping', t: 1 });
    expect((await c.next()).type).toBe('pong');
  });

  it('answers a bad shape with ws.invalid_frame and the zod issue path', async () => {
    const { c } = await TestClient.hello(h.url, SCREEN1);
    c.send({ type: 'claim', alertId: 'not an id!' });
    expect(ErrorFrame.parse(await c.next())).toMatchObject({ code: 'ws.invalid_frame', path: ['alertId'] });
    c.send({ type: 'teleport' });
    expect(await c.next()).toMatchObject({ code: 'ws.invalid_frame', path: ['type'] });
    c.send({ type: 'ping' });
    expect((await c.next()).type).toBe('pong');
  });

  it('answers a frame over MAX_WS_FRAME_BYTES with ws.frame_too_large and keeps the socket, when maxPayloadBytes is above it', async () => {
    await h.stop();
    h = await startHub({ maxPayloadBytes: 4 * MAX_WS_FRAME_BYTES });
    const { c } = await TestClient.hello(h.url, SCREEN1);
    c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_WS_FRAME_BYTES) }));
    expect((await c.next()).code).toBe('ws.frame_too_large');
    c.send({ type: 'ping' });
    expect((await c.next()).type).toBe('pong');
  });

  it('closes with 1009 for a frame above maxPayloadBytes (default: the 64 KiB contract limit), and counts it', async () => {
    const { c } = await TestClient.hello(h.url, SCREEN1);
    const exact = JSON.stringify({ type: 'ping', t: 3, pad: '' });
    c.send(exact.replace('"pad":""', `"pad":"${'x'.repeat(MAX_WS_FRAME_BYTES - exact.length)}"`)); // exactly 64 KiB: fine
    expect(await c.next()).toMatchObject({ type: 'pong', t: 3 });
    c.send('x'.repeat(MAX_WS_FRAME_BYTES + 1));
    expect((await c.closed).code).toBe(1009);
    const errors = await h.metrics.wsErrors.get();
    expect(errors.values).toContainEqual(expect.objectContaining({ labels: { code: 'ws.frame_too_large' } }));
    expect(await counterValue(h.metrics.wsRefused, { reason: 'frame_too_large' })).toBe(1);
  });

  it('answers ping with pong {t, serverTime}', async () => {
    const { c } = await TestClient.hello(h.url, SCREEN1);
    h.clock.advance(5);
    c.send({ type: 'ping', t: 42 });
    expect(await c.next()).toEqual({ type: 'pong', t: 42, serverTime: T0 + 5 });
  });

  it('forwards impressions from the screen itself and claims from associates', async () => {
    await h.stop();
    const impressions: unknown[] = [];
    const claims: unknown[] = [];
    h = await startHub({ onImpression: (s, f) => impressions.push([s, f.decisionId]), onClaim: (ctx, f) => claims.push([ctx, f.alertId]) });
    const { c: screen } = await TestClient.hello(h.url, SCREEN1);
    const imp = { type: 'impression', decisionId: 'dec-1', skus: ['SKU-1'], renderedAt: T0 };
    screen.send({ ...imp, screenId: 'scr-coffee-1' });
    screen.send({ ...imp, screenId: 'scr-coffee-2' });
    expect((await screen.next()).code).toBe('ws.forbidden');
    screen.send({ type: 'claim', alertId: 'al-1' });
    expect((await screen.next()).code).toBe('ws.forbidden');
    const { c: ann } = await TestClient.hello(h.url, { role: 'associate', token: 'associate-ann-token-', storeId: 's-001' });
    ann.send({ type: 'claim', alertId: 'al-1' });
    ann.send({ type: 'ping' });
    await ann.next((f) => f.type === 'pong');
    expect(impressions).toEqual([['s-001', 'dec-1']]);
    expect(claims).toEqual([[{ storeId: 's-001', associateId: 'ann' }, 'al-1']]);
  });

  it('turns a throwing callback into ws.internal without closing', async () => {
    await h.stop();
    h = await startHub({ onClaim: () => { throw new Error('boom'); } });
    const { c } = await TestClient.hello(h.url, { role: 'associate', token: 'associate-ann-token-', storeId: 's-001' });
    c.send({ type: 'claim', alertId: 'al-1' });
    expect((await c.next()).code).toBe('ws.internal');
    c.send({ type: 'ping' });
    expect((await c.next()).type).toBe('pong');
  });
});
