import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WS_FRAME_BYTES } from '#contracts';
import { counterValue, startHub, T0, TestClient, until, type Harness } from './testing.js';

/** Hostile input at the WebSocket edge: nothing stops the process, every refusal has a stable code. */

const SCREEN1 = { role: 'screen', token: 'screen-coffee-1-token', storeId: 's-001', screenId: 'scr-coffee-1' };
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deep = Math.floor((MAX_WS_FRAME_BYTES - 100) / 2);

let h: Harness | undefined;
afterEach(async () => { await h?.stop(); h = undefined; });

/** Writes a raw HTTP request and returns what the server answered before closing (or after 1 s of silence). */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(request));
    let out = '';
    const done = () => { clearTimeout(t); s.destroy(); resolve(out); };
    const t = setTimeout(done, 1_000);
    s.on('data', (d) => { out += String(d); if (out.includes('\r\n\r\n')) done(); });
    s.on('error', done);
    s.on('close', done);
  });
}

const upgradeRequest = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;

describe('handleUpgrade never throws', () => {
  it('leaves an unparsable or foreign target alone', async () => {
    h = await startHub();
    for (const url of ['http://[', '/other', '/wsx', '//[::1', undefined]) {
      const socket = new PassThrough();
      expect(() => h!.hub.handleUpgrade({ url, headers: {}, socket: {} } as unknown as IncomingMessage, socket, Buffer.alloc(0))).not.toThrow();
      expect(socket.destroyed).toBe(false);
    }
  });

  it('destroys the socket when the request is broken beyond what ws checks, and counts it', async () => {
    h = await startHub();
    const socket = new PassThrough();
    const req = { url: '/ws', method: 'GET' } as unknown as IncomingMessage; // no headers at all
    expect(() => h!.hub.handleUpgrade(req, socket, Buffer.alloc(0))).not.toThrow();
    expect(socket.destroyed).toBe(true);
    const throwing = Object.defineProperty({}, 'url', { get() { throw new Error('boom'); } }) as IncomingMessage;
    expect(() => h!.hub.handleUpgrade(throwing, new PassThrough(), Buffer.alloc(0))).not.toThrow();
    expect(await counterValue(h.metrics.wsRefused, { reason: 'upgrade_failed' })).toBe(2);
  });

  it('keeps serving after hostile upgrade requests on a real socket', async () => {
    h = await startHub();
    expect(await raw(h.port, upgradeRequest('http://['))).toMatch(/^HTTP\/1.1 404/); // not the hub's: the harness's 404 listener
    expect(await raw(h.port, upgradeRequest('/ws'))).toMatch(/^HTTP\/1.1 400/); // no Sec-WebSocket-Key: ws answers
    expect(await raw(h.port, upgradeRequest('/ws', 'Sec-WebSocket-Key: x\r\n'))).toMatch(/^HTTP\/1.1 400/);
    const { welcome } = await TestClient.hello(h.url.replace('/ws', '/ws?from=test'), SCREEN1);
    expect(welcome.type).toBe('welcome');
  });

  it('answers 503 while shutting down', async () => {
    h = await startHub();
    await h.hub.close();
    expect(await raw(h.port, upgradeRequest('/ws', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'))).toMatch(/^HTTP\/1.1 503/);
    expect(await counterValue(h.metrics.wsRefused, { reason: 'shutting_down' })).toBe(1);
  });
});

/** Before hello every bad frame closes the socket: code / close code. */
const BEFORE_HELLO: [string, string | Buffer | object, string][] = [
  ['not JSON', '{not json', 'ws.invalid_json/4400'],
  ['binary', Buffer.from('{"type":"hello"}'), 'ws.invalid_json/4400'],
  ['a JSON array nested to the size limit', nested(deep), 'ws.invalid_frame/4400'],
  ['hello with a nested extra field', `{"type":"hello","role":"screen","x":${nested(deep - 40)}}`, 'ws.invalid_frame/4400'],
  ['a JSON number', '42', 'ws.invalid_frame/4400'],
  ['null', 'null', 'ws.invalid_frame/4400'],
  ['hello with wrong types', { type: 'hello', role: 5, token: [], storeId: {} }, 'ws.invalid_frame/4400'],
  ['hello with an unknown role', { ...SCREEN1, type: 'hello', role: 'admin' }, 'ws.invalid_frame/4400'],
  ['an unknown type', { type: 'teleport' }, 'ws.invalid_frame/4400'],
  ['release', { type: 'release', alertId: 'al-1' }, 'ws.hello_required/4401'],
  ['ping', { type: 'ping', t: 1 }, 'ws.hello_required/4401'],
  ['impression', { type: 'impression', screenId: 'scr-coffee-1', decisionId: 'd', skus: [], renderedAt: T0 }, 'ws.hello_required/4401'],
  ['claim', { type: 'claim', alertId: 'al-1' }, 'ws.hello_required/4401'],
  ['hello for another store', { ...SCREEN1, type: 'hello', storeId: 's-002' }, 'ws.forbidden/4403'],
  ['hello for another screen', { ...SCREEN1, type: 'hello', screenId: 'scr-coffee-2' }, 'ws.forbidden/4403'],
];

/** After hello the socket stays open: code (the pong that follows proves it). */
const AFTER_HELLO: [string, string | Buffer | object, string][] = [
  ['not JSON', '{not json', 'ws.invalid_json'],
  ['binary', Buffer.from('{"type":"ping"}'), 'ws.invalid_json'],
  ['a JSON array nested to the size limit', nested(deep), 'ws.invalid_frame'],
  ['an object nested to the size limit', '{"a":'.repeat(Math.floor(deep / 3)) + '1' + '}'.repeat(Math.floor(deep / 3)), 'ws.invalid_frame'],
  ['a ping with a nested extra field', `{"type":"ping","x":${nested(deep - 30)}}`, 'pong'],
  ['a string', '"hello"', 'ws.invalid_frame'],
  ['__proto__ as a key', '{"__proto__":{"type":"ping"},"type":"claim"}', 'ws.invalid_frame'],
  ['a huge number', '{"type":"ping","t":1e400}', 'ws.invalid_frame'],
  ['wrong types', { type: 'impression', screenId: 7, decisionId: null, skus: 'x', renderedAt: 'now' }, 'ws.invalid_frame'],
  ['too many skus', { type: 'impression', screenId: 'scr-coffee-1', decisionId: 'd', skus: Array(25).fill('S'), renderedAt: T0 }, 'ws.invalid_frame'],
  ['an unknown type', { type: 'teleport' }, 'ws.invalid_frame'],
  ['no type', { alertId: 'al-1' }, 'ws.invalid_frame'],
  ['a second hello', { ...SCREEN1, type: 'hello' }, 'ws.already_hello'],
  ['a hello for another role and store', { type: 'hello', role: 'console', token: 'console-everywhere-token', storeId: 's-002' }, 'ws.already_hello'],
  ['claim from a screen', { type: 'claim', alertId: 'al-1' }, 'ws.forbidden'],
];

describe('bad frames', () => {
  it.each(BEFORE_HELLO)('before hello: %s', async (_name, frame, want) => {
    h = await startHub();
    const c = await TestClient.open(h.url);
    c.send(frame);
    const err = await c.next();
    expect(`${err.code}/${(await c.closed).code}`).toBe(want);
    await until(() => h!.hub.stats().sockets === 0);
  });

  it.each(AFTER_HELLO)('after hello: %s', async (_name, frame, want) => {
    h = await startHub();
    const { c } = await TestClient.hello(h.url, SCREEN1);
    const got = await c.exchange(frame);
    expect(got.map((f) => (f.type === 'error' ? f.code : f.type)).join(',')).toBe(want);
    expect(await counterValue(h.metrics.wsErrors, { code: want })).toBe(want === 'pong' ? 0 : 1);
  });

  it('closes with 1007 for a text frame that is not UTF-8, and counts it', async () => {
    h = await startHub();
    const { c } = await TestClient.hello(h.url, SCREEN1);
    c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await c.closed).code).toBe(1007);
    expect(await counterValue(h.metrics.wsRefused, { reason: 'protocol' })).toBe(1);
  });

  it('destroys a refused socket whose peer never answers the close, after closeTimeoutMs', async () => {
    h = await startHub({ closeTimeoutMs: 50, heartbeatMs: 60_000 });
    const c = await TestClient.open(h.url);
    c.send({ type: 'hello', ...SCREEN1, token: 'not-a-token-at-all' });
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // reads nothing, so never answers the close
    await until(() => h!.hub.stats().sockets === 0);
  });
});
