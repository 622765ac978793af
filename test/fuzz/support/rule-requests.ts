import fc from 'fast-check';
import { hostileJson, hostileString, readable, shortHostileString, toJsonText, toWellFormed } from './arbitraries.js';
import { documentBytes, mutatedDocument } from './documents.js';
import { rawExchange, type RawResponse } from './raw-http.js';
import { PREVIEW_KEYS, RULE_KEYS, validPreviewRequest, validRuleInput, type PreviewEnv } from './rules.js';

/**
 * Requests to /api/v1/rules (docs/rules-api.md), as bytes for a raw socket: every write route and the
 * preview, with generated and mutated bodies, any content type, ids of every kind in the path, every
 * role's token, huge and chunked bodies.
 */

export type RuleRoute = 'create' | 'replace' | 'restore' | 'preview' | 'read' | 'versions' | 'enable' | 'disable' | 'delete' | 'list';
/** An id for the path: one of the fuzz's own rules (the n-th, resolved when the request is sent), or a given one. */
export type PathId = { own: number } | { rawId: string; id?: string };
export type RuleRequest = {
  route: RuleRoute; method: string;
  /** `/api/v1/rules` or `/api/v1/rules/{id}` + suffix; see `materialize`. */
  pathId?: PathId; suffix: string; query?: string;
  token?: string; ctype?: string; body?: Buffer; chunked: boolean;
};
/** A request with its path resolved. */
export type SentRequest = RuleRequest & { path: string; rawId?: string; id?: string; note: string };

export type RuleTarget = PreviewEnv & {
  /** Tokens: the store's merchandiser, a merchandiser for every store, the console, a screen. */
  merch: string; merchAll: string; console: string; screen: string;
  /** A rule that exists and must stay as it is: creating it again must answer 409 and change nothing. */
  taken: string;
};

/** Percent-encodes what a path segment cannot hold as is (lone surrogates as U+FFFD). */
export const encodeSegment = (s: string): string => encodeURIComponent(toWellFormed(s));

/** Ids in a path: the fuzz's own rules, valid ids of any shape ('.', '..', ':'), too long, empty, hostile, encoded traversal. */
export function pathIdArb(): fc.Arbitrary<PathId> {
  const valid = fc.oneof(fc.constantFrom('x', 'a.b:c-d', '0', 'preview', 'r-0', 'A'.repeat(64), '.', '..', '...', ':', 'a:b', '-'),
    fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/));
  return fc.oneof(
    { arbitrary: fc.nat().map((own) => ({ own })), weight: 4 },
    { arbitrary: valid.map((id) => ({ rawId: id === '.' || id === '..' ? id : encodeSegment(id), id })), weight: 3 },
    { arbitrary: fc.constantFrom('A'.repeat(65), '%2e%2e', '%2E', 'a%2Fb', '%00', '%ZZ', '%', 'a b', '%F0%9F%9B%92', 'a%3Bb', '~', '%25').map((rawId) => ({ rawId })), weight: 1 },
    { arbitrary: shortHostileString.map((s) => ({ rawId: encodeSegment(s) })), weight: 1 },
  );
}

const JSON_TYPES = ['application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const OTHER_TYPES = ['text/plain', '', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.aisle+json',
  'application/json; charset=utf-16', 'application/jsonx', 'json'];
export const contentTypeArb: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constantFrom(...JSON_TYPES), weight: 8 }, { arbitrary: fc.constantFrom(...OTHER_TYPES), weight: 2 });

/** A body over the 1 MiB limit: spaces, or a rule whose name is a megabyte long. */
const hugeBody = fc.oneof(fc.integer({ min: 1024 * 1024 + 1, max: 2 * 1024 * 1024 }).map((n) => readable(Buffer.alloc(n, 0x20))),
  fc.integer({ min: 1024 * 1024, max: 1536 * 1024 }).map((n) => readable(Buffer.from(JSON.stringify({ name: 'x'.repeat(n), actions: {} })))));

/** A body for a rule route: the route's good document (changed in 1–3 fields, or damaged), hostile JSON, text, nothing, or huge. */
export function bodyArb(good: fc.Arbitrary<unknown>, keys: readonly string[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { arbitrary: good.map((g) => readable(Buffer.from(JSON.stringify(g)))), weight: 3 },
    { arbitrary: good.chain((g) => mutatedDocument(g, keys)), weight: 5 },
    { arbitrary: documentBytes(good, keys), weight: 2 },
    { arbitrary: hostileJson.map((v) => readable(Buffer.from(toJsonText(v)))), weight: 1 },
    { arbitrary: hostileString.map((s) => readable(Buffer.from(s))), weight: 1 },
    { arbitrary: fc.constant(readable(Buffer.alloc(0))), weight: 1 },
    { arbitrary: hugeBody, weight: 1 },
  );
}

/** The caller: mostly the store's merchandiser, then one for every store, the console, a screen, nobody, an unknown token. */
const tokenArb = (t: RuleTarget) => fc.oneof(
  { arbitrary: fc.constant(t.merch), weight: 8 }, { arbitrary: fc.constant(t.merchAll), weight: 3 }, { arbitrary: fc.constant(t.console), weight: 1 },
  { arbitrary: fc.constant(t.screen), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.constant('tok-nobody-xxxxxxxxxxxx'), weight: 1 },
);

/** A rule aimed at exactly the test store (what its merchandiser may write), or anywhere. */
export const ownRuleArb = (t: RuleTarget) => fc.oneof(
  { arbitrary: validRuleInput(t).map((r) => ({ ...r, target: { ...(r.target ?? {}), stores: [t.storeId] } })), weight: 4 },
  { arbitrary: validRuleInput(t), weight: 1 },
);

