import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { parseUntrusted } from '#contracts';
import { systemClock, type Clock } from './clock.js';
import { createKeyedSerial } from './keyed-serial.js';
import type { Kv } from './kv.js';
import { silentLogger, type Logger } from './log.js';
import { createVersionedSnapshot, type DocLabels, type Held } from './versioned-snapshot.js';

/**
 * A versioned document store (docs/rules-api.md §Versions and restore, §Change notices): documents of
 * one kind as fields of a Redis hash, each change a numbered entry of the document's history list and
 * a notice on a channel, all three written by one compare-and-set script (`Kv.commitVersion`). Every
 * instance keeps an in-process snapshot, re-reads a document on its notice, everything on reconnect
 * and on a timer. Rules (engine/rules/rule-store.ts) and experiments
 * (engine/experiments/experiment-store.ts) are instances of it; the in-memory Kv gives the demo the
 * same semantics.
 */

/** The safety net behind change notices: every document is re-read this often. */
export const RELOAD_EVERY_MS = 30_000;
/** Writes retried after another instance changed the same document in between. */
const ATTEMPTS = 5;

/** Why a change was refused; each instance wraps these in its own error class (`VersionedSpec.error`). */
export type VersionedStoreErrorCode = 'exists' | 'not_found' | 'version_not_found' | 'nothing_to_restore' | 'invalid' | 'busy' | 'unavailable';

/** The stamps the store writes on every stored document. */
export type Stamped = { version: number; updatedAt: number; updatedBy: string };

/** The history actions the generic operations record; an instance names them (and may have more, for `change`). */
export type BaseAction = 'create' | 'update' | 'delete' | 'restore';

/** The actions a history entry can record (its `action` field). */
export type ActionOf<V> = V extends { action: infer X extends string } ? X : never;

/** What is fixed per kind of document. */
export type VersionedSpec<T extends Stamped, In, Raw, V> = {
  /** The stored document (e.g. `Rule`): what the hash holds and the snapshot serves. */
  stored: z.ZodType<T>;
  /** What a writer sends (e.g. `RuleInput`); parsed before anything else. */
  input: z.ZodType<In, Raw>;
  /** The field holding a document's id, in the input (optional there), the document and the history entry (e.g. `ruleId`). */
  idField: string;
  /** One history entry (e.g. `RuleVersion`): `{ [idField], version, at, by, action, [docField]? }`. */
  entry: z.ZodType<V>;
  /** The entry's field with the document after the change (e.g. `rule`); absent for a deletion. */
  docField: string;
  /** The names of the generic operations' actions in the history. */
  actions: Readonly<Record<BaseAction, ActionOf<V>>>;
  keys: { hash: () => string; history: (id: string) => string; channel: () => string };
  /** The snapshot's order. */
  order: (a: T, b: T) => number;
  /** How messages and log lines name the documents. */
  labels: DocLabels;
  /** A history keeps this many versions. */
  historyMax: number;
  /** Builds the instance's own error (so callers can tell its refusals with `instanceof`). */
  error: (code: VersionedStoreErrorCode, message: string) => Error;
  /** Makes an id when the input has none. */
  newId: () => string;
  /**
   * Domain checks, run inside the change (on what was just read, again on every retry); they throw the
   * instance's error to refuse. `cur` is undefined when there is no valid current document.
   */
  check?: {
    create?(next: In): void;
    update?(cur: T, next: In): void;
    delete?(cur: T | undefined): void;
    restore?(cur: T | undefined, old: T): void;
  };
};

/** What differs per running store. */
export type VersionedDeps = {
  kv: Kv;
  clock?: Clock;
  /** This instance, in change notices (every instance, the writer included, reloads the document). */
  origin?: string;
  log?: Logger;
  reloadEveryMs?: number;
  /** Called once for every distinct unreadable value found in the hash (a metric). */
  onInvalid?: (id: string) => void;
};

/** A versioned store of one kind of document (T stored, Raw written, V a history entry). */
export interface VersionedStore<T, Raw, V> {
  /** Every current document, in the spec's order; the same frozen array until something changes. */
  snapshot(): readonly T[];
  /** The current document, from the snapshot. */
  get(id: string): T | undefined;
  /** A new document (its id from the input, or a new one); 'exists' when the id is taken. */
  create(input: Raw, by: string): Promise<T>;
  /** Replaces a document wholesale; 'not_found' when it does not exist. */
  update(id: string, input: Raw, by: string): Promise<T>;
  /**
   * A change decided from the current document (enable, a status): `decide` returns the document after
   * it and its action, or undefined for nothing to change (no new version). 'not_found' without one.
   */
  change(id: string, by: string, decide: (cur: T) => { action: ActionOf<V>; doc: T } | undefined): Promise<T>;
  /** Deletes a document; its history stays. Resolves with the deletion's history entry. */
  delete(id: string, by: string): Promise<V>;
  /** The document's history, newest first (also of a deleted one). */
  versions(id: string): Promise<V[]>;
  /** Makes an earlier version current again, as a new version; works on a deleted document too. */
  restore(id: string, version: number, by: string): Promise<T>;
  /** Called with the ids whose snapshot entry changed (added, replaced or removed), here or elsewhere. */
  onChange(cb: (ids: string[]) => void): void;
  /** Subscribes to change notices and loads every document; resolves even while the Kv is down. */
  start(): Promise<void>;
  /** Re-reads every document now (start, reconnects and the timer do this by themselves); never rejects. */
  reload(): Promise<void>;
  /** Stops the timer and ignores further notices. The Kv stays open: it belongs to the caller. */
  close(): Promise<void>;
  /** Counts for /readyz and metrics. */
  stats(): { count: number; invalid: number; loaded: boolean };
}

