import { randomBytes } from 'node:crypto';
import { parseUntrusted, Rule, RuleInput, RuleVersion } from '#contracts';
import { systemClock, type Clock } from '../platform/clock.js';
import { createKeyedSerial } from '../platform/keyed-serial.js';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { silentLogger, type Logger } from '../platform/log.js';
import { createRuleSnapshot, type Held } from './rule-snapshot.js';

/** A rule's history keeps this many versions (docs/rules-api.md §Versions). */
export const RULE_HISTORY_MAX = 200;
/** The safety net behind change notices: every rule is re-read this often. */
export const RULES_RELOAD_MS = 30_000;
/** Writes retried after another instance changed the same rule in between. */
const ATTEMPTS = 5;

/** Why a rule change was refused; the API maps each code to a status (docs/rules-api.md §Errors). */
export type RuleStoreErrorCode = 'exists' | 'not_found' | 'version_not_found' | 'nothing_to_restore' | 'invalid' | 'busy' | 'unavailable';

/** A refused rule change, with a stable code. */
export class RuleStoreError extends Error {
  constructor(readonly code: RuleStoreErrorCode, message: string) { super(message); this.name = 'RuleStoreError'; }
}

/** Merchandiser rules: the in-process snapshot decisions read, and the versioned changes behind it. */
export interface RuleStore {
  /** Every current rule, priority (high first) then id; the same frozen array until something changes. */
  snapshot(): readonly Rule[];
  /** The current rule, from the snapshot. */
  get(ruleId: string): Rule | undefined;
  /** A new rule (its id from the input, or `r-<random>`); 'exists' when the id is taken. */
  create(input: RuleInput, by: string): Promise<Rule>;
  /** Replaces a rule wholesale; 'not_found' when it does not exist. */
  update(ruleId: string, input: RuleInput, by: string): Promise<Rule>;
  /** Enables or disables a rule; no new version when it already is. */
  setEnabled(ruleId: string, enabled: boolean, by: string): Promise<Rule>;
  /** Deletes a rule; its history stays. Resolves with the deletion's history entry. */
  delete(ruleId: string, by: string): Promise<RuleVersion>;
  /** The rule's history, newest first (also of a deleted rule). */
  versions(ruleId: string): Promise<RuleVersion[]>;
  /** Makes an earlier version current again, as a new version; works on a deleted rule too. */
  restore(ruleId: string, version: number, by: string): Promise<Rule>;
  /** Called with the ids whose snapshot entry changed (added, replaced or removed), here or elsewhere. */
  onChange(cb: (ids: string[]) => void): void;
  /** Subscribes to change notices and loads every rule; resolves even while the Kv is down. */
  start(): Promise<void>;
  /** Re-reads every rule now (start, reconnects and the 30 s timer do this by themselves); never rejects. */
  reload(): Promise<void>;
  /** Stops the timer and ignores further notices. The Kv stays open: it belongs to the caller. */
  close(): Promise<void>;
  /** Counts for /readyz and metrics. */
  stats(): { rules: number; invalid: number; loaded: boolean };
}

export type RuleStoreDeps = {
  kv: Kv;
  keys: Pick<Keys, 'rules' | 'ruleVersions' | 'rulesChanged'>;
  clock?: Clock;
  /** This instance, in change notices (every instance, the writer included, reloads the rule). */
  origin?: string;
  log?: Logger;
  reloadEveryMs?: number;
  newRuleId?: () => string;
  /** Called once for every distinct unreadable value found in Redis (a metric). */
  onInvalid?: (ruleId: string) => void;
};

type Read = { rawCur: string | null; cur?: Rule; rawHead: string | null; history: RuleVersion[]; next: number };
/** A rule as written, before the store numbers and stamps it. */
type Body = Omit<Rule, 'version' | 'updatedAt' | 'updatedBy'>;
/** What a change does; undefined from `decide` means there is nothing to change. */
type Change = { action: RuleVersion['action']; rule?: Body };

const unavailable = () => new RuleStoreError('unavailable', 'the rule store (Redis) is unavailable; nothing changed, try again');

/**
 * Rules in Redis (docs/rules-api.md §Redis keys): hash `rules` (ruleId → Rule JSON), history
 * `rules:versions:{ruleId}` (newest first), and a `{origin}|{ruleId}` notice on `rules:changed`, all
 * three written by one script. Every instance reloads a rule on its notice, everything on reconnect
 * and every 30 s. Over the in-memory Kv it is the demo's store, with the same semantics.
 */
