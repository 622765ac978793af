// Screenshots of the associate app for docs/associate-app.md, at a phone's 390 × 844:
//   npm run build:web
//   node docs/screenshots/capture-associate.mjs
// Serves the built displays (dist/public) from a small local server that plays the engine's part: the store list
// (GET /api/v1/stores), a 403 on the store configuration as an associate token gets from the real engine, and
// /ws speaking the associate protocol (welcome, a few alert.vip frames in the demo store's words, and an
// alert.claimed answer to each claim). So the shots need no running engine, no simulator luck and no VIP consent.
// Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core; nothing is downloaded.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { WebSocketServer } from 'ws';

const out = new URL('.', import.meta.url).pathname;
const root = new URL('../../dist/public/', import.meta.url).pathname;
const TOKEN = 'asc_screenshot-token-0001';
const STORE = 's-001';
const now = Date.now();
const min = 60_000;

const customer = (over) => ({ tier: 'gold', points: 860, lifecycle: 'active', tags: [], lastPurchases: [], browsed: [], ...over });
const ALERTS = [
  { alertId: 'al-7f3a', zoneId: 'z-kitchen', reason: 'lingering', createdAt: now - 4 * min, updatedAt: now - 40_000,
    customer: customer({ displayName: 'Mia', tier: 'platinum', points: 2340, visitsThisYear: 18, birthdayInDays: 3,
      tags: ['Hosts dinner parties', 'Baking'],
      lastPurchases: [{ sku: 'SKU-23245', name: 'Set of 3 Regency Cake Tins' }, { sku: 'SKU-22993', name: 'Set of 4 Pantry Jelly Moulds' }],
      browsed: [{ sku: 'SKU-23171', name: 'Regency Tea Plate Green' }, { sku: 'SKU-22367', name: 'Childrens Apron Spaceboy Design' }] }),
    suggestions: [
      { sku: 'SKU-23171', name: 'Regency Tea Plate Green', why: 'Browsed, not bought' },
      { sku: 'SKU-22417', name: 'Pack of 60 Spaceboy Cake Cases', why: 'Likes Kitchen & Dining' },
      { sku: 'SKU-85123A', name: 'White Hanging Heart T-Light Holder', why: 'Popular with similar shoppers' }],
    talkingPoints: ['Birthday in 3 days', 'Checked Regency Tea Plate Green at the shelf today', 'Loves Kitchen & Dining', '2340 points to spend'] },
  { alertId: 'al-5c21', zoneId: 'z-home', createdAt: now - 9 * min,
    customer: customer({ tier: 'gold', points: 610, lifecycle: 'dormant', visitsThisYear: 2, lastPurchases: [{ sku: 'SKU-84029E', name: 'Red Woolly Hottie White Heart' }] }),
    suggestions: [{ sku: 'SKU-85123A', name: 'White Hanging Heart T-Light Holder', why: 'Goes with past purchases' },
      { sku: 'SKU-21672', name: 'White Spot Red Ceramic Drawer Knob', why: 'Popular with similar shoppers' }],
    talkingPoints: ['First visit in 94 days', 'Last bought Red Woolly Hottie White Heart', '610 points to spend'] },
  { alertId: 'al-2b90', zoneId: 'z-bags', createdAt: now - 17 * min, claimedBy: { associateId: 'assoc-2', claimedAt: now - 15 * min },
    customer: customer({ displayName: 'Oskar', tier: 'silver', points: 320, visitsThisYear: 7 }),
    suggestions: [{ sku: 'SKU-21929', name: 'Jumbo Bag Pink Vintage Paisley', why: 'Likes Bags' }], talkingPoints: ['Loves Bags'] },
].map((a) => ({ type: 'alert.vip', storeId: STORE, locale: 'en-GB', currency: 'GBP', ...a }));

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.svg': 'image/svg+xml' };
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (url.pathname === '/api/v1/stores') return json(200, [{ storeId: STORE, name: 'Aislecast Demo Store — Shoreditch', zones: 6, screens: 8 }]);
  if (url.pathname.startsWith('/api/v1/stores/')) return json(403, { error: { code: 'auth.forbidden', message: 'role associate may not do this' } });
  let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  if (path.endsWith('/')) path += 'index.html';
  try {
    const body = await readFile(join(root, path));
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch { res.writeHead(404); res.end('not found'); }
});
const wss = new WebSocketServer({ server, path: '/ws' });
let seq = 0;
wss.on('connection', (ws) => {
  ws.on('message', (raw) => {
    const f = JSON.parse(String(raw));
    if (f.type === 'hello') {
      ws.send(JSON.stringify({ type: 'welcome', role: 'associate', storeId: STORE, target: f.associateId, seq, heartbeatMs: 15_000, serverTime: Date.now() }));
      for (const a of [...ALERTS].reverse()) ws.send(JSON.stringify({ ...a, seq: ++seq }));
    } else if (f.type === 'claim' || f.type === 'release') {
      setTimeout(() => ws.send(JSON.stringify({ type: 'alert.claimed', seq: ++seq, alertId: f.alertId,
        associateId: f.type === 'claim' ? 'assoc-1' : null, claimedAt: Date.now() })), 300);
    } else if (f.type === 'ping') ws.send(JSON.stringify({ type: 'pong', t: f.t, serverTime: Date.now() }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const problems = [];
const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
page.on('pageerror', (e) => problems.push(e.message));
// The configuration's 403 is expected: the engine answers an associate token so (the app then names zones from their ids).
page.on('console', (m) => { if (m.type() === 'error' && !/status of 403/.test(m.text())) problems.push(m.text()); });
const shot = async (name) => { await page.waitForTimeout(600); await page.screenshot({ path: `${out}associate-${name}-390.png` }); };

await page.goto(`${base}/associate/`);
await page.locator('aisle-associate-sign-in input.token').waitFor();
await page.locator('aisle-associate-sign-in input.token').fill(TOKEN);
await page.locator('aisle-associate-sign-in input.associate').fill('assoc-1');
await shot('sign-in');
await page.locator('aisle-associate-sign-in button[type=submit]').click();
await page.locator('aisle-alert-list .alert').nth(2).waitFor();
await page.mouse.click(5, 5); // a tap, as on a phone: the app may now play sounds
await shot('list');

await page.locator('aisle-alert-list .alert').first().click();
await page.locator('aisle-alert-card h1.name').waitFor();
await shot('card');
await page.locator('aisle-alert-card button.claim').click();
await page.locator('aisle-alert-card button.claim[data-action=release]').waitFor();
await shot('card-claimed');

await browser.close();
server.close();
wss.close();
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log('screenshots written to', out);
