import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Experiment, ExperimentInput, ExperimentReport, ExperimentVersion, ID_PATTERN, type ExperimentStatus, type TokenEntry } from '#contracts';
import { canTransition, EXPERIMENT_HISTORY_MAX, EXPERIMENT_TRANSITIONS, transitionAction } from '../../engine/experiments/experiment-store.js';
import { buildReport } from '../../engine/experiments/report.js';
import { createKeys } from '../../engine/platform/keys.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { testTokens, uniqueId } from '../helpers/fixtures.js';
import { fuzzParams, fuzzTimeout } from './runs.js';
import { tryParse } from './support/arbitraries.js';
import { experimentRequestArb, materializeExperiment, ownExperimentArb, STATUS_ROUTES, type ExperimentTarget, type SentExperimentRequest } from './support/experiment-requests.js';
import { EXPERIMENT_FIELDS } from './support/experiments.js';
import { installProcessGuard } from './support/guard.js';
import { unnamed } from './support/issues.js';
import { assertHealthy } from './support/liveness.js';
import { encodeSegment, send, type Answer } from './support/rule-requests.js';

// The experiments API (docs/experiments-api.md) over a real engine, on a raw socket: generated and mutated bodies for
// every write route, the four status changes from every status, ids of every shape in paths, every role's token, wrong
// content types, huge and chunked bodies, and counters of any kind in Redis behind the report. Never a 5xx; a 4xx says
// why (a validation error names the field); a valid experiment is stored exactly as sent; a status route does what the
// transition table says; every history follows the table; what the engine lists and what Redis holds is always valid;
// GET …/{id}'s report always passes ExperimentReport and is what the counters make, with no NaN or Infinity.

const guard = installProcessGuard();
/** Answers seen, by route, status and code: a CI-sized run must have reached every outcome in MUST_SEE (else the property proves little). */
const seen = new Map<string, number>();
const MUST_SEE = ['create 201', 'create 400 validation', 'create 400 body.invalid_json', 'create 403 auth.forbidden', 'create 409 experiment.exists',
  'create 409 experiment.invalid_transition', 'create 413 body.too_large', 'create 415 body.unsupported_media_type', 'create 401 auth.missing',
  'replace 200', 'replace 400 validation', 'replace 404 experiment.not_found', 'replace 409 experiment.invalid_transition', 'restore 200',
  'restore 404 experiment.version_not_found', 'start 200', 'pause 200', 'resume 200', 'stop 200', 'start 409 experiment.invalid_transition',
  'resume 409 experiment.invalid_transition', 'delete 200', 'delete 409 experiment.invalid_transition', 'read 200', 'versions 200', 'list 200'];
let t: TestEngine;
let target: ExperimentTarget;
let redis: Redis;
let keys: ReturnType<typeof createKeys>;
const MERCH_ALL = 'tok-merch-every-store-fuzz';
const ANCHOR = 'x-anchor'; // letters no generated id uses: the fuzz never changes it
let anchorRaw: string;

beforeAll(async () => {
  const storeId = uniqueId('fz-exp');
  const tokens: TokenEntry[] = [...testTokens(storeId), { token: MERCH_ALL, role: 'merchandiser', storeId: '*' }];
  t = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, deps: { tokens } });
  redis = new Redis(inject('redisUrl'));
  keys = createKeys(t.prefix);
  target = { storeId, storeIds: [storeId, 's-other'], ruleIds: ['r-anchor', 'r-two'], merch: `tok-merch-${storeId}-xxx`, merchAll: MERCH_ALL,
    console: `tok-console-${storeId}-x`, screen: t.screenToken('scr-kitchen-1'), taken: ANCHOR };
  for (const [ruleId, sku] of [['r-anchor', 'SKU-05'], ['r-two', 'SKU-14']] as const) {
    const r = await call('POST', '/api/v1/rules', { ruleId, name: `Pin ${sku}`, target: { stores: [storeId] }, actions: { pin: [sku] } });
    expect(r.status, r.text).toBe(201);
  }
  const a = await call('POST', '/api/v1/experiments', { experimentId: ANCHOR, name: 'Anchor: made before the fuzz', ruleId: 'r-anchor', stores: [storeId], status: 'running' });
  expect(a.status, a.text).toBe(201);
  anchorRaw = (await redis.hget(keys.experiments(), ANCHOR))!;
});
afterAll(async () => { redis?.disconnect(); await t?.close(); guard.uninstall(); });