/** An id for a new document: `prefix` and 10 random hex digits. */
export const randomId = (prefix: string) => (): string => `${prefix}${randomBytes(5).toString('hex')}`;

type Doc = Record<string, unknown>;

export function createVersionedStore<T extends Stamped, In, Raw, V>(spec: VersionedSpec<T, In, Raw, V>,
  { kv, clock = systemClock, origin = randomBytes(4).toString('hex'), log = silentLogger(), reloadEveryMs = RELOAD_EVERY_MS, onInvalid }: VersionedDeps,
): VersionedStore<T, Raw, V> {
  const { idField, docField, labels: { noun, plural }, historyMax, keys, actions, check = {} } = spec;
  const fail = spec.error;
  type Read = { rawCur: string | null; cur?: T; rawHead: string | null; history: V[]; next: number };
  /** What a change does; undefined from `decide` means there is nothing to change. */
  type Change = { action: ActionOf<V>; doc?: Doc };

  const snap = createVersionedSnapshot<T>({ log, schema: spec.stored, idField, order: spec.order, labels: spec.labels, onInvalid });
  const serially = createKeyedSerial();
  const hash = keys.hash();
  let closed = false;
  let loaded = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  // Per-document reads are numbered; a full reload does not overwrite a document read after it began.
  let seq = 0;
  const touched = new Map<string, number>();

  const docOf = (v: V): T | undefined => (v as Doc)[docField] as T | undefined;
  const versionOf = (v: V): number => (v as Doc).version as number;
  const unavailable = () => fail('unavailable', `the ${noun} store (Redis) is unavailable; nothing changed, try again`);

  const held = (id: string, raw: string | null): Held<T> | undefined => {
    if (raw === null) return undefined;
    const doc = snap.parse(id, raw);
    return doc && { doc, raw };
  };
  const applyOne = (id: string, raw: string | null) => {
    touched.set(id, ++seq);
    snap.apply(new Map([[id, held(id, raw)]]));
  };

  const reloadOne = (id: string) => serially(id, async () => applyOne(id, await kv.hget(hash, id)));

  async function loadAll(): Promise<void> {
    const from = seq;
    const all = await kv.hgetall(hash);
    const changes = new Map<string, Held<T> | undefined>();
    for (const id of new Set([...Object.keys(all), ...snap.ids()])) {
      if ((touched.get(id) ?? 0) > from) continue;
      changes.set(id, held(id, all[id] ?? null));
    }
    snap.forgetReported(new Set(Object.keys(all)));
    for (const [id, n] of touched) if (n <= from) touched.delete(id);
    snap.apply(changes);
    loaded = true;
  }
  const reloadAll = (why: string) => loadAll().catch((err: unknown) => log.warn({ err, why }, `${plural} not reloaded; serving the last snapshot`));

  const parseVersion = (raw: string): V | undefined => {
    let json: unknown;
    try { json = JSON.parse(raw); } catch { return undefined; }
    const r = parseUntrusted(spec.entry, json);
    return r.success ? r.data as V : undefined;
  };
  const readable = (raws: string[]): V[] => raws.map(parseVersion).filter((v): v is V => !!v);

  /** The document's stored state; the whole history only when asked (restore), else its newest entry. */
  async function read(id: string, whole: boolean): Promise<Read> {
    const [rawCur, heads] = await Promise.all([kv.hget(hash, id), kv.lrange(keys.history(id), 0, whole ? -1 : 0)]);
    const rawHead = heads[0] ?? null;
    let history = readable(heads);
    // A damaged newest entry must not let a version number repeat: look at every entry then.
    if (rawHead !== null && !whole && !history.length) history = readable(await kv.lrange(keys.history(id), 0, -1));
    const cur = rawCur === null ? undefined : snap.parse(id, rawCur);
    // A version no other can follow (2^53 − 1: only ever written by hand) is not counted, or no change could be numbered again.
    const counted = [cur?.version ?? 0, ...history.map(versionOf)].filter((v) => v < Number.MAX_SAFE_INTEGER);
    const next = Math.max(0, ...counted) + 1;
    return { rawCur, cur, rawHead, history, next };
  }

  /**
   * One change as one atomic step, retried when another instance got there first, and applied here at
   * once (the notice then finds nothing new). Resolves with the new history entry, or the state read
   * when `decide` found nothing to change.
   */
  function commit(id: string, by: string, whole: boolean, decide: (r: Read) => Change | undefined): Promise<{ read: Read; entry?: V }> {
    if (!kv.isUp()) return Promise.reject(unavailable());
    return serially(id, async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const r = await read(id, whole).catch(() => { throw unavailable(); });
        const change = decide(r);
        if (!change) return { read: r };
        const { action, doc } = change;
        const at = clock.now();
        const stored = doc && spec.stored.parse({ ...doc, [idField]: id, version: r.next, updatedAt: at, updatedBy: by.slice(0, 128) });
        const entry = { [idField]: id, version: r.next, at, by: by.slice(0, 128), action, ...(stored ? { [docField]: stored } : {}) } as V;
        const value = stored ? JSON.stringify(stored) : null;
        const outcome = await kv.commitVersion({ hash, field: id, expected: r.rawCur, value, history: keys.history(id),
          expectedHead: r.rawHead, entry: JSON.stringify(entry), keep: historyMax, channel: keys.channel(), notice: `${origin}|${id}` })
          .catch(() => { throw unavailable(); });
        if (outcome === 'ok') { applyOne(id, value); return { read: r, entry }; }
      }
      throw fail('busy', `${noun} ${id} is being changed elsewhere at the same time; try again`);
    });
  }

  const parseInput = (input: Raw): In => {
    const r = parseUntrusted(spec.input, input);
    if (!r.success) throw fail('invalid', `invalid ${noun}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; ')}`);
    return r.data as In;
  };
  const idIn = (parsed: In): string | undefined => (parsed as Doc)[idField] as string | undefined;
  const notFound = (id: string) => fail('not_found', `no ${noun} ${id}`);
  const docAfter = ({ read, entry }: { read: Read; entry?: V }): T => (entry ? docOf(entry)! : read.cur!);

  return {
    snapshot: snap.snapshot,
    get: snap.get,
    onChange: snap.onChange,

    async create(input, by) {
      const parsed = parseInput(input);
      const id = idIn(parsed) ?? spec.newId();
      return docAfter(await commit(id, by, false, (r) => {
        if (r.cur) throw fail('exists', `${noun} ${id} exists already`);
        const next = { ...parsed, [idField]: id } as In;
        check.create?.(next);
        return { action: actions.create, doc: next as Doc };
      }));
    },

    async update(id, input, by) {
      const parsed = parseInput(input);
      const given = idIn(parsed);
      if (given !== undefined && given !== id) throw fail('invalid', `${idField} ${given} differs from ${id}`);
      return docAfter(await commit(id, by, false, (r) => {
        if (!r.cur) throw notFound(id);
        const next = { ...parsed, [idField]: id } as In;
        check.update?.(r.cur, next);
        return { action: actions.update, doc: next as Doc };
      }));
    },

    async change(id, by, decide) {
      return docAfter(await commit(id, by, false, (r) => {
        if (!r.cur) throw notFound(id);
        const d = decide(r.cur);
        return d && { action: d.action, doc: d.doc as Doc };
      }));
    },

    async delete(id, by) {
      // A value that is not a valid document can be deleted too: that is how garbage leaves the hash.
      const { entry } = await commit(id, by, false, (r) => {
        if (r.rawCur === null) throw notFound(id);
        check.delete?.(r.cur);
        return { action: actions.delete };
      });
      return entry!;
    },

    async restore(id, version, by) {
      return docAfter(await commit(id, by, true, (r) => {
        const old = r.history.find((v) => versionOf(v) === version);
        if (!old) throw fail('version_not_found', `${noun} ${id} has no version ${version} (kept: the last ${historyMax})`);
        const doc = docOf(old);
        if (!doc) throw fail('nothing_to_restore', `version ${version} of ${noun} ${id} is its deletion; restore an earlier version`);
        check.restore?.(r.cur, doc);
        return { action: actions.restore, doc: doc as Doc };
      }));
    },

    async versions(id) {
      return readable(await kv.lrange(keys.history(id), 0, -1).catch(() => { throw unavailable(); }));
    },

    async start() {
      await kv.subscribe(keys.channel(), (msg) => {
        if (closed) return;
        const id = msg.slice(msg.indexOf('|') + 1);
        if (id) reloadOne(id).catch((err: unknown) => log.warn({ err, [idField]: id }, `could not reload a changed ${noun}`));
      });
      kv.onUp(() => { if (!closed) void reloadAll('reconnected'); });
      await reloadAll('start');
      timer = setInterval(() => { void reloadAll('periodic'); }, reloadEveryMs);
      timer.unref?.();
      log.info({ [plural]: snap.snapshot().length, loaded }, `${plural} loaded`);
    },

    reload: () => reloadAll('asked'),

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
    },

    stats: () => ({ count: snap.snapshot().length, invalid: snap.invalidTotal(), loaded }),
  };
}
