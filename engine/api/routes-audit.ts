import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AuditEntry, ID_PATTERN, type Role } from '#contracts';
import type { AuditQuery } from '../associates/audit.js';
import type { StoreRegistry } from '../stores/registry.js';
import { assertStore, type ApiEnv } from './auth.js';
import { ApiError, validationBody } from './errors.js';
import { ErrorBody } from './routes-stores.js';

export type AuditRoutesDeps = {
  stores: StoreRegistry;
  /** Associates' views of profiles, newest first (engine/associates/audit.ts); absent: none recorded. */
  audit?(storeId: string, q: AuditQuery): Promise<AuditEntry[]>;
};

/** docs/security.md §Associates: only merchandisers read who looked at which member. */
export const AUDIT_ACCESS: readonly Role[] = ['merchandiser'];

const id = z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$');
const Query = z.object({
  customerId: id.optional().openapi({ param: { name: 'customerId', in: 'query' }, description: 'only views of this member', example: 'c-12352' }),
  associateId: id.optional().openapi({ param: { name: 'associateId', in: 'query' }, description: 'only views by this associate', example: 'assoc-ana' }),
  since: z.coerce.number().int().nonnegative().optional().openapi({ param: { name: 'since', in: 'query' }, description: 'only views at or after this epoch ms' }),
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ param: { name: 'limit', in: 'query' }, description: 'at most this many (default 100)' }),
}).strict();
const Params = z.object({ storeId: id.openapi({ param: { name: 'storeId', in: 'path' }, example: 's-001' }) });
const AuditDoc = z.object(AuditEntry.shape).strict().openapi('AuditEntry');
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

/** Role and store first (403), before the query is read (400). */
const guard: MiddlewareHandler<ApiEnv> = async (c, next) => { assertStore(c.get('caller'), c.req.param('storeId') ?? '', AUDIT_ACCESS); await next(); };

const route = createRoute({ method: 'get', path: '/{storeId}/audit', tags: ['stores'], security: [{ bearer: [] }], middleware: [guard],
  summary: 'Associates\' views of member profiles',
  description: 'Every time an associate\'s handheld was sent a member\'s profile (a VIP alert, live or replayed when they connected) or '
    + 'they claimed or released an alert: who, when, which member, which alert. Newest first; scans the newest 10,000 entries. '
    + 'Role: merchandiser (of that store, or `*`).',
  request: { params: Params, query: Query },
  responses: { 400: error('invalid query (`validation`, naming the parameter)'), 401: error('no token, or an unknown one'),
    403: error('not a merchandiser, or another store\'s token'), 404: error('no such store'),
    200: { description: 'the entries', content: { 'application/json': { schema: z.array(AuditDoc), example: [
      { at: 1_767_830_400_000, storeId: 's-001', associateId: 'assoc-ana', customerId: 'c-12352', alertId: 'al-3f9a1c', action: 'claim' }] } } } } });

/** `GET /api/v1/stores/{storeId}/audit` (docs/associates.md §Audit). */
export function auditRoutes(d: AuditRoutesDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: (r, c) => { if (!r.success) return c.json(validationBody(r.error, r.target), 400); } });
  app.openapi(route, async (c) => {
    const { storeId } = c.req.valid('param');
    if (!d.stores.has(storeId)) throw new ApiError(404, 'store.not_found', `no store ${storeId}`);
    const q = c.req.valid('query');
    const query: AuditQuery = { ...(q.customerId ? { customerId: q.customerId } : {}), ...(q.associateId ? { associateId: q.associateId } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}), ...(q.limit !== undefined ? { limit: q.limit } : {}) };
    return c.json(d.audit ? await d.audit(storeId, query) : [], 200);
  });
  return app;
}
