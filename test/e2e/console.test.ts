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

  it('creates an experiment, starts it and reads its report with a chart', async () => {
    const base = `http://127.0.0.1:${t.port}`;
    const auth = { authorization: `Bearer tok-merch-${t.storeId}-xxx`, 'content-type': 'application/json' };
    // A rule for every member in the kitchen zone (written through the API; the rule flow has its own test above).
    const rule = await fetch(`${base}/api/v1/rules`, { method: 'POST', headers: auth, body: JSON.stringify({ ruleId: 'r-mug-week', name: 'Mug of the week',
      target: { stores: [t.storeId], zones: ['z-kitchen'], tiers: ['member', 'silver', 'gold', 'platinum'] }, actions: { pin: ['SKU-05'] } }) });
    expect(rule.status).toBe(201);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) errors.push(m.text()); });
    // The kitchen screen's player confirms what it renders (impressions), as in a store.
    const player = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await player.goto(`${base}/screen/?store=${t.storeId}&screen=scr-kitchen-1&token=${t.screenToken('scr-kitchen-1')}`);
    await expect.poll(() => player.locator('aisle-screen-player').getAttribute('data-reason'), { timeout: 10_000 }).toBe('idle');

    await page.goto(`${base}/console/#/experiments`);
    await page.locator('input.token').fill(`tok-merch-${t.storeId}-xxx`);
    await page.locator('input.token').press('Enter');
    await page.locator('button.new-experiment').click();
    const dialog = page.locator('dialog.new-experiment-dialog');
    await dialog.locator('label.field', { hasText: 'Name' }).locator('input').fill('Mug of the week vs holdout');
    await dialog.locator('label.field', { hasText: 'Rule to test' }).locator('select').selectOption('r-mug-week');
    await dialog.locator('button[type="submit"]').click();
    const card = page.locator('a.card.experiment', { hasText: 'Mug of the week vs holdout' });
    await card.waitFor({ timeout: 10_000 });
    await card.click();
    await page.locator('button.status-action[data-action="start"]').click();
    await expect.poll(() => page.locator('.badge.status-running').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    // Mia takes a turn at the kitchen screen; the player confirms it; she buys what she was shown.
    await t.publish('presence', { deviceId: 'd-mia', customerId: 'c-mia', zoneId: 'z-kitchen', source: 'wifi' });
    await expect.poll(() => player.locator('aisle-screen-player').getAttribute('data-reason'), { timeout: 10_000 }).toBe('shopper');
    const shown = await player.locator('aisle-screen-player .layer.active .item[data-sku]').first().getAttribute('data-sku');
    const list = await (await fetch(`${base}/api/v1/experiments`, { headers: auth })).json() as { experimentId: string }[];
    const id = list[0]!.experimentId;
    await expect.poll(async () => ((await (await fetch(`${base}/api/v1/experiments/${id}`, { headers: auth })).json()) as
      { report: { arms: { impressions: number }[] } }).report.arms.reduce((n, a) => n + a.impressions, 0), { timeout: 10_000 }).toBe(1);
    await t.publish('pos', { transactionId: 'tx-mia-1', customerId: 'c-mia', currency: 'GBP', total: 3, lines: [{ sku: shown!, qty: 1, unitPrice: 3 }] });

    const reportOf = async () => ((await (await fetch(`${base}/api/v1/experiments/${id}`, { headers: auth })).json()) as
      { report: { arms: { shoppers: number; impressions: number; conversions: number }[] } }).report.arms;
    // (Her purchase changes her profile, so the screen decides again: a second impression, still one shopper.)
    await expect.poll(async () => JSON.stringify((await reportOf()).map((a) => [a.shoppers, a.conversions]).sort()), { timeout: 10_000 })
      .toBe(JSON.stringify([[0, 0], [1, 1]]));

    // The report: one shopper who bought, in her arm, charted with its interval.
    await expect.poll(async () => {
      await page.reload();
      return page.locator('table.arms tbody tr').allInnerTexts();
    }, { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/\t1\t\d+\t1\t/)]));
    await page.locator('aisle-experiment-chart canvas').waitFor({ timeout: 10_000 });
    expect(await page.locator('aisle-experiment-chart canvas').getAttribute('aria-label')).toMatch(/Conversion rate per arm/);
    expect(errors).toEqual([]);
  });
});
