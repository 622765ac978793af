import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StoreConfig, type LabelUpdate, type ScreenContent } from '#contracts';
import { createKeys } from '../../engine/platform/keys.js';
import { eventually } from '../helpers/eventually.js';
import { testProfiles } from '../helpers/fixtures.js';
import { connectWs } from '../helpers/ws-client.js';
import { type EngineProc } from './harness/engine.js';
import { presenceMessage, type Message } from './harness/plan.js';
import { startRig } from './harness/rig.js';
import { perTestScope } from './harness/scope.js';
import { faultStore, screenToken } from './harness/store.js';

const DEVICES = 30;
const MOVES = 10;
const THUMBNAIL_BYTES = 10_000;

type Live = { screens: { screenId: string; current?: { decisionId: string; seq: number } }[] };
async function current(e: EngineProc, storeId: string, screenId: string) {
  const r = await fetch(`${e.url}/api/v1/stores/${storeId}/live`, { headers: { authorization: `Bearer tok-console-${storeId}-x` }, signal: AbortSignal.timeout(2000) });
  if (r.status !== 200) throw new Error(`live view: ${r.status}`);
  return ((await r.json()) as Live).screens.find((s) => s.screenId === screenId)?.current;
}
const contentOf = (frames: readonly { type: string }[]) => frames.filter((f): f is ScreenContent => f.type === 'screen.content');

