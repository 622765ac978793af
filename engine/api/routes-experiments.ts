import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { ExperimentInput, parseUntrusted, type Experiment, type ExperimentReport, type ExperimentStatus, type Role, type TokenEntry } from '#contracts';
import { ExperimentStoreError, type ExperimentStore } from '../experiments/experiment-store.js';
import type { ApiEnv } from './auth.js';
import { readJson } from './body.js';
import { ApiError, validationBody, type ApiErrorBody } from './errors.js';
import { EXPERIMENT_DOC, EXPERIMENT_ROUTES, ExperimentIdParam } from './experiments-doc.js';

export type ExperimentRoutesDeps = {
  /** The experiment store (engine/experiments/experiment-store.ts). */
  experiments: ExperimentStore;
  /** The experiment's report for `GET …/{experimentId}`, passed through as it is; null when there is none. An ApiError it throws is answered as such. */
  report(experiment: Experiment): Promise<ExperimentReport | null>;
  /** Whether a rule with this id exists: an experiment's `ruleId` must name one (else 400 naming `ruleId`). */
  ruleExists(ruleId: string): boolean | Promise<boolean>;
  /** Whether a model version can be served: a model experiment's arms must name such versions (else 400 naming `arms.N.model`). Absent: any. */
  modelExists?(version: string): boolean | Promise<boolean>;
};

/**
 * Stand-ins while the engine has not wired the experiment store (createApi's deps leave it optional):
 * no experiments are listed, every change answers 503, and there is no report.
 */
export function unwiredExperiments(): Omit<ExperimentRoutesDeps, 'ruleExists' | 'modelExists'> {
  const no = () => Promise.reject(new ExperimentStoreError('unavailable', 'experiments are not configured in this engine'));
  return {
    experiments: { snapshot: () => [], get: () => undefined, create: no, update: no, setStatus: no, delete: no, versions: no, restore: no,
      onChange: () => {}, start: async () => {}, reload: async () => {}, close: async () => {}, stats: () => ({ experiments: 0, invalid: 0, loaded: false }) },
    report: async () => null,
  };
}

/** What a caller does through /api/v1/experiments; `write` is create, replace, start, pause, resume, stop, delete and restore. */
export type ExperimentAction = 'list' | 'read' | 'versions' | 'write';

/** docs/security.md §Experiments: the roles allowed each action. */
export const EXPERIMENT_ACCESS: Readonly<Record<ExperimentAction, readonly Role[]>> = {
  list: ['console', 'merchandiser'],
  read: ['console', 'merchandiser'],
  versions: ['console', 'merchandiser'],
  write: ['merchandiser'],
};

/**
 * What a token may do with one experiment: a `*` token every experiment; a store-bound token only those
 * whose `stores` is exactly its store — it sees no other (404, as if absent) and so owns what it sees.
 */
export const experimentScope = (caller: TokenEntry) => {
  const owns = (e: { stores?: readonly string[] }): boolean => caller.storeId === '*' || (e.stores?.length === 1 && e.stores[0] === caller.storeId);
  return { sees: owns, owns };
};

/** `POST …/{experimentId}/restore`: which version becomes current again. */
const RestoreRequest = z.object({ version: z.number().int().positive() }).strict();

/** The status routes: the status each leads to, and the statuses it starts from (already there: nothing changes). */
const STATUS_ROUTES = [
  { route: EXPERIMENT_ROUTES.start, to: 'running', from: ['draft'] },
  { route: EXPERIMENT_ROUTES.pause, to: 'paused', from: ['running'] },
  { route: EXPERIMENT_ROUTES.resume, to: 'running', from: ['paused'] },
  { route: EXPERIMENT_ROUTES.stop, to: 'stopped', from: ['running', 'paused'] },
] as const satisfies readonly { route: unknown; to: ExperimentStatus; from: readonly ExperimentStatus[] }[];

const by = (caller: TokenEntry) => caller.subject ?? caller.role;
const notFound = (experimentId: string) => new ApiError(404, 'experiment.not_found', `no experiment ${experimentId}`);

