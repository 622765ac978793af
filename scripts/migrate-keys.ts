/**
 * `npm run migrate-keys -- [--dry-run] [--verbose]`   (REDIS_URL, AISLE_REDIS_PREFIX from the environment)
 *
 * Moves the Redis keys an earlier version wrote to the names this version reads: the keys that scripts touch
 * together now carry Redis Cluster hash tags (docs/contracts.md §Redis keys, docs/deploy.md). Run it with every
 * engine stopped, after the old version drained the broker's queue and the journals, before the first start of
 * this version. A single Redis only: on a Redis Cluster a RENAME cannot cross slots, and no earlier version ran
 * on one, so migrate before moving the data into a cluster.
 *
 *   profile:<c>                  → profile:{<c>}
 *   rules, rules:versions:<r>    → {rules}, {rules}:versions:<r>        (likewise experiments)
 *   exp:<e>:…                    → exp:{<e>}:…                          (counters and de-dupe marks)
 *   visits:<c> (year → count)    → visits:year:{<c>}
 *   visit:<s>:<d> (Visit JSON)   → field <d> of the hash visits:{<s>}   (the longer TTL kept)
 *   seen:<s>:<e>, visits:mark:…  → dropped: the new marks start with the customer's tag, which an old mark does not name
 *
 * Never overwrites: an old key whose new name exists stays where it is and is reported. TTLs are kept. A second
 * run changes nothing. `--dry-run` changes nothing and reports what a run would do; `--verbose` lists every key.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Visit } from '../engine/contracts/visit.js';
import { redact } from '../engine/platform/redis-kv.js';
import { redisSeedUrls } from '../engine/platform/redis-url.js';

export const KINDS = ['profile', 'rules', 'rule-versions', 'experiments', 'experiment-versions', 'experiment-keys',
  'visits-year', 'visit', 'seen', 'visit-mark'] as const;
export type Kind = (typeof KINDS)[number];

/** What each kind of key was and becomes, for the summary. */
export const KIND_LABELS: Record<Kind, string> = {
  profile: 'profile:<c> → profile:{<c>}',
  rules: 'rules → {rules}',
  'rule-versions': 'rules:versions:<r> → {rules}:versions:<r>',
  experiments: 'experiments → {experiments}',
  'experiment-versions': 'experiments:versions:<e> → {experiments}:versions:<e>',
  'experiment-keys': 'exp:<e>:… → exp:{<e>}:…',
  'visits-year': 'visits:<c> → visits:year:{<c>}',
  visit: 'visit:<s>:<d> → visits:{<s>} field <d>',
  seen: 'seen:<s>:<e> (dropped)',
  'visit-mark': 'visits:mark:<s>:<d>:<t> (dropped)',
};

/** What becomes of one old key: renamed, moved into a field of a hash (visits), or dropped. */
export type Plan =
  | { kind: Kind; action: 'rename'; to: string }
  | { kind: 'visit'; action: 'merge'; to: string; field: string }
  | { kind: 'seen' | 'visit-mark'; action: 'drop' };

/** Ids and the prefix never hold a brace (docs/contracts.md §Redis keys), so every old name lacks one. */
const decode = (part: string): string => part.replaceAll('%3A', ':');
const TWO_PARTS = /^([^:]+):([^:]+)$/;
const OLD_VISIT_MARK = /^mark:[^:]+:[^:]+:\d+$/;

/**
 * The plan for a key of the old layout, or undefined when the key is not one (a key of this version, another
 * prefix's key, or a key that is not the engine's). Pure: it looks at the name only; `migrate` checks content.
 */
