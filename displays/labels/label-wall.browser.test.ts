/**
 * The label wall (`/labels/`, `<aisle-label-wall>`) in real Chromium against an in-page fake of the engine's label-gateway
 * socket and player view (test-fakes.ts): every label grouped by zone, live; personal labels ringed and flashes
 * glowing; a replayed flash that is over stays dark; a restarted engine's lower seqs win after its welcome; connection
 * state, empty and waiting states, a refused token; the setup from the address (token removed, remembered).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepQueryAll } from '../shared/testing.js';
import type { LabelUpdate } from '../shared/label-svg.js';
import { LabelBook, withLiveFlash } from './label-book.js';
import type { AisleLabelWall } from './label-wall.js';
import { loadWallSession, wallFromPage } from './session.js';
import { GATEWAY_TOKEN, STORE_ID, gatewaySocket, labelFrame, memoryStorage, personalFrame, playerView, stubStoreApi, until } from './test-fakes.js';
import './label-wall.js';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const q = <E extends Element = HTMLElement>(root: ParentNode, sel: string) => deepQueryAll<E>(root, sel);
const shelfLabel = (wall: AisleLabelWall, labelId: string) => q(wall, `aisle-shelf-label[data-label-id="${labelId}"]`)[0];
const svgTexts = (wall: AisleLabelWall, labelId: string, sel: string) => {
  const el = shelfLabel(wall, labelId);
  return el ? q(el, sel).map((t) => nbsp(t.textContent ?? '')) : [];
};
const text = (wall: AisleLabelWall, sel: string) => q(wall, sel).map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

async function mount(opts: { current?: () => LabelUpdate[]; token?: string; storage?: Storage; gatewayId?: string } = {}) {
  const socket = gatewaySocket(opts.current ?? (() => [labelFrame('L-1', 4), labelFrame('L-2', 1), labelFrame('L-3', 2)]));
  const wall = document.createElement('aisle-label-wall');
  wall.webSocketImpl = socket.WebSocket;
  wall.wsUrl = 'ws://test/ws';
  wall.backoff = { baseMs: 20, capMs: 40, jitter: 0 };
  wall.storage = opts.storage ?? memoryStorage();
  if (opts.gatewayId) wall.gatewayId = opts.gatewayId;
  wall.session = { storeId: STORE_ID, token: opts.token ?? GATEWAY_TOKEN };
  document.body.append(wall);
  await wall.updateComplete;
  return { wall, socket };
}

afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); vi.useRealTimers(); });

describe('label wall', () => {
  it('connects as a label gateway and shows every label by zone, with its price, in configuration order', async () => {
    stubStoreApi();
    const { wall, socket } = await mount();
    await until(() => wall.dataset['labels'] === '3' && text(wall, '.zone-name').length === 2);
    const hello = socket.sockets[0]!.sentOfType('hello')[0]!;
    expect(hello).toEqual({ type: 'hello', role: 'label-gateway', token: GATEWAY_TOKEN, storeId: STORE_ID });
    expect(wall.dataset['state']).toBe('labels');
    expect(wall.dataset['connection']).toBe('online');
    expect(text(wall, '.conn')).toEqual(['Connected']);
    expect(text(wall, '.store-name')).toEqual(['Riverside']);
    // Zones by name, in the configuration's order; a zone without labels is left out.
    expect(text(wall, '.zone-name')).toEqual(['Entrance', 'Candles & Home']);
    const candles = q(wall, '.zone[data-zone-id="z-candles"] aisle-label-strip')[0]!;
    expect(q(candles, 'aisle-shelf-label').map((l) => l.dataset['labelId'])).toEqual(['L-1', 'L-3']);
    // Each label's own seq: L-2's seq 1 after L-1's 4 is not stale. Prices are SVG text, drawn in the label's locale.
    expect(svgTexts(wall, 'L-1', '.price')).toEqual(['£4.50']);
    expect(svgTexts(wall, 'L-2', '.price')).toEqual(['£5.25']);
    expect(svgTexts(wall, 'L-3', '.name').join(' ')).toContain('Fig & Cassis');
    expect(text(wall, '.stat')).toEqual(['3 labels', '0 personal now']);
  });

  it('names its gateway only when asked (every engine-made gateway token is bound to its own)', async () => {
    stubStoreApi();
    const { socket } = await mount({ gatewayId: 'wall-lobby' });
    const hello = await until(() => socket.sockets[0]?.sentOfType('hello')[0]);
    expect(hello['gatewayId']).toBe('wall-lobby');
  });

  it('rings personal labels and lets a flash glow; they revert when the shopper leaves', async () => {
    stubStoreApi();
    const { wall, socket } = await mount();
    await until(() => wall.dataset['labels'] === '3');
    socket.push(personalFrame('L-3', 3));
    await until(() => shelfLabel(wall, 'L-3')?.dataset['mode'] === 'personal');
    const l3 = shelfLabel(wall, 'L-3')!;
    await until(() => l3.dataset['flash'] === 'green');
    expect(q(l3, '.led.on')[0]!.getAttribute('data-color')).toBe('green');
    expect(getComputedStyle(l3).outlineStyle).toBe('solid'); // the ring
    expect(getComputedStyle(l3).filter).toContain('drop-shadow'); // the glow
    expect(svgTexts(wall, 'L-3', '.member-price')).toEqual(['£9.50']);
    expect(svgTexts(wall, 'L-3', '.promo')).toEqual(['Member price']);
    expect(l3.title).toContain('Personal');
    expect(wall.dataset['personal']).toBe('1');
    expect(text(wall, '.zone[data-zone-id="z-candles"] .zone-personal')).toEqual(['1 personal']);
    expect(text(wall, '.stat')).toEqual(['3 labels', '1 personal now']);

    socket.push(labelFrame('L-3', 4));
    await until(() => shelfLabel(wall, 'L-3')?.dataset['mode'] === 'base');
    expect(svgTexts(wall, 'L-3', '.member-price')).toEqual([]);
    expect(shelfLabel(wall, 'L-3')).toBe(l3); // the same element: other labels' flashes are not cut
    expect(wall.dataset['personal']).toBe('0');
  });

  it('does not flash a replayed frame whose flash is over, and flashes a live one only for what is left', () => {
    const now = 1_000_000;
    const f = personalFrame('L-1', 2, { updatedAt: now - 6000 });
    expect(withLiveFlash(f, now).flash).toBeUndefined();
    expect(withLiveFlash(f, now).memberPrice).toBe(0.5);
    expect(withLiveFlash({ ...f, updatedAt: now - 2000 }, now).flash).toEqual({ color: 'green', durationMs: 3000 });
    expect(withLiveFlash({ ...f, updatedAt: now + 2000 }, now).flash).toEqual({ color: 'green', durationMs: 5000 }); // clock skew: never longer
    // The engine's clock comes from the welcome: a phone 10 s behind still sees the flash as live.
    let local = now - 10_000;
    const book = new LabelBook(() => local);
    book.welcome(now);
    expect(book.apply(personalFrame('L-1', 1, { updatedAt: now - 1000 }))!.flash!.durationMs).toBe(4000);
    local += 4000;
    expect(book.get('L-1')!.flash).toBeUndefined(); // over: a strip drawn later does not flash it again
  });

  it('shows a replayed personal label without an old flash', async () => {
    stubStoreApi();
    const { wall } = await mount({ current: () => [labelFrame('L-1', 1), labelFrame('L-2', 1), personalFrame('L-3', 7, { updatedAt: Date.now() - 60_000 })] });
    await until(() => shelfLabel(wall, 'L-3')?.dataset['mode'] === 'personal');
    await new Promise((r) => setTimeout(r, 50));
    expect(shelfLabel(wall, 'L-3')!.dataset['flash']).toBeUndefined();
    expect(q(shelfLabel(wall, 'L-3')!, '.led.on')).toHaveLength(0);
  });

  it('keeps the labels while reconnecting, and takes the replay of a restarted engine even with lower seqs', async () => {
    stubStoreApi();
    let current = [labelFrame('L-1', 9, { price: 4.5 }), labelFrame('L-2', 5), labelFrame('L-3', 5)];
    const { wall, socket } = await mount({ current: () => current });
    await until(() => wall.dataset['labels'] === '3');
    socket.push(labelFrame('L-1', 8, { price: 1 })); // older on the same connection: ignored
    await new Promise((r) => setTimeout(r, 30));
    expect(svgTexts(wall, 'L-1', '.price')).toEqual(['£4.50']);

    socket.live!.serverClose();
    await until(() => wall.dataset['connection'] === 'offline');
    expect(text(wall, '.conn')).toEqual(['Reconnecting…']);
    expect(text(wall, '.offline-banner')[0]).toContain('show what they showed last');
    expect(q(wall, 'aisle-shelf-label')).toHaveLength(3);

    current = [labelFrame('L-1', 1, { price: 3.99 }), labelFrame('L-2', 1), labelFrame('L-3', 1)]; // the engine restarted
    await until(() => wall.dataset['connection'] === 'online');
    await until(() => svgTexts(wall, 'L-1', '.price')[0] === '£3.99');
    expect(q(wall, '.offline-banner')).toHaveLength(0);
  });

  it('says when it is connecting, waiting for content, or the store has no labels', async () => {
    stubStoreApi({ view: playerView({ labels: [] }) });
    const { wall } = await mount({ current: () => [] });
    expect(wall.dataset['state']).toBe('connecting');
    expect(text(wall, '.empty')).toEqual(['Connecting to the engine…']);
    await until(() => wall.dataset['state'] === 'empty');
    expect(text(wall, '.empty')).toEqual(['This store has no shelf labels.']);
    document.body.replaceChildren();

    stubStoreApi();
    const again = await mount({ current: () => [] });
    await until(() => again.wall.dataset['state'] === 'waiting');
    expect(text(again.wall, '.empty')[0]).toContain('Waiting for the labels');
    again.socket.push(labelFrame('L-2', 1));
    await until(() => again.wall.dataset['state'] === 'labels');
    expect(text(again.wall, '.waiting-labels')).toEqual(['No content yet: L-1, L-3']);
  });

  it('shows the labels in one group when the player view cannot be read', async () => {
    stubStoreApi({ viewStatus: 403 });
    const { wall } = await mount();
    await until(() => wall.dataset['labels'] === '3');
    await until(() => text(wall, '.view-error').length === 1);
    expect(text(wall, '.view-error')[0]).toContain('this token may not read this store');
    expect(text(wall, '.zone-name')).toEqual(['All labels']);
    expect(text(wall, '.store-name')).toEqual([STORE_ID]);
  });

  it('says in words when the engine refuses the token, and offers another', async () => {
    stubStoreApi();
    const storage = memoryStorage();
    storage.setItem('aislecast.labels.session', JSON.stringify({ storeId: STORE_ID, token: 'lgw_wrong-token-000000' }));
    const { wall } = await mount({ token: 'lgw_wrong-token-000000', storage });
    await until(() => wall.dataset['state'] === 'rejected');
    expect(text(wall, '.conn')).toEqual(['Token refused']);
    const banner = text(wall, '.rejected')[0]!;
    expect(banner).toContain('The engine refused this token');
    expect(banner).toContain('unknown token (ws.unauthorized)');
    expect(q(wall, 'aisle-label-strip')).toHaveLength(0);
    q<HTMLButtonElement>(wall, '.rejected button.forget')[0]!.click();
    await until(() => wall.dataset['state'] === 'setup');
    expect(storage.getItem('aislecast.labels.session')).toBeNull();
    expect(q<HTMLInputElement>(wall, 'input.store')[0]!.value).toBe(STORE_ID);
  });

  it('sets up from the setup form: a token that reaches one store needs no store id', async () => {
    stubStoreApi();
    const socket = gatewaySocket(() => [labelFrame('L-1', 1)]);
    const storage = memoryStorage();
    const wall = document.createElement('aisle-label-wall');
    Object.assign(wall, { webSocketImpl: socket.WebSocket, wsUrl: 'ws://test/ws', storage });
    document.body.append(wall);
    await wall.updateComplete;
    expect(wall.dataset['state']).toBe('setup');
    q<HTMLInputElement>(wall, 'input.token')[0]!.value = 'lgw_nope-0000000000';
    q<HTMLButtonElement>(wall, 'form.setup button[type="submit"]')[0]!.click();
    await until(() => text(wall, '.setup-error')[0]?.includes('the engine does not know this token'));
    q<HTMLInputElement>(wall, 'input.token')[0]!.value = GATEWAY_TOKEN;
    q<HTMLButtonElement>(wall, 'form.setup button[type="submit"]')[0]!.click();
    await until(() => wall.dataset['labels'] === '1');
    expect(loadWallSession(storage)).toEqual({ storeId: STORE_ID, token: GATEWAY_TOKEN });
  });

  it('takes the token from the address, removes it there and remembers the setup', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => { replaced.push(url); } } as unknown as History;
    const loc = (href: string) => { const u = new URL(href); return { href, search: u.search } as Location; };
    const start = wallFromPage(loc(`https://shop.example/labels/?store=${STORE_ID}&token=${GATEWAY_TOKEN}&scale=0.8#top`), hist, storage);
    expect(start.session).toEqual({ storeId: STORE_ID, token: GATEWAY_TOKEN });
    expect(start.scale).toBe(0.8);
    expect(replaced).toEqual([`/labels/?store=${STORE_ID}&scale=0.8#top`]);
    expect(loadWallSession(storage)).toEqual({ storeId: STORE_ID, token: GATEWAY_TOKEN });
    // The next visit needs no token in the address.
    expect(wallFromPage(loc('https://shop.example/labels/'), hist, storage).session).toEqual({ storeId: STORE_ID, token: GATEWAY_TOKEN });
    expect(replaced).toHaveLength(1);
    // A token alone pre-fills the setup (the page then asks which store the token reaches).
    expect(wallFromPage(loc('https://shop.example/labels/?token=lgw_other-000000000'), hist, memoryStorage())).toEqual({ prefill: { token: 'lgw_other-000000000' } });
  });
});
