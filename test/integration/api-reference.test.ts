import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreConfig } from '#contracts';
import { createApi } from '../../engine/api/index.js';
import { createHttpServer } from '../../engine/api/server.js';
import { createKeys } from '../../engine/platform/keys.js';
import { manualClock } from '../../engine/platform/clock.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createMemoryKv } from '../../engine/platform/memory-kv.js';
import { createMetrics } from '../../engine/platform/metrics.js';
import { createRuleStore } from '../../engine/rules/rule-store.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** docs/rules-api.md §Reference page: the engine serves an interactive reference of its own OpenAPI document, with nothing from outside. */
describe('API reference page', () => {
  let server: Server;
  let base: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const store = StoreConfig.parse({ storeId: 's-001', name: 'Riverside', zones: [{ zoneId: 'z-1', name: 'Z', categories: ['c'] }],
      catalog: [{ sku: 'S-1', name: 'Item', category: 'c', price: 1 }] });
    const api = createApi({ stores: createStoreRegistry([store]), metrics: createMetrics(), log: silentLogger(), startedAt: 0,
      live: () => ({}), screenToken: () => undefined, ready: () => ({}), verify: () => undefined,
      rules: createRuleStore({ kv: createMemoryKv(manualClock()), keys: createKeys('t:') }) });
    server = createHttpServer({ fetch: api.fetch });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('is HTML whose scripts come from the engine itself, allowed by hash, with the rest of the policy unchanged', async () => {
    const res = await fetch(`${base}/api/v1/reference`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const srcs = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    expect(srcs).toEqual(['/api/v1/reference/standalone.js']);
    expect(html).not.toMatch(/https?:\/\/[^"'\s]*(cdn|jsdelivr|unpkg|scalar\.com)/i);
    expect(html).toContain('/api/v1/openapi.json');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    // Everywhere else: the same policy as before, no hash.
    const other = (await fetch(`${base}/healthz`)).headers.get('content-security-policy')!;
    expect(other).toMatch(/script-src 'self';/);
    expect(csp.replace(/ 'sha256-[^']+'/g, '')).toBe(other);
  });

  it('serves the bundle as JavaScript, cacheable', async () => {
    const res = await fetch(`${base}/api/v1/reference/standalone.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const js = await res.text();
    expect(js.length).toBeGreaterThan(1_000_000);
    expect(js).toContain('@scalar/api-reference');
  });

  it('openapi.json lists every rules route with its request and answer schemas', async () => {
    const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json() as { paths: Record<string, Record<string, {
      requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
    const rules = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/rules'))
      .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, op })));
    expect(rules.map((r) => r.route).sort()).toEqual([
      'DELETE /api/v1/rules/{ruleId}', 'GET /api/v1/rules', 'GET /api/v1/rules/{ruleId}', 'GET /api/v1/rules/{ruleId}/versions',
      'POST /api/v1/rules', 'POST /api/v1/rules/preview', 'POST /api/v1/rules/{ruleId}/disable', 'POST /api/v1/rules/{ruleId}/enable',
      'POST /api/v1/rules/{ruleId}/restore', 'PUT /api/v1/rules/{ruleId}'].sort());
    for (const { route, op } of rules) {
      const ok = op.responses['200'] ?? op.responses['201'];
      expect(ok?.content?.['application/json']?.schema, route).toBeDefined();
      const hasBody = /^(POST|PUT) /.test(route) && !/(enable|disable)$/.test(route);
      if (hasBody) expect(op.requestBody?.content['application/json']?.schema, route).toBeDefined();
    }
  });

  it('renders in Chromium from the engine alone: the rules routes are listed, no policy violation, no outside request', async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const problems: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`); });
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url()); });
    await page.exposeFunction('__cspViolation', (v: string) => problems.push(`csp: ${v}`));
    await page.addInitScript({ content: `document.addEventListener('securitypolicyviolation',
      (e) => window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI))` });
    // Nothing outside the engine is reachable from a store's back office: make sure nothing is needed.
    await page.route((url) => !url.href.startsWith(base), (route) => route.abort());
    await page.goto(`${base}/api/v1/reference`);
    await expect.poll(() => page.getByText('Create a rule').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Restore an earlier version').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await page.title()).toBe('Aislecast engine API');
    await page.waitForTimeout(500);
    // The one expected report: zod inside the bundle probes whether it may compile validators
    // (`new Function("")`), is refused, and takes its slower path; 'unsafe-eval' is deliberately not granted.
    expect(problems.filter((p) => p !== 'csp: script-src eval')).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);
});
