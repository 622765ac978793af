import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Profile, type AuditEntry } from '#contracts';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { testProfiles, uniqueId } from '../helpers/fixtures.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Olivia: platinum, so a VIP by the store's default `vipTiers`, and she consents to alerts and to her name. */
const olivia = () => Profile.parse({ customerId: 'c-vip', displayName: 'Olivia', tier: 'platinum', points: 52_000, lifecycle: 'active',
  affinities: { kitchen: 0.8, candles: 0.4 }, recentSkus: ['SKU-03', 'SKU-14'], browsedSkus: ['SKU-12'], tags: ['prefers gift wrap'],
  consent: { personalization: true, displayName: true, associateAlerts: true }, updatedAt: 1 });

/**
 * The associate app (docs/associate-app.md) against a real engine, broker and Redis in Chromium at a phone's 390×844:
 * a consenting platinum member walks in, assoc-1's phone shows the alert within a couple of seconds with her name and
 * tier, assoc-1 claims it, assoc-2's phone shows it claimed by assoc-1, and the audit lists the claim.
 */
describe('associate app in Chromium', () => {
  let t: TestEngine;
  let browser: Browser;
  let outDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'aisle-e2e-associate-'));
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId: uniqueId('e2e-a'),
      profiles: [...testProfiles(), olivia()], deps: { staticRoot: outDir } });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => { await browser?.close(); await t?.close(); if (outDir) rmSync(outDir, { recursive: true, force: true }); });

  /** A phone signed in from a link (its own browser context: the sign-in is kept in localStorage). */
  async function phone(associateId: string, token: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(`${associateId}: ${e.message}`));
    page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) errors.push(`${associateId}: ${m.text()}`); });
    await page.goto(`http://127.0.0.1:${t.port}/associate/?store=${t.storeId}&associate=${associateId}&token=${token}`);
    const app = page.locator('aisle-associate-app');
    await expect.poll(() => app.getAttribute('data-connection'), { timeout: 10_000 }).toBe('online');
    expect(await app.getAttribute('data-view')).toBe('list');
    expect(page.url()).not.toContain('token='); // taken from the address at once
    return page;
  }

  it('shows a VIP who walks in, lets one associate claim her, and the other sees who did', async () => {
    const ann = await phone('assoc-1', `tok-assoc-${t.storeId}-xx`);
    const bo = await phone('assoc-2', `tok-assoc2-${t.storeId}-x`);
    expect(await ann.locator('aisle-alert-list .empty').count()).toBe(1);

    const t0 = Date.now();
    await t.publish('presence', { deviceId: 'd-olivia', customerId: 'c-vip', zoneId: 'z-kitchen', source: 'wifi' });
    const alert = ann.locator('aisle-alert-list .alert');
    await alert.first().waitFor({ timeout: 3000 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await alert.count()).toBe(1);
    expect(await alert.locator('.name').innerText()).toBe('Olivia');
    expect(await alert.locator('.tier').innerText()).toBe('Platinum');
    expect(await alert.locator('.tier').getAttribute('data-tier')).toBe('platinum');
    expect(await alert.getAttribute('data-state')).toBe('new');
    // The zone by its name: the player view gives associates the store's zone names.
    expect(await alert.locator('.zone').innerText()).toBe('Kitchen');

    // Open it and claim: the button turns into Release once the engine says assoc-1 holds it.
    await alert.click();
    const card = ann.locator('aisle-alert-card');
    await card.locator('h1.name').waitFor();
    expect(await card.locator('h1.name').innerText()).toBe('Olivia');
    await card.locator('button.claim[data-action="claim"]').click();
    await card.locator('button.claim[data-action="release"]').waitFor({ timeout: 5000 });
    expect(await card.locator('.state').innerText()).toBe('Claimed by you');
    expect(await card.locator('.card').getAttribute('data-state')).toBe('mine');

    // assoc-2's phone: the same alert, claimed by assoc-1, and no Claim button on its card.
    const other = bo.locator('aisle-alert-list .alert');
    await expect.poll(() => other.first().getAttribute('data-state'), { timeout: 5000 }).toBe('other');
    expect(await other.count()).toBe(1);
    expect(await other.locator('.state').innerText()).toBe('Claimed by assoc-1');
    await other.click();
    const taken = bo.locator('aisle-alert-card button.claim');
    await taken.waitFor();
    expect(await taken.getAttribute('data-action')).toBe('other');
    expect(await taken.isDisabled()).toBe(true);

    // The audit (merchandisers only) lists the claim by assoc-1, and each phone's view of her.
    const res = await fetch(`http://127.0.0.1:${t.port}/api/v1/stores/${t.storeId}/audit?customerId=c-vip`,
      { headers: { authorization: `Bearer tok-merch-${t.storeId}-xxx` } });
    expect(res.status).toBe(200);
    const audit = await res.json() as AuditEntry[];
    expect(audit.filter((e) => e.action === 'claim')).toEqual([expect.objectContaining({ associateId: 'assoc-1', customerId: 'c-vip', storeId: t.storeId })]);
    expect(new Set(audit.filter((e) => e.action === 'alert').map((e) => e.associateId))).toEqual(new Set(['assoc-1', 'assoc-2']));
    expect(errors).toEqual([]);
  });
});