/** An ExperimentStoreError → the API's error with its status (docs/experiments-api.md §Errors); anything else is rethrown. */
function mapStoreError(err: unknown): never {
  if (!(err instanceof ExperimentStoreError)) throw err;
  switch (err.code) {
    case 'exists': throw new ApiError(409, 'experiment.exists', err.message);
    case 'not_found': throw new ApiError(404, 'experiment.not_found', err.message);
    case 'version_not_found': throw new ApiError(404, 'experiment.version_not_found', err.message);
    case 'nothing_to_restore': throw new ApiError(409, 'experiment.nothing_to_restore', err.message);
    case 'invalid_transition': throw new ApiError(409, 'experiment.invalid_transition', err.message);
    case 'busy': throw new ApiError(409, 'experiment.busy', err.message);
    case 'invalid': throw new ApiError(400, 'validation', err.message);
    case 'unavailable': throw new ApiError(503, 'store.unavailable', err.message);
  }
}
const call = <T>(p: Promise<T>): Promise<T> => p.catch(mapStoreError);

/** 403 naming `stores`, for a store-bound token and an experiment not aimed at exactly its store. */
const notOwned = (c: Context, caller: TokenEntry, what: string) => c.json({ error: { code: 'auth.forbidden',
  message: `a token for store ${caller.storeId} may only ${what} experiments whose stores is exactly ["${caller.storeId}"]`,
  issues: [{ path: ['stores'], message: `must be exactly ["${caller.storeId}"]` }] } } satisfies ApiErrorBody, 403);

