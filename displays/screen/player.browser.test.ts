import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../shared/tokens.css';
import { formatDate, hueFor } from '../shared/format.js';
import { FakeSocket, FakeWebSocket, deepQueryAll, deepTexts, welcome } from '../shared/testing.js';
import { DEMO_GRID, DEMO_HERO } from './demo-frames.js';
import type { AisleScreenPlayer } from './player.js';
import './player.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frame = (over: Record<string, unknown> = {}) => ({ ...DEMO_HERO, screenId: 'scr-1', seq: 5, ...over });

async function mountPlayer(attrs: Record<string, string> = { store: 's-001', screen: 'scr-1', token: 'tok-123' }) {
  const el = document.createElement('aisle-screen-player');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.storeName = 'Test Store';
  el.webSocketImpl = FakeWebSocket;
  document.body.append(el);
  await el.updateComplete;
  return el;
}
const settle = async (el: AisleScreenPlayer) => { await el.updateComplete; await sleep(0); await el.updateComplete; };
const active = (el: AisleScreenPlayer) => el.shadowRoot!.querySelector('.layer.active')!;

beforeEach(() => FakeSocket.reset());
afterEach(() => { document.body.replaceChildren(); });

describe('aisle-screen-player', () => {
  it('shows the idle loop while it has no content', async () => {
    const el = await mountPlayer();
    expect(el.dataset['state']).toBe('idle');
    expect(active(el).querySelector('aisle-idle-loop')).not.toBeNull();
    expect(deepTexts(active(el), '.store-name')).toEqual(['to Test Store']);
  });

  it('explains the setup when ids or token are missing, without connecting', async () => {
    const el = await mountPlayer({ store: 's-001' });
    expect(el.dataset['state']).toBe('setup');
    expect(deepTexts(el, '.setup-title')[0]).toContain('not set up');
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it('says hello, renders content, sends an impression and exposes its state', async () => {
    const el = await mountPlayer();
    const ws = FakeSocket.last;
    expect(ws.url).toBe(`ws://${location.host}/ws`);
    ws.open();
    expect(ws.sent[0]).toEqual({ type: 'hello', role: 'screen', token: 'tok-123', storeId: 's-001', screenId: 'scr-1' });
    ws.message(welcome());
    ws.message(frame());
    await settle(el);
    expect(el.dataset).toMatchObject({ state: 'content', connection: 'online', decisionId: 'dec-demo-hero',
      seq: '5', reason: 'shopper', template: 'hero' });
    expect(deepTexts(active(el), '.greeting')).toEqual(['Welcome back, Mia']);
    expect(deepTexts(active(el), '.feature .member-price')).toEqual(['£7.90']);
    const imp = ws.sentOfType('impression');
    expect(imp).toHaveLength(1);
    expect(imp[0]).toMatchObject({ screenId: 'scr-1', decisionId: 'dec-demo-hero',
      skus: ['SKU-1001', 'SKU-1044', 'SKU-2210', 'SKU-3307'] });
    expect(typeof imp[0]!['renderedAt']).toBe('number');
  });

  it('keeps the last content while offline, then resumes without re-rendering the same frame', async () => {
    const el = await mountPlayer();
    FakeSocket.last.open();
    FakeSocket.last.message(welcome());
    FakeSocket.last.message(frame({ seq: 9 }));
    await settle(el);
    FakeSocket.last.serverClose();
    await settle(el);
    expect(el.dataset['connection']).toBe('offline');
    expect(el.dataset['state']).toBe('content');
    expect(el.dataset['decisionId']).toBe('dec-demo-hero');
    expect(el.shadowRoot!.querySelector('.offline')).not.toBeNull();
    expect(deepTexts(active(el), '.feature .item-name')).toEqual(['Ethiopia Yirgacheffe Single-Origin Beans 250g']);

    await sleep(600); // first backoff step is ≤ 500 ms
    expect(FakeSocket.instances).toHaveLength(2);
    const ws2 = FakeSocket.last;
    ws2.open();
    expect(ws2.sent[0]).toMatchObject({ type: 'hello', resumeSeq: 9 });
    ws2.message(welcome(9));
    ws2.message(frame({ seq: 9 })); // the server re-sends its current frame on resume
    await settle(el);
    expect(el.dataset['connection']).toBe('online');
    expect(el.shadowRoot!.querySelector('.offline')).toBeNull();
    expect(ws2.sentOfType('impression')).toHaveLength(0);
  });

  it('takes frames fed through the controller, crossfades, and ignores stale or foreign frames', async () => {
    const el = await mountPlayer();
    el.ws.receive(frame({ seq: 3 }));
    await settle(el);
    el.ws.receive({ ...DEMO_GRID, screenId: 'scr-1', seq: 4 });
    await settle(el);
    expect(el.dataset).toMatchObject({ template: 'grid', decisionId: 'dec-demo-grid' });
    expect(el.shadowRoot!.querySelectorAll('.layer.leaving').length).toBeGreaterThanOrEqual(1);
    el.ws.receive(frame({ seq: 2, decisionId: 'dec-old' }));
    el.ws.receive({ ...DEMO_HERO, screenId: 'scr-other', seq: 10, decisionId: 'dec-other' });
    el.ws.receive({ type: 'screen.content', seq: 11 }); // invalid
    await settle(el);
    expect(el.dataset['decisionId']).toBe('dec-demo-grid');
    expect(deepQueryAll(active(el), '.item')).toHaveLength(8);
    await sleep(1100);
    expect(el.shadowRoot!.querySelectorAll('.layer')).toHaveLength(1);
  });

  it('returns to the idle loop when the content expires, showing the idle offers', async () => {
    const el = await mountPlayer();
    el.ws.receive({ ...DEMO_GRID, screenId: 'scr-1', seq: 1, reason: 'idle', decisionId: 'dec-idle', headline: 'Offers' });
    el.ws.receive(frame({ seq: 2, ttlMs: 150 }));
    await settle(el);
    expect(el.dataset['state']).toBe('content');
    await sleep(250);
    await settle(el);
    expect(el.dataset['state']).toBe('idle');
    expect(el.dataset['decisionId']).toBeUndefined();
    const loop = active(el).querySelector('aisle-idle-loop')!;
    expect(loop.slides).toContain('offers');
    expect(deepTexts(loop, '.headline')).toEqual(['Offers']);
  });

  it('shows a setup message on ws.unauthorized and does not hot-loop', async () => {
    const el = await mountPlayer();
    FakeSocket.last.open();
    FakeSocket.last.message({ type: 'error', code: 'ws.unauthorized', message: 'Unknown token' });
    await settle(el);
    expect(el.dataset['state']).toBe('setup');
    expect(el.dataset['connection']).toBe('rejected');
    expect(el.shadowRoot!.querySelector('.setup')!.getAttribute('data-code')).toBe('ws.unauthorized');
    expect(deepTexts(el, '.setup-detail')[0]).toContain('Unknown token');
    await sleep(700);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('hides notes with hide-note and renders demo frames without connecting', async () => {
    const el = await mountPlayer({ demo: 'grid', 'hide-note': '' });
    await settle(el);
    expect(FakeSocket.instances).toHaveLength(0);
    expect(el.dataset['template']).toBe('grid');
    expect(deepQueryAll(active(el), '.item')).toHaveLength(8);
    expect(deepQueryAll(active(el), '.note')).toHaveLength(0);
  });

  it('speaks the frame locale: prices, and the idle clock and date after it', async () => {
    const el = await mountPlayer({ store: 's-001', screen: 'scr-1', token: 'tok-123', locale: 'en-GB', 'time-zone': 'Europe/Berlin' });
    el.ws.receive({ ...DEMO_GRID, screenId: 'scr-1', seq: 1, reason: 'idle', decisionId: 'dec-idle', currency: 'EUR', locale: 'de-DE' });
    el.ws.receive(frame({ seq: 2, ttlMs: 150, currency: 'EUR', locale: 'de-DE' }));
    await settle(el);
    expect(deepTexts(active(el), '.feature .member-price')).toEqual(['7,90 €']);
    await sleep(250);
    await settle(el);
    const loop = active(el).querySelector('aisle-idle-loop')!;
    expect(loop.locale).toBe('de-DE');
    await loop.updateComplete;
    expect(deepTexts(loop, '.foot span')[0]).toBe(formatDate(new Date(), 'de-DE', 'Europe/Berlin'));
  });

  it('colours the demo store by its catalog categories', async () => {
    const el = await mountPlayer({ demo: 'grid' });
    await settle(el);
    const visual = deepQueryAll(active(el), '[data-sku="SKU-4106"] .visual')[0]!;
    expect(Number(visual.style.getPropertyValue('--h'))).toBe(hueFor('christmas'));
  });
});
