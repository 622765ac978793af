import { afterEach, describe, expect, it } from 'vitest';
import type { ExperimentInput, RuleInput } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createRuleStore } from '../rules/rule-store.js';
import { createExperimentStore } from './experiment-store.js';

/**
 * The generic versioned store (engine/platform/versioned-store.ts), through both of its instances: what rules and
 * experiments share — numbering, history, restore, notices, garbage, outages, retries — checked
 * once for each, on the memory Kv (here, not in platform/, which imports no engine module). Their own
 * rules are tested beside them: enable/disable in rule-store.test.ts, statuses in experiment-store.test.ts.
 */

const keys = createKeys('v:');
const flush = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); };
const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);

type Doc = { version: number; updatedAt: number; updatedBy: string; name: string } & Record<string, unknown>;
type Entry = { version: number; action: string; by: string } & Record<string, unknown>;
/** One instance, seen through what the generic part does. */
type Generic = {
  snapshot(): readonly Doc[]; get(id: string): Doc | undefined;
  create(input: unknown, by: string): Promise<Doc>; update(id: string, input: unknown, by: string): Promise<Doc>;
  delete(id: string, by: string): Promise<Entry>; versions(id: string): Promise<Entry[]>; restore(id: string, version: number, by: string): Promise<Doc>;
  onChange(cb: (ids: string[]) => void): void; start(): Promise<void>; reload(): Promise<void>; close(): Promise<void>;
  stats(): { invalid: number; loaded: boolean } & Record<string, number | boolean>;
};
type Kind = {
  name: string; idField: string; docField: string; count: string; generated: string;
  hash: string; history: (id: string) => string; channel: string;
  make(kv: Kv, origin: string, opts?: { onInvalid?: (id: string) => void }): Generic;
  /** A valid input with this id (and a name). */
  input(id: string | undefined, name?: string): unknown;
  /** Ids that sort as the kind's snapshot orders them, with inputs that make them sort so. */
  ordered: [string, unknown][];
};

const ruleInput = (ruleId: string | undefined, name = 'No alcohol in the kids zone', priority = 100): RuleInput =>
  ({ ...(ruleId ? { ruleId } : {}), name, priority, target: { zones: ['z-kids'] }, actions: { exclude: { categories: ['wine'] } } });
const experimentInput = (experimentId: string | undefined, name = 'Dwell offer vs holdout'): ExperimentInput =>
  ({ ...(experimentId ? { experimentId } : {}), name, ruleId: 'coffee-dwell-offer' });

const KINDS: Kind[] = [
  { name: 'rules', idField: 'ruleId', docField: 'rule', count: 'rules', generated: 'r-1',
    hash: keys.rules(), history: keys.ruleVersions, channel: keys.rulesChanged(),
    make: (kv, origin, opts) => { let n = 0; return createRuleStore({ kv, keys, clock: manualClock(1_000), origin, newRuleId: () => `r-${++n}`, ...opts }) as unknown as Generic; },
    input: (id, name) => ruleInput(id, name),
    // Priority first (high first), then id.
    ordered: [['b', ruleInput('b', 'B', 900)], ['a', ruleInput('a', 'A', 100)], ['c', ruleInput('c', 'C', 100)]] },
  { name: 'experiments', idField: 'experimentId', docField: 'experiment', count: 'experiments', generated: 'e-1',
    hash: keys.experiments(), history: keys.experimentVersions, channel: keys.experimentsChanged(),
    make: (kv, origin, opts) => { let n = 0; return createExperimentStore({ kv, keys, clock: manualClock(1_000), origin, newExperimentId: () => `e-${++n}`, ...opts }) as unknown as Generic; },
    input: (id, name) => experimentInput(id, name),
    // By id.
    ordered: [['a', experimentInput('a')], ['b', experimentInput('b')], ['c', experimentInput('c')]] },
];

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => { for (const s of opened.splice(0)) await s.close(); });

