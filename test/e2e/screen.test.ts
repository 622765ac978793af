import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The whole path in a real browser: MQTT event → engine → WebSocket → the Lit screen player in Chromium. */
describe('screen player in Chromium', () => {
  let t: TestEngine;
  let browser: Browser;

  beforeAll(async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'aisle-e2e-web-'));
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), deps: { staticRoot: outDir } });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => { await browser?.close(); await t?.close(); });

  it('shows a consenting shopper\'s greeting and items after a presence event', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${t.port}/screen/?store=${t.storeId}&screen=scr-candles-1&token=${t.screenToken('scr-candles-1')}`);
    const player = page.locator('aisle-screen-player');
    await expect.poll(() => player.getAttribute('data-reason'), { timeout: 10_000 }).toBe('idle');

    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-candles', rssi: -58, source: 'wifi' });
    await expect.poll(() => player.getAttribute('data-reason'), { timeout: 10_000 }).toBe('shopper');
    await expect.poll(() => page.locator('.greeting').first().innerText(), { timeout: 5_000 }).toBe('Welcome back, Mia');
    // The visible layer only: during the crossfade the idle layer is still in the page, fading out.
    const shown = page.locator('.layer.active');
    await expect.poll(() => shown.locator('.item').first().getAttribute('data-sku'), { timeout: 5_000 }).toBe('SKU-14');
    const names = await shown.locator('.item-name').allInnerTexts();
    expect(names).toContain('candles item 4'); // SKU-14: bought four times before
    expect(names.length).toBeGreaterThanOrEqual(4);

    // She leaves: the screen returns to its idle content and the name disappears.
    await t.publish('presence', { deviceId: 'd-mia', zoneId: null, source: 'wifi' });
    await expect.poll(() => player.getAttribute('data-reason'), { timeout: 10_000 }).toBe('idle');
    await expect.poll(() => page.locator('.greeting').count(), { timeout: 5_000 }).toBe(0); // after the cross-fade
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), 'aisle-e2e-screen.png') });
  });
});
