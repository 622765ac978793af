import { resolve } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import type { TokenEntry } from '#contracts';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { requireToken, type ApiEnv } from './auth.js';
import { DEFAULT_BODY_BYTES, limitBody } from './body.js';
import { errorHandler } from './errors.js';
import { opsAuth } from './ops.js';
import { storeRoutes, STORE_PUT_PATH, type StoreRoutesDeps } from './routes-stores.js';
import { securityHeaders } from './security-headers.js';

export type ReadyCheck = { ok: boolean; detail?: unknown };
export type ApiDeps = StoreRoutesDeps & {
  verify(token: string): TokenEntry | undefined;
  ready(): Record<string, ReadyCheck>;
  metrics: Metrics; log: Logger;
  /** Built displays (vite output); absent in tests that don't need them. */
  staticRoot?: string;
  startedAt: number;
  /**
   * Protects the operator endpoints when set: /metrics needs `Authorization: Bearer <opsToken>`, and
   * /readyz without it answers only its status. Unset: both are open, as before.
   */
  opsToken?: string;
  /** Largest request body on every route without a limit of its own; default 1 MiB. */
  maxBodyBytes?: number;
};

/** The engine's HTTP surface (docs/contracts.md §HTTP API). Bad input → 4xx naming the field, never a 500. */
export function createApi(d: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.onError(errorHandler(d.log));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.use('*', securityHeaders());

  const ops = opsAuth(d.opsToken);
  app.get('/healthz', (c) => c.json({ status: 'ok', uptimeS: Math.round((Date.now() - d.startedAt) / 1000) }));
  app.get('/readyz', (c) => {
    const checks = d.ready();
    const ok = Object.values(checks).every((x) => x.ok);
    const status = ok ? 'ready' : 'not_ready';
    return c.json(ops.allows(c) ? { status, checks } : { status }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    ops.require(c);
    return c.body(await d.metrics.registry.metrics(), 200, { 'content-type': d.metrics.registry.contentType });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc('/api/v1/openapi.json', { openapi: '3.0.0', info: { title: 'Aislecast engine API', version: '1' } });
  app.use('/api/v1/stores/*', requireToken(d.verify));
  app.use('/api/v1/stores', requireToken(d.verify));
  // After the token check, so an anonymous caller's body is never read. A store PUT has its own,
  // larger limit, applied once its caller is known to be allowed (routes-stores.ts).
  const bounded = limitBody(d.maxBodyBytes ?? DEFAULT_BODY_BYTES);
  app.use('*', (c, next) => (c.req.method === 'PUT' && STORE_PUT_PATH.test(c.req.path) ? next() : bounded(c, next)));
  app.route('/api/v1/stores', storeRoutes(d));

  if (d.staticRoot) {
    const root = resolve(d.staticRoot);
    app.use('/*', serveStatic({ root }));
    app.get('/screen', (c) => c.redirect(`/screen/${new URL(c.req.url).search}`));
    app.get('/', serveStatic({ path: resolve(root, 'index.html') }));
  }
  return app;
}
