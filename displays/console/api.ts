/**
 * @module console/api
 * The engine's HTTP API as the console uses it (docs/contracts.md §HTTP API, docs/rules-api.md §Routes):
 * every call carries `Authorization: Bearer <token>`; every error becomes a `ConsoleApiError` with the
 * API's stable `code`, its message and, for `validation`, the `issues` with the path of each field.
 */
import { z } from 'zod';
import { PreviewRequest, PreviewResult, Rule, RuleVersion, StoreSummary, type RuleInput } from '../shared/contracts.js';
// Not (yet) re-exported by shared/contracts.ts; imported after it, so zod is set up first.
import { ModelVersionInfo } from '../../engine/contracts/models-api.js';

export type { ModelVersionInfo };

/** A preview request as sent (profile fields with defaults may be left out). */
export type PreviewQuery = z.input<typeof PreviewRequest>;

export type Issue = { path: Array<string | number>; message: string };

/** A refused or failed call: `status` 0 when the engine could not be reached at all. */
export class ConsoleApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: Issue[] = []) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(),
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional() }) });

const enc = encodeURIComponent;

/** Builds every request with the token; `fetch` is looked up at call time (tests stub the global). */
export function createConsoleApi(token: string) {
  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, signal: signal ?? null, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ConsoleApiError(0, 'network', 'The engine could not be reached. Is it running?');
    }
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    const data: unknown = isJson ? await res.json().catch(() => undefined) : undefined;
    if (!res.ok) {
      const e = ErrorBody.safeParse(data);
      if (e.success) throw new ConsoleApiError(res.status, e.data.error.code, e.data.error.message, e.data.error.issues ?? []);
      throw new ConsoleApiError(res.status, `http.${res.status}`, `The engine answered HTTP ${res.status}.`);
    }
    if (!isJson) throw new ConsoleApiError(res.status, 'not_json', `No engine API at ${path}.`);
    return data;
  }
  const get = (path: string, signal?: AbortSignal) => call('GET', path, undefined, signal);
  const post = (path: string, body?: unknown, signal?: AbortSignal) => call('POST', path, body ?? {}, signal);

  return {
    token,
    stores: async () => z.array(StoreSummary).parse(await get('/api/v1/stores')),
    /** The whole store configuration (console and merchandiser tokens); parsed leniently by store-model.ts. */
    store: (storeId: string, signal?: AbortSignal) => get(`/api/v1/stores/${enc(storeId)}`, signal),
    live: (storeId: string, signal?: AbortSignal) => get(`/api/v1/stores/${enc(storeId)}/live`, signal),
    rules: async (storeId: string, signal?: AbortSignal) => z.array(Rule).parse(await get(`/api/v1/rules?storeId=${enc(storeId)}`, signal)),
    rule: async (ruleId: string, signal?: AbortSignal) => Rule.parse(await get(`/api/v1/rules/${enc(ruleId)}`, signal)),
    createRule: async (input: RuleInput) => Rule.parse(await post('/api/v1/rules', input)),
    replaceRule: async (ruleId: string, input: RuleInput) => Rule.parse(await call('PUT', `/api/v1/rules/${enc(ruleId)}`, input)),
    setEnabled: async (ruleId: string, enabled: boolean) => Rule.parse(await post(`/api/v1/rules/${enc(ruleId)}/${enabled ? 'enable' : 'disable'}`)),
    deleteRule: async (ruleId: string) => RuleVersion.parse(await call('DELETE', `/api/v1/rules/${enc(ruleId)}`)),
    versions: async (ruleId: string) => z.array(RuleVersion).parse(await get(`/api/v1/rules/${enc(ruleId)}/versions`)),
    restore: async (ruleId: string, version: number) => Rule.parse(await post(`/api/v1/rules/${enc(ruleId)}/restore`, { version })),
    preview: async (req: PreviewQuery, signal?: AbortSignal) => PreviewResult.parse(await post('/api/v1/rules/preview', req, signal)),
    /** The model versions a model experiment may name, newest first (`GET /api/v1/models`, docs/experiments.md §Model versions). */
    models: async (signal?: AbortSignal) => z.array(ModelVersionInfo).parse(await get('/api/v1/models', signal)),
    experiments: (signal?: AbortSignal) => get('/api/v1/experiments', signal),
    experiment: (experimentId: string, signal?: AbortSignal) => get(`/api/v1/experiments/${enc(experimentId)}`, signal),
    createExperiment: (body: unknown) => post('/api/v1/experiments', body),
    setExperimentStatus: (experimentId: string, action: 'start' | 'pause' | 'resume' | 'stop') =>
      post(`/api/v1/experiments/${enc(experimentId)}/${action}`),
  };
}
export type ConsoleApi = ReturnType<typeof createConsoleApi>;

/** Words a merchandiser can act on, for the errors a console meets most. */
export function explainError(err: unknown): string {
  if (!(err instanceof ConsoleApiError)) return err instanceof Error ? err.message : String(err);
  switch (err.code) {
    case 'auth.missing': case 'auth.invalid': return 'This token is not known to the engine. Check that it was copied whole, or ask for a new one.';
    case 'auth.forbidden': return `Not allowed with this token: ${err.message}`;
    case 'store.unavailable': return 'The engine cannot save right now (its database is unavailable). Nothing changed; try again in a moment.';
    case 'rule.busy': return 'Someone else changed this rule at the same moment. Try again.';
    case 'rule.exists': return 'A rule with this id already exists.';
    case 'rule.not_found': return 'This rule no longer exists (or this token may not see it).';
    case 'network': return err.message;
    default: return err.message;
  }
}
