import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The built displays work under the engine's Content-Security-Policy: no violation, no page error. */
describe('security headers and the built displays', () => {
  let t: TestEngine;
  let browser: Browser;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'aisle-csp-web-'));
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), deps: { staticRoot: outDir } });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 90_000);
  afterAll(async () => { await browser?.close(); await t?.close(); if (outDir) rmSync(outDir, { recursive: true, force: true }); });

  /** Opens a page that records CSP violations and page errors. */
  async function open(path: string): Promise<{ page: Page; problems: () => string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`); });
    await page.exposeFunction('__cspViolation', (v: string) => problems.push(`csp: ${v}`));
    await page.addInitScript({ content: `document.addEventListener('securitypolicyviolation',
      (e) => window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI))` });
    const real = () => problems;
    const res = await page.goto(`http://127.0.0.1:${t.port}${path}`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    return { page, problems: real };
  }

  it('the screen player loads, connects its WebSocket and renders under the policy', async () => {
    const { page, problems } = await open(`/screen/?store=${t.storeId}&screen=scr-candles-1&token=${t.screenToken('scr-candles-1')}`);
    const player = page.locator('aisle-screen-player');
    await expect.poll(() => player.getAttribute('data-reason'), { timeout: 10_000 }).toBe('idle');
    await expect.poll(() => page.locator('.item').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(problems()).toEqual([]);
    await page.close();
  });

  it('the landing page loads and lists the store under the policy', async () => {
    const { page, problems } = await open(`/?token=tok-console-${t.storeId}-x`);
    await expect.poll(() => page.locator(`section.store[data-store-id="${t.storeId}"] .screen-link`).count(), { timeout: 10_000 }).toBe(3);
    await page.waitForTimeout(300);
    expect(problems()).toEqual([]);
    await page.close();
  });
});
