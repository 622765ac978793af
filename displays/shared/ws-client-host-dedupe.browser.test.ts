import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from './contracts.js';
import { FakeSocket, FakeWebSocket } from './testing.js';
import { AisleWsClient } from './ws-client.js';

const alert = (seq: number, alertId: string) => ({
  type: 'alert.vip', seq, alertId, storeId: 's-001', zoneId: 'z-1',
  customer: { tier: 'gold', points: 1, lifecycle: 'active', tags: [], lastPurchases: [], browsed: [] },
  suggestions: [], talkingPoints: [], createdAt: 1,
});
const welcome = (seq: number) => ({ type: 'welcome', role: 'associate', storeId: 's-001', target: 'ann', seq, heartbeatMs: 15_000, serverTime: 1 });

let client: AisleWsClient | undefined;
beforeEach(() => FakeSocket.reset());
afterEach(() => client?.close());

function start(dedupe: 'none' | 'connection') {
  const hellos: Array<number | undefined> = [];
  client = new AisleWsClient({ url: 'ws://x/ws', WebSocket: FakeWebSocket, dedupe, random: () => 0, backoff: { baseMs: 10, capMs: 10, jitter: 0 },
    hello: (resumeSeq) => { hellos.push(resumeSeq); return { type: 'hello', role: 'associate', token: 't', storeId: 's-001', associateId: 'ann' }; } });
  const frames: ServerFrame[] = [];
  client.on('frame', (f) => frames.push(f));
  client.connect();
  return { frames, hellos };
}

describe('AisleWsClient dedupe: none (the host de-duplicates)', () => {
  it('passes on every valid frame, even one with a lower seq, and resumes from the highest seq', async () => {
    const { frames, hellos } = start('none');
    FakeSocket.last.open();
    FakeSocket.last.message(welcome(0));
    FakeSocket.last.message(alert(6, 'al-2'));
    FakeSocket.last.message(alert(5, 'al-1'));
    FakeSocket.last.message(alert(5, 'al-1'));
    FakeSocket.last.message({ type: 'alert.vip', seq: 7 }); // invalid: still dropped
    expect(frames.filter((f) => f.type === 'alert.vip').map((f) => (f as { seq: number }).seq)).toEqual([6, 5, 5]);
    expect(client!.seq.resumeSeq).toBe(6);
    FakeSocket.last.serverClose();
    await new Promise((r) => setTimeout(r, 30));
    FakeSocket.last.open();
    expect(hellos).toEqual([undefined, 6]);
  });

  it('leaves the default (connection) mode as it was: a lower seq is dropped', () => {
    const { frames } = start('connection');
    FakeSocket.last.open();
    FakeSocket.last.message(alert(6, 'al-2'));
    FakeSocket.last.message(alert(5, 'al-1'));
    expect(frames.filter((f) => f.type === 'alert.vip')).toHaveLength(1);
  });
});

describe('AisleWsClient.retryNow', () => {
  it('skips the backoff wait, and does nothing while connected', () => {
    client = new AisleWsClient({ url: 'ws://x/ws', WebSocket: FakeWebSocket, backoff: { baseMs: 60_000, capMs: 60_000, jitter: 0 },
      hello: () => ({ type: 'hello', role: 'associate', token: 't', storeId: 's-001', associateId: 'ann' }) });
    client.connect();
    FakeSocket.last.open();
    client.retryNow();
    expect(FakeSocket.instances).toHaveLength(1);
    FakeSocket.last.serverClose();
    expect(client.status).toBe('offline');
    client.retryNow();
    expect(FakeSocket.instances).toHaveLength(2);
  });
});