describe('slow WebSocket client', () => {
  const scope = perTestScope();

  it('a screen that stops reading does not delay another screen of the store', async () => {
    const s = scope();
    const mia = testProfiles().find((p) => p.customerId === 'c-mia')!;
    // Heavy frames (4 items with ~10 KB inline thumbnails each, ~40 KB a frame): a paused reader soon fills the kernel's
    // socket buffers (a few MB on loopback), so the engine itself has to hold back that screen's frames.
    const { ids, engine, pub } = await startRig(s, 'slow', {
      store: (storeId) => faultStore(storeId, { thumbnailBytes: THUMBNAIL_BYTES }),
      seed: (r, prefix) => r.set(createKeys(prefix).profile('c-mia'), JSON.stringify(mia)) });

    const hello = (screenId: string) => ({ role: 'screen' as const, token: screenToken(ids.storeId, screenId), storeId: ids.storeId, screenId });
    const slow = await connectWs(engine.port, hello('scr-kitchen-1'));
    const fast = await connectWs(engine.port, hello('scr-candles-1'));
    s.defer('screens', async () => { slow.ws.terminate(); fast.ws.terminate(); });
    await Promise.all([slow.next((f) => f.type === 'screen.content', 10_000), fast.next((f) => f.type === 'screen.content', 10_000)]);

    // The kitchen screen stops reading: its socket's receive buffer fills, then the engine's send buffer for it.
    const socket = (slow.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const fastFrom = fast.frames.length;

    // Shoppers walk back and forth between the kitchen and the candles zone, then leave; last, Mia walks into the candles zone.
    const msgs: Message[] = [];
    for (let m = 0; m < MOVES; m++) for (let d = 0; d < DEVICES; d++) {
      msgs.push(presenceMessage(ids.storeId, `${ids.hex}-m${m}-d${d}`, { deviceId: `d-s-${d}`, zoneId: (m + d) % 2 ? 'z-kitchen' : 'z-candles' }));
    }
    for (let d = 0; d < DEVICES; d++) msgs.push(presenceMessage(ids.storeId, `${ids.hex}-leave-d${d}`, { deviceId: `d-s-${d}`, zoneId: null }));
    msgs.push(presenceMessage(ids.storeId, `${ids.hex}-mia`, { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles' }));
    await pub.publishAll(msgs, { ratePerSec: 600 });

    // The candles screen gets the content for the last event (Mia alone in the zone) while the kitchen screen is still paused.
    const last = await fast.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason === 'shopper' && !!f.greeting?.includes('Mia'), 20_000, fastFrom);
    expect(socket.isPaused(), 'the slow screen is still paused').toBe(true);
    const got = contentOf(fast.frames.slice(fastFrom));
    // In order, none repeated; and what it got last is what the engine holds as the screen's current content.
    expect(got.map((f) => f.seq)).toEqual([...got.map((f) => f.seq)].sort((a, b) => a - b));
    expect(new Set(got.map((f) => f.seq)).size).toBe(got.length);
    const now = await eventually(async () => {
      const c = await current(engine, ids.storeId, 'scr-candles-1');
      return c && c.decisionId === contentOf(fast.frames).at(-1)?.decisionId ? c : undefined;
    }, 5000, 50).catch(async () => current(engine, ids.storeId, 'scr-candles-1'));
    expect(now?.decisionId, 'the candles screen has the engine\'s current decision').toBe(contentOf(fast.frames).at(-1)?.decisionId);
    expect(contentOf(fast.frames).at(-1)?.decisionId).toBe(last.decisionId);
    expect((await fetch(`${engine.url}/healthz`)).status).toBe(200);

    // The kitchen screen reads again: it catches up with (at least) its current content, or was dropped as too slow.
    socket.resume();
    const kitchen = await eventually(async () => {
      const c = await current(engine, ids.storeId, 'scr-kitchen-1');
      if (slow.ws.readyState !== slow.ws.OPEN) return 'closed by the engine';
      return c && contentOf(slow.frames).at(-1)?.decisionId === c.decisionId ? 'caught up' : undefined;
    }, 10_000, 50).catch(() => 'neither caught up nor closed');
    const kitchenSeq = (await current(engine, ids.storeId, 'scr-kitchen-1'))?.seq;
    const contiguous = got.every((f, i) => i === 0 || f.seq === got[i - 1]!.seq + 1);
    console.log(`[fault] slow client: candles screen got ${got.length} frames (seqs ${contiguous ? 'contiguous' : 'with gaps'}) during ${msgs.length} events, the last one Mia's (seq ${last.seq}); `
      + `kitchen screen, paused: ${kitchen} after resuming, ${contentOf(slow.frames).length} frames received of ${kitchenSeq} decided (the rest coalesced); engine healthy`);
    expect.soft(kitchen, 'the paused screen after it reads again').not.toBe('neither caught up nor closed');
  });

  it('a label gateway that stops reading does not delay a screen or another gateway, and catches up with every label\'s latest content', async () => {
    const s = scope();
    const mia = testProfiles().find((p) => p.customerId === 'c-mia')!;
    const { ids, engine, pub } = await startRig(s, 'slowgw', {
      store: (storeId) => StoreConfig.parse({ ...faultStore(storeId), labelPolicy: { minIntervalMs: 0 } }),
      seed: (r, prefix) => r.set(createKeys(prefix).profile('c-mia'), JSON.stringify(mia)) });
    const gw = () => connectWs(engine.port, { role: 'label-gateway', token: `tok-gateway-${ids.storeId}-x`, storeId: ids.storeId });
    const slow = await gw();
    const fast = await gw();
    const screen = await connectWs(engine.port, { role: 'screen', token: screenToken(ids.storeId, 'scr-candles-1'), storeId: ids.storeId, screenId: 'scr-candles-1' });
    s.defer('sockets', async () => { slow.ws.terminate(); fast.ws.terminate(); screen.ws.terminate(); });
    const labels = faultStore(ids.storeId).labels.map((l) => l.labelId);
    const latest = (ws: typeof slow) => {
      const m = new Map<string, LabelUpdate>();
      for (const f of ws.frames) if (f.type === 'label.update') m.set(f.labelId, f);
      return m;
    };
    await eventually(async () => (latest(slow).size === labels.length && latest(fast).size === labels.length ? true : undefined), 10_000);
    const socket = (slow.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    // Mia walks in and out of the candles zone 40 times: her recommendations' labels turn personal and back each time.
    const msgs: Message[] = [];
    for (let m = 0; m < 40; m++) msgs.push(presenceMessage(ids.storeId, `${ids.hex}-g${m}`, { deviceId: 'd-mia', customerId: 'c-mia', zoneId: m % 2 ? null : 'z-candles' }));
    msgs.push(presenceMessage(ids.storeId, `${ids.hex}-g-last`, { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles' }));
    const screenFrom = screen.frames.length;
    await pub.publishAll(msgs, { ratePerSec: 200 });
    // The screen and the other gateway follow while the slow gateway is paused.
    await screen.next<ScreenContent>((f) => f.type === 'screen.content' && f.reason === 'shopper', 10_000, screenFrom);
    await eventually(async () => ([...latest(fast).values()].some((f) => f.mode === 'personal') ? true : undefined), 10_000);
    expect(socket.isPaused()).toBe(true);
    socket.resume();
    // Once it reads again, it ends with exactly what the other gateway has for every label.
    const same = () => labels.every((id) => JSON.stringify(latest(slow).get(id)) === JSON.stringify(latest(fast).get(id)));
    await eventually(async () => (same() ? true : undefined), 10_000).catch(() => undefined);
    expect(same(), 'the slow gateway caught up with every label').toBe(true);
    expect((await fetch(`${engine.url}/healthz`)).status).toBe(200);
  });
});
