import fc from 'fast-check';
import type { ExperimentInput } from '#contracts';
import { readable, shortHostileString } from './arbitraries.js';
import { EXPERIMENT_KEYS, validExperimentInput } from './experiments.js';
import { bodyArb, contentTypeArb, encodeSegment, pathIdArb, type PathId } from './rule-requests.js';

/**
 * Requests to /api/v1/experiments (docs/experiments-api.md), as bytes for a raw socket (sent with
 * rule-requests.ts's `send`): every route, the four status changes included, with generated and mutated
 * bodies, any content type, ids of every kind in the path, every role's token, huge and chunked bodies.
 */

export type ExperimentRoute = 'create' | 'replace' | 'read' | 'start' | 'pause' | 'resume' | 'stop' | 'delete' | 'versions' | 'restore' | 'list';
export const STATUS_ROUTES = ['start', 'pause', 'resume', 'stop'] as const;
export type ExperimentRequest = {
  route: ExperimentRoute; method: string;
  pathId?: PathId; suffix: string; query?: string;
  token?: string; ctype?: string; body?: Buffer; chunked: boolean;
};
export type SentExperimentRequest = ExperimentRequest & { path: string; rawId?: string; id?: string; note: string };

export type ExperimentTarget = {
  storeId: string; storeIds: readonly string[];
  /** Rules that exist (an experiment's ruleId must name one). */
  ruleIds: readonly string[];
  /** Tokens: the store's merchandiser, a merchandiser for every store, the console, a screen. */
  merch: string; merchAll: string; console: string; screen: string;
  /** An experiment that exists and must stay as it is: creating it again must answer 409 and change nothing. */
  taken: string;
};

/** The caller: mostly the store's merchandiser, then one for every store, the console, a screen, nobody, an unknown token. */
const tokenArb = (t: ExperimentTarget) => fc.oneof(
  { arbitrary: fc.constant(t.merch), weight: 8 }, { arbitrary: fc.constant(t.merchAll), weight: 3 }, { arbitrary: fc.constant(t.console), weight: 1 },
  { arbitrary: fc.constant(t.screen), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.constant('tok-nobody-xxxxxxxxxxxx'), weight: 1 },
);

/** An experiment aimed at exactly the test store (what its merchandiser may write), or anywhere; any status. */
export const ownExperimentArb = (t: ExperimentTarget, status?: fc.Arbitrary<ExperimentInput['status']>): fc.Arbitrary<ExperimentInput> => {
  const any = validExperimentInput({ storeIds: t.storeIds, ruleIds: t.ruleIds }, { status });
  return fc.oneof({ arbitrary: any.map((e) => ({ ...e, stores: [t.storeId] })), weight: 4 }, { arbitrary: any, weight: 1 });
};

export function experimentRequestArb(t: ExperimentTarget): fc.Arbitrary<ExperimentRequest> {
  const experiment = ownExperimentArb(t);
  const common = { token: tokenArb(t), ctype: contentTypeArb, chunked: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }) };
  const withId = (route: ExperimentRoute, method: string, suffix: string, body?: fc.Arbitrary<Buffer | undefined>): fc.Arbitrary<ExperimentRequest> =>
    fc.record({ ...common, pathId: pathIdArb(), body: body ?? fc.constant(undefined) }).map((x) => ({ route, method, suffix, ...x }));
  const json = (v: unknown) => readable(Buffer.from(JSON.stringify(v)));
  const replaceBody = fc.oneof({ arbitrary: bodyArb(experiment, EXPERIMENT_KEYS), weight: 5 },
    // A body whose experimentId differs from the path, or equals it.
    { arbitrary: fc.tuple(experiment, fc.oneof(fc.constant(undefined), fc.stringMatching(/^[a-f0-9.:-]{1,12}$/))).map(([e, id]) => json({ ...e, experimentId: id })), weight: 1 },
    // Every status, aimed at the store: the transition table decides.
    { arbitrary: ownExperimentArb(t).map((e) => json({ ...e, stores: [t.storeId], experimentId: undefined })), weight: 2 });
  const restoreBody = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 4 }).map((version) => json({ version })), weight: 2 },
    { arbitrary: bodyArb(fc.record({ version: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e308)) }), ['version', 'experimentId']), weight: 3 });
  // Now and then an experiment under an id that is taken (the anchor): 409, and nothing changes.
  const createBody = fc.oneof({ arbitrary: bodyArb(experiment, EXPERIMENT_KEYS), weight: 12 },
    { arbitrary: experiment.map((e) => json({ ...e, experimentId: t.taken, stores: [t.storeId] })), weight: 1 });
  // The status routes read no body; some clients send one anyway.
  const statusBody = fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom(json({}), json({ status: 'running' }), readable(Buffer.from('x'))), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.record({ ...common, body: createBody }).map((x) => ({ route: 'create' as const, method: 'POST', suffix: '', ...x })), weight: 6 },
    { arbitrary: withId('replace', 'PUT', '', replaceBody), weight: 4 },
    { arbitrary: withId('restore', 'POST', '/restore', restoreBody), weight: 2 },
    { arbitrary: withId('read', 'GET', ''), weight: 3 },
    { arbitrary: withId('versions', 'GET', '/versions'), weight: 1 },
    ...STATUS_ROUTES.map((route) => ({ arbitrary: withId(route, 'POST', `/${route}`, statusBody), weight: 2 })),
    { arbitrary: withId('delete', 'DELETE', ''), weight: 2 },
    { arbitrary: fc.record({ ...common, query: fc.oneof(fc.constant(''), fc.constantFrom('?status=running', '?status=draft', '?status=archived', `?ruleId=${t.ruleIds[0]}`, '?ruleId=a%2Fb'),
      shortHostileString.map((s) => `?status=${encodeSegment(s)}`)) }).map((x) => ({ route: 'list' as const, method: 'GET', suffix: '', ...x, body: undefined })), weight: 1 },
  );
}

/** The request with its path: `own` ids become the n-th of `ids` (the run's experiments; never the anchor), or a fresh id when there is none. */
export function materializeExperiment(r: ExperimentRequest, ids: readonly string[]): SentExperimentRequest {
  let rawId: string | undefined;
  let id: string | undefined;
  if (r.pathId && 'own' in r.pathId) { id = ids.length ? ids[r.pathId.own % ids.length]! : `none-${r.pathId.own}`; rawId = encodeSegment(id); }
  else if (r.pathId) ({ rawId, id } = r.pathId);
  const path = `/api/v1/experiments${rawId !== undefined ? `/${rawId}` : ''}${r.suffix}${r.query ?? ''}`;
  return { ...r, path, rawId, id, note: `${r.method} ${path.slice(0, 100)} [${r.token?.slice(0, 12) ?? 'no token'}, ${JSON.stringify(r.ctype)}${r.chunked ? ', chunked' : ''}, ${r.body?.length ?? 'no'} bytes]` };
}
