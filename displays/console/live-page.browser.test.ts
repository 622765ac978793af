import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepQueryAll, deepTexts } from '../shared/testing.js';
import { AisleWsClient } from '../shared/ws-client.js';
import { createConsoleApi } from './api.js';
import { layoutZones } from './floor-plan.js';
import type { AisleLivePage } from './live-page.js';
import { readStoreModel } from './store-model.js';
import { CONSOLE_TOKEN, STORE_ID, engineSocket, json, liveAnswer, previewAnswer, storeRoutes, stubApi, testStoreConfig, until } from './test-fakes.js';
import './live-page.js';

const q = <E extends Element = HTMLElement>(sel: string) => deepQueryAll<E>(document.body, sel);
const content = (screenId: string, seq: number, over: Record<string, unknown> = {}) => ({
  type: 'screen.content', seq, screenId, decisionId: `dec-${screenId}-${seq}`, reason: 'audience', template: 'grid', ttlMs: 30_000,
  headline: 'Beliebt bei Kunden wie Ihnen', currency: 'EUR', locale: 'de-DE', createdAt: 1_760_000_000_000 + seq * 1000,
  items: [{ sku: 'SKU-1', name: 'Ethiopia Yirgacheffe 250g', price: 8.9 }, { sku: 'SKU-3', name: 'Earl Grey Loose Leaf', price: 5.2 }], ...over });

const label = (labelId: string, seq: number, sku: string, name: string, price: number, over: Record<string, unknown> = {}) => ({
  type: 'label.update', seq, labelId, sku, name, price, currency: 'EUR', locale: 'de-DE', updatedAt: Date.now(), ...over });
/** The test store with three labels in two zones. */
const withLabels = () => ({ ...testStoreConfig(), labels: [{ labelId: 'L-1', sku: 'SKU-1', zoneId: 'z-coffee' },
  { labelId: 'L-2', sku: 'SKU-3', zoneId: 'z-coffee' }, { labelId: 'L-3', sku: 'SKU-4', zoneId: 'z-wine' }] });
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
/** The shelf labels drawn in a zone's group of the labels panel (all zones, or the one picked). */
const drawn = (zoneId: string) => q(`.label-group[data-zone-id="${zoneId}"] aisle-label-strip`).flatMap((strip) => deepQueryAll(strip, 'aisle-shelf-label'));
const shelf = (labelId: string) => q(`aisle-shelf-label[data-label-id="${labelId}"]`)[0];
const labelText = (labelId: string, sel: string) => deepQueryAll(shelf(labelId)!, sel).map((e) => nbsp(e.textContent ?? ''));

async function mount(config = testStoreConfig()) {
  const socket = engineSocket('console');
  const page = document.createElement('aisle-live-page') as AisleLivePage;
  page.api = createConsoleApi(CONSOLE_TOKEN);
  page.store = readStoreModel(config);
  page.access = 'console';
  page.probe = { WebSocket: socket.WebSocket, url: 'ws://test/ws' };
  document.body.append(page);
  await page.updateComplete;
  return { page, socket };
}

afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); vi.useRealTimers(); });