/** The experiments routes (docs/experiments-api.md); every check of the caller runs before a body is read. */
export function experimentRoutes({ experiments, report, ruleExists, modelExists }: ExperimentRoutesDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: (r, c) => {
    if (!r.success) return c.json(validationBody(r.error, r.target === 'json' ? 'body' : r.target), 400);
  } });
  EXPERIMENT_DOC.register(app);

  /** Role, then (on `/{experimentId}` routes) a valid id naming an experiment the token sees (and so owns). */
  const guard = (action: ExperimentAction, opts: { current?: boolean } = {}): MiddlewareHandler<ApiEnv> => async (c, next) => {
    const caller = c.get('caller');
    const roles = EXPERIMENT_ACCESS[action];
    if (!roles.includes(caller.role)) throw new ApiError(403, 'auth.forbidden', `role ${caller.role} may not do this (needs ${roles.join(' or ')})`);
    if (opts.current) {
      const experimentId = c.req.param('experimentId') ?? '';
      const p = parseUntrusted(ExperimentIdParam, { experimentId });
      if (!p.success) return c.json(validationBody(p.error, 'param'), 400);
      const e = experiments.get(experimentId);
      if (!e || !experimentScope(caller).sees(e)) throw notFound(experimentId);
    }
    await next();
  };

  /**
   * The body as an ExperimentInput the caller may write, naming an existing rule; or the answer refusing
   * it: 400 naming the field, 403 naming `stores`, 400 naming `ruleId`.
   */
  const experimentBody = async (c: Context<ApiEnv>, what: string, experimentId?: string) => {
    const caller = c.get('caller');
    const r = parseUntrusted(ExperimentInput, await readJson(c));
    if (!r.success) return { reply: c.json(validationBody(r.error, 'body'), 400) };
    const input = r.data;
    if (experimentId !== undefined && input.experimentId !== undefined && input.experimentId !== experimentId) {
      return { reply: c.json({ error: { code: 'validation', message: 'body.experimentId must equal the path experimentId',
        issues: [{ path: ['experimentId'], message: 'must equal the path experimentId' }] } } satisfies ApiErrorBody, 400) };
    }
    if (!experimentScope(caller).owns(input)) return { reply: notOwned(c, caller, what) };
    if (input.ruleId !== undefined && !(await ruleExists(input.ruleId))) {
      return { reply: c.json({ error: { code: 'validation', message: `body.ruleId: no rule ${input.ruleId}`,
        issues: [{ path: ['ruleId'], message: `no rule ${input.ruleId}` }] } } satisfies ApiErrorBody, 400) };
    }
    for (const [i, arm] of (input.arms ?? []).entries()) {
      if (arm.model === undefined || !modelExists || await modelExists(arm.model)) continue;
      return { reply: c.json({ error: { code: 'validation', message: `body.arms.${i}.model: no model version ${arm.model}`,
        issues: [{ path: ['arms', i, 'model'], message: `no model version ${arm.model} (GET /api/v1/models lists them)` }] } } satisfies ApiErrorBody, 400) };
    }
    return { input };
  };

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.list, middleware: [guard('list')] }), (c) => {
    const scope = experimentScope(c.get('caller'));
    const { status, ruleId } = c.req.valid('query');
    return c.json(experiments.snapshot().filter((e) => scope.sees(e) && (!status || e.status === status) && (!ruleId || e.ruleId === ruleId)), 200);
  });

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.create, middleware: [guard('write')] }), async (c) => {
    const b = await experimentBody(c, 'create');
    if (!b.input) return b.reply;
    const experiment = await call(experiments.create(b.input, by(c.get('caller'))));
    c.header('Location', `/api/v1/experiments/${encodeURIComponent(experiment.experimentId)}`);
    return c.json(experiment, 201);
  });

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.get, middleware: [guard('read', { current: true })] }), async (c) => {
    const experiment = experiments.get(c.req.valid('param').experimentId)!;
    return c.json({ experiment, report: (await report(experiment)) ?? null }, 200);
  });

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.replace, middleware: [guard('write', { current: true })] }), async (c) => {
    const { experimentId } = c.req.valid('param');
    const b = await experimentBody(c, 'write', experimentId);
    if (!b.input) return b.reply;
    return c.json(await call(experiments.update(experimentId, b.input, by(c.get('caller')))), 200);
  });

  for (const { route, to, from } of STATUS_ROUTES) {
    app.openapi(createRoute({ ...route, middleware: [guard('write', { current: true })] }), async (c) => {
      const { experimentId } = c.req.valid('param');
      const cur = experiments.get(experimentId)!;
      // /start is for a draft and /resume for a paused experiment, though both lead to running; the store checks the rest.
      if (cur.status !== to && !(from as readonly ExperimentStatus[]).includes(cur.status)) {
        throw new ApiError(409, 'experiment.invalid_transition', `experiment ${experimentId} is ${cur.status}; only ${from.join(' or ')} can become ${to} this way`);
      }
      return c.json(await call(experiments.setStatus(experimentId, to, by(c.get('caller')))), 200);
    });
  }

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.delete, middleware: [guard('write', { current: true })] }), async (c) =>
    c.json(await call(experiments.delete(c.req.valid('param').experimentId, by(c.get('caller')))), 200));

  /**
   * An experiment that may be deleted: the token must see its current copy, or else its newest version. A
   * current experiment whose history holds nothing readable has an empty history, not a 404.
   */
  const history = async (c: Context<ApiEnv>, experimentId: string) => {
    const versions = await call(experiments.versions(experimentId));
    const scope = experimentScope(c.get('caller'));
    const latest = experiments.get(experimentId) ?? versions.find((v) => v.experiment)?.experiment;
    if (!latest || !scope.sees(latest)) throw notFound(experimentId);
    return { versions, scope };
  };

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.versions, middleware: [guard('versions')] }), async (c) => {
    const { experimentId } = c.req.valid('param');
    return c.json((await history(c, experimentId)).versions, 200);
  });

  app.openapi(createRoute({ ...EXPERIMENT_ROUTES.restore, middleware: [guard('write')] }), async (c) => {
    const caller = c.get('caller');
    const { experimentId } = c.req.valid('param');
    const { versions, scope } = await history(c, experimentId);
    const r = parseUntrusted(RestoreRequest, await readJson(c));
    if (!r.success) return c.json(validationBody(r.error, 'body'), 400);
    const wanted = versions.find((v) => v.version === r.data.version)?.experiment;
    if (wanted && !scope.owns(wanted)) return notOwned(c, caller, 'restore');
    return c.json(await call(experiments.restore(experimentId, r.data.version, by(caller))), 200);
  });
  return app;
}
