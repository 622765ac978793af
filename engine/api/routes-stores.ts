import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { StoreConfig, StoreSummary } from '#contracts';
import type { StoreRegistry } from '../stores/registry.js';
import { assertStore, type ApiEnv } from './auth.js';
import { ApiError, validationBody } from './errors.js';

export type StoreRoutesDeps = { stores: StoreRegistry; live(storeId: string): unknown;
  /** The screen token a console may hand to a display it sets up (undefined when none is configured). */
  screenToken(storeId: string, screenId: string): string | undefined };

const Params = z.object({ storeId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/).openapi({ param: { name: 'storeId', in: 'path' }, example: 's-001' }) });
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }).passthrough() }).openapi('Error');
const errors = { 400: { description: 'invalid input', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'no or unknown token', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'token not valid here', content: { 'application/json': { schema: ErrorBody } } },
  404: { description: 'unknown store', content: { 'application/json': { schema: ErrorBody } } } };
const security = [{ bearer: [] }];

/** /api/v1/stores: list, configuration (read, replace), live view. */
export function storeRoutes({ stores, live, screenToken }: StoreRoutesDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: (r, c) => {
    if (!r.success) return c.json(validationBody(r.error, r.target === 'json' ? 'body' : r.target), 400);
  } });
  const need = (storeId: string) => {
    const s = stores.get(storeId);
    if (!s) throw new ApiError(404, 'store.not_found', `no store ${storeId}`);
    return s;
  };

  app.openapi(createRoute({ method: 'get', path: '/', security, responses: { ...errors,
    200: { description: 'stores this token may see', content: { 'application/json': { schema: z.array(StoreSummary) } } } } }), (c) => {
    const caller = c.get('caller');
    const list = stores.all().filter((s) => caller.storeId === '*' || caller.storeId === s.config.storeId)
      .map((s) => ({ storeId: s.config.storeId, name: s.config.name, zones: s.config.zones.length, screens: s.config.screens.length }));
    return c.json(list, 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/{storeId}', security, request: { params: Params }, responses: { ...errors,
    200: { description: 'store configuration and catalog', content: { 'application/json': { schema: z.any() } } } } }), (c) => {
    const { storeId } = c.req.valid('param');
    assertStore(c.get('caller'), storeId);
    return c.json(need(storeId).config, 200);
  });

  app.openapi(createRoute({ method: 'put', path: '/{storeId}', security,
    request: { params: Params, body: { content: { 'application/json': { schema: z.any() } }, required: true } },
    responses: { ...errors, 200: { description: 'configuration replaced', content: { 'application/json': { schema: StoreSummary } } } } }), async (c) => {
    const { storeId } = c.req.valid('param');
    assertStore(c.get('caller'), storeId, ['merchandiser']);
    const r = StoreConfig.safeParse(await c.req.json().catch(() => { throw new ApiError(400, 'validation', 'body must be JSON'); }));
    if (!r.success) return c.json(validationBody(r.error, 'body'), 400);
    if (r.data.storeId !== storeId) return c.json({ error: { code: 'validation', message: 'body.storeId must equal the path storeId',
      issues: [{ path: ['storeId'], message: 'must equal the path storeId' }] } }, 400);
    const e = stores.replace(r.data); // the registry's listeners re-decide the store's screens
    return c.json({ storeId, name: e.config.name, zones: e.config.zones.length, screens: e.config.screens.length }, 200);
  });

  const ScreenLink = z.object({ screenId: z.string(), zoneId: z.string(), slots: z.number(), template: z.string().optional(),
    token: z.string().optional().openapi({ description: 'the screen\'s own token (console and merchandiser callers only)' }) }).openapi('ScreenLink');
  app.openapi(createRoute({ method: 'get', path: '/{storeId}/screens', security, request: { params: Params }, responses: { ...errors,
    200: { description: 'the store\'s screens, with their player tokens for staff who set up displays', content: { 'application/json': { schema: z.array(ScreenLink) } } } } }), (c) => {
    const { storeId } = c.req.valid('param');
    const caller = c.get('caller');
    assertStore(caller, storeId, ['console', 'merchandiser']);
    return c.json(need(storeId).config.screens.map((sc) => ({ screenId: sc.screenId, zoneId: sc.zoneId, slots: sc.slots, template: sc.template,
      token: screenToken(storeId, sc.screenId) })), 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/{storeId}/live', security, request: { params: Params }, responses: { ...errors,
    200: { description: 'shoppers per zone, screens and labels online', content: { 'application/json': { schema: z.any() } } } } }), (c) => {
    const { storeId } = c.req.valid('param');
    assertStore(c.get('caller'), storeId);
    need(storeId);
    return c.json(live(storeId) as Record<string, unknown>, 200);
  });
  return app;
}