describe('live store', () => {
  it('lays zones out as a grid with their shopper counts, screens online and labels', async () => {
    stubApi(storeRoutes());
    await mount();
    await until(() => deepTexts(document.body, '.shoppers strong').join() === '2,5,0');
    expect(deepTexts(document.body, '.zone-name')).toEqual(['Eingang', 'Kaffee & Tee', 'Weinkeller']);
    expect(q('.grid').length).toBe(1);
    expect(deepTexts(document.body, '.stats')[0]).toContain('7 shoppers in store');
    expect(deepTexts(document.body, '.stats')[0]).toContain('3 of 4 screens online');
    expect(deepTexts(document.body, '.stats')[0]).toContain('1 shelf labels · 1 gateway online');
    // Screens by name, never by id; before any frame, the live view's skus through the catalog.
    expect(deepTexts(document.body, '.thumb-name')).toEqual(['Screen', 'Screen 1', 'Screen 2', 'Screen']); // inside each zone's card
    expect(q('.thumb-name').map((t) => t.title)).toEqual(['Eingang · screen', 'Kaffee & Tee · screen 1', 'Kaffee & Tee · screen 2', 'Weinkeller · screen']);
    expect(deepTexts(document.body, '.thumb[data-screen-id="scr-wine-1"]')[0]).toContain('Offline');
  });

  it('shows each screen\'s frame from the console socket, with its mode and prices in the store\'s language', async () => {
    stubApi(storeRoutes());
    const { socket } = await mount();
    const ws = await until(() => socket.live);
    expect(ws.sentOfType('hello')[0]).toEqual({ type: 'hello', role: 'console', token: CONSOLE_TOKEN, storeId: STORE_ID });
    await until(() => q('.thumb').length === 4);
    // Each screen has its own seq: a lower seq for another screen is not a stale frame.
    ws.message(content('scr-coffee-1', 9));
    ws.message(content('scr-entrance-1', 2, { reason: 'shopper', template: 'hero', headline: 'Für Sie ausgewählt' }));
    await until(() => q('.thumb[data-screen-id="scr-entrance-1"] .thumb-headline').length === 1);
    const coffee = deepTexts(document.body, '.thumb[data-screen-id="scr-coffee-1"]')[0]!;
    expect(coffee).toContain('Audience');
    expect(deepTexts(document.body, '.thumb[data-screen-id="scr-coffee-1"] .thumb-price')).toEqual(['8,90 €', '5,20 €']);
    expect(deepTexts(document.body, '.thumb[data-screen-id="scr-entrance-1"] .mode')).toEqual(['Personal turn']);
    // The stream, newest first.
    expect(q('.decision').map((d) => d.dataset['screenId'])).toEqual(['scr-coffee-1', 'scr-entrance-1']);
    // A re-sent current frame (same seq, same decision) is not a new decision.
    ws.message(content('scr-coffee-1', 9));
    await new Promise((r) => setTimeout(r, 30));
    expect(q('.decision').length).toBe(2);
  });

  it('opens a screen\'s "why" from the preview, labelled as a preview with nobody in front', async () => {
    const api = stubApi(storeRoutes(), ({ method, path }) => (method === 'POST' && path === '/api/v1/rules/preview' ? json(previewAnswer('scr-coffee-1')) : undefined));
    const { socket } = await mount();
    const ws = await until(() => socket.live);
    ws.message(content('scr-coffee-1', 3, { reason: 'shopper' }));
    (await until(() => q('.thumb[data-screen-id="scr-coffee-1"]')[0])).click();
    await until(() => q('.why-item').length === 2);
    expect(api.callsTo('POST', '/api/v1/rules/preview')[0]!.body).toEqual({ storeId: STORE_ID, screenId: 'scr-coffee-1' });
    const note = deepTexts(document.body, '.preview-note')[0]!;
    expect(note).toContain('This is a preview');
    expect(note).toContain('nobody in front of it');
    expect(note).toContain('personal turn content'); // honest: the live decision was for someone else
    expect(deepTexts(document.body, '.why-item')[0]).toContain('popular in this zone · pinned (r-1)');
    expect(deepTexts(document.body, '.why-item')[0]).toContain('7,90 €');
    expect(q('.outcome')[0]!.dataset['status']).toBe('matched');
    const dialog = q<HTMLDialogElement>('dialog.why')[0]!;
    expect(dialog.open).toBe(true);
    // The frame on the screen now, drawn by the player's own template.
    expect(q('.stage')[0]!.dataset['template']).toBe('grid');
    expect(deepTexts(q('aisle-grid-template')[0]!, '.item-name')).toEqual(['Ethiopia Yirgacheffe 250g', 'Earl Grey Loose Leaf']);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    dialog.close(); // what Esc does to a modal dialog
    expect(dialog.open).toBe(false);
  });

  it('polls the live view every 2 s and says when it cannot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let n = 0;
    let fail = false;
    const api = stubApi(({ path }) => (path.endsWith('/live') ? (fail ? json({ error: { code: 'store.unavailable', message: 'down' } }, 503)
      : json(liveAnswer({ 'z-coffee': ++n }))) : undefined), storeRoutes());
    await mount();
    await vi.advanceTimersByTimeAsync(10);
    expect(api.callsTo('GET', `/api/v1/stores/${STORE_ID}/live`).length).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.callsTo('GET', `/api/v1/stores/${STORE_ID}/live`).length).toBe(2);
    fail = true;
    await vi.advanceTimersByTimeAsync(2000);
    expect(deepTexts(document.body, '.banner')[0]).toContain('Live data is not updating');
    expect(deepTexts(document.body, '.zone[data-zone-id="z-coffee"] .shoppers strong')).toEqual(['2']); // the last good counts stay
  });

  it('draws the floor plan from zone coordinates when every zone has them', () => {
    const store = readStoreModel({ ...testStoreConfig(), zones: [
      { zoneId: 'a', name: 'A', x: 0, y: 0, w: 10, h: 5 }, { zoneId: 'b', name: 'B', x: 10, y: 0, w: 10, h: 10 }] });
    expect(layoutZones(store.zones)).toEqual({ kind: 'plan', aspect: 2, zones: [
      { zoneId: 'a', left: 0, top: 0, width: 50, height: 50 }, { zoneId: 'b', left: 50, top: 0, width: 50, height: 100 }] });
    expect(layoutZones(readStoreModel(testStoreConfig({ x: 1, y: 1, w: 2, h: 2 })).zones).kind).toBe('grid'); // only one zone has them
  });

  it('renders a plan on the page when zones carry coordinates', async () => {
    stubApi(storeRoutes());
    const cfg = testStoreConfig();
    const withXY = { ...cfg, zones: cfg.zones.map((z, i) => ({ ...z, x: i * 10, y: 0, w: 10, h: 8 })) };
    await mount(withXY as ReturnType<typeof testStoreConfig>);
    const zones = await until(() => (q('.plan .zone').length === 3 ? q('.plan .zone') : undefined));
    expect(zones[1]!.getAttribute('style')).toContain('left:33.33%');
  });

  it('de-duplicates per screen on a store view, per connection otherwise', () => {
    const seen: string[] = [];
    const client = new AisleWsClient({ url: 'ws://x', dedupe: 'per-target', hello: () => ({ type: 'hello', role: 'console', token: 't', storeId: 's' }) });
    client.on('frame', (f) => { if (f.type === 'screen.content') seen.push(`${f.screenId}@${f.seq}`); });
    client.receive(content('a', 5));
    client.receive(content('b', 2));
    client.receive(content('a', 4));
    client.receive(content('b', 2));
    expect(seen).toEqual(['a@5', 'b@2']);
    const single = new AisleWsClient({ url: 'ws://x', hello: () => ({ type: 'hello', role: 'screen', token: 't', storeId: 's', screenId: 'a' }) });
    const seenSingle: number[] = [];
    single.on('frame', (f) => { if (f.type === 'screen.content') seenSingle.push(f.seq); });
    single.receive(content('a', 5));
    single.receive(content('b', 2));
    expect(seenSingle).toEqual([5]);
  });

  it('shows every shelf label live from the console socket, by zone, personal ones ringed and flashing', async () => {
    stubApi(storeRoutes(withLabels() as ReturnType<typeof testStoreConfig>));
    const { socket } = await mount(withLabels() as ReturnType<typeof testStoreConfig>);
    const ws = await until(() => socket.live);
    await until(() => q('.labels-panel').length === 1);
    expect(deepTexts(document.body, '.labels-empty')[0]).toContain('No content from these labels yet');
    // The hub's replay after welcome: a screen frame and labels, each target numbered on its own (per-target de-duplication).
    ws.message(content('scr-coffee-1', 40));
    ws.message(label('L-1', 3, 'SKU-1', 'Ethiopia Yirgacheffe 250g', 8.9));
    ws.message(label('L-2', 1, 'SKU-3', 'Earl Grey Loose Leaf', 5.2));
    ws.message(label('L-3', 2, 'SKU-4', 'Riesling Trocken 2022', 11));
    await until(() => drawn('z-coffee').length === 2 && drawn('z-wine').length === 1);
    // All zones at first, each with its name, labels in configuration order, prices in the store's language.
    expect(deepTexts(document.body, '.label-zone-name')).toEqual(['Kaffee & Tee', 'Weinkeller']);
    expect(drawn('z-coffee').map((l) => l.dataset['labelId'])).toEqual(['L-1', 'L-2']);
    expect(labelText('L-1', '.price')).toEqual(['8,90 €']);
    expect(q('button.label-zone').map((b) => b.textContent!.trim())).toEqual(['All zones', 'Kaffee & Tee', 'Weinkeller']);
    expect(q('button.label-zone[aria-pressed="true"]')[0]!.dataset['zoneId']).toBe('');
    expect(deepTexts(document.body, '.zone[data-zone-id="z-coffee"] button.zone-labels')).toEqual(['2 shelf labels']);
    expect(q('.zone[data-zone-id="z-entrance"] button.zone-labels')).toHaveLength(0); // no labels there

    // A member walks up to the coffee: the label shows the member price, ringed, and flashes.
    ws.message(label('L-1', 4, 'SKU-1', 'Ethiopia Yirgacheffe 250g', 8.9,
      { mode: 'personal', memberPrice: 7.9, promo: 'Mitgliederpreis', flash: { color: 'green', durationMs: 5000 } }));
    await until(() => shelf('L-1')?.dataset['mode'] === 'personal');
    await until(() => shelf('L-1')!.dataset['flash'] === 'green');
    expect(labelText('L-1', '.member-price')).toEqual(['7,90 €']);
    expect(getComputedStyle(shelf('L-1')!).outlineStyle).toBe('solid');
    expect(deepTexts(document.body, '.zone[data-zone-id="z-coffee"] button.zone-labels')).toEqual(['2 shelf labels · 1 personal']);
    expect(deepTexts(document.body, '.labels-head')[0]).toContain('1 personal now');
    // A resend of the same frame (same seq) changes nothing, an older one is stale.
    ws.message(label('L-1', 3, 'SKU-1', 'Ethiopia Yirgacheffe 250g', 1));
    await new Promise((r) => setTimeout(r, 30));
    expect(labelText('L-1', '.price')).toEqual(['8,90 €']);
    // The screens are not disturbed by label frames.
    expect(q('.decision').map((d) => d.dataset['screenId'])).toEqual(['scr-coffee-1']);

    // One zone: its labels larger, from the zone's card.
    q('.zone[data-zone-id="z-wine"] button.zone-labels')[0]!.click();
    await until(() => q('.label-group').length === 1 && drawn('z-wine').length === 1);
    expect(q('button.label-zone[aria-pressed="true"]')[0]!.dataset['zoneId']).toBe('z-wine');
    const box = deepQueryAll(shelf('L-3')!, '.screen svg')[0]!.getBoundingClientRect();
    expect(Math.round(box.width)).toBe(Math.round(296 * 0.8));
    q('button.label-zone[data-zone-id=""]')[0]!.click();
    await until(() => q('.label-group').length === 2);
  });

  it('takes the replay of a restarted engine, whose label seqs start over', async () => {
    stubApi(storeRoutes(withLabels() as ReturnType<typeof testStoreConfig>));
    const { socket } = await mount(withLabels() as ReturnType<typeof testStoreConfig>);
    const ws = await until(() => socket.live);
    ws.message(label('L-3', 12, 'SKU-4', 'Riesling Trocken 2022', 11));
    await until(() => labelText('L-3', '.price')[0] === '11,00 €');
    ws.message({ type: 'welcome', role: 'console', storeId: STORE_ID, seq: 0, heartbeatMs: 15_000, serverTime: Date.now() });
    ws.message(label('L-3', 1, 'SKU-4', 'Riesling Trocken 2022', 12.5));
    await until(() => labelText('L-3', '.price')[0] === '12,50 €');
  });
});
