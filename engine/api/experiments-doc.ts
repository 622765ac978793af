import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { toJSONSchema } from 'zod';
import { Experiment, ExperimentInput, ExperimentReport, ExperimentStatus, ExperimentVersion, ID_PATTERN } from '#contracts';
import { DWELL_EXPERIMENT, EXPERIMENT_HISTORY, EXPERIMENT_REPORT, MINIMAL_EXPERIMENT, MODEL_EXPERIMENT, STORED_EXPERIMENT } from './experiment-examples.js';
import { ErrorBody } from './routes-stores.js';

/**
 * The OpenAPI description of /api/v1/experiments (docs/experiments-api.md), built like the rules'
 * (rules-doc.ts): components from the contracts' zod schemas, and the route configs
 * routes-experiments.ts mounts. Bodies are documented here and parsed by the routes themselves, after
 * the caller is checked.
 */

type Component = Parameters<OpenAPIHono['openAPIRegistry']['registerComponent']>[2];
const doc = (schema: z.ZodType, io: 'input' | 'output') => toJSONSchema(schema, { target: 'openapi-3.0', io }) as Component;
type Examples = Record<string, { summary: string; value: unknown }>;
const body = (name: string, examples: Examples) =>
  ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` }, examples } } });
const answer = <S extends z.ZodType>(description: string, schema: S, examples?: Examples) =>
  ({ description, content: { 'application/json': { schema, ...(examples ? { examples } : {}) } } });
// Re-wrapped from the contracts' own shapes only to carry a component name (see rules-doc.ts).
const ExperimentDoc = z.object(Experiment.shape).strict().openapi('Experiment');
const ExperimentVersionDoc = z.object({ ...ExperimentVersion.shape, experiment: ExperimentDoc.optional() }).strict().openapi('ExperimentVersion');
const ExperimentReportDoc = z.object(ExperimentReport.shape).strict().openapi('ExperimentReport');
/** `GET …/{experimentId}`: the experiment and its report (null while there is none). */
const ExperimentDetailDoc = z.object({
  experiment: ExperimentDoc,
  report: ExperimentReportDoc.nullable().openapi({ description: 'per arm, then each treatment against the holdout (docs/experiments-method.md); null when there is none' }),
}).strict().openapi('ExperimentDetail');
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

const tags = ['experiments'];
const security = [{ bearer: [] }];
/** The `{experimentId}` path parameter (the routes also check it themselves, before the experiment is looked up). */
export const ExperimentIdParam = z.object({ experimentId: z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$')
  .openapi({ param: { name: 'experimentId', in: 'path' }, example: DWELL_EXPERIMENT.experimentId }) });
const ListQuery = z.object({
  status: ExperimentStatus.optional().openapi({ param: { name: 'status', in: 'query' }, description: 'only experiments in this status', example: 'running' }),
  ruleId: z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$').optional()
    .openapi({ param: { name: 'ruleId', in: 'query' }, description: 'only experiments of this rule', example: 'coffee-dwell-offer' }),
});

const denied = { 401: error('no token, or an unknown one (`auth.missing`, `auth.invalid`)'),
  403: error('the token\'s role may not do this, or (store-bound token) the experiment\'s `stores` is not exactly its store; `issues` names `stores`') };
const unavailable = { 503: error('Redis is unavailable (`store.unavailable`); nothing changed, the last experiments keep serving') };
const badBody = { 400: error('invalid input (`validation`, with `issues[].path` naming the field, e.g. `["ruleId"]` for a rule that does not exist; `body.invalid_json`)'),
  413: error('body over 1 MiB (`body.too_large`)'), 415: error('body is not `application/json`') };
const missing = { 404: error('no such experiment, or one the token may not see (`experiment.not_found`)') };
const busy = 'changed elsewhere at the same moment (`experiment.busy`); try again';

const EXPERIMENT_EXAMPLES = {
  dwell: { summary: 'The coffee-wall dwell offer against a 20 % holdout, in one store, for a month', value: DWELL_EXPERIMENT },
  minimal: { summary: 'Only a name and the rule: a draft, 80/20, every store', value: MINIMAL_EXPERIMENT },
  model: { summary: 'A new model version against the serving one, 50/50 (kind "model"; GET /api/v1/models lists the versions)', value: MODEL_EXPERIMENT },
};

/** Registers the schemas the routes refer to. */
export const EXPERIMENT_DOC = {
  register(app: Pick<OpenAPIHono, 'openAPIRegistry'>): void {
    const r = app.openAPIRegistry;
    r.registerComponent('schemas', 'ExperimentInput', doc(ExperimentInput, 'input'));
    r.registerComponent('schemas', 'ExperimentRestoreRequest', { type: 'object', required: ['version'], additionalProperties: false,
      properties: { version: { type: 'integer', minimum: 1, description: 'the version to make current again (see …/versions)' } } });
  },
};

/** A status change route: which statuses it starts from, and its documentation. */
const statusRoute = (name: 'start' | 'pause' | 'resume' | 'stop', summary: string, description: string) =>
  createRoute({ method: 'post', path: `/{experimentId}/${name}`, tags, security, summary,
    description: `${description} Already there: no new version. Role: merchandiser.`, request: { params: ExperimentIdParam },
    responses: { ...denied, ...missing, ...unavailable, 400: error('invalid `experimentId`'),
      409: error(`not allowed from the current status (\`experiment.invalid_transition\`), or ${busy}`),
      200: answer('the experiment after the change', ExperimentDoc) } });