export function ruleRequestArb(t: RuleTarget, now: number): fc.Arbitrary<RuleRequest> {
  const rule = ownRuleArb(t);
  const common = { token: tokenArb(t), ctype: contentTypeArb, chunked: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }) };
  const withId = (route: RuleRoute, method: string, suffix: string, body?: fc.Arbitrary<Buffer>): fc.Arbitrary<RuleRequest> =>
    fc.record({ ...common, pathId: pathIdArb(), body: body ?? fc.constant(undefined) }).map((x) => ({ route, method, suffix, ...x }));
  const replaceBody = fc.oneof({ arbitrary: bodyArb(rule, RULE_KEYS), weight: 5 },
    // A body whose ruleId differs from the path, or equals it.
    { arbitrary: fc.tuple(rule, fc.oneof(fc.constant(undefined), fc.stringMatching(/^[a-f0-9.:-]{1,12}$/))).map(([r, id]) => readable(Buffer.from(JSON.stringify({ ...r, ruleId: id })))), weight: 1 });
  const restoreBody = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 3 }).map((version) => readable(Buffer.from(JSON.stringify({ version })))), weight: 2 },
    { arbitrary: bodyArb(fc.record({ version: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e308)) }), ['version', 'ruleId']), weight: 3 });
  // Now and then a rule under an id that is taken (the anchor): 409, and nothing changes.
  const createBody = fc.oneof({ arbitrary: bodyArb(rule, RULE_KEYS), weight: 12 },
    { arbitrary: rule.map((r) => readable(Buffer.from(JSON.stringify({ ...r, ruleId: t.taken, target: { ...r.target, stores: [t.storeId] } })))), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.record({ ...common, body: createBody }).map((x) => ({ route: 'create' as const, method: 'POST', suffix: '', ...x })), weight: 6 },
    { arbitrary: withId('replace', 'PUT', '', replaceBody), weight: 4 },
    { arbitrary: withId('restore', 'POST', '/restore', restoreBody), weight: 2 },
    { arbitrary: fc.record({ ...common, body: bodyArb(validPreviewRequest(t, now), PREVIEW_KEYS) })
      .map((x) => ({ route: 'preview' as const, method: 'POST', suffix: '/preview', ...x })), weight: 3 },
    { arbitrary: withId('read', 'GET', ''), weight: 1 },
    { arbitrary: withId('versions', 'GET', '/versions'), weight: 1 },
    { arbitrary: withId('enable', 'POST', '/enable'), weight: 1 },
    { arbitrary: withId('disable', 'POST', '/disable'), weight: 1 },
    { arbitrary: withId('delete', 'DELETE', ''), weight: 1 },
    { arbitrary: fc.record({ ...common, query: fc.oneof(fc.constant(''), fc.constant(`?storeId=${t.storeId}`), shortHostileString.map((s) => `?storeId=${encodeSegment(s)}`)) })
      .map((x) => ({ route: 'list' as const, method: 'GET', suffix: '', ...x, body: undefined })), weight: 1 },
  );
}

/** The request with its path: `own` ids become the n-th of `ids` (rules the fuzz created; never the anchor), or a fresh id when there is none. */
export function materialize(r: RuleRequest, ids: readonly string[]): SentRequest {
  let rawId: string | undefined;
  let id: string | undefined;
  if (r.pathId && 'own' in r.pathId) { id = ids.length ? ids[r.pathId.own % ids.length]! : `none-${r.pathId.own}`; rawId = encodeSegment(id); }
  else if (r.pathId) ({ rawId, id } = r.pathId);
  const path = `/api/v1/rules${rawId !== undefined ? `/${rawId}` : ''}${r.suffix}${r.query ?? ''}`;
  return { ...r, path, rawId, id, note: `${r.method} ${path.slice(0, 100)} [${r.token?.slice(0, 12) ?? 'no token'}, ${JSON.stringify(r.ctype)}${r.chunked ? ', chunked' : ''}, ${r.body?.length ?? 'no'} bytes]` };
}

/** The request as bytes: HTTP/1.1, `Connection: close`, a correct Content-Length or chunked body. */
export function requestBytes(r: Pick<SentRequest, 'method' | 'path' | 'token' | 'ctype' | 'body' | 'chunked'>): Buffer {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (r.token !== undefined) lines.push(`Authorization: Bearer ${r.token}`);
  let payload: Buffer = Buffer.alloc(0);
  if (r.body !== undefined) {
    if (r.ctype) lines.push(`Content-Type: ${r.ctype}`);
    if (r.chunked && r.body.length) {
      lines.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([Buffer.from(`${r.body.length.toString(16)}\r\n`), r.body, Buffer.from('\r\n0\r\n\r\n')]);
    } else { lines.push(`Content-Length: ${r.body.length}`); payload = r.body; }
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

export type Answer = { status: number; json: unknown; text: string; headers: Record<string, string>; hung: boolean; responses: RawResponse[] };

/** One request on a fresh connection; the final answer (status 0 when there was none), its JSON body if it has one. */
export async function send(port: number, r: Parameters<typeof requestBytes>[0], timeoutMs = 5000): Promise<Answer> {
  const ex = await rawExchange(port, requestBytes(r), { halfClose: false, timeoutMs });
  const res = ex.responses.filter((x) => x.status >= 200).at(-1);
  const text = res?.body.toString('utf8') ?? '';
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res?.status ?? 0, json, text, headers: res?.headers ?? {}, hung: ex.hung, responses: ex.responses };
}
