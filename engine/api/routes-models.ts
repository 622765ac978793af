import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ModelVersionInfo, type Role } from '#contracts';
import type { ApiEnv } from './auth.js';
import { ApiError } from './errors.js';
import { ErrorBody } from './routes-stores.js';

export type ModelRoutesDeps = {
  /** Every version in the engine's model folder, newest first (engine/scoring: Scoring.versions); none without a model folder. */
  modelVersions?(): Promise<ModelVersionInfo[]>;
};

/** docs/security.md: who may list the model versions (they pick a model experiment's arms). */
export const MODEL_ACCESS: readonly Role[] = ['console', 'merchandiser'];

const ModelVersionDoc = z.object(ModelVersionInfo.shape).strict().openapi('ModelVersion');
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
const EXAMPLE: ModelVersionInfo[] = [
  { name: 'ranker', version: '20261129-124537', createdAt: '2026-11-29T12:45:37.289Z', use: 'serving',
    quality: { cutoff: '2011-11-01', ndcg10: 0.2989, recall10: 0.1883, gatePassed: true } },
  { name: 'ranker', version: '20261123-111256', createdAt: '2026-11-23T11:12:56.835Z', use: 'pinned',
    quality: { cutoff: '2011-11-01', ndcg10: 0.2983, recall10: 0.1866, gatePassed: true } },
];

const list = createRoute({ method: 'get', path: '/', tags: ['experiments'], security: [{ bearer: [] }], summary: 'List model versions',
  description: 'Every version in the engine\'s model folder, newest first: the one serving, those held loaded for a model experiment\'s '
    + 'arms (`pinned`), and the rest. A model experiment (`kind: "model"`) names one of these per arm. Roles: console, merchandiser.',
  responses: { 401: error('no token, or an unknown one'), 403: error('the token\'s role may not list model versions'),
    200: { description: 'the versions', content: { 'application/json': { schema: z.array(ModelVersionDoc), example: EXAMPLE } } } } });

/** `/api/v1/models` (docs/experiments-api.md §Model versions). */
export function modelRoutes(d: ModelRoutesDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(list, async (c) => {
    const caller = c.get('caller');
    if (!MODEL_ACCESS.includes(caller.role)) throw new ApiError(403, 'auth.forbidden', `role ${caller.role} may not do this (needs ${MODEL_ACCESS.join(' or ')})`);
    return c.json(d.modelVersions ? await d.modelVersions() : [], 200);
  });
  return app;
}
