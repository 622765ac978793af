import fc from 'fast-check';
import { testStore } from '../../helpers/fixtures.js';
import { hostileJson, hostileString, readable, shortHostileString, toJsonText, toWellFormed } from './arbitraries.js';
import { documentBytes, mutatedDocument, STORE_KEYS } from './documents.js';

/** What a test engine exposes to a request generator. */
export type HttpTarget = { storeId: string; tokens: { role: string; token: string }[] };

/**
 * A generated request: its bytes, and what kind it is (a well-formed request must reach the API and get its JSON
 * errors). `halfClose`: the client sends FIN after the bytes, so the server has all it will ever get; well-formed
 * requests do not (Node answers a client FIN by aborting the request in flight: a slow handler's answer is lost).
 */
export type GenRequest = { bytes: Buffer; wellFormed: boolean; upgrade: boolean; halfClose: boolean; method: string; path: string; note: string };

/** Percent-encodes (lone surrogates as U+FFFD: encodeURIComponent throws on them; raw surrogate bytes are in the fixed lists). */
const enc = (s: string) => encodeURIComponent(toWellFormed(s));

/** Paths: the real routes, the static files, traversal attempts, encoded hostile segments, long ones. */
export function pathArb(storeId: string): fc.Arbitrary<string> {
  const routes = ['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json', '/api/v1/stores', '/api/v1/stores/', `/api/v1/stores/${storeId}`,
    `/api/v1/stores/${storeId}/screens`, `/api/v1/stores/${storeId}/live`, `/api/v1/stores/${storeId}/audit`, `/api/v1/stores/${storeId}/audit?limit=0`, `/api/v1/stores/${storeId}/audit?customerId=c-mia&since=1`, '/api/v1/stores/s-other/audit', '/api/v1/models', '/api/v1/stores/s-other', '/api/v1/stores/s-other/live', '/api/v1', '/api',
    '/ws', '/', '/index.html', '/screen', '/screen/', '/screen/index.html', '/favicon.ico'];
  const traversal = ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/screen/../../secret.txt', '/screen/%2e%2e/%2e%2e/secret.txt',
    '//secret.txt', '/.%2e/secret.txt', '/%c0%ae%c0%ae/secret.txt', '/..%5csecret.txt', '/screen/..%5c..%5csecret.txt', '/%00', '/%', '/%E0%A4%A', '/%ff',
    '/index.html%00.js', '/%ED%A0%80', '/screen/%C0%AF', '/screen/%2e%2e%2f%2e%2e%2fsecret.txt', '/./index.html', '/screen/./../index.html'];
  const segment = fc.oneof(fc.constantFrom('x', '..', '.', '%2e%2e', '%2F', '%00', '%25', '~', 'a;b', 'a?b', storeId), shortHostileString.map(enc));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...routes), weight: 6 },
    { arbitrary: fc.constantFrom(...traversal), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...routes), fc.array(segment, { minLength: 1, maxLength: 3 })).map(([r, s]) => `${r.replace(/\/$/, '')}/${s.join('/')}`), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...routes), fc.array(fc.tuple(shortHostileString, shortHostileString), { maxLength: 3 }))
      .map(([r, q]) => `${r}?${q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`), weight: 2 },
    { arbitrary: fc.record({ r: fc.constantFrom(...routes), n: fc.integer({ min: 1, max: 12_000 }) }).map(({ r, n }) => `${r}?pad=${'a'.repeat(n)}`), weight: 1 },
    { arbitrary: fc.constantFrom('/API/V1/STORES', '/healthz/', '//healthz', '/healthz;x', '/api//v1/stores', '/api/v1/stores/%2e%2e', `/api/v1/stores/${enc('A'.repeat(65))}`), weight: 1 },
  );
}