export function planFor(prefix: string, key: string): Plan | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const k = key.slice(prefix.length);
  // Every renamed key of this version carries a hash tag, and no old key could hold a brace: a brace means new.
  if (k.includes('{')) return undefined;
  const rename = (kind: Kind, rest: string): Plan => ({ kind, action: 'rename', to: `${prefix}${rest}` });
  if (k === 'rules') return rename('rules', '{rules}');
  if (k === 'experiments') return rename('experiments', '{experiments}');
  const after = (head: string): string | undefined => (k.startsWith(head) && k.length > head.length ? k.slice(head.length) : undefined);
  let rest: string | undefined;
  if ((rest = after('rules:versions:')) !== undefined) return rename('rule-versions', `{rules}:versions:${rest}`);
  if ((rest = after('experiments:versions:')) !== undefined) return rename('experiment-versions', `{experiments}:versions:${rest}`);
  if ((rest = after('profile:')) !== undefined) return rename('profile', `profile:{${rest}}`);
  if ((rest = after('exp:')) !== undefined) {
    // exp:<experimentId, ':' written %3A>:<the rest, unchanged>
    const colon = rest.indexOf(':');
    if (colon <= 0 || colon === rest.length - 1) return undefined;
    return rename('experiment-keys', `exp:{${rest.slice(0, colon)}}${rest.slice(colon)}`);
  }
  if ((rest = after('seen:')) !== undefined) return TWO_PARTS.test(rest) ? { kind: 'seen', action: 'drop' } : undefined;
  if ((rest = after('visits:')) !== undefined) {
    // visits:mark:<s>:<d>:<enteredAt> was a visit's 1-day de-dupe mark; any other visits:<c> a member's yearly counts
    // (a customer id that looks like a mark is told apart by content in `migrate`).
    if (OLD_VISIT_MARK.test(rest)) return { kind: 'visit-mark', action: 'drop' };
    return rename('visits-year', `visits:year:{${rest}}`);
  }
  if ((rest = after('visit:')) !== undefined) {
    const m = TWO_PARTS.exec(rest);
    if (!m) return undefined;
    const storeId = decode(m[1]!), deviceId = decode(m[2]!);
    return { kind: 'visit', action: 'merge', to: `${prefix}visits:{${storeId}}`, field: deviceId };
  }
  return undefined;
}

/**
 * The new name of a key of the old layout, 'drop' for an old de-dupe mark that cannot be carried over, or
 * undefined when the key stays as it is. An old visit's new name is its store's hash (the device is the field).
 */
export function migratedName(prefix: string, key: string): string | 'drop' | undefined {
  const p = planFor(prefix, key);
  return p && (p.action === 'drop' ? 'drop' : p.to);
}

export type Outcome = 'moved' | 'skipped-exists' | 'dropped' | 'left';
/** One key's outcome (in a dry run, what a run would do). `left`: not what its name says it is; not touched. */
export type Action = { kind: Kind; outcome: Outcome; key: string; to?: string; field?: string; reason?: string };
export type KindCounts = Record<Outcome, number>;
export type Summary = {
  dryRun: boolean;
  /** Keys under the prefix that SCAN returned. */
  scanned: number;
  kinds: Record<Kind, KindCounts>;
  /** The first 100 keys that need a look: skipped because the new name exists, or left because of their content. */
  attention: Action[];
};
export type MigrateOptions = { dryRun?: boolean; batchSize?: number; onAction?: (a: Action) => void };

/** The types a key of each kind may have (the experiments' keys: sets, hashes and string marks). */
const TYPES: Record<Kind, readonly string[]> = {
  profile: ['string'], rules: ['hash'], 'rule-versions': ['list'], experiments: ['hash'], 'experiment-versions': ['list'],
  'experiment-keys': ['set', 'hash', 'string'], 'visits-year': ['hash'], visit: ['string'], seen: ['string'], 'visit-mark': ['string'],
};
const isYear = (f: string) => /^\d{4}$/.test(f);

/**
 * KEYS[1] the old visit, KEYS[2] its store's hash, ARGV[1] the device: the visit becomes the field unless the
 * hash has it already; the hash keeps the longer TTL (a hash it creates takes the visit's).
 */
const MERGE_VISIT_LUA = `
local v = redis.call('GET', KEYS[1])
if not v then return 'gone' end
local existed = redis.call('EXISTS', KEYS[2])
local hp = redis.call('PTTL', KEYS[2])
if redis.call('HSETNX', KEYS[2], ARGV[1], v) == 0 then return 'exists' end
local p = redis.call('PTTL', KEYS[1])
if p > 0 and (existed == 0 or (hp > 0 and hp < p)) then redis.call('PEXPIRE', KEYS[2], p) end
redis.call('DEL', KEYS[1])
return 'moved'
`;

