import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { toJSONSchema } from 'zod';
import { ID_PATTERN, StoreConfig, StorePlayerInfo, StoreSummary, type TokenEntry, parseUntrusted } from '#contracts';
import type { StoreEntry, StoreRegistry } from '../stores/registry.js';
import { assertAccess, FULL_READERS, reachesStore, type ApiEnv, type StoreAction } from './auth.js';
import { limitBody, MiB, readJson } from './body.js';
import { ApiError, validationBody } from './errors.js';

export type StoreRoutesDeps = { stores: StoreRegistry; live(storeId: string): unknown | Promise<unknown>;
  /** The screen token a console may hand to a display it sets up (undefined when none is configured). */
  screenToken(storeId: string, screenId: string): string | undefined;
  /**
   * Stores a replacement configuration and applies it (engine/stores/sync.ts); rejects when it cannot
   * be stored. Default: apply in this process only, stored nowhere.
   */
  saveStore?(config: StoreConfig): Promise<StoreEntry>;
  /** Largest store configuration a PUT accepts; default 8 MiB (a 40k-SKU store is about 7 MiB). */
  maxStoreBodyBytes?: number;
};

/** The route with its own body limit; every other route has the API-wide one (see createApi). */
export const STORE_PUT_PATH = /^\/api\/v1\/stores\/[^/]+$/;
/** A store PUT's default limit: a 40k-SKU store with labels and screens is about 7 MiB of compact JSON. */
export const DEFAULT_STORE_BODY_BYTES = 8 * MiB;

const Params = z.object({ storeId: z.string().regex(ID_PATTERN).openapi({ param: { name: 'storeId', in: 'path' }, example: 's-001' }) });
/** The one error body of the API (errors.ts), as documented. */
export const ErrorBody = z.object({ error: z.object({
  code: z.string().openapi({ description: 'stable code clients match on, e.g. `validation`, `auth.forbidden`, `store.unavailable`', example: 'validation' }),
  message: z.string().openapi({ example: 'invalid body: body.zones.0.zoneId: must match ^[A-Za-z0-9._:-]{1,64}$' }),
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional()
    .openapi({ description: 'for `validation`: each problem with the path of the field', example: [{ path: ['zones', 0, 'zoneId'], message: 'must match ^[A-Za-z0-9._:-]{1,64}$' }] }),
}).passthrough() }).openapi('Error');
const errorReply = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
const errors = { 400: errorReply('invalid input (`validation`, naming the field)'), 401: errorReply('no or unknown token (`auth.missing`, `auth.invalid`)'),
  403: errorReply('token not valid for this store, or its role may not do this (`auth.forbidden`)'), 404: errorReply('unknown store (`store.not_found`)') };
const security = [{ bearer: [] }];
const tags = ['stores'];
const STORE_CONFIG_DOC = toJSONSchema(StoreConfig, { target: 'openapi-3.0', io: 'input' }) as Parameters<OpenAPIHono['openAPIRegistry']['registerComponent']>[2];

/** docs/security.md §Who may call what: the token's role and store, then the store's existence, before anything else. */
const guard = (stores: StoreRegistry, action: StoreAction): MiddlewareHandler<ApiEnv> => async (c, next) => {
  const storeId = c.req.param('storeId') ?? '';
  const r = parseUntrusted(Params, { storeId });
  if (!r.success) return c.json(validationBody(r.error, 'param'), 400);
  assertAccess(c.get('caller'), storeId, action);
  if (!stores.has(storeId)) throw new ApiError(404, 'store.not_found', `no store ${storeId}`);
  await next();
};

/** What a screen's player, an associate's handheld or a label wall needs: name, time zone, item categories, zone names, labels' zones; no prices or screens. */
const playerInfo = ({ config: c }: StoreEntry): StorePlayerInfo => ({ storeId: c.storeId, name: c.name, currency: c.currency, timezone: c.timezone,
  catalog: c.catalog.map((i) => ({ sku: i.sku, category: i.category })), zones: c.zones.map((z) => ({ zoneId: z.zoneId, name: z.name })),
  labels: c.labels.map((l) => ({ labelId: l.labelId, zoneId: l.zoneId })) });
const summary = (e: StoreEntry): StoreSummary =>
  ({ storeId: e.config.storeId, name: e.config.name, zones: e.config.zones.length, screens: e.config.screens.length });
const readsAll = (caller: TokenEntry) => FULL_READERS.includes(caller.role);

