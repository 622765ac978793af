import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StoreConfig } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/**
 * The label wall (`/labels/`, docs/labels.md §The label wall) against a real engine, broker and Redis in Chromium:
 * every label of the store drawn with its price; Mia (a consenting member who loves candles) walks into the candles
 * zone, her turn on its screen shows a candle with a member price first, and that candle's label shows it and flashes; she leaves and it goes back.
 */
describe('label wall in Chromium', () => {
  const storeId = uniqueId('e2e-l');
  const base = testStore(storeId);
  // Candles: L-1 (SKU-14) and L-3 (SKU-11, "candles item 1": £3, member price £2.50). A short interval between frames.
  const store = StoreConfig.parse({ ...base, labelPolicy: { minIntervalMs: 300 },
    labels: [...base.labels, { labelId: 'L-3', sku: 'SKU-11', zoneId: 'z-candles' }] });
  let t: TestEngine;
  let browser: Browser;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'aisle-e2e-labels-'));
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, store, deps: { staticRoot: outDir } });
    // Labels follow personal turns: members' turns at the candles screen show SKU-11 first, so its label lights up.
    const rule = await fetch(`http://127.0.0.1:${t.port}/api/v1/rules`, { method: 'POST', headers: { authorization: `Bearer tok-merch-${storeId}-xxx`, 'content-type': 'application/json' },
      body: JSON.stringify({ ruleId: 'r-tea-lights', name: 'Tea lights first', target: { stores: [storeId], zones: ['z-candles'], tiers: ['member', 'silver', 'gold', 'platinum'] },
        actions: { pin: ['SKU-11'] } }) });
    if (rule.status !== 201) throw new Error(`rule not created: ${rule.status}`);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => { await browser?.close(); await t?.close(); if (outDir) rmSync(outDir, { recursive: true, force: true }); });

  it('draws every label with its price, and a consenting member brings the member price and a flash, then it reverts', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) errors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${t.port}/labels/?store=${storeId}&token=tok-gateway-${storeId}-x`);
    const wall = page.locator('aisle-label-wall');
    await expect.poll(() => wall.getAttribute('data-state'), { timeout: 10_000 }).toBe('labels');
    await expect.poll(() => wall.getAttribute('data-labels'), { timeout: 10_000 }).toBe('3');
    expect(await wall.getAttribute('data-connection')).toBe('online');
    // The token left the address (it is kept in localStorage for the next visit).
    expect(page.url()).toBe(`http://127.0.0.1:${t.port}/labels/?store=${storeId}`);
    expect(await page.evaluate<string | null>('localStorage.getItem("aislecast.labels.session")')).toContain(`tok-gateway-${storeId}-x`);

    // Every label, in its zone by name, with its price drawn as SVG text.
    expect(await wall.locator('.zone-name').allInnerTexts()).toEqual(['Kitchen', 'Candles']);
    const label = (id: string) => wall.locator(`aisle-shelf-label[data-label-id="${id}"]`);
    const svgText = async (id: string, cls: string) => (await label(id).locator(`svg .${cls}`).allTextContents()).map(nbsp);
    expect(await svgText('L-1', 'price')).toEqual(['£6.00']); // candles item 4
    expect(await svgText('L-2', 'price')).toEqual(['£5.00']); // kitchen item 3
    expect(await svgText('L-3', 'price')).toEqual(['£3.00']); // candles item 1
    expect(await svgText('L-3', 'name')).toEqual(['candles item 1']);
    expect(await label('L-3').locator('svg .member-price').count()).toBe(0);
    const candles = await wall.locator('.zone[data-zone-id="z-candles"] aisle-shelf-label').all();
    expect(await Promise.all(candles.map((l) => l.getAttribute('data-label-id')))).toEqual(['L-1', 'L-3']);

    // Mia walks in: the candle with a member price shows it, ringed as personal, and its LED flashes.
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    await expect.poll(() => label('L-3').getAttribute('data-mode'), { timeout: 3000 }).toBe('personal');
    expect(await svgText('L-3', 'member-price')).toEqual(['£2.50']);
    expect(await svgText('L-3', 'promo')).toEqual(['Member price']);
    await expect.poll(() => label('L-3').getAttribute('data-flash'), { timeout: 2000 }).toBe('green');
    expect(await label('L-3').locator('.led.on').getAttribute('data-color')).toBe('green');
    expect(await wall.getAttribute('data-personal')).not.toBe('0');
    // Public words only: the label never names her.
    expect(await wall.innerText()).not.toContain('Mia');

    // She leaves the store: the label goes back to its base content.
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    await expect.poll(() => label('L-3').getAttribute('data-mode'), { timeout: 5000 }).toBe('base');
    expect(await label('L-3').locator('svg .member-price').count()).toBe(0);
    expect(await svgText('L-3', 'price')).toEqual(['£3.00']);
    await expect.poll(() => wall.getAttribute('data-personal'), { timeout: 5000 }).toBe('0');
    expect(errors).toEqual([]);
  });

  it('the console\'s live page shows the same labels from its own socket', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${t.port}/console/`);
    await page.locator('input.token').fill(`tok-console-${storeId}-x`);
    await page.locator('input.token').press('Enter');
    const panel = page.locator('aisle-live-page .labels-panel');
    const label = (id: string) => panel.locator(`aisle-shelf-label[data-label-id="${id}"]`);
    await label('L-3').waitFor({ timeout: 10_000 });
    expect(await panel.locator('aisle-shelf-label').count()).toBe(3);
    expect((await label('L-3').locator('svg .price').allTextContents()).map(nbsp)).toEqual(['£3.00']);

    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', source: 'wifi' });
    await expect.poll(() => label('L-3').getAttribute('data-mode'), { timeout: 3000 }).toBe('personal');
    expect((await label('L-3').locator('svg .member-price').allTextContents()).map(nbsp)).toEqual(['£2.50']);
    expect(await page.locator('aisle-live-page .zone[data-zone-id="z-candles"] button.zone-labels').innerText()).toContain('personal');
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    await expect.poll(() => label('L-3').getAttribute('data-mode'), { timeout: 5000 }).toBe('base');
    expect(errors).toEqual([]);
  });

  it('says so when the engine refuses the token', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // An associate token is not a label gateway's: the hello is refused (the player view itself is readable with it).
    await page.goto(`http://127.0.0.1:${t.port}/labels/?store=${storeId}&token=tok-assoc-${storeId}-xx`);
    const wall = page.locator('aisle-label-wall');
    await expect.poll(() => wall.getAttribute('data-state'), { timeout: 10_000 }).toBe('rejected');
    expect(await wall.locator('.rejected').innerText()).toContain('The engine refused this token');
    expect(await wall.locator('.conn').innerText()).toBe('Token refused');
  });
});
