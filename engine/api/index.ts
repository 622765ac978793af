import { resolve } from 'node:path';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import type { TokenEntry } from '#contracts';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { requireToken, type ApiEnv } from './auth.js';
import { DEFAULT_BODY_BYTES, limitBody } from './body.js';
import { errorHandler } from './errors.js';
import { opsAuth } from './ops.js';
import { mountReference, REFERENCE_PATH } from './reference.js';
import { experimentRoutes, unwiredExperiments, type ExperimentRoutesDeps } from './routes-experiments.js';
import { modelRoutes, type ModelRoutesDeps } from './routes-models.js';
import { auditRoutes, type AuditRoutesDeps } from './routes-audit.js';
import { ruleRoutes, unwiredRules, type RuleRoutesDeps } from './routes-rules.js';
import { storeRoutes, STORE_PUT_PATH, type StoreRoutesDeps } from './routes-stores.js';
import { securityHeaders } from './security-headers.js';

export type ReadyCheck = { ok: boolean; detail?: unknown };
export type ApiDeps = StoreRoutesDeps & Partial<Omit<RuleRoutesDeps, 'stores'>> & Partial<ExperimentRoutesDeps> & ModelRoutesDeps & Pick<AuditRoutesDeps, 'audit'> & {
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

const API_DESCRIPTION = 'The engine\'s HTTP API. Every `/api/v1/stores`, `/api/v1/rules` and `/api/v1/experiments` call sends `Authorization: Bearer <token>`; '
  + 'a token has one role and one store (or `*`). Errors are `{ error: { code, message, issues? } }`; clients match on `code`. '
  + 'This page is served by the engine itself at `/api/v1/reference`.';
const API_TAGS = [
  { name: 'operations', description: 'Liveness and readiness, for supervisors and load balancers.' },
  { name: 'stores', description: 'Store configuration, screens and the live view.' },
  { name: 'rules', description: 'Merchandiser rules: versioned, applied on every instance within a second, restorable; and the preview of what screens would show.' },
  { name: 'experiments', description: 'Experiments: a rule, or model versions, against a holdout, versioned like rules; draft → running ⇄ paused → stopped; each with its report. And the model versions an experiment can name.' },
];
const Health = z.object({ status: z.literal('ok'), uptimeS: z.number().int() });
const Ready = z.object({ status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.unknown() })).optional() });
const READY_EXAMPLE = { status: 'ready', checks: { broker: { ok: true, detail: 'client' }, store: { ok: true, detail: 'redis' },
  model: { ok: true, detail: { serving: { name: 'aisle-ranker', version: '2026-01-02' } } } } };

/** The engine's HTTP surface (docs/contracts.md §HTTP API). Bad input → 4xx naming the field, never a 500. */
export function createApi(d: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.onError(errorHandler(d.log));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.use('*', securityHeaders({ ownPolicy: [REFERENCE_PATH] }));

  const ops = opsAuth(d.opsToken);
  app.openapi(createRoute({ method: 'get', path: '/healthz', tags: ['operations'], summary: 'Liveness',
    description: 'The process is alive and serving HTTP. No token.',
    responses: { 200: { description: 'alive', content: { 'application/json': { schema: Health, example: { status: 'ok', uptimeS: 3600 } } } } } }),
  (c) => c.json({ status: 'ok' as const, uptimeS: Math.round((Date.now() - d.startedAt) / 1000) }, 200));
  app.openapi(createRoute({ method: 'get', path: '/readyz', tags: ['operations'], summary: 'Readiness',
    description: 'Ready when the broker and the store (Redis) are up and a model or the heuristic serves. The checks are listed only without '
      + '`AISLE_OPS_TOKEN`, or to a caller presenting it.', security: [{}, { bearer: [] }],
    responses: { 200: { description: 'ready', content: { 'application/json': { schema: Ready, example: READY_EXAMPLE } } },
      503: { description: 'not ready: a check failed', content: { 'application/json': { schema: Ready, example: { status: 'not_ready' } } } } } }),
  (c) => {
    const checks = d.ready();
    const ok = Object.values(checks).every((x) => x.ok);
    const body = ops.allows(c) ? { status: ok ? 'ready' as const : 'not_ready' as const, checks } : { status: ok ? 'ready' as const : 'not_ready' as const };
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
  app.get('/metrics', async (c) => {
    ops.require(c);
    return c.body(await d.metrics.registry.metrics(), 200, { 'content-type': d.metrics.registry.contentType });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc('/api/v1/openapi.json', { openapi: '3.0.0', info: { title: 'Aislecast engine API', version: '1', description: API_DESCRIPTION }, tags: API_TAGS });
  app.use('/api/v1/stores/*', requireToken(d.verify));
  app.use('/api/v1/stores', requireToken(d.verify));
  app.use('/api/v1/rules/*', requireToken(d.verify));
  app.use('/api/v1/rules', requireToken(d.verify));
  app.use('/api/v1/experiments/*', requireToken(d.verify));
  app.use('/api/v1/experiments', requireToken(d.verify));
  app.use('/api/v1/models', requireToken(d.verify));
  app.use('/api/v1/models/*', requireToken(d.verify));
  // After the token check, so an anonymous caller's body is never read. A store PUT has its own,
  // larger limit, applied once its caller is known to be allowed (routes-stores.ts).
  const bounded = limitBody(d.maxBodyBytes ?? DEFAULT_BODY_BYTES);
  app.use('*', (c, next) => (c.req.method === 'PUT' && STORE_PUT_PATH.test(c.req.path) ? next() : bounded(c, next)));
  app.route('/api/v1/stores', storeRoutes(d));
  app.route('/api/v1/stores', auditRoutes(d));
  app.route('/api/v1/rules', ruleRoutes({ stores: d.stores, ...unwiredRules(), ...(d.rules && { rules: d.rules }), ...(d.preview && { preview: d.preview }) }));
  // Without its own ruleExists, an experiment's rule is looked up in the rule store (none wired: no rule exists).
  app.route('/api/v1/experiments', experimentRoutes({ ...unwiredExperiments(), ...(d.experiments && { experiments: d.experiments }),
    ...(d.report && { report: d.report }), ruleExists: d.ruleExists ?? ((ruleId) => d.rules?.get(ruleId) !== undefined),
    // A model experiment's arms must name versions in the model folder (none listed: the engine has no model folder).
    modelExists: d.modelExists ?? (async (version) => (await d.modelVersions?.() ?? []).some((v) => v.version === version)) }));
  app.route('/api/v1/models', modelRoutes(d));
  mountReference(app);

  if (d.staticRoot) {
    const root = resolve(d.staticRoot);
    app.use('/*', serveStatic({ root }));
    app.get('/screen', (c) => c.redirect(`/screen/${new URL(c.req.url).search}`));
    app.get('/console', (c) => c.redirect(`/console/${new URL(c.req.url).search}`));
    app.get('/associate', (c) => c.redirect(`/associate/${new URL(c.req.url).search}`));
    app.get('/labels', (c) => c.redirect(`/labels/${new URL(c.req.url).search}`));
    app.get('/', serveStatic({ path: resolve(root, 'index.html') }));
  }
  return app;
}