type Cmd = [string, ...(string | number)[]];
async function pipe(redis: Redis, cmds: Cmd[]): Promise<[Error | null, unknown][]> {
  if (!cmds.length) return [];
  return (await redis.pipeline(cmds).exec()) ?? [];
}
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Moves every key of the old layout under `prefix` to its new name (see the file's comment), SCANning in batches.
 * Single Redis only. Resolves with what was done per kind; with `dryRun` nothing is changed.
 */
export async function migrate(redis: Redis, prefix: string, { dryRun = false, batchSize = 500, onAction }: MigrateOptions = {}): Promise<Summary> {
  const summary: Summary = { dryRun, scanned: 0, attention: [],
    kinds: Object.fromEntries(KINDS.map((k) => [k, { moved: 0, 'skipped-exists': 0, dropped: 0, left: 0 }])) as Record<Kind, KindCounts> };
  const record = (a: Action) => {
    summary.kinds[a.kind][a.outcome]++;
    if ((a.outcome === 'skipped-exists' || a.outcome === 'left') && summary.attention.length < 100) summary.attention.push(a);
    onAction?.(a);
  };

  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', batchSize);
    cursor = next;
    summary.scanned += found.length;
    const named = [...new Set(found)].flatMap((key) => { const plan = planFor(prefix, key); return plan ? [{ key, plan }] : []; });
    if (!named.length) continue;

    // What each key is: its type, and for yearly counts and visits their content; whether the new name is taken.
    const types = (await pipe(redis, named.map(({ key }) => ['type', key] as Cmd))).map(([, t]) => String(t));
    const batch = named.map(({ key, plan }, i) => ({ key, type: types[i]!,
      // A member whose id looks like an old visit mark: their yearly counts, a hash (told apart by its year fields below).
      plan: plan.kind === 'visit-mark' && types[i] === 'hash'
        ? { kind: 'visits-year', action: 'rename', to: `${prefix}visits:year:{${key.slice(prefix.length + 'visits:'.length)}}` } satisfies Plan
        : plan }));
    const probes = await pipe(redis, batch.flatMap(({ key, plan, type }): Cmd[] => [
      plan.kind === 'visits-year' && type === 'hash' ? ['hkeys', key] : plan.action === 'merge' && type === 'string' ? ['get', key] : ['ping'],
      plan.action === 'merge' ? ['hexists', plan.to, plan.field] : plan.action === 'rename' ? ['exists', plan.to] : ['ping'],
    ]));

    const todo: { plan: Plan; key: string }[] = [];
    batch.forEach(({ key, plan, type }, i) => {
      if (type === 'none') return; // gone since SCAN (expired, or returned twice and already moved)
      const content = probes[2 * i]![1];
      const taken = Number(probes[2 * i + 1]![1]) === 1;
      const left = (reason: string) => record({ kind: plan.kind, outcome: 'left', key, reason });
      if (!TYPES[plan.kind].includes(type)) return left(`a ${type}, not what a key of this kind holds`);
      if (plan.kind === 'visits-year') {
        const fields = Array.isArray(content) ? content.map(String) : [];
        if (!fields.length || !fields.every(isYear)) return left('a hash without 4-digit year fields: not yearly visit counts');
      }
      if (plan.action === 'merge') {
        let v: Visit;
        try { v = Visit.parse(JSON.parse(String(content))); } catch { return left('not a Visit JSON'); }
        if (plan.to !== `${prefix}visits:{${v.storeId}}` || v.deviceId !== plan.field) return left('a visit of another store or device than its name says');
      }
      const to = plan.action === 'drop' ? {} : { to: plan.to, ...(plan.action === 'merge' ? { field: plan.field } : {}) };
      if (plan.action === 'drop') return dryRun ? record({ kind: plan.kind, outcome: 'dropped', key }) : void todo.push({ plan, key });
      if (taken) return record({ kind: plan.kind, outcome: 'skipped-exists', key, ...to });
      if (dryRun) return record({ kind: plan.kind, outcome: 'moved', key, ...to });
      todo.push({ plan, key });
    });
    if (dryRun || !todo.length) continue;

    // RENAMENX never replaces a key that appeared since the probe; RENAME and the merge keep the TTL.
    const results = await pipe(redis, todo.map(({ plan, key }): Cmd => plan.action === 'rename' ? ['renamenx', key, plan.to]
      : plan.action === 'merge' ? ['eval', MERGE_VISIT_LUA, 2, key, plan.to, plan.field] : ['del', key]));
    todo.forEach(({ plan, key }, i) => {
      const [err, r] = results[i]!;
      const to = plan.action === 'drop' ? {} : { to: plan.to, ...(plan.action === 'merge' ? { field: plan.field } : {}) };
      if (err) {
        if (/no such key/i.test(err.message)) return; // gone meanwhile
        throw new Error(`${key}: ${err.message}`);
      }
      if (plan.action === 'drop') { if (Number(r) === 1) record({ kind: plan.kind, outcome: 'dropped', key }); return; }
      if (r === 'gone') return;
      const moved = plan.action === 'rename' ? Number(r) === 1 : r === 'moved';
      record({ kind: plan.kind, outcome: moved ? 'moved' : 'skipped-exists', key, ...to });
    });
  } while (cursor !== '0');
  return summary;
}

