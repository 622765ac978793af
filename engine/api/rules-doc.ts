import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { toJSONSchema } from 'zod';
import { Actions, BOOST_MAX, BOOST_MIN, ID_PATTERN, ItemSelector, PreviewRequest, PreviewResult, Rule, RuleInput, RuleVersion } from '#contracts';
import { BIRTHDAY_RULE, DWELL_RULE, KIDS_ZONE_RULE, PREVIEW_REQUEST, PREVIEW_RESULT, RULE_HISTORY, STORED_RULE } from './rule-examples.js';
import { ErrorBody } from './routes-stores.js';

/**
 * The OpenAPI description of /api/v1/rules (docs/rules-api.md): schemas generated from the one zod
 * schema of each message (input shape for bodies, output shape for answers), and the route configs
 * routes-rules.ts mounts. Bodies are documented here and parsed by the routes themselves, after the
 * caller is checked, so an unauthorised caller never makes the engine read one.
 */

type Component = Parameters<OpenAPIHono['openAPIRegistry']['registerComponent']>[2];
const doc = (schema: z.ZodType, io: 'input' | 'output') => toJSONSchema(schema, { target: 'openapi-3.0', io }) as Component;
type Examples = Record<string, { summary: string; value: unknown }>;
/** A request body: documented by reference to its input-shape component (RULE_DOC), parsed by the route. */
const body = (name: string, examples: Examples) =>
  ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` }, examples } } });
/** An answer, from the message's own zod schema (output shape; also what types the handler's reply). */
const answer = <S extends z.ZodType>(description: string, schema: S, examples?: Examples) =>
  ({ description, content: { 'application/json': { schema, ...(examples ? { examples } : {}) } } });
// Components named after the contracts. The contracts' schemas were built before @hono/zod-openapi
// added `.openapi()` to zod, so each is re-wrapped from its own shape (the same fields, the same
// checks) just to carry the component name; the routes parse with the contracts themselves.
// A boost is `ItemSelector.and({ factor })`, which the generator would write as an allOf whose first
// half forbids `factor`; written out flat here, it says what the schema accepts.
const BoostDoc = z.object({ ...ItemSelector.shape, factor: z.number().min(BOOST_MIN).max(BOOST_MAX) }).strict();
const ActionsDoc = z.object({ ...Actions.shape, boost: z.array(BoostDoc).max(20).optional() }).strict();
const RuleDoc = z.object({ ...Rule.shape, actions: ActionsDoc }).strict().openapi('Rule');
const RuleVersionDoc = z.object({ ...RuleVersion.shape, rule: RuleDoc.optional() }).strict().openapi('RuleVersion');
const PreviewResultDoc = z.object(PreviewResult.shape).openapi('PreviewResult');
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

const tags = ['rules'];
const security = [{ bearer: [] }];
/** The `{ruleId}` path parameter (the routes also check it themselves, before the rule is looked up). */
export const RuleIdParam = z.object({ ruleId: z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$')
  .openapi({ param: { name: 'ruleId', in: 'path' }, example: KIDS_ZONE_RULE.ruleId }) });
const StoreQuery = z.object({ storeId: z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$').optional()
  .openapi({ param: { name: 'storeId', in: 'query' }, description: 'only rules that can apply to this store', example: 's-001' }) });

const denied = { 401: error('no token, or an unknown one (`auth.missing`, `auth.invalid`)'),
  403: error('the token\'s role may not do this, or (store-bound token) the rule is not aimed at exactly its store; `issues` names `target.stores`') };
const unavailable = { 503: error('Redis is unavailable (`store.unavailable`); nothing changed, the last rules keep serving') };
const badBody = { 400: error('invalid input (`validation`, with `issues[].path` naming the field; `body.invalid_json`)'),
  413: error('body over 1 MiB (`body.too_large`)'), 415: error('body is not `application/json`') };
const missing = { 404: error('no such rule, or one the token may not see (`rule.not_found`)') };

const RULE_EXAMPLES = {
  birthday: { summary: 'Birthday week: cakes first and a greeting headline', value: BIRTHDAY_RULE },
  kidsZone: { summary: 'Exclusion: no alcohol on the kids zone\'s screens', value: KIDS_ZONE_RULE },
  dwell: { summary: 'Dwell offer: pin the house blend for shoppers lingering 45 s', value: DWELL_RULE },
};

/** Registers the schemas the routes refer to. */
export const RULE_DOC = {
  register(app: Pick<OpenAPIHono, 'openAPIRegistry'>): void {
    const r = app.openAPIRegistry;
    r.registerComponent('schemas', 'RuleInput', doc(RuleInput, 'input'));
    r.registerComponent('schemas', 'RestoreRequest', { type: 'object', required: ['version'], additionalProperties: false,
      properties: { version: { type: 'integer', minimum: 1, description: 'the version to make current again (see …/versions)' } } });
    r.registerComponent('schemas', 'PreviewRequest', doc(PreviewRequest, 'input'));
  },
};

/** Every route of /api/v1/rules, with its documentation; routes-rules.ts adds the guards and handlers. */
export const RULE_ROUTES = {
  list: createRoute({ method: 'get', path: '/', tags, security, summary: 'List rules',
    description: 'Every current rule the token may see, highest priority first. A token bound to one store sees the rules that can apply there '
      + '(no `target.stores`, or one that lists the store). Served from the in-process snapshot, so it answers while Redis is down. Roles: console, merchandiser.',
    request: { query: StoreQuery },
    responses: { ...denied, 400: error('invalid `storeId`'),
      200: answer('the rules', z.array(RuleDoc), { kidsZone: { summary: 'one rule', value: [STORED_RULE] } }) } }),

  create: createRoute({ method: 'post', path: '/', tags, security, summary: 'Create a rule',
    description: 'Stores a new rule as version 1 (or the next number, if the id belonged to a rule deleted before) and applies it on every engine '
      + 'instance within a second. Without `ruleId` the engine makes one (`r-…`). A store-bound merchandiser may only create rules whose '
      + '`target.stores` is exactly its store. Role: merchandiser.',
    request: { body: body('RuleInput', RULE_EXAMPLES) },
    responses: { ...badBody, ...denied, ...unavailable, 409: error('a rule with this id exists (`rule.exists`)'),
      201: { headers: { Location: { schema: { type: 'string' }, description: '/api/v1/rules/{ruleId}' } },
        ...answer('created; `Location` names the new rule', RuleDoc, { created: { summary: 'the stored rule', value: { ...STORED_RULE, version: 1 } } }) } } }),

  preview: createRoute({ method: 'post', path: '/preview', tags, security, summary: 'Preview what screens would show',
    description: 'Runs the live decision code, with the live rules, caps and model plus any `draft` rules, for one screen (or every screen of a zone) '
      + 'and one shopper (a member by id, a hand-made profile, or nobody), and explains each rule\'s outcome. Changes nothing. '
      + 'A store-bound token previews only its store. Roles: console, merchandiser.',
    request: { body: body('PreviewRequest', { coffee: { summary: 'a member at the coffee wall, with a draft dwell rule', value: PREVIEW_REQUEST } }) },
    responses: { ...badBody, ...denied, 404: error('unknown store (`store.not_found`), screen or zone'),
      200: answer('the frames and every rule\'s outcome', PreviewResultDoc, { coffee: { summary: 'the dwell rule pinned the house blend', value: PREVIEW_RESULT } }) } }),

  get: createRoute({ method: 'get', path: '/{ruleId}', tags, security, summary: 'Read a rule',
    description: 'The current version of one rule. Roles: console, merchandiser.', request: { params: RuleIdParam },
    responses: { ...denied, ...missing, 400: error('invalid `ruleId`'), 200: answer('the rule', RuleDoc, { kidsZone: { summary: 'an exclusion', value: STORED_RULE } }) } }),

  replace: createRoute({ method: 'put', path: '/{ruleId}', tags, security, summary: 'Replace a rule',
    description: 'Replaces the whole rule (fields left out take their defaults) as a new version. An invalid body changes nothing: the previous '
      + 'version keeps serving. `ruleId` in the body, if given, must equal the path. Role: merchandiser (store-bound: only rules aimed at exactly its store).',
    request: { params: RuleIdParam, body: body('RuleInput', RULE_EXAMPLES) },
    responses: { ...badBody, ...denied, ...missing, ...unavailable, 409: error('changed elsewhere at the same moment (`rule.busy`); try again'),
      200: answer('the new version', RuleDoc) } }),

  enable: createRoute({ method: 'post', path: '/{ruleId}/enable', tags, security, summary: 'Enable a rule',
    description: 'Makes the rule take effect again, as a new version (no new version if it is enabled already). Role: merchandiser.',
    request: { params: RuleIdParam }, responses: { ...denied, ...missing, ...unavailable, 200: answer('the rule', RuleDoc) } }),

  disable: createRoute({ method: 'post', path: '/{ruleId}/disable', tags, security, summary: 'Disable a rule',
    description: 'Stops the rule taking effect without deleting it, as a new version; previews still list it as `disabled`. Role: merchandiser.',
    request: { params: RuleIdParam }, responses: { ...denied, ...missing, ...unavailable, 200: answer('the rule', RuleDoc) } }),

  delete: createRoute({ method: 'delete', path: '/{ruleId}', tags, security, summary: 'Delete a rule',
    description: 'Removes the rule from every instance; its history stays, so it can be restored. Role: merchandiser.',
    request: { params: RuleIdParam },
    responses: { ...denied, ...missing, ...unavailable, 200: answer('the deletion, as recorded in the history', RuleVersionDoc, {
      deleted: { summary: 'version 4 is the deletion', value: { ruleId: KIDS_ZONE_RULE.ruleId, version: 4, at: STORED_RULE.updatedAt + 1000, by: 'merch-anna', action: 'delete' } } }) } }),

  versions: createRoute({ method: 'get', path: '/{ruleId}/versions', tags, security, summary: 'A rule\'s history',
    description: 'Every version, newest first (the last 200), with who made it, when, what they did and the rule as it then was; also for a deleted rule. '
      + 'Read from Redis. Roles: console, merchandiser.', request: { params: RuleIdParam },
    responses: { ...denied, ...missing, ...unavailable, 400: error('invalid `ruleId`'),
      200: answer('the history', z.array(RuleVersionDoc), { history: { summary: 'created, disabled, enabled again', value: RULE_HISTORY } }) } }),

  restore: createRoute({ method: 'post', path: '/{ruleId}/restore', tags, security, summary: 'Restore an earlier version',
    description: 'Makes that version\'s rule current again as a new version (action `restore`); works for a deleted rule too. Role: merchandiser.',
    request: { params: RuleIdParam, body: body('RestoreRequest', { undo: { summary: 'back to version 1', value: { version: 1 } } }) },
    responses: { ...badBody, ...denied, ...unavailable,
      404: error('no such rule (`rule.not_found`) or version (`rule.version_not_found`; only the last 200 are kept)'),
      409: error('that version is a deletion (`rule.nothing_to_restore`), or the rule changed elsewhere at the same moment (`rule.busy`)'),
      200: answer('the restored rule, with its new version number', RuleDoc) } }),
};
