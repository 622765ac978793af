import { resolve } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import type { TokenEntry } from '#contracts';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { requireToken, type ApiEnv } from './auth.js';
import { errorHandler } from './errors.js';
import { storeRoutes, type StoreRoutesDeps } from './routes-stores.js';

export type ReadyCheck = { ok: boolean; detail?: unknown };
export type ApiDeps = StoreRoutesDeps & {
  verify(token: string): TokenEntry | undefined;
  ready(): Record<string, ReadyCheck>;
  metrics: Metrics; log: Logger;
  /** Built displays (vite output); absent in tests that don't need them. */
  staticRoot?: string;
  startedAt: number;
};

/** The engine's HTTP surface (docs/contracts.md §HTTP API). Bad input → 4xx naming the field, never a 500. */
export function createApi(d: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.onError(errorHandler(d.log));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.get('/healthz', (c) => c.json({ status: 'ok', uptimeS: Math.round((Date.now() - d.startedAt) / 1000) }));
  app.get('/readyz', (c) => {
    const checks = d.ready();
    const ok = Object.values(checks).every((x) => x.ok);
    return c.json({ status: ok ? 'ready' : 'not_ready', checks }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await d.metrics.registry.metrics(), 200, { 'content-type': d.metrics.registry.contentType }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc('/api/v1/openapi.json', { openapi: '3.0.0', info: { title: 'Aislecast engine API', version: '1' } });
  app.use('/api/v1/stores/*', requireToken(d.verify));
  app.use('/api/v1/stores', requireToken(d.verify));
  app.route('/api/v1/stores', storeRoutes(d));

  if (d.staticRoot) {
    const root = resolve(d.staticRoot);
    app.use('/*', serveStatic({ root }));
    app.get('/screen', (c) => c.redirect(`/screen/${new URL(c.req.url).search}`));
    app.get('/', serveStatic({ path: resolve(root, 'index.html') }));
  }
  return app;
}