/** A clean JSON request as the merchandiser of every store. */
const call = (method: string, path: string, body?: unknown, token = MERCH_ALL): Promise<Answer> =>
  send(t.port, { method, path, token, ctype: 'application/json', body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)), chunked: false });
const errorOf = (a: Answer) => (a.json as { error?: { code?: unknown; message?: unknown; issues?: { path: unknown[]; message: string }[] } } | undefined)?.error;
const validId = (id: string | undefined): id is string => id !== undefined && ID_PATTERN.test(id) && id !== '.' && id !== '..';

/** Every number anywhere in a value that JSON cannot carry (NaN, ±Infinity): JSON.stringify turns them into null. */
function nonFinite(v: unknown, path = ''): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${path || '(root)'}: ${v}`];
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => nonFinite(x, `${path}.${k}`));
}

/** Every experiment listed and every value of the `experiments` hash is valid under its own id; the two agree; the anchor is untouched. */
async function assertStoreValid(): Promise<Experiment[]> {
  const list = await call('GET', '/api/v1/experiments');
  expect(list.status, list.text.slice(0, 300)).toBe(200);
  const listed = list.json as unknown[];
  expect(listed.filter((e) => !Experiment.safeParse(e).success), 'experiments the engine lists that are not valid').toEqual([]);
  const hash = await redis.hgetall(keys.experiments());
  const invalid = Object.entries(hash).filter(([id, raw]) => { const r = tryParse(Experiment, JSON.parse(raw)); return !r.success || r.data.experimentId !== id; });
  expect(invalid.map(([id, raw]) => `${id}: ${raw.slice(0, 200)}`), 'values in the experiments hash that are not valid experiments').toEqual([]);
  expect(Object.fromEntries((listed as Experiment[]).map((e) => [e.experimentId, e])), 'the list is what Redis holds')
    .toEqual(Object.fromEntries(Object.entries(hash).map(([id, raw]) => [id, JSON.parse(raw) as Experiment])));
  expect(hash[ANCHOR], 'the anchor experiment is untouched').toBe(anchorRaw);
  return listed as Experiment[];
}

/** An experiment's history follows the status table (docs/experiments-api.md §Statuses, §Versions); its newest entry is the current experiment. */
async function assertHistoryValid(id: string): Promise<void> {
  const a = await call('GET', `/api/v1/experiments/${encodeSegment(id)}/versions`);
  const current = t.engine.experiments.get(id);
  if (a.status === 404 && !current) return;
  expect(a.status, `versions of ${id}: ${a.text.slice(0, 200)}`).toBe(200);
  const versions = a.json as ExperimentVersion[];
  expect(versions.filter((v) => !ExperimentVersion.safeParse(v).success), `unreadable entries in the history of ${id}`).toEqual([]);
  const problems: string[] = [];
  versions.forEach((v, i) => { if (i && versions[i - 1]!.version <= v.version) problems.push(`versions not decreasing: ${versions[i - 1]!.version} before ${v.version}`); });
  if (current) {
    if (versions[0]?.version !== current.version) problems.push(`current version ${current.version}, newest entry ${versions[0]?.version}`);
    else if (JSON.stringify(versions[0].experiment) !== JSON.stringify(current)) problems.push('the newest entry is not the current experiment');
  }
  const strip = (e?: Experiment) => e && JSON.stringify({ ...e, status: '', version: 0, updatedAt: 0, updatedBy: '' });
  // Oldest first: each entry against the one before it. A full history (the last 200) has lost what came before its oldest entry.
  const chain = [...versions].reverse();
  chain.forEach((n, i) => {
    const o = chain[i - 1];
    if (!o && versions.length >= EXPERIMENT_HISTORY_MAX) return;
    const from = o?.experiment?.status;
    const to = n.experiment?.status;
    const what = `${id} v${o?.version ?? 0} (${o?.action ?? 'none'}, ${from ?? 'absent'}) → v${n.version} (${n.action}, ${to ?? 'absent'})`;
    switch (n.action) {
      case 'create': if (o && o.action !== 'delete') problems.push(`${what}: a create over an existing experiment`);
        if (to !== 'draft' && to !== 'running') problems.push(`${what}: created ${to}`); break;
      case 'update': if (!from || from === 'stopped' || (to !== from && !canTransition(from, to!))) problems.push(`${what}: not a change the table allows`); break;
      case 'start': case 'pause': case 'resume': case 'stop':
        if (!from || !canTransition(from, to!) || transitionAction(from, to!) !== n.action) problems.push(`${what}: not that transition`);
        else if (strip(o!.experiment) !== strip(n.experiment)) problems.push(`${what}: a status change changed more than the status`);
        break;
      case 'delete': if (from !== undefined && from !== 'draft' && from !== 'stopped') problems.push(`${what}: deleted while ${from}`); break;
      case 'restore': if (from === 'stopped') problems.push(`${what}: restored over a stopped experiment`); break;
    }
  });
  expect(problems, `history of ${id}`).toEqual([]);
}

/** Stops and deletes every experiment but the anchor (and checks each history first). */
async function cleanUp(all: readonly Experiment[]): Promise<void> {
  for (const e of all) {
    if (e.experimentId === ANCHOR) continue;
    await assertHistoryValid(e.experimentId);
    const seg = encodeSegment(e.experimentId);
    if (e.status === 'running' || e.status === 'paused') {
      const s = await call('POST', `/api/v1/experiments/${seg}/stop`);
      expect(s.status, `stopping ${e.experimentId} when cleaning up: ${s.text.slice(0, 200)}`).toBe(200);
    }
    const d = await call('DELETE', `/api/v1/experiments/${seg}`);
    expect(d.status, `DELETE ${e.experimentId} when cleaning up: ${d.text.slice(0, 200)}`).toBe(200);
  }
}

/** Counters as Redis may hold them behind a report: what the engine writes, and now and then what it never would (edited by hand). */
type Counters = { arm: string; exposed: string[]; converted: string[]; impressions?: string; revenue: [string, string][] };
const countersArb = (arms: readonly string[]): fc.Arbitrary<Counters[]> => {
  const customer = fc.integer({ min: 0, max: 30 }).map((i) => `c-${i}`);
  const impressions = fc.oneof({ arbitrary: fc.nat({ max: 10_000 }).map(String), weight: 8 }, { arbitrary: fc.constantFrom('0', '9007199254740991'), weight: 1 });
  const money = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 100_000 }).map((c) => String(c / 100)), weight: 8 },
    { arbitrary: fc.constantFrom('1e300', '1.7976931348623157e308', '8.9e153', '0', '5e-324', '12.500000000000001'), weight: 1 });
  return fc.array(fc.record({
    arm: fc.constantFrom(...arms), exposed: fc.uniqueArray(customer, { maxLength: 8 }), converted: fc.uniqueArray(customer, { maxLength: 5 }),
    impressions: fc.option(impressions, { nil: undefined }), revenue: fc.array(fc.tuple(customer, money), { maxLength: 5 }),
  }), { maxLength: arms.length });
};
async function writeCounters(experimentId: string, counters: readonly Counters[]): Promise<void> {
  const m = redis.multi();
  for (const c of counters) {
    if (c.exposed.length) m.sadd(keys.experimentExposed(experimentId, c.arm), ...c.exposed);
    if (c.converted.length) m.sadd(keys.experimentConverted(experimentId, c.arm), ...c.converted);
    if (c.impressions !== undefined) m.hset(keys.experimentCounts(experimentId, c.arm), 'impressions', c.impressions);
    for (const [who, v] of c.revenue) m.hset(keys.experimentRevenue(experimentId, c.arm), who, v);
  }
  await m.exec();
}

/** GET …/{id}: the current experiment, and a report that passes ExperimentReport and is exactly what its counters make (nothing JSON would null). */
async function readProblems(a: Answer, id: string): Promise<string[]> {
  const out: string[] = [];
  const body = a.json as { experiment?: unknown; report?: unknown } | undefined;
  const e = t.engine.experiments.get(id);
  if (!e) return [`200 for ${id}, which the engine does not hold`];
  if (JSON.stringify(body?.experiment) !== JSON.stringify(e)) out.push('the experiment answered is not the current one');
  const r = ExperimentReport.safeParse(body?.report);
  if (!r.success) return [...out, `report fails ExperimentReport: ${JSON.stringify(r.error.issues.slice(0, 3))} in ${JSON.stringify(body?.report).slice(0, 300)}`];
  const report = r.data;
  if (JSON.stringify(report.arms.map((x) => x.armId)) !== JSON.stringify(e.arms.map((x) => x.armId))) out.push('report arms are not the experiment\'s');
  for (const x of report.arms) if (x.conversions > x.shoppers) out.push(`${x.armId}: ${x.conversions} conversions of ${x.shoppers} shoppers`);
  // The same report, built in process from the same counters: no NaN or Infinity hidden by JSON, and the numbers as answered.
  const direct = buildReport(e, await t.engine.tracking.counts(e), report.updatedAt);
  const bad = nonFinite(direct);
  if (bad.length) out.push(`the report holds numbers JSON cannot carry: ${bad.join(', ')}`);
  else if (JSON.stringify(direct) !== JSON.stringify(report)) out.push(`report is not what the counters make: ${JSON.stringify(report).slice(0, 200)} vs ${JSON.stringify(direct).slice(0, 200)}`);
  return out;
}

describe('fuzz: the experiments API', () => {
  it('any valid experiment is created (201), answered and read back exactly as sent (defaults added) with an empty report; numbers never repeat', async () => {
    const next = new Map<string, number>();
    const experiment = fc.record({ e: ownExperimentArb(target, fc.constantFrom('draft', 'running')), all: fc.boolean() });
    await fc.assert(fc.asyncProperty(experiment, async ({ e, all }) => {
      const from = guard.count;
      // The store's merchandiser may create only experiments aimed at exactly its store; the one of every store, any.
      const own = e.stores?.length === 1 && e.stores[0] === t.storeId;
      const token = all || !own ? MERCH_ALL : target.merch;
      const sent = { ...e, ruleId: e.ruleId !== undefined && target.ruleIds.includes(e.ruleId) ? e.ruleId : 'r-two' };
      expect(ExperimentInput.safeParse(sent).success, 'the generator made a valid experiment').toBe(true);
      const created = await call('POST', '/api/v1/experiments', sent, token);
      expect(created.status, `POST ${JSON.stringify(sent).slice(0, 300)}: ${created.text.slice(0, 300)}`).toBe(201);
      const got = created.json as Experiment;
      const id = sent.experimentId ?? got.experimentId;
      if (sent.experimentId === undefined) expect(id).toMatch(/^e-[0-9a-f]{10}$/);
      const version = next.get(id) ?? 1;
      const expected = { ...(JSON.parse(JSON.stringify(ExperimentInput.parse(sent))) as object), experimentId: id, version, updatedBy: 'merchandiser' };
      const { updatedAt, ...rest } = got;
      expect(rest, 'the answer is the experiment as sent').toEqual(expected);
      expect(Math.abs(updatedAt - Date.now())).toBeLessThan(60_000);
      expect(created.headers.location).toBe(`/api/v1/experiments/${encodeURIComponent(id)}`);
      const seg = encodeSegment(id);
      const read = await call('GET', `/api/v1/experiments/${seg}`, undefined, token);
      expect(read.status, `GET /api/v1/experiments/${seg}: ${read.text.slice(0, 200)}`).toBe(200);
      expect(await readProblems(read, id)).toEqual([]);
      expect((read.json as { experiment: unknown }).experiment, 'GET answers the experiment as created').toEqual(got);
      const report = (read.json as { report: ExperimentReport }).report;
      expect(report.arms.map((a) => [a.shoppers, a.impressions, a.conversions, a.rate]), 'a new experiment has nothing counted')
        .toEqual(got.arms.map(() => [0, 0, 0, null]));
      let v = version;
      if (got.status === 'running') {
        const s = await call('POST', `/api/v1/experiments/${seg}/stop`, undefined, token);
        expect(s.status, s.text.slice(0, 200)).toBe(200);
        expect((s.json as Experiment).version).toBe(++v);
      }
      const del = await call('DELETE', `/api/v1/experiments/${seg}`, undefined, token);
      expect(del.status, `DELETE /api/v1/experiments/${seg}: ${del.text.slice(0, 200)}`).toBe(200);
      expect((del.json as ExperimentVersion).version).toBe(++v);
      next.set(id, v + 1);
      guard.assertClean(from, 'the run');
    }), fuzzParams('heavy'));
    expect((await assertStoreValid()).map((e) => e.experimentId)).toEqual([ANCHOR]);
  }, fuzzTimeout('heavy', 40));

  it('random and mutated requests to every experiments route: never a 5xx; a 4xx says why and names the field; status routes follow the table; histories stay valid; reports always pass the schema', async () => {
    const request = experimentRequestArb(target);
    // 0–2 experiments the store's merchandiser owns, made first and moved to any status, with counters behind their reports.
    const seed = fc.record({
      e: ownExperimentArb(target, fc.constantFrom('draft', 'running')).map((e) => ({ ...e, experimentId: undefined, stores: [t.storeId], ruleId: 'r-two' })),
      moves: fc.constantFrom([], ['pause'], ['stop'], ['pause', 'stop'], ['start'], ['stop', 'pause']),
      counters: fc.option(fc.constant(true), { freq: 2, nil: undefined }),
    }).chain((s) => fc.tuple(fc.constant(s), countersArb((s.e.arms ?? [{ armId: 'treatment' }, { armId: 'holdout' }]).map((a) => a.armId))));
    let run = 0;
    const params = fuzzParams<[unknown[], unknown[]]>('socket');
    await fc.assert(fc.asyncProperty(fc.array(seed, { maxLength: 2 }), fc.array(request, { minLength: 1, maxLength: 4 }), async (seeded, reqs) => {
      const from = guard.count;
      for (const [s, counters] of seeded) {
        const res = await call('POST', '/api/v1/experiments', s.e, target.merch);
        expect(res.status, `seeding ${JSON.stringify(s.e).slice(0, 200)}: ${res.text.slice(0, 200)}`).toBe(201);
        const id = (res.json as Experiment).experimentId;
        // Moves the table refuses are refused (409) and change nothing; the fuzz requests then meet every status.
        for (const m of s.moves) await call('POST', `/api/v1/experiments/${id}/${m}`, undefined, target.merch);
        if (s.counters) await writeCounters(id, counters);
      }
      let ids = (await assertStoreValid()).map((e) => e.experimentId).filter((id) => id !== ANCHOR);
      try {
        for (const r of reqs) {
          const req = materializeExperiment(r, ids);
          const before = req.method === 'GET' ? undefined : await redis.hgetall(keys.experiments());
          const cur = validId(req.id) ? t.engine.experiments.get(req.id) : undefined;
          const crash = guard.whenNew(guard.count);
          const a = await Promise.race([send(t.port, req), crash.promise.then(() => undefined)]);
          crash.cancel();
          guard.assertClean(from, `${req.note} (the engine threw out of a handler)`);
          const found = await problems(req, a!, ids, cur);
          const outcome = `${req.route} ${a!.status}${errorOf(a!)?.code ? ` ${String(errorOf(a!)!.code)}` : ''}`;
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
          expect(found, `${req.note}: ${found.join('; ')}`).toEqual([]);
          if (before) {
            // A refused change changes nothing (docs/experiments-api.md §Versions).
            if (a!.status >= 400) expect(await redis.hgetall(keys.experiments()), `${req.note} answered ${a!.status} but changed the hash`).toEqual(before);
            else ids = (await assertStoreValid()).map((e) => e.experimentId).filter((id) => id !== ANCHOR);
          }
        }
      } finally {
        await cleanUp(await assertStoreValid());
      }
      await assertHealthy(t.port);
      if (run++ % 25 === 0) await assertHistoryValid(ANCHOR);
      guard.assertClean(from, 'the run');
    }), params);
    expect((await assertStoreValid()).map((e) => e.experimentId)).toEqual([ANCHOR]);
    const anchor = await call('GET', `/api/v1/experiments/${ANCHOR}`);
    expect(anchor.status).toBe(200);
    expect(await readProblems(anchor, ANCHOR)).toEqual([]);
    if (params.numRuns! >= 2000 && !params.path) {
      expect(MUST_SEE.filter((o) => !seen.has(o)), `outcomes never reached (seen: ${JSON.stringify(Object.fromEntries([...seen].sort()))})`).toEqual([]);
    }
  }, fuzzTimeout('socket', 80));

  it('no unhandled rejection or uncaught exception in this file', () => { guard.assertClean(); });
});

const STATUS_CODES: Record<number, RegExp> = {
  400: /^(validation|body\.invalid_json|body\.unreadable|http\.bad_request)$/, 401: /^auth\.(missing|invalid)$/, 403: /^auth\.forbidden$/,
  404: /^(experiment\.(not_found|version_not_found)|http\.404|not_found)$/, 409: /^experiment\.(exists|invalid_transition|nothing_to_restore|busy)$/,
  413: /^body\.too_large$/, 415: /^body\.unsupported_media_type$/,
};
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;

/** What is wrong with an answer (docs/experiments-api.md §Errors); for creates and status changes by a merchandiser, the exact outcome. */
async function problems(req: SentExperimentRequest, a: Answer, existing: readonly string[], cur: Experiment | undefined): Promise<string[]> {
  const out: string[] = [];
  if (a.hung || a.status === 0) return [`no answer (${a.responses.map((r) => r.status).join(',') || 'nothing'})`];
  if (a.status >= 500) return [`status ${a.status}: ${a.text.slice(0, 300)}`];
  const e = errorOf(a);
  if (a.status >= 400) {
    if (typeof e?.code !== 'string') return [`${a.status} without error.code: ${a.text.slice(0, 200)}`];
    if (!STATUS_CODES[a.status]?.test(e.code)) out.push(`${a.status} with code ${e.code}`);
    if (e.code === 'validation') {
      const issue = e.issues?.[0];
      const where = String(e.message ?? '');
      const body = (() => { try { return JSON.parse(new TextDecoder().decode(req.body ?? Buffer.alloc(0))) as unknown; } catch { return undefined; } })();
      const [fields, input] = where.startsWith('invalid param') ? [new Set(['experimentId']), { experimentId: req.id }]
        : where.startsWith('invalid query') ? [new Set(['status', 'ruleId']), {}]
        : req.route === 'restore' ? [new Set(['version']), body] : [EXPERIMENT_FIELDS, body];
      const why = issue ? unnamed(issue, input, fields) : `no issues[] naming the field (message: ${where.slice(0, 200)})`;
      if (why) out.push(`validation error names no field: ${why}`);
    }
  }
  if (a.status === 200 && req.route === 'read' && req.id !== undefined) out.push(...await readProblems(a, req.id));
  if (a.status === 200 && req.route === 'list') {
    const listed = a.json as Experiment[];
    const status = new URLSearchParams(req.path.split('?')[1] ?? '').get('status');
    if (!Array.isArray(listed) || listed.some((x) => !Experiment.safeParse(x).success)) out.push('list: not a list of experiments');
    else {
      if (status && listed.some((x) => x.status !== status)) out.push(`list ?status=${status} holds other statuses`);
      if (req.token === target.merch && listed.some((x) => !(x.stores?.length === 1 && x.stores[0] === target.storeId))) out.push('a store-bound token sees another store\'s experiment');
    }
  }
  const merch = req.token === target.merch || req.token === target.merchAll;
  // The exact outcome of a status change or a deletion by a merchandiser of an experiment that is current.
  if (merch && cur && req.rawId === encodeSegment(cur.experimentId) && (STATUS_ROUTES.includes(req.route as never) || req.route === 'delete')) {
    const sees = req.token === target.merchAll || (cur.stores?.length === 1 && cur.stores[0] === target.storeId);
    const want = !sees ? { status: 404, code: 'experiment.not_found' } : expectedChange(req.route, cur.status);
    if (a.status !== want.status || (want.code && e?.code !== want.code)) out.push(`${cur.status} experiment: expected ${want.status} ${want.code ?? ''}, got ${a.status} ${a.text.slice(0, 200)}`);
    if (a.status === 200 && req.route !== 'delete') {
      const after = a.json as Experiment;
      const moved = after.status !== cur.status;
      if (after.status !== want.to) out.push(`${req.route} of a ${cur.status} experiment answered ${after.status}`);
      if (after.version !== cur.version + (moved ? 1 : 0)) out.push(`version ${after.version} after ${req.route} of version ${cur.version} (${moved ? 'a change' : 'no change: no new version'})`);
    }
  }
  // The exact outcome of a create by the store's own merchandiser (token, role, body size, type, JSON, schema, ownership, rule, existence, status).
  if (req.route === 'create' && req.token === target.merch && !req.chunked && req.ctype !== undefined && JSON_TYPE.test(req.ctype) && req.body) {
    const want = expectedCreate(req.body, existing);
    if (a.status !== want.status || (want.code && e?.code !== want.code)) out.push(`expected ${want.status}${want.code ? ` ${want.code}` : ''}, got ${a.status} ${a.text.slice(0, 200)}`);
    if (want.field && e?.issues?.[0]?.path[0] !== want.field) out.push(`expected the issue to name ${want.field}: ${a.text.slice(0, 200)}`);
    if (a.status === 201) {
      const got = Experiment.safeParse(a.json);
      const blank = { version: 0, updatedAt: 0, updatedBy: '', experimentId: '' };
      if (!got.success) out.push(`201 with an invalid experiment: ${a.text.slice(0, 200)}`);
      else if (JSON.stringify({ ...got.data, ...blank }) !== JSON.stringify({ ...got.data, ...want.experiment, ...blank })) out.push('201 with an experiment other than the one sent');
    }
  }
  return out;
}

/** docs/experiments-api.md §Statuses: what a status route (or a deletion) does from each status. */
function expectedChange(route: string, from: ExperimentStatus): { status: number; code?: string; to?: ExperimentStatus } {
  if (route === 'delete') return from === 'draft' || from === 'stopped' ? { status: 200 } : { status: 409, code: 'experiment.invalid_transition' };
  const [to, starts] = route === 'start' ? ['running', ['draft']] : route === 'pause' ? ['paused', ['running']]
    : route === 'resume' ? ['running', ['paused']] : ['stopped', ['running', 'paused']] as const;
  if (from === to) return { status: 200, to: from };
  if (!(starts as readonly string[]).includes(from) || !EXPERIMENT_TRANSITIONS[from].includes(to as ExperimentStatus)) return { status: 409, code: 'experiment.invalid_transition' };
  return { status: 200, to: to as ExperimentStatus };
}

function expectedCreate(body: Buffer, existing: readonly string[]): { status: number; code?: string; field?: string; experiment?: object } {
  if (body.length > 1024 * 1024) return { status: 413, code: 'body.too_large' };
  const text = new TextDecoder().decode(body);
  if (!text.trim()) return { status: 400, code: 'body.invalid_json' };
  let json: unknown;
  try { json = JSON.parse(text); } catch { return { status: 400, code: 'body.invalid_json' }; }
  const r = tryParse(ExperimentInput, json);
  if (!r.success) return { status: 400, code: 'validation' };
  const stores = r.data.stores;
  if (!(stores?.length === 1 && stores[0] === target.storeId)) return { status: 403, code: 'auth.forbidden', field: 'stores' };
  if (r.data.ruleId !== undefined && !target.ruleIds.includes(r.data.ruleId)) return { status: 400, code: 'validation', field: 'ruleId' };
  if (r.data.experimentId !== undefined && (existing.includes(r.data.experimentId) || r.data.experimentId === ANCHOR)) return { status: 409, code: 'experiment.exists' };
  if (r.data.status !== 'draft' && r.data.status !== 'running') return { status: 409, code: 'experiment.invalid_transition' };
  return { status: 201, experiment: JSON.parse(JSON.stringify(r.data)) as object };
}