export function createRuleStore({ kv, keys, clock = systemClock, origin = randomBytes(4).toString('hex'), log = silentLogger(),
  reloadEveryMs = RULES_RELOAD_MS, newRuleId = () => `r-${randomBytes(5).toString('hex')}`, onInvalid }: RuleStoreDeps): RuleStore {
  const snap = createRuleSnapshot({ log, onInvalid });
  const serially = createKeyedSerial();
  const hash = keys.rules();
  let closed = false;
  let loaded = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  // Per-rule reads are numbered; a full reload does not overwrite a rule read after it began.
  let seq = 0;
  const touched = new Map<string, number>();

  const held = (ruleId: string, raw: string | null): Held | undefined => {
    if (raw === null) return undefined;
    const rule = snap.parse(ruleId, raw);
    return rule && { rule, raw };
  };
  const applyOne = (ruleId: string, raw: string | null) => {
    touched.set(ruleId, ++seq);
    snap.apply(new Map([[ruleId, held(ruleId, raw)]]));
  };

  const reloadOne = (ruleId: string) => serially(ruleId, async () => applyOne(ruleId, await kv.hget(hash, ruleId)));

  async function loadAll(): Promise<void> {
    const from = seq;
    const all = await kv.hgetall(hash);
    const changes = new Map<string, Held | undefined>();
    for (const ruleId of new Set([...Object.keys(all), ...snap.ids()])) {
      if ((touched.get(ruleId) ?? 0) > from) continue;
      changes.set(ruleId, held(ruleId, all[ruleId] ?? null));
    }
    snap.forgetReported(new Set(Object.keys(all)));
    for (const [id, n] of touched) if (n <= from) touched.delete(id);
    snap.apply(changes);
    loaded = true;
  }
  const reloadAll = (why: string) => loadAll().catch((err: unknown) => log.warn({ err, why }, 'rules not reloaded; serving the last snapshot'));

  const parseVersion = (raw: string): RuleVersion | undefined => {
    let json: unknown;
    try { json = JSON.parse(raw); } catch { return undefined; }
    const r = parseUntrusted(RuleVersion, json);
    return r.success ? r.data : undefined;
  };

  /** The rule's stored state; the whole history only when asked (restore), else its newest entry. */
  async function read(ruleId: string, whole: boolean): Promise<Read> {
    const [rawCur, heads] = await Promise.all([kv.hget(hash, ruleId), kv.lrange(keys.ruleVersions(ruleId), 0, whole ? -1 : 0)]);
    const rawHead = heads[0] ?? null;
    let history = heads.map(parseVersion).filter((v): v is RuleVersion => !!v);
    // A damaged newest entry must not let a version number repeat: look at every entry then.
    if (rawHead !== null && !whole && !history.length) {
      history = (await kv.lrange(keys.ruleVersions(ruleId), 0, -1)).map(parseVersion).filter((v): v is RuleVersion => !!v);
    }
    const cur = rawCur === null ? undefined : snap.parse(ruleId, rawCur);
    // A version no other can follow (2^53 − 1: only ever written by hand) is not counted, or no change could be numbered again.
    const counted = [cur?.version ?? 0, ...history.map((v) => v.version)].filter((v) => v < Number.MAX_SAFE_INTEGER);
    const next = Math.max(0, ...counted) + 1;
    return { rawCur, cur, rawHead, history, next };
  }

  /**
   * One change as one atomic step, retried when another instance got there first, and applied here at
   * once (the notice then finds nothing new). Resolves with the new history entry, or the state read
   * when `decide` found nothing to change.
   */
  function commit(ruleId: string, by: string, whole: boolean, decide: (r: Read) => Change | undefined): Promise<{ read: Read; entry?: RuleVersion }> {
    if (!kv.isUp()) return Promise.reject(unavailable());
    return serially(ruleId, async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const r = await read(ruleId, whole).catch(() => { throw unavailable(); });
        const change = decide(r);
        if (!change) return { read: r };
        const { action, rule } = change;
        const at = clock.now();
        const stored = rule && Rule.parse({ ...rule, ruleId, version: r.next, updatedAt: at, updatedBy: by.slice(0, 128) });
        const entry: RuleVersion = { ruleId, version: r.next, at, by: by.slice(0, 128), action, ...(stored ? { rule: stored } : {}) };
        const value = stored ? JSON.stringify(stored) : null;
        const outcome = await kv.commitVersion({ hash, field: ruleId, expected: r.rawCur, value, history: keys.ruleVersions(ruleId),
          expectedHead: r.rawHead, entry: JSON.stringify(entry), keep: RULE_HISTORY_MAX, channel: keys.rulesChanged(), notice: `${origin}|${ruleId}` })
          .catch(() => { throw unavailable(); });
        if (outcome === 'ok') { applyOne(ruleId, value); return { read: r, entry }; }
      }
      throw new RuleStoreError('busy', `rule ${ruleId} is being changed elsewhere at the same time; try again`);
    });
  }

  const parseInput = (input: RuleInput) => {
    const r = parseUntrusted(RuleInput, input);
    if (!r.success) throw new RuleStoreError('invalid', `invalid rule: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; ')}`);
    return r.data;
  };
  const notFound = (ruleId: string) => new RuleStoreError('not_found', `no rule ${ruleId}`);
  const ruleOf = ({ read, entry }: { read: Read; entry?: RuleVersion }): Rule => (entry ? entry.rule! : read.cur!);

  return {
    snapshot: snap.snapshot,
    get: snap.get,
    onChange: snap.onChange,

    async create(input, by) {
      const parsed = parseInput(input);
      const ruleId = parsed.ruleId ?? newRuleId();
      return ruleOf(await commit(ruleId, by, false, (r) => {
        if (r.cur) throw new RuleStoreError('exists', `rule ${ruleId} exists already`);
        return { action: 'create', rule: { ...parsed, ruleId } };
      }));
    },

    async update(ruleId, input, by) {
      const parsed = parseInput(input);
      if (parsed.ruleId !== undefined && parsed.ruleId !== ruleId) throw new RuleStoreError('invalid', `ruleId ${parsed.ruleId} differs from ${ruleId}`);
      return ruleOf(await commit(ruleId, by, false, (r) => {
        if (!r.cur) throw notFound(ruleId);
        return { action: 'update', rule: { ...parsed, ruleId } };
      }));
    },

    async setEnabled(ruleId, enabled, by) {
      return ruleOf(await commit(ruleId, by, false, (r) => {
        if (!r.cur) throw notFound(ruleId);
        return r.cur.enabled === enabled ? undefined : { action: enabled ? 'enable' : 'disable', rule: { ...r.cur, enabled } };
      }));
    },

    async delete(ruleId, by) {
      // A value that is not a valid rule can be deleted too: that is how garbage leaves the hash.
      const { entry } = await commit(ruleId, by, false, (r) => {
        if (r.rawCur === null) throw notFound(ruleId);
        return { action: 'delete' };
      });
      return entry!;
    },

    async restore(ruleId, version, by) {
      return ruleOf(await commit(ruleId, by, true, (r) => {
        const old = r.history.find((v) => v.version === version);
        if (!old) throw new RuleStoreError('version_not_found', `rule ${ruleId} has no version ${version} (kept: the last ${RULE_HISTORY_MAX})`);
        if (!old.rule) throw new RuleStoreError('nothing_to_restore', `version ${version} of rule ${ruleId} is its deletion; restore an earlier version`);
        return { action: 'restore', rule: old.rule };
      }));
    },

    async versions(ruleId) {
      const raws = await kv.lrange(keys.ruleVersions(ruleId), 0, -1).catch(() => { throw unavailable(); });
      return raws.map(parseVersion).filter((v): v is RuleVersion => !!v);
    },

    async start() {
      await kv.subscribe(keys.rulesChanged(), (msg) => {
        if (closed) return;
        const ruleId = msg.slice(msg.indexOf('|') + 1);
        if (ruleId) reloadOne(ruleId).catch((err: unknown) => log.warn({ err, ruleId }, 'could not reload a changed rule'));
      });
      kv.onUp(() => { if (!closed) void reloadAll('reconnected'); });
      await reloadAll('start');
      timer = setInterval(() => { void reloadAll('periodic'); }, reloadEveryMs);
      timer.unref?.();
      log.info({ rules: snap.snapshot().length, loaded }, 'rules loaded');
    },

    reload: () => reloadAll('asked'),

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
    },

    stats: () => ({ rules: snap.snapshot().length, invalid: snap.invalidTotal(), loaded }),
  };
}