/** /api/v1/stores: list, configuration (read, replace), screens, live view. */
export function storeRoutes({ stores, live, screenToken, saveStore, maxStoreBodyBytes = DEFAULT_STORE_BODY_BYTES }: StoreRoutesDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: (r, c) => {
    if (!r.success) return c.json(validationBody(r.error, r.target === 'json' ? 'body' : r.target), 400);
  } });
  const save = saveStore ?? (async (config: StoreConfig) => stores.replace(config));
  const entry = (storeId: string) => stores.get(storeId)!; // the guard has checked it exists

  // Documented from the one schema; the route reads and checks the body itself (readJson, StoreConfig).
  app.openAPIRegistry.registerComponent('schemas', 'StoreConfig', STORE_CONFIG_DOC);
  app.openapi(createRoute({ method: 'get', path: '/', tags, security, summary: 'List stores',
    description: 'The stores this token reaches: its own, or all of them for a `*` token. Any role.', responses: { ...errors,
    200: { description: 'the stores this token may see', content: { 'application/json': { schema: z.array(StoreSummary),
      example: [{ storeId: 's-001', name: 'Riverside', zones: 6, screens: 9 }] } } } } }), (c) => {
    const caller = c.get('caller');
    return c.json(stores.all().filter((s) => reachesStore(caller, s.config.storeId)).map(summary), 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/{storeId}', tags, security, summary: 'Read a store\'s configuration',
    description: 'Console and merchandiser tokens get the whole configuration and catalog; a screen token of the store gets only what its player shows '
      + '(name, currency, time zone and each item\'s category).', middleware: [guard(stores, 'read')], request: { params: Params },
    responses: { ...errors, 200: { description: 'console and merchandiser: the whole configuration and catalog; screen: the player view',
      content: { 'application/json': { schema: z.union([StorePlayerInfo, z.any()]) } } } } }), (c) => {
    const e = entry(c.req.valid('param').storeId);
    return c.json(readsAll(c.get('caller')) ? e.config : playerInfo(e), 200);
  });

  app.openapi(createRoute({ method: 'put', path: '/{storeId}', tags, security, summary: 'Replace a store\'s configuration',
    description: 'Validates the whole configuration (up to 8 MiB; time zone checked), stores it in Redis and applies it on every instance; the screens '
      + 're-decide at once. Only configured stores can be replaced (404 otherwise). Role: merchandiser.',
    middleware: [guard(stores, 'replace'), limitBody(maxStoreBodyBytes)],
    request: { params: Params, body: { content: { 'application/json': { schema: { $ref: '#/components/schemas/StoreConfig' } } }, required: true } },
    responses: { ...errors, 413: errorReply('body over the limit'), 415: errorReply('body is not JSON'),
      503: errorReply('the configuration could not be stored; nothing changed'),
      200: { description: 'configuration stored and applied (screens re-decide at once)', content: { 'application/json': { schema: StoreSummary } } } } }), async (c) => {
    const { storeId } = c.req.valid('param');
    const r = parseUntrusted(StoreConfig, await readJson(c));
    if (!r.success) return c.json(validationBody(r.error, 'body'), 400);
    if (r.data.storeId !== storeId) return c.json({ error: { code: 'validation', message: 'body.storeId must equal the path storeId',
      issues: [{ path: ['storeId'], message: 'must equal the path storeId' }] } }, 400);
    let e: StoreEntry;
    try {
      e = await save(r.data);
    } catch {
      throw new ApiError(503, 'store.unavailable', `the configuration of ${storeId} could not be stored; nothing changed, try again`);
    }
    return c.json(summary(e), 200);
  });

  const ScreenLink = z.object({ screenId: z.string(), zoneId: z.string(), slots: z.number(), template: z.string().optional(),
    token: z.string().optional().openapi({ description: 'the screen\'s own token' }) }).openapi('ScreenLink');
  app.openapi(createRoute({ method: 'get', path: '/{storeId}/screens', tags, security, summary: 'List a store\'s screens with their tokens',
    description: 'Each screen with its zone, slots and the screen\'s own player token, for staff setting up a display. Roles: console, merchandiser.',
    middleware: [guard(stores, 'screens')], request: { params: Params },
    responses: { ...errors, 200: { description: 'the store\'s screens, with their player tokens for staff who set up displays',
      content: { 'application/json': { schema: z.array(ScreenLink), example: [{ screenId: 'scr-entrance-1', zoneId: 'z-entrance', slots: 4, template: 'hero', token: '…' }] } } } } }), (c) => {
    const { storeId } = c.req.valid('param');
    return c.json(entry(storeId).config.screens.map((sc) => ({ screenId: sc.screenId, zoneId: sc.zoneId, slots: sc.slots, template: sc.template,
      token: screenToken(storeId, sc.screenId) })), 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/{storeId}/live', tags, security, summary: 'Live view of a store',
    description: 'Shoppers per zone (counts only), the screens online with their current decision, and the label gateways. Roles: console, merchandiser.',
    middleware: [guard(stores, 'live')], request: { params: Params },
    responses: { ...errors, 200: { description: 'shoppers per zone (counts only), screens and labels online', content: { 'application/json': { schema: z.any() } } } } }), async (c) => {
    const { storeId } = c.req.valid('param');
    return c.json((await live(storeId)) as Record<string, unknown>, 200);
  });
  return app;
}