describe.each(KINDS)('versioned store: $name', (k) => {
  const setup = (kv: Kv = createMemoryKv(manualClock(1_000)), origin = 'a', opts?: { onInvalid?: (id: string) => void }) => {
    const store = k.make(kv, origin, opts);
    opened.push(store);
    return { kv, store };
  };
  const idOf = (d: Doc | Entry) => d[k.idField];

  it('creates with the given id or a generated one, stamped with author and time; refuses a taken id and invalid input', async () => {
    const { store } = setup();
    await store.start();
    const a = await store.create(k.input('x-1'), 'merch-1');
    expect(a).toMatchObject({ [k.idField]: 'x-1', version: 1, updatedAt: 1_000, updatedBy: 'merch-1' });
    expect(idOf(await store.create(k.input(undefined), 'm'))).toBe(k.generated);
    expect(await codeOf(store.create(k.input('x-1'), 'm'))).toBe('exists');
    expect(await codeOf(store.create({ name: '' }, 'm'))).toBe('invalid');
    expect(await codeOf(store.create({ ...(k.input('x-2') as object), surprise: 1 }, 'm'))).toBe('invalid');
    expect(store.get('x-2')).toBeUndefined();
  });

  it('keeps the snapshot in its order, frozen, and the same array until something really changes', async () => {
    const { store } = setup();
    await store.start();
    const first = store.snapshot();
    for (const [, input] of [...k.ordered].reverse()) await store.create(input, 'm');
    const s = store.snapshot();
    expect(s).not.toBe(first);
    expect(s.map(idOf)).toEqual(k.ordered.map(([id]) => id));
    expect(Object.isFrozen(s)).toBe(true);
    await flush(); // the notices come back and find nothing new
    await store.reload();
    expect(store.snapshot()).toBe(s);
  });

  it('numbers every change, newest first; update replaces the whole document', async () => {
    const { store } = setup();
    await store.start();
    await store.create(k.input('x', 'First'), 'm1');
    await store.update('x', k.input(undefined, 'Second'), 'm2');
    await store.update('x', k.input('x', 'Third'), 'm3');
    expect(store.get('x')).toMatchObject({ version: 3, name: 'Third', updatedBy: 'm3' });
    const v = await store.versions('x');
    expect(v.map((e) => [e.version, e.action, e.by, idOf(e)])).toEqual([[3, 'update', 'm3', 'x'], [2, 'update', 'm2', 'x'], [1, 'create', 'm1', 'x']]);
    expect((v[2]![k.docField] as Doc).name).toBe('First');
    expect(await codeOf(store.update('nope', k.input(undefined), 'm'))).toBe('not_found');
    expect(await codeOf(store.update('x', k.input('other'), 'm'))).toBe('invalid');
    expect(await codeOf(store.update('x', { name: 'x' }, 'm'))).toBe('invalid');
    expect(store.get('x')!.version).toBe(3);
  });

  it('keeps the history of a deleted document, restores it as a new version, never repeats a number', async () => {
    const { store } = setup();
    await store.start();
    await store.create(k.input('x', 'First'), 'm');
    await store.update('x', k.input('x', 'Second'), 'm');
    const del = await store.delete('x', 'boss');
    expect(del).toMatchObject({ [k.idField]: 'x', version: 3, action: 'delete', by: 'boss' });
    expect(del[k.docField]).toBeUndefined();
    expect(store.get('x')).toBeUndefined();
    expect(await codeOf(store.delete('x', 'm'))).toBe('not_found');
    expect(await codeOf(store.restore('x', 3, 'm'))).toBe('nothing_to_restore');
    expect(await codeOf(store.restore('x', 9, 'm'))).toBe('version_not_found');
    const back = await store.restore('x', 1, 'undo');
    expect(back).toMatchObject({ version: 4, name: 'First', updatedBy: 'undo' });
    expect(store.get('x')).toEqual(back);
    await store.delete('x', 'm');
    expect((await store.create(k.input('x'), 'm')).version).toBe(6);
    expect((await store.versions('x')).map((e) => e.action)).toEqual(['create', 'delete', 'restore', 'delete', 'update', 'create']);
  });

  it('keeps at most 200 versions', async () => {
    const { store } = setup();
    await store.create(k.input('x', 'n0'), 'm');
    for (let i = 1; i <= 204; i++) await store.update('x', k.input('x', `n${i}`), 'm');
    const v = await store.versions('x');
    expect(v.length).toBe(200);
    expect(v[0]!.version).toBe(205);
    expect(await codeOf(store.restore('x', 1, 'm'))).toBe('version_not_found');
  });

  it('writes its own hash, history and channel; another instance hears the change and tells its listeners', async () => {
    const { kv, store: a } = setup();
    const { store: b } = setup(kv, 'b');
    await a.start(); await b.start();
    const notices: string[] = [];
    await kv.subscribe(k.channel, (m) => notices.push(m));
    const seen: string[][] = [];
    b.onChange((ids) => seen.push(ids));
    await a.create(k.input('x'), 'm');
    await flush();
    expect(b.get('x')?.version).toBe(1);
    expect(JSON.parse((await kv.hget(k.hash, 'x'))!)).toEqual(a.get('x'));
    expect((await kv.lrange(k.history('x'), 0, -1)).length).toBe(1);
    await b.delete('x', 'm');
    await flush();
    expect(a.snapshot()).toEqual([]);
    expect(await kv.hget(k.hash, 'x')).toBeNull();
    expect(notices).toEqual(['a|x', 'b|x']);
    expect(seen).toEqual([['x'], ['x']]);
  });

  it('skips a stored value that is not valid under its own id, reports it once, and lets it be deleted or overwritten', async () => {
    const invalid: string[] = [];
    const { kv, store } = setup(undefined, 'a', { onInvalid: (id) => invalid.push(id) });
    const writer = k.make(kv, 'w');
    await writer.create(k.input('good'), 'm');
    const raw = (field: string, value: string) => kv.commitVersion({ hash: k.hash, field, expected: null, value, history: `elsewhere-${field}`,
      expectedHead: null, entry: 'x', keep: 1, channel: 'none', notice: '' });
    await raw('junk', '{not json');
    await raw('liar', JSON.stringify(writer.get('good')));
    await store.start();
    expect(store.snapshot().map(idOf)).toEqual(['good']);
    expect(invalid.sort()).toEqual(['junk', 'liar']);
    await store.reload();
    expect(store.stats()).toMatchObject({ [k.count]: 1, invalid: 2, loaded: true });
    expect(await codeOf(store.update('junk', k.input(undefined), 'm'))).toBe('not_found');
    await store.delete('junk', 'm');
    expect(await kv.hget(k.hash, 'junk')).toBeNull();
    expect((await store.create(k.input('liar'), 'm')).version).toBe(1);
    expect(store.snapshot().map(idOf).sort()).toEqual(['good', 'liar']);
  });

  it('with the Kv down: reads serve the last snapshot, changes fail as unavailable and change nothing', async () => {
    const mem = createMemoryKv(manualClock(0));
    let down = false;
    const guard = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A): Promise<R> => (down ? Promise.reject(new Error('down')) : f(...a));
    const kv: Kv = { ...mem, isUp: () => !down, hget: guard(mem.hget), hgetall: guard(mem.hgetall), lrange: guard(mem.lrange), commitVersion: guard(mem.commitVersion) };
    const { store } = setup(kv);
    await store.start();
    await store.create(k.input('x'), 'm');
    down = true;
    const before = store.snapshot();
    expect(await codeOf(store.create(k.input('y'), 'm'))).toBe('unavailable');
    expect(await codeOf(store.update('x', k.input('x', 'Changed'), 'm'))).toBe('unavailable');
    expect(await codeOf(store.delete('x', 'm'))).toBe('unavailable');
    expect(await codeOf(store.versions('x'))).toBe('unavailable');
    expect(await codeOf(store.restore('x', 1, 'm'))).toBe('unavailable');
    await store.reload(); // never rejects
    expect(store.snapshot()).toBe(before);
    // Up, but a command fails half way (a timeout): still unavailable.
    const s2 = k.make({ ...kv, isUp: () => true }, 'c');
    opened.push(s2);
    expect(await codeOf(s2.create(k.input('z'), 'm'))).toBe('unavailable');
    await s2.start();
    expect(s2.stats().loaded).toBe(false);
  });

  it('retries when another writer changed the document in between, and gives up as busy if it keeps happening', async () => {
    const mem = createMemoryKv(manualClock(0));
    let conflicts = 2;
    const kv: Kv = { ...mem, commitVersion: async (c) => (conflicts-- > 0 ? 'conflict' : mem.commitVersion(c)) };
    const { store } = setup(kv);
    expect((await store.create(k.input('x'), 'm')).version).toBe(1);
    conflicts = 100;
    expect(await codeOf(store.update('x', k.input('x'), 'm'))).toBe('busy');
    expect(store.get('x')!.version).toBe(1);
  });
});