/** One line per key for `--verbose` and the keys that need a look. */
export function describe(a: Action, dryRun: boolean): string {
  const target = a.to ? `${a.to}${a.field !== undefined ? ` field ${a.field}` : ''}` : '';
  switch (a.outcome) {
    case 'moved': return `${dryRun ? 'would move' : 'moved'} ${a.key} → ${target}`;
    case 'dropped': return `${dryRun ? 'would drop' : 'dropped'} ${a.key}`;
    case 'skipped-exists': return `${dryRun ? 'would skip' : 'skipped'} ${a.key}: ${target} exists (left as it is; resolve by hand)`;
    case 'left': return `left ${a.key}: ${a.reason}`;
  }
}

/** The summary table: one row per kind. */
export function formatSummary(s: Summary): string {
  const head = s.dryRun ? ['would move', 'would skip (exists)', 'would drop', 'left'] : ['moved', 'skipped-exists', 'dropped', 'left'];
  const width = Math.max(...Object.values(KIND_LABELS).map((l) => l.length));
  const cols = head.map((h) => Math.max(h.length, 8));
  const row = (label: string, cells: (string | number)[]) => `${label.padEnd(width)}  ${cells.map((c, i) => String(c).padStart(cols[i]!)).join('  ')}`;
  const lines = [row('', head)];
  for (const k of KINDS) { const c = s.kinds[k]; lines.push(row(KIND_LABELS[k], [c.moved, c['skipped-exists'], c.dropped, c.left])); }
  lines.push(`${s.scanned} key(s) scanned${s.dryRun ? '; dry run: nothing was changed' : ''}`);
  return lines.join('\n');
}

function fail(msg: string, code = 1): never { console.error(`migrate-keys: ${msg}`); process.exit(code); }

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run' && a !== '--verbose');
  if (unknown.length) fail(`unknown argument ${unknown[0]}\nusage: npm run migrate-keys -- [--dry-run] [--verbose]   (REDIS_URL, AISLE_REDIS_PREFIX from the environment)`, 2);
  const dryRun = args.includes('--dry-run'), verbose = args.includes('--verbose');
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = process.env.AISLE_REDIS_PREFIX || 'aisle:';
  if (!/^[A-Za-z0-9._:-]{1,32}$/.test(prefix)) fail(`AISLE_REDIS_PREFIX ${JSON.stringify(prefix)} is not a key prefix the engine accepts (^[A-Za-z0-9._:-]{1,32}$)`);
  const clusterHint = 'this command works on a single Redis only (a RENAME cannot cross cluster slots, and no earlier version ran on a cluster): '
    + 'migrate the single Redis the old version used, then move the data into the cluster or enable REDIS_CLUSTER';
  if (/^(1|true)$/i.test(process.env.REDIS_CLUSTER ?? '')) fail(`REDIS_CLUSTER is set: ${clusterHint}`);
  if (redisSeedUrls(url).length > 1) fail(`REDIS_URL names several hosts (cluster seed nodes): ${clusterHint}`);

  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 5000 });
  let connectError: Error | undefined;
  redis.on('error', (err: Error) => { connectError ??= err; }); // reported where a command fails
  try { await redis.connect(); } catch (err) { fail(`cannot reach Redis at ${redact(url)}: ${(connectError ?? (err as Error)).message}`); }
  try {
    if (/^cluster_enabled:1\b/m.test(await redis.info('cluster'))) fail(`${redact(url)} is a Redis Cluster node: ${clusterHint}`);
    console.log(`migrate-keys: ${redact(url)}, prefix ${prefix}${dryRun ? ' (dry run: nothing is changed)' : ''}`);
    const examples = new Map<string, number>();
    const summary = await migrate(redis, prefix, { dryRun, onAction: (a) => {
      // Keys that need a look are always listed; the rest with --verbose, or the first 3 of each kind in a dry run.
      const seen = examples.get(`${a.kind}/${a.outcome}`) ?? 0;
      examples.set(`${a.kind}/${a.outcome}`, seen + 1);
      if (a.outcome === 'skipped-exists' || a.outcome === 'left') console.error(`  ${describe(a, dryRun)}`);
      else if (verbose || (dryRun && seen < 3)) console.log(`  ${describe(a, dryRun)}`);
    } });
    console.log(formatSummary(summary));
    const stuck = KINDS.reduce((n, k) => n + summary.kinds[k]['skipped-exists'] + summary.kinds[k].left, 0);
    if (stuck) console.error(`migrate-keys: ${stuck} old key(s) were not moved (listed above): the engine does not read them under their old names`);
  } catch (err) {
    fail((err as Error).message);
  } finally {
    redis.disconnect();
  }
}

const isMain = (() => {
  try { return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url)); } catch { return false; }
})();
if (isMain) await main();
