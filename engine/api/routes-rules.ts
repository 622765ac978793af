import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { PreviewRequest, RuleInput, parseUntrusted, type PreviewResult, type Rule, type TokenEntry } from '#contracts';
import { RuleStoreError, type RuleStore } from '../rules/rule-store.js';
import type { StoreRegistry } from '../stores/registry.js';
import { assertRuleAccess, ruleScope, type ApiEnv, type RuleAction } from './auth.js';
import { readJson } from './body.js';
import { ApiError, validationBody, type ApiErrorBody } from './errors.js';
import { RULE_DOC, RULE_ROUTES, RuleIdParam } from './rules-doc.js';

export type RuleRoutesDeps = {
  /** The rule store (engine/rules/rule-store.ts). */
  rules: RuleStore;
  /** What screens would show (docs/rules-api.md §Preview); may throw ApiError 404 for an unknown screen or zone. */
  preview(req: PreviewRequest): Promise<PreviewResult>;
  stores: StoreRegistry;
};

/**
 * Stand-ins while the engine has not wired the rule store or the preview (createApi's deps leave them
 * optional): no rules are listed, every change and every preview answers 503.
 */
export function unwiredRules(): Omit<RuleRoutesDeps, 'stores'> {
  const no = () => Promise.reject(new RuleStoreError('unavailable', 'rules are not configured in this engine'));
  return {
    rules: { snapshot: () => [], get: () => undefined, create: no, update: no, setEnabled: no, delete: no, versions: no, restore: no,
      onChange: () => {}, start: async () => {}, reload: async () => {}, close: async () => {}, stats: () => ({ rules: 0, invalid: 0, loaded: false }) },
    preview: () => Promise.reject(new ApiError(503, 'store.unavailable', 'rule preview is not configured in this engine')),
  };
}

/** `POST …/{ruleId}/restore`: which version becomes current again. Only this route reads it. */
const RestoreRequest = z.object({ version: z.number().int().positive() }).strict();

const by = (caller: TokenEntry) => caller.subject ?? caller.role;
const notFound = (ruleId: string) => new ApiError(404, 'rule.not_found', `no rule ${ruleId}`);

/** A RuleStoreError → the API's error with its status (docs/rules-api.md §Errors); anything else is rethrown. */
function mapStoreError(err: unknown): never {
  if (!(err instanceof RuleStoreError)) throw err;
  switch (err.code) {
    case 'exists': throw new ApiError(409, 'rule.exists', err.message);
    case 'not_found': throw new ApiError(404, 'rule.not_found', err.message);
    case 'version_not_found': throw new ApiError(404, 'rule.version_not_found', err.message);
    case 'nothing_to_restore': throw new ApiError(409, 'rule.nothing_to_restore', err.message);
    case 'busy': throw new ApiError(409, 'rule.busy', err.message);
    case 'invalid': throw new ApiError(400, 'validation', err.message);
    case 'unavailable': throw new ApiError(503, 'store.unavailable', err.message);
  }
}
const call = <T>(p: Promise<T>): Promise<T> => p.catch(mapStoreError);

/** 403 naming `target.stores`, for a store-bound token writing a rule not aimed at exactly its store. */
const notOwned = (c: Context, caller: TokenEntry, what: string) => c.json({ error: { code: 'auth.forbidden',
  message: `a token for store ${caller.storeId} may only ${what} rules whose target.stores is exactly ["${caller.storeId}"]`,
  issues: [{ path: ['target', 'stores'], message: `must be exactly ["${caller.storeId}"]` }] } } satisfies ApiErrorBody, 403);

