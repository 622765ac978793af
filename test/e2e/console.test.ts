import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * The merchandiser console against a real engine in Chromium (docs/console.md): sign in, write a rule,
 * watch the preview change, publish it, and see a screen show it — on the console's live page (its
 * `console` socket) and in the screen player itself.
 */
describe('merchandiser console in Chromium', () => {
  let t: TestEngine;
  let browser: Browser;

  beforeAll(async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'aisle-e2e-console-'));
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), deps: { staticRoot: outDir } });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => { await browser?.close(); await t?.close(); });

  it('signs in, previews a new rule, publishes it and sees it on a screen', async () => {
    const base = `http://127.0.0.1:${t.port}`;
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) errors.push(m.text()); });

    // A screen player, so the screen is online and its content can be checked where shoppers see it.
    const player = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await player.goto(`${base}/screen/?store=${t.storeId}&screen=scr-candles-1&token=${t.screenToken('scr-candles-1')}`);
    await expect.poll(() => player.locator('aisle-screen-player').getAttribute('data-reason'), { timeout: 10_000 }).toBe('idle');

    // Sign in with a merchandiser token: Enter submits.
    await page.goto(`${base}/console/`);
    await page.locator('input.token').fill(`tok-merch-${t.storeId}-xxx`);
    await page.locator('input.token').press('Enter');
    await page.locator('aisle-live-page .thumb[data-screen-id="scr-candles-1"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('.role').innerText()).toBe('Merchandiser');

    // A new rule for the candles zone; the preview follows the form.
    await page.locator('nav a', { hasText: 'Rules' }).click();
    await page.locator('a.new-rule').click();
    await page.locator('aisle-rule-form [data-field="name"] input').fill('Candle of the week');
    await page.locator('aisle-rule-form [data-field="target.zones"] select').selectOption('z-candles');
    await page.locator('aisle-rule-preview select.screen-pick').selectOption('scr-candles-1');
    const draftOutcome = page.locator('aisle-rule-preview .outcome[data-rule-id="draft-1"]');
    await expect.poll(() => draftOutcome.getAttribute('data-status'), { timeout: 10_000 }).toBe('matched');
    const firstPreviewed = () => page.locator('aisle-rule-preview aisle-screen-stage .item[data-sku]').first().getAttribute('data-sku');
    const before = await firstPreviewed();

    // Pin a product found by name: the preview shows it first.
    const search = page.locator('aisle-rule-form aisle-sku-picker input.search').first();
    await search.fill('candles item 3');
    await search.press('Enter');
    await expect.poll(firstPreviewed, { timeout: 10_000 }).toBe('SKU-13');
    expect(before).not.toBe('SKU-13');
    expect(await draftOutcome.innerText()).toContain('(this rule)');

    // Publish (Enter in the name field), then the console's live page and the player both show it.
    await page.locator('aisle-rule-form [data-field="name"] input').press('Enter');
    await expect.poll(() => page.locator('aisle-rule-editor-page .saved').innerText().catch(() => ''), { timeout: 10_000 }).toContain('Saved as version 1');
    expect(page.url()).toMatch(/#\/rules\/r-[0-9a-f]{10}$/);

    await page.locator('nav a', { hasText: 'Live store' }).click();
    await expect.poll(() => page.locator('aisle-live-page .thumb[data-screen-id="scr-candles-1"] .thumb-item').first().getAttribute('data-sku'),
      { timeout: 10_000 }).toBe('SKU-13');
    await expect.poll(() => player.locator('aisle-screen-player .layer.active .item[data-sku]').first().getAttribute('data-sku'),
      { timeout: 10_000 }).toBe('SKU-13');
    expect(errors).toEqual([]);
  });
});