const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'BREW', 'get'];
/** Methods Node's parser (llhttp) knows; any other gets Node's own 400 before the API sees it. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']);

/** Authorization values: none, every role's token, near misses. */
function authArb(t: HttpTarget): fc.Arbitrary<string | undefined> {
  const good = t.tokens.map((x) => `Bearer ${x.token}`);
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.constantFrom(...good), weight: 4 },
    { arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer ${t.tokens[0]!.token}`, `Bearer  ${t.tokens[0]!.token}`,
      `Bearer ${t.tokens[0]!.token} extra`, 'Bearer tok-unknown-xxxxxxxxxx', `Bearer ${'x'.repeat(4000)}`, 'Bearer \u00e9\u00e9'), weight: 2 },
  );
}

/** A body: the store configuration (mutated), hostile JSON, text, nothing, or big. */
function bodyArb(storeId: string): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { arbitrary: documentBytes(fc.constant(testStore(storeId)), STORE_KEYS), weight: 5 },
    { arbitrary: hostileJson.map((v) => readable(Buffer.from(toJsonText(v)))), weight: 2 },
    { arbitrary: hostileString.map((s) => readable(Buffer.from(s))), weight: 1 },
    { arbitrary: fc.constant(Buffer.alloc(0)), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 2 * 1024 * 1024 }).map((n) => readable(Buffer.alloc(n, 0x20))), weight: 1 },
  );
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/json; charset=utf-16', 'APPLICATION/JSON', ''];

/**
 * A well-formed HTTP/1.1 request: token method, origin-form target of visible ASCII, Host, printable
 * header values, a correct Content-Length (or a correct chunked body), `Connection: close`.
 */
export function wellFormedRequest(t: HttpTarget): fc.Arbitrary<GenRequest> {
  return fc.record({
    method: fc.constantFrom(...METHODS), path: pathArb(t.storeId), auth: authArb(t), body: fc.option(bodyArb(t.storeId), { nil: undefined }),
    ctype: fc.constantFrom(...CONTENT_TYPES), chunked: fc.boolean(),
    extra: fc.subarray(['X-Forwarded-For: 10.0.0.1, ::1', 'Accept: */*', 'Origin: http://evil.example', 'Cookie: a=b', 'Accept-Encoding: gzip, br',
      'If-None-Match: *', 'Range: bytes=0-1', 'X-Forwarded-Proto: https', 'Expect: 100-continue', 'Upgrade-Insecure-Requests: 1']),
  }).map(({ method, path, auth, body, ctype, chunked, extra }) => {
    const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    if (auth !== undefined && /^[\x20-\x7e]*$/.test(auth)) lines.push(`Authorization: ${auth}`);
    lines.push(...extra);
    let payload: Buffer = Buffer.alloc(0);
    if (body !== undefined) {
      if (ctype) lines.push(`Content-Type: ${ctype}`);
      if (chunked && body.length) {
        lines.push('Transfer-Encoding: chunked');
        payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      } else { lines.push(`Content-Length: ${body.length}`); payload = body; }
    }
    const bytes = readable(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]));
    return { bytes, wellFormed: KNOWN_METHODS.has(method), upgrade: false, halfClose: false, method, path, note: `wf ${method} ${path.slice(0, 80)}` };
  });
}

const RAW_LINES = ['GET', 'GET /', 'GET / HTTP/1.1', 'GET  /  HTTP/1.1', 'GET / HTTP/9.9', 'GET / HTTP/1.1 extra', 'G\u0000T / HTTP/1.1', '\r\n', '',
  'GET http://[ HTTP/1.1', 'GET http://[::1 HTTP/1.1', 'GET * HTTP/1.1', 'OPTIONS * HTTP/1.1', 'CONNECT 127.0.0.1:1 HTTP/1.1', 'GET /%ZZ HTTP/1.1',
  'GET /\u00e9\u00e9 HTTP/1.1', 'GET //healthz HTTP/1.1', 'GET healthz HTTP/1.1', 'GET http://127.0.0.1/healthz HTTP/1.1', 'GET http://evil.example/api/v1/stores HTTP/1.1',
  'GET /healthz HTTP/1.0', 'GET /healthz', 'GET /\t HTTP/1.1', 'PRI * HTTP/2.0'];
const RAW_HEADERS = ['Host: 127.0.0.1', 'Host:', 'Host: [', 'Host: a b', 'NoColonHeader', ' Folded: continuation', 'X: \u0000', 'Content-Length: -1',
  'Content-Length: 1e3', 'Content-Length: 5\r\nContent-Length: 6', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'Transfer-Encoding: gzip, chunked',
  'Transfer-Encoding: chunked', 'Content-Length: 100', 'Content-Length: 18446744073709551616', 'Connection: keep-alive', 'Connection: close', 'Expect: 100-continue',
  'Upgrade: websocket\r\nConnection: Upgrade', 'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Key: short', 'Sec-WebSocket-Version: 99', 'Authorization: Bearer x', 'Content-Type: application/json'];

/** Requests HTTP parsers disagree about: broken request lines, bad targets, bad headers, lying lengths, chunked garbage, huge heads, pipelining. */
export function rawRequest(t: HttpTarget): fc.Arbitrary<GenRequest> {
  const line = fc.oneof(
    { arbitrary: fc.constantFrom(...RAW_LINES), weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...METHODS), pathArb(t.storeId)).map(([m, p]) => `${m} ${p} HTTP/1.1`), weight: 3 },
    { arbitrary: shortHostileString.map((s) => `GET /${s} HTTP/1.1`), weight: 1 },
    { arbitrary: fc.integer({ min: 8_000, max: 40_000 }).map((n) => `GET /${'a'.repeat(n)} HTTP/1.1`), weight: 1 },
  );
  const header = fc.oneof(
    { arbitrary: fc.constantFrom(...RAW_HEADERS), weight: 5 },
    { arbitrary: fc.tuple(shortHostileString, shortHostileString).map(([k, v]) => `${k}: ${v}`), weight: 1 },
    { arbitrary: fc.integer({ min: 8_000, max: 40_000 }).map((n) => `X-Big: ${'b'.repeat(n)}`), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: 2_000 }).map((n) => Array.from({ length: n }, (_, i) => `X-H${i}: v`).join('\r\n')), weight: 1 },
  );
  const body = fc.oneof(
    fc.constant(''), fc.constantFrom('{"a":1}', 'abc', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nnot hex\r\n', '3\r\nabcdef\r\n', 'ffffffffffffffff\r\nx',
      '0\r\nX-Trailer: \u0000\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
    hostileString,
  );
  return fc.record({ line, headers: fc.array(header, { maxLength: 5 }), body, crlf: fc.constantFrom('\r\n', '\n', '\r'), end: fc.boolean(),
    pipeline: fc.nat({ max: 3 }) })
    .map(({ line, headers, body, crlf, end, pipeline }) => {
      const head = [line, ...headers].join(crlf) + (end ? `${crlf}${crlf}` : crlf);
      const next = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(pipeline);
      const bytes = readable(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(body, 'utf8'), Buffer.from(next)]));
      const upgrade = /upgrade:/i.test(head);
      const [method = '', path = ''] = line.split(' ');
      return { bytes, wellFormed: false, upgrade, halfClose: true, method, path, note: `raw ${JSON.stringify(line.slice(0, 80))}` };
    });
}

/** Upgrade requests (WebSocket and others) on every kind of target: they must be answered or closed, never left open. */
export function upgradeRequest(t: HttpTarget): fc.Arbitrary<GenRequest> {
  const target = fc.oneof(
    fc.constantFrom('/ws', '/ws?x=1', '/WS', '/ws/', '/ws%00', '/ws/../ws', '/%77s', 'http://[', 'http://127.0.0.1/ws', '*', '//ws', 'ws', '/'),
    pathArb(t.storeId),
  );
  return fc.record({ target, key: fc.constantFrom('dGhlIHNhbXBsZSBub25jZQ==', 'short', ''), version: fc.constantFrom('13', '8', ''),
    upgrade: fc.constantFrom('websocket', 'WebSocket', 'h2c', 'foo'), conn: fc.constantFrom('Upgrade', 'upgrade, keep-alive', 'keep-alive'),
    tail: fc.constantFrom('', '\u0000\u0001garbage', '\x81\x85abcd\x01\x02\x03\x04\x05') })
    .map(({ target, key, version, upgrade, conn, tail }) => {
      const lines = [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', `Upgrade: ${upgrade}`, `Connection: ${conn}`];
      if (key) lines.push(`Sec-WebSocket-Key: ${key}`);
      if (version) lines.push(`Sec-WebSocket-Version: ${version}`);
      const bytes = readable(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${tail}`, 'latin1'));
      return { bytes, wellFormed: false, upgrade: true, halfClose: true, method: 'GET', path: target, note: `upgrade ${upgrade} ${target}` };
    });
}

/**
 * The one write route, as its rightful caller: PUT /api/v1/stores/{storeId} with the merchandiser's token
 * and a store configuration with one to three fields changed (docs/contracts.md §Store configuration).
 */
export function storePutRequest(t: HttpTarget): fc.Arbitrary<GenRequest> {
  const merch = t.tokens.find((x) => x.role === 'merchandiser')!.token;
  return fc.record({ body: fc.oneof({ arbitrary: mutatedDocument(testStore(t.storeId), STORE_KEYS), weight: 3 },
    { arbitrary: documentBytes(fc.constant(testStore(t.storeId)), STORE_KEYS), weight: 1 }), ctype: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain') })
    .map(({ body, ctype }) => {
      const head = [`PUT /api/v1/stores/${t.storeId} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', `Authorization: Bearer ${merch}`,
        `Content-Type: ${ctype}`, `Content-Length: ${body.length}`].join('\r\n');
      const bytes = readable(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]));
      return { bytes, wellFormed: true, upgrade: false, halfClose: false, method: 'PUT', path: `/api/v1/stores/${t.storeId}`, note: `store PUT ${body.toString('utf8').slice(0, 60)}` };
    });
}