/** The rules routes (docs/rules-api.md); every check of the caller runs before a body is read. */
export function ruleRoutes({ rules, preview, stores }: RuleRoutesDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: (r, c) => {
    if (!r.success) return c.json(validationBody(r.error, r.target === 'json' ? 'body' : r.target), 400);
  } });
  RULE_DOC.register(app);

  /** Role, then (on `/{ruleId}` routes) a valid id naming a rule the token sees; `own` also needs it aimed at exactly the token's store. */
  const guard = (action: RuleAction, opts: { current?: boolean; own?: boolean } = {}): MiddlewareHandler<ApiEnv> => async (c, next) => {
    const caller = c.get('caller');
    assertRuleAccess(caller, action);
    if (opts.current) {
      const ruleId = c.req.param('ruleId') ?? '';
      const p = parseUntrusted(RuleIdParam, { ruleId });
      if (!p.success) return c.json(validationBody(p.error, 'param'), 400);
      const rule = rules.get(ruleId);
      const scope = ruleScope(caller);
      if (!rule || !scope.sees(rule)) throw notFound(ruleId);
      if (opts.own && !scope.owns(rule)) return notOwned(c, caller, 'change');
    }
    await next();
  };

  /** The body as a RuleInput, or the 400 naming the field. */
  const ruleBody = async (c: Context) => {
    const r = parseUntrusted(RuleInput, await readJson(c));
    return r.success ? { input: r.data } : { reply: c.json(validationBody(r.error, 'body'), 400) };
  };

  app.openapi(createRoute({ ...RULE_ROUTES.list, middleware: [guard('list')] }), (c) => {
    const caller = c.get('caller');
    const { storeId } = c.req.valid('query');
    if (storeId && caller.storeId !== '*' && caller.storeId !== storeId) throw new ApiError(403, 'auth.forbidden', `token is not valid for store ${storeId}`);
    const scope = ruleScope(caller);
    const applies = (r: Rule) => !storeId || !r.target.stores || r.target.stores.includes(storeId);
    return c.json(rules.snapshot().filter((r) => scope.sees(r) && applies(r)), 200);
  });

  app.openapi(createRoute({ ...RULE_ROUTES.create, middleware: [guard('write')] }), async (c) => {
    const caller = c.get('caller');
    const b = await ruleBody(c);
    if (!b.input) return b.reply;
    if (!ruleScope(caller).owns(b.input)) return notOwned(c, caller, 'create');
    const rule = await call(rules.create(b.input, by(caller)));
    c.header('Location', `/api/v1/rules/${encodeURIComponent(rule.ruleId)}`);
    return c.json(rule, 201);
  });

  app.openapi(createRoute({ ...RULE_ROUTES.preview, middleware: [guard('preview')] }), async (c) => {
    const caller = c.get('caller');
    const r = parseUntrusted(PreviewRequest, await readJson(c));
    if (!r.success) return c.json(validationBody(r.error, 'body'), 400);
    if (caller.storeId !== '*' && caller.storeId !== r.data.storeId) {
      return c.json({ error: { code: 'auth.forbidden', message: `a token for store ${caller.storeId} may only preview that store`,
        issues: [{ path: ['storeId'], message: `must be ${caller.storeId}` }] } } satisfies ApiErrorBody, 403);
    }
    if (!stores.has(r.data.storeId)) throw new ApiError(404, 'store.not_found', `no store ${r.data.storeId}`);
    return c.json(await preview(r.data), 200);
  });

  app.openapi(createRoute({ ...RULE_ROUTES.get, middleware: [guard('read', { current: true })] }), (c) =>
    c.json(rules.get(c.req.valid('param').ruleId)!, 200));

  app.openapi(createRoute({ ...RULE_ROUTES.replace, middleware: [guard('write', { current: true, own: true })] }), async (c) => {
    const caller = c.get('caller');
    const { ruleId } = c.req.valid('param');
    const b = await ruleBody(c);
    if (!b.input) return b.reply;
    if (b.input.ruleId !== undefined && b.input.ruleId !== ruleId) {
      return c.json({ error: { code: 'validation', message: 'body.ruleId must equal the path ruleId',
        issues: [{ path: ['ruleId'], message: 'must equal the path ruleId' }] } } satisfies ApiErrorBody, 400);
    }
    if (!ruleScope(caller).owns(b.input)) return notOwned(c, caller, 'write');
    return c.json(await call(rules.update(ruleId, b.input, by(caller))), 200);
  });

  for (const [route, enabled] of [[RULE_ROUTES.enable, true], [RULE_ROUTES.disable, false]] as const) {
    app.openapi(createRoute({ ...route, middleware: [guard('write', { current: true, own: true })] }), async (c) =>
      c.json(await call(rules.setEnabled(c.req.valid('param').ruleId, enabled, by(c.get('caller')))), 200));
  }

  app.openapi(createRoute({ ...RULE_ROUTES.delete, middleware: [guard('write', { current: true, own: true })] }), async (c) =>
    c.json(await call(rules.delete(c.req.valid('param').ruleId, by(c.get('caller')))), 200));

  /**
   * A rule that may be deleted: the token must see its current copy, or else its newest version. A current rule
   * whose history holds nothing readable (written into Redis by hand) has an empty history, not a 404.
   */
  const history = async (c: Context<ApiEnv>, ruleId: string) => {
    const versions = await call(rules.versions(ruleId));
    const scope = ruleScope(c.get('caller'));
    const latest = rules.get(ruleId) ?? versions.find((v) => v.rule)?.rule;
    if (!latest || !scope.sees(latest)) throw notFound(ruleId);
    return { versions, latest, scope };
  };

  app.openapi(createRoute({ ...RULE_ROUTES.versions, middleware: [guard('versions')] }), async (c) => {
    const { ruleId } = c.req.valid('param');
    return c.json((await history(c, ruleId)).versions, 200);
  });

  app.openapi(createRoute({ ...RULE_ROUTES.restore, middleware: [guard('write')] }), async (c) => {
    const caller = c.get('caller');
    const { ruleId } = c.req.valid('param');
    const { versions, latest, scope } = await history(c, ruleId);
    if (!scope.owns(latest)) return notOwned(c, caller, 'restore');
    const r = parseUntrusted(RestoreRequest, await readJson(c));
    if (!r.success) return c.json(validationBody(r.error, 'body'), 400);
    const wanted = versions.find((v) => v.version === r.data.version)?.rule;
    if (wanted && !scope.owns(wanted)) return notOwned(c, caller, 'restore');
    return c.json(await call(rules.restore(ruleId, r.data.version, by(caller))), 200);
  });
  return app;
}
