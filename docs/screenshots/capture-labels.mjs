// Screenshots of the label wall (docs/labels.md) and of the console's live page with its shelf labels (docs/console.md),
// from a running demo engine:
//   npm start            # prints the Labels link (lgw_… token) and the merchandiser token (mer_…)
//   node docs/screenshots/capture-labels.mjs http://localhost:8080 <label-gateway token> <merchandiser token> [mqtt://127.0.0.1:1883]
// So that personal labels and a flash are in the picture whatever the simulated shoppers do, a consenting demo member
// (Rosie, c-12352, who likes kitchen & dining) walks into the kitchen zone through the demo's broker first, and
// leaves again at the end. Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core.
import mqtt from 'mqtt';
import { chromium } from 'playwright-core';

const [base = 'http://localhost:8080', gatewayToken, merchToken, mqttUrl = 'mqtt://127.0.0.1:1883'] = process.argv.slice(2);
if (!gatewayToken || !merchToken) {
  console.error('usage: capture-labels.mjs <base url> <label-gateway token> <merchandiser token> [mqtt url]');
  process.exit(2);
}
const STORE = 's-001';
const out = new URL('.', import.meta.url).pathname;
const problems = [];

const bus = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0 });
let n = 0;
const presence = (zoneId) => bus.publishAsync(`aisle/v1/stores/${STORE}/presence`, JSON.stringify({ type: 'presence', id: `shot-${Date.now()}-${++n}`,
  ts: Date.now(), storeId: STORE, deviceId: 'd-screenshot-rosie', ...(zoneId ? { customerId: 'c-12352' } : {}), zoneId, source: 'wifi' }), { qos: 1 });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const open = async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
  return page;
};
/** Waits (up to `ms`) for a label in view to flash, so the picture shows one; shoots anyway after that. */
const flashInView = (page, ms) => page.waitForFunction(() => {
  const all = [];
  const walk = (root) => { for (const el of root.querySelectorAll('*')) { if (el.localName === 'aisle-shelf-label') all.push(el); if (el.shadowRoot) walk(el.shadowRoot); } };
  walk(document);
  return all.some((l) => l.dataset.flash && l.getBoundingClientRect().bottom < innerHeight && l.getBoundingClientRect().top > 60);
}, undefined, { timeout: ms }).catch(() => console.warn('no flashing label in view: shooting anyway'));

// The label wall.
const wall = await open();
await wall.goto(`${base}/labels/?store=${STORE}&token=${encodeURIComponent(gatewayToken)}`);
await wall.locator('aisle-label-wall[data-state="labels"]').waitFor({ timeout: 15_000 });
await presence('z-kitchen');
await wall.locator('aisle-label-wall .zone[data-zone-id="z-kitchen"] aisle-shelf-label[data-mode="personal"]').first().waitFor({ timeout: 15_000 })
  .catch(() => console.warn('Rosie brought no personal label in the kitchen'));
await flashInView(wall, 20_000);
await wall.waitForTimeout(300);
await wall.screenshot({ path: `${out}labels-wall-1366.png` });

// The console's live page, scrolled to its shelf labels.
const page = await open();
await page.goto(`${base}/console/`);
await page.locator('input.token').fill(merchToken);
await page.locator('input.token').press('Enter');
await page.locator('aisle-live-page .labels-panel aisle-shelf-label').first().waitFor({ timeout: 15_000 });
await page.waitForTimeout(1500);
await page.locator('aisle-live-page .labels-panel').evaluate((el) => { el.scrollIntoView({ block: 'start' }); scrollBy(0, -250); });
await page.waitForTimeout(400);
await page.screenshot({ path: `${out}console-live-labels-1366.png` });

await presence(null);
await browser.close();
await bus.endAsync();
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log('screenshots written to', out);