/** Every route of /api/v1/experiments, with its documentation; routes-experiments.ts adds the guards and handlers. */
export const EXPERIMENT_ROUTES = {
  list: createRoute({ method: 'get', path: '/', tags, security, summary: 'List experiments',
    description: 'Every current experiment the token may see, by id. A token bound to one store sees the experiments whose `stores` is exactly '
      + 'that store. Served from the in-process snapshot, so it answers while Redis is down. Roles: console, merchandiser.',
    request: { query: ListQuery },
    responses: { ...denied, 400: error('invalid `status` or `ruleId`'),
      200: answer('the experiments', z.array(ExperimentDoc), { running: { summary: 'one running experiment', value: [STORED_EXPERIMENT] } }) } }),

  create: createRoute({ method: 'post', path: '/', tags, security, summary: 'Create an experiment',
    description: 'Stores a new experiment as version 1 (or the next number, if the id belonged to one deleted before), as a `draft` unless the '
      + 'body says `running`, and applies it on every engine instance within a second. `ruleId` must name an existing rule. Without '
      + '`experimentId` the engine makes one (`e-…`). A store-bound merchandiser may only create experiments whose `stores` is exactly its store. '
      + 'Role: merchandiser.',
    request: { body: body('ExperimentInput', EXPERIMENT_EXAMPLES) },
    responses: { ...badBody, ...denied, ...unavailable,
      409: error('an experiment with this id exists (`experiment.exists`), or the body\'s status is not `draft` or `running` (`experiment.invalid_transition`)'),
      201: { headers: { Location: { schema: { type: 'string' }, description: '/api/v1/experiments/{experimentId}' } },
        ...answer('created; `Location` names the new experiment', ExperimentDoc, {
          created: { summary: 'the stored draft', value: { ...STORED_EXPERIMENT, status: 'draft', version: 1 } } }) } } }),

  get: createRoute({ method: 'get', path: '/{experimentId}', tags, security, summary: 'Read an experiment and its report',
    description: 'The current version of one experiment, with its report (results per arm; null when there is none yet). Roles: console, merchandiser.',
    request: { params: ExperimentIdParam },
    responses: { ...denied, ...missing, 400: error('invalid `experimentId`'),
      200: answer('the experiment and its report', ExperimentDetailDoc, {
        running: { summary: 'running for a week: not enough shoppers yet to tell', value: { experiment: STORED_EXPERIMENT, report: EXPERIMENT_REPORT } },
        draft: { summary: 'a draft: no report', value: { experiment: { ...STORED_EXPERIMENT, status: 'draft', version: 1 }, report: null } } }) } }),

  replace: createRoute({ method: 'put', path: '/{experimentId}', tags, security, summary: 'Replace an experiment',
    description: 'Replaces the whole experiment (arms, schedule, status…; fields left out take their defaults) as a new version. A new status must '
      + 'follow the current one as the status routes allow; a stopped experiment cannot be changed. `experimentId` in the body, if given, must '
      + 'equal the path. Role: merchandiser (store-bound: only experiments whose `stores` is exactly its store).',
    request: { params: ExperimentIdParam, body: body('ExperimentInput', EXPERIMENT_EXAMPLES) },
    responses: { ...badBody, ...denied, ...missing, ...unavailable,
      409: error(`stopped, or a status change not allowed (\`experiment.invalid_transition\`), or ${busy}`),
      200: answer('the new version', ExperimentDoc) } }),

  start: statusRoute('start', 'Start an experiment', 'Moves a `draft` to `running`: shoppers are split into arms from now on (within `startAt`–`endAt`).'),
  pause: statusRoute('pause', 'Pause an experiment', 'Moves a `running` experiment to `paused`: while paused it splits nobody into arms.'),
  resume: statusRoute('resume', 'Resume an experiment', 'Moves a `paused` experiment back to `running`; every shopper keeps their arm.'),
  stop: statusRoute('stop', 'Stop an experiment', 'Moves a `running` or `paused` experiment to `stopped`, for good: it can no longer be changed, started or restored over.'),

  delete: createRoute({ method: 'delete', path: '/{experimentId}', tags, security, summary: 'Delete an experiment',
    description: 'Removes a `draft` or `stopped` experiment from every instance (stop a running or paused one first); its history stays, '
      + 'so it can be restored. Role: merchandiser.',
    request: { params: ExperimentIdParam },
    responses: { ...denied, ...missing, ...unavailable, 400: error('invalid `experimentId`'),
      409: error(`running or paused (\`experiment.invalid_transition\`), or ${busy}`),
      200: answer('the deletion, as recorded in the history', ExperimentVersionDoc, {
        deleted: { summary: 'version 4 is the deletion', value: { experimentId: DWELL_EXPERIMENT.experimentId, version: 4,
          at: STORED_EXPERIMENT.updatedAt + 86_400_000, by: 'merch-anna', action: 'delete' } } }) } }),

  versions: createRoute({ method: 'get', path: '/{experimentId}/versions', tags, security, summary: 'An experiment\'s history',
    description: 'Every version, newest first (the last 200), with who made it, when, what they did (`create`, `update`, `start`, `pause`, '
      + '`resume`, `stop`, `delete`, `restore`) and the experiment as it then was; also for a deleted experiment. Read from Redis. '
      + 'Roles: console, merchandiser.', request: { params: ExperimentIdParam },
    responses: { ...denied, ...missing, ...unavailable, 400: error('invalid `experimentId`'),
      200: answer('the history', z.array(ExperimentVersionDoc), { history: { summary: 'created, then started', value: EXPERIMENT_HISTORY } }) } }),

  restore: createRoute({ method: 'post', path: '/{experimentId}/restore', tags, security, summary: 'Restore an earlier version',
    description: 'Makes that version\'s experiment, status included, current again as a new version (action `restore`); works for a deleted '
      + 'experiment too, never over a stopped one. Role: merchandiser.',
    request: { params: ExperimentIdParam, body: body('ExperimentRestoreRequest', { undo: { summary: 'back to version 1', value: { version: 1 } } }) },
    responses: { ...badBody, ...denied, ...unavailable,
      404: error('no such experiment (`experiment.not_found`) or version (`experiment.version_not_found`; only the last 200 are kept)'),
      409: error(`that version is a deletion (\`experiment.nothing_to_restore\`), the current one is stopped (\`experiment.invalid_transition\`), or ${busy}`),
      200: answer('the restored experiment, with its new version number', ExperimentDoc) } }),
};
