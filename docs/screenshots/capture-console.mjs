// Screenshots of the merchandiser console for docs/console.md, from a running demo engine:
//   npm start            # prints the merchandiser token
//   node docs/screenshots/capture-console.mjs http://localhost:8080 <merchandiser token>
// Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core; nothing is downloaded.
import { chromium } from 'playwright-core';

const [base = 'http://localhost:8080', token] = process.argv.slice(2);
if (!token) { console.error('usage: capture-console.mjs <base url> <merchandiser token>'); process.exit(2); }
const out = new URL('.', import.meta.url).pathname;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const problems = [];

for (const [w, h] of [[1366, 768], [1024, 768]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  page.on('pageerror', (e) => problems.push(`${w}: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`${w}: ${m.text()}`); });
  const shot = async (name) => { await page.waitForTimeout(400); await page.screenshot({ path: `${out}console-${name}-${w}.png` }); };

  await page.goto(`${base}/console/`);
  await page.locator('input.token').waitFor();
  if (w === 1366) await shot('sign-in');
  await page.locator('input.token').fill(token);
  await page.locator('input.token').press('Enter');
  await page.locator('aisle-live-page .thumb').first().waitFor();
  await page.waitForTimeout(6000); // shoppers walk, screens change: the decision stream fills
  await shot('live');

  await page.locator('aisle-live-page .thumb').nth(1).click();
  await page.locator('aisle-why-dialog .why-item').first().waitFor();
  await shot('why');
  await page.keyboard.press('Escape');

  await page.goto(`${base}/console/#/rules`);
  await page.locator('aisle-rules-page tr.rule').first().waitFor();
  await shot('rules');

  await page.goto(`${base}/console/#/rules/r-demo-breakfast`);
  await page.locator('aisle-rule-preview .outcome').first().waitFor();
  await page.locator('aisle-rule-preview select.screen-pick').selectOption('scr-kitchen-1');
  await page.locator('aisle-rule-preview label.seg', { hasText: 'Describe one' }).click();
  await page.waitForTimeout(1500);
  await shot('rule-editor');

  await page.goto(`${base}/console/#/experiments`);
  await page.locator('aisle-experiments-page h1').waitFor();
  await page.waitForTimeout(800);
  const create = page.locator('aisle-experiments-page .new-experiment');
  if (w === 1366 && await create.count()) { // the engine has the experiments API: make one, so the list and a report show
    await create.click();
    const dialog = page.locator('aisle-experiment-dialog dialog');
    await dialog.locator('input').first().fill('Does “New in” sell more?');
    await dialog.locator('select').selectOption('r-demo-new-in');
    await dialog.locator('input').first().press('Enter');
    await page.locator('aisle-experiments-page .experiment', { hasText: 'Does “New in” sell more?' }).waitFor();
    // …and one of model versions (the demo ships two), as the dialog suggests it.
    await create.click();
    await dialog.locator('input').first().fill('The 23 Nov model against the one serving');
    await dialog.locator('input[name="kind"][value="model"]').check();
    await dialog.locator('select.model-treatment').waitFor();
    await shot('new-model-experiment');
    await dialog.locator('input').first().press('Enter');
    await page.locator('aisle-experiments-page .experiment .models').first().waitFor();
  }
  await shot('experiments');
  // 1366: the running demo experiment's report; 1024: a model experiment without results yet.
  const pick = page.locator('aisle-experiments-page .experiment', w === 1366 ? { hasText: 'running' } : { hasText: 'Models:' });
  if (await pick.count()) {
    await pick.first().click();
    await page.locator('aisle-experiments-page .detail').waitFor();
    await shot('experiment');
  }
  await page.close();
}
await browser.close();
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log('screenshots written to', out);
