import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BACKOFF, REJECTED_BACKOFF, nextDelay } from './backoff.js';
import { SeqTracker } from './seq-tracker.js';
import { FakeSocket, FakeWebSocket, welcome } from './testing.js';
import { AisleWsClient, frameKey, wsUrlFor, type ConnectionStatus } from './ws-client.js';
import type { ServerFrame } from './contracts.js';

const content = (seq: number, decisionId = `dec-${seq}`) => ({
  type: 'screen.content', seq, screenId: 'scr-1', decisionId, reason: 'shopper', template: 'hero', ttlMs: 30_000,
  items: [{ sku: 'SKU-1', name: 'Tea', price: 2, note: 'test' }],
});

describe('nextDelay', () => {
  it('grows exponentially from the base, capped at ~10 s', () => {
    const mid = () => 0.5;
    const d = [0, 1, 2, 3, 4, 5, 6, 10, 50].map((a) => nextDelay(a, () => 1));
    expect(d.slice(0, 5)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(d.slice(5)).toEqual([10_000, 10_000, 10_000, 10_000]);
    expect(nextDelay(0, mid)).toBe(375);
  });
  it('keeps jitter inside [exp·(1−jitter), exp]', () => {
    for (let a = 0; a < 8; a++) {
      const exp = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** a);
      expect(nextDelay(a, () => 0)).toBe(exp / 2);
      expect(nextDelay(a, () => 1)).toBe(exp);
      const r = nextDelay(a);
      expect(r).toBeGreaterThanOrEqual(exp / 2);
      expect(r).toBeLessThanOrEqual(exp);
    }
  });
  it('backs off for about a minute after a rejection', () => {
    expect(nextDelay(0, () => 0, REJECTED_BACKOFF)).toBe(45_000);
    expect(nextDelay(0, () => 1, REJECTED_BACKOFF)).toBe(60_000);
  });
});

describe('SeqTracker', () => {
  it('accepts increasing seqs and drops stale ones', () => {
    const t = new SeqTracker();
    expect(t.resumeSeq).toBeUndefined();
    expect(t.accept({ seq: 5, key: 'a' })).toBe(true);
    expect(t.accept({ seq: 4, key: 'b' })).toBe(false);
    expect(t.accept({ seq: 6, key: 'c' })).toBe(true);
    expect(t.resumeSeq).toBe(6);
  });
  it('drops the re-sent current frame after a resume, but accepts a different frame with the same seq', () => {
    const t = new SeqTracker();
    t.accept({ seq: 41, key: 'dec-a' });
    expect(t.accept({ seq: 41, key: 'dec-a' })).toBe(false);
    expect(t.accept({ seq: 41, key: 'dec-b' })).toBe(true);
  });
  it('starts over when the server is behind us (restart)', () => {
    const t = new SeqTracker();
    t.accept({ seq: 41, key: 'dec-a' });
    t.onWelcome(41);
    expect(t.resumeSeq).toBe(41);
    t.onWelcome(0);
    expect(t.resumeSeq).toBeUndefined();
    expect(t.accept({ seq: 1, key: 'dec-z' })).toBe(true);
  });
});

describe('helpers', () => {
  it('derives ws/wss URLs from the page', () => {
    expect(wsUrlFor({ protocol: 'http:', host: 'shop:8080' })).toBe('ws://shop:8080/ws');
    expect(wsUrlFor({ protocol: 'https:', host: 'shop' })).toBe('wss://shop/ws');
  });
  it('keys screen content by decision', () => {
    expect(frameKey(content(3, 'dec-x') as ServerFrame)).toBe('screen.content|dec-x');
  });
});

describe('AisleWsClient', () => {
  let client: AisleWsClient;
  let frames: ServerFrame[];
  let statuses: ConnectionStatus[];
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
    frames = []; statuses = [];
    client = new AisleWsClient({ url: 'ws://x/ws', WebSocket: FakeWebSocket, random: () => 1, heartbeatMs: 1000,
      hello: (resumeSeq) => ({ type: 'hello', role: 'screen', token: 't', storeId: 's-001', screenId: 'scr-1',
        ...(resumeSeq === undefined ? {} : { resumeSeq }) }) });
    client.on('frame', (f) => frames.push(f));
    client.on('status', (s) => statuses.push(s));
  });
  afterEach(() => { client.close(); vi.useRealTimers(); });

  it('says hello first, validates frames and de-duplicates by seq', () => {
    client.connect();
    FakeSocket.last.open();
    expect(FakeSocket.last.sent[0]).toEqual({ type: 'hello', role: 'screen', token: 't', storeId: 's-001', screenId: 'scr-1' });
    FakeSocket.last.message(welcome());
    expect(client.status).toBe('online');
    FakeSocket.last.message(content(1));
    FakeSocket.last.message(content(1));
    FakeSocket.last.message({ type: 'screen.content', seq: 2 }); // invalid: dropped
    FakeSocket.last.message(content(2));
    expect(frames.map((f) => f.type)).toEqual(['welcome', 'screen.content', 'screen.content']);
  });

  it('reconnects with backoff and resumes from the last seq', () => {
    client.connect();
    FakeSocket.last.open();
    FakeSocket.last.message(welcome());
    FakeSocket.last.message(content(7));
    FakeSocket.last.serverClose();
    expect(client.status).toBe('offline');
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(499);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last.serverClose(); // failed attempt: next delay doubles
    vi.advanceTimersByTime(999);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent[0]).toMatchObject({ type: 'hello', resumeSeq: 7 });
    FakeSocket.last.message(welcome(7));
    FakeSocket.last.message(content(7)); // the server's current frame again: already shown
    expect(frames.filter((f) => f.type === 'screen.content')).toHaveLength(1);
    expect(client.status).toBe('online');
  });

  it('pings every interval and reconnects after two silent intervals', () => {
    client.connect();
    const first = FakeSocket.last;
    first.open();
    first.message(welcome(0, 1000));
    vi.advanceTimersByTime(1000);
    expect(first.sentOfType('ping')).toHaveLength(1);
    first.message({ type: 'pong', serverTime: Date.now() });
    vi.advanceTimersByTime(2000);
    expect(first.sentOfType('ping')).toHaveLength(3);
    vi.advanceTimersByTime(1000); // 3 s without a frame
    expect(first.closedByClient).toBe(true);
    expect(client.status).toBe('offline');
  });

  it('backs off long after ws.unauthorized instead of hot-looping', () => {
    client.connect();
    FakeSocket.last.open();
    FakeSocket.last.message({ type: 'error', code: 'ws.unauthorized', message: 'bad token' });
    expect(client.status).toBe('rejected');
    expect(FakeSocket.last.closedByClient).toBe(true);
    vi.advanceTimersByTime(59_999);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(client.status).toBe('rejected');
  });

  it('does not reconnect after close()', () => {
    client.connect();
    FakeSocket.last.open();
    client.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)).toBe('closed');
  });
});
