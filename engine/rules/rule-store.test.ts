import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RuleInput } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createRuleStore, RULE_HISTORY_MAX, type RuleStoreDeps } from './rule-store.js';

const keys = createKeys('t:');
const flush = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); };
const kidsZone: RuleInput = { ruleId: 'no-alcohol-kids', name: 'No alcohol in the kids zone', target: { zones: ['z-kids'] },
  actions: { exclude: { categories: ['wine', 'beer'] } } };
const { ruleId: _, ...kidsBody } = kidsZone;
const birthday: RuleInput = { name: 'Birthday treat', priority: 500, trigger: { type: 'birthday', withinDays: 3 },
  actions: { boost: [{ categories: ['cakes'], factor: 3 }], headline: 'Happy birthday!' } };

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => { for (const s of opened.splice(0)) await s.close(); vi.useRealTimers(); });

function setup(over: Partial<RuleStoreDeps> = {}) {
  const clock = manualClock(1_000);
  const kv = over.kv ?? createMemoryKv(clock);
  let n = 0;
  const store = createRuleStore({ kv, keys, clock, origin: 'a', newRuleId: () => `r-${++n}`, ...over });
  opened.push(store);
  return { kv, clock, store };
}
const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);

describe('rule store (in memory)', () => {
  it('creates with the given id or a generated one, with defaults, author and time; refuses a taken id', async () => {
    const { store, clock } = setup();
    await store.start();
    const a = await store.create(kidsZone, 'merch-1');
    expect(a).toMatchObject({ ruleId: 'no-alcohol-kids', version: 1, enabled: true, priority: 100, updatedAt: 1_000, updatedBy: 'merch-1' });
    clock.advance(5);
    const b = await store.create(birthday, 'merchandiser');
    expect(b).toMatchObject({ ruleId: 'r-1', version: 1, target: {}, updatedAt: 1_005 });
    expect(await codeOf(store.create(kidsZone, 'x'))).toBe('exists');
    expect(await codeOf(store.create({ name: '' } as RuleInput, 'x'))).toBe('invalid');
  });

  it('keeps the snapshot sorted by priority then id, and the same array until something changes', async () => {
    const { store } = setup();
    await store.start();
    const first = store.snapshot();
    await store.create(kidsZone, 'm');
    await store.create(birthday, 'm');
    const s = store.snapshot();
    expect(s).not.toBe(first);
    expect(s.map((r) => r.ruleId)).toEqual(['r-1', 'no-alcohol-kids']);
    expect(Object.isFrozen(s)).toBe(true);
    await flush(); // the change notices come back and find nothing new
    expect(store.snapshot()).toBe(s);
    await store.setEnabled('r-1', true, 'm'); // already enabled: no change, no version
    expect(store.snapshot()).toBe(s);
    expect((await store.versions('r-1')).length).toBe(1);
  });

  it('numbers every change, newest first, with its action; update replaces the whole rule', async () => {
    const { store } = setup();
    await store.start();
    await store.create(kidsZone, 'm1');
    await store.update('no-alcohol-kids', { name: 'Renamed', actions: { exclude: { categories: ['wine'] } } }, 'm2');
    await store.setEnabled('no-alcohol-kids', false, 'm3');
    await store.setEnabled('no-alcohol-kids', true, 'm4');
    const cur = store.get('no-alcohol-kids')!;
    expect(cur).toMatchObject({ version: 4, name: 'Renamed', enabled: true, target: {}, updatedBy: 'm4' });
    const v = await store.versions('no-alcohol-kids');
    expect(v.map((x) => [x.version, x.action, x.by])).toEqual([[4, 'enable', 'm4'], [3, 'disable', 'm3'], [2, 'update', 'm2'], [1, 'create', 'm1']]);
    expect(v[3]!.rule!.target).toEqual({ zones: ['z-kids'] });
    expect(await codeOf(store.update('nope', kidsBody, 'm'))).toBe('not_found');
    expect(await codeOf(store.update('no-alcohol-kids', { ...kidsZone, ruleId: 'other' }, 'm'))).toBe('invalid');
    expect(await codeOf(store.setEnabled('nope', false, 'm'))).toBe('not_found');
  });

  it('keeps the history of a deleted rule, restores it as a new version, and never repeats a number', async () => {
    const { store } = setup();
    await store.start();
    await store.create(kidsZone, 'm');
    await store.update('no-alcohol-kids', { ...kidsZone, name: 'Second' }, 'm');
    const del = await store.delete('no-alcohol-kids', 'boss');
    expect(del).toMatchObject({ version: 3, action: 'delete', by: 'boss' });
    expect(del.rule).toBeUndefined();
    expect(store.get('no-alcohol-kids')).toBeUndefined();
    expect(store.snapshot()).toEqual([]);
    expect(await codeOf(store.delete('no-alcohol-kids', 'm'))).toBe('not_found');
    expect(await codeOf(store.restore('no-alcohol-kids', 3, 'm'))).toBe('nothing_to_restore');
    expect(await codeOf(store.restore('no-alcohol-kids', 9, 'm'))).toBe('version_not_found');

    const back = await store.restore('no-alcohol-kids', 1, 'undo');
    expect(back).toMatchObject({ version: 4, name: 'No alcohol in the kids zone', updatedBy: 'undo' });
    expect(store.get('no-alcohol-kids')).toEqual(back);
    // Deleted, then created afresh under the same id: numbering goes on.
    await store.delete('no-alcohol-kids', 'm');
    expect((await store.create(kidsZone, 'm')).version).toBe(6);
    expect((await store.versions('no-alcohol-kids')).map((v) => v.action)).toEqual(['create', 'delete', 'restore', 'delete', 'update', 'create']);
  });

  it(`keeps at most ${RULE_HISTORY_MAX} versions`, async () => {
    const { store } = setup();
    await store.start();
    await store.create(kidsZone, 'm');
    for (let i = 0; i < RULE_HISTORY_MAX + 5; i++) await store.setEnabled('no-alcohol-kids', i % 2 === 1, 'm');
    const v = await store.versions('no-alcohol-kids');
    expect(v.length).toBe(RULE_HISTORY_MAX);
    expect(v[0]!.version).toBe(RULE_HISTORY_MAX + 6);
    expect(await codeOf(store.restore('no-alcohol-kids', 1, 'm'))).toBe('version_not_found');
  });

  it('a change on one instance reaches the other through the notice; listeners get the ids', async () => {
    const { kv, store: a } = setup();
    const { store: b } = setup({ kv, origin: 'b' });
    await a.start(); await b.start();
    const seen: string[][] = [];
    b.onChange((ids) => seen.push(ids));
    await a.create(kidsZone, 'm');
    await flush();
    expect(b.get('no-alcohol-kids')?.version).toBe(1);
    await a.delete('no-alcohol-kids', 'm');
    await flush();
    expect(b.snapshot()).toEqual([]);
    expect(seen).toEqual([['no-alcohol-kids'], ['no-alcohol-kids']]);
  });

  it('skips a stored value that is not a valid rule, reports it once, and lets it be deleted or overwritten', async () => {
    const invalid: string[] = [];
    const { kv, store } = setup({ onInvalid: (id) => invalid.push(id) });
    const other = createRuleStore({ kv, keys, origin: 'w' });
    await other.create(kidsZone, 'm');
    await kv.commitVersion({ hash: keys.rules(), field: 'junk', expected: null, value: '{not json', history: 'elsewhere', expectedHead: null,
      entry: 'x', keep: 1, channel: 'none', notice: '' });
    await kv.commitVersion({ hash: keys.rules(), field: 'liar', expected: null, value: JSON.stringify(other.get('no-alcohol-kids')),
      history: 'elsewhere2', expectedHead: null, entry: 'x', keep: 1, channel: 'none', notice: '' });
    await store.start();
    expect(store.snapshot().map((r) => r.ruleId)).toEqual(['no-alcohol-kids']);
    expect(invalid.sort()).toEqual(['junk', 'liar']);
    await store.reload(); // a second full load reports nothing new
    expect(store.stats()).toMatchObject({ rules: 1, invalid: 2, loaded: true });
    expect(await codeOf(store.update('junk', kidsBody, 'm'))).toBe('not_found');
    await store.delete('junk', 'm');
    expect(await kv.hget(keys.rules(), 'junk')).toBeNull();
    expect((await store.create({ ...kidsZone, ruleId: 'liar' }, 'm')).version).toBe(1);
    expect(store.snapshot().map((r) => r.ruleId)).toEqual(['liar', 'no-alcohol-kids']);
  });

  it('with the store down: reads serve the last snapshot, writes fail as unavailable and change nothing', async () => {
    const clock = manualClock(0);
    const mem = createMemoryKv(clock);
    let down = false;
    const guard = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A): Promise<R> => (down ? Promise.reject(new Error('down')) : f(...a));
    const kv: Kv = { ...mem, isUp: () => !down, hget: guard(mem.hget), hgetall: guard(mem.hgetall), lrange: guard(mem.lrange), commitVersion: guard(mem.commitVersion) };
    const { store } = setup({ kv });
    await store.start();
    await store.create(kidsZone, 'm');
    down = true;
    const before = store.snapshot();
    expect(await codeOf(store.create(birthday, 'm'))).toBe('unavailable');
    expect(await codeOf(store.update('no-alcohol-kids', birthday, 'm'))).toBe('unavailable');
    expect(await codeOf(store.versions('no-alcohol-kids'))).toBe('unavailable');
    expect(store.snapshot()).toBe(before);
    // Up, but a command fails half way (a timeout): still unavailable, not a crash.
    const flaky: Kv = { ...kv, isUp: () => true };
    const s2 = createRuleStore({ kv: flaky, keys, clock });
    expect(await codeOf(s2.create(birthday, 'm'))).toBe('unavailable');
    await s2.start(); // loads nothing, keeps serving (empty), does not throw
    expect(s2.stats().loaded).toBe(false);
    await s2.close();
  });

  it('reloads every rule when the store comes back, and on its timer, without a notice', async () => {
    const clock = manualClock(0);
    const mem = createMemoryKv(clock);
    const ups: (() => void)[] = [];
    const kv: Kv = { ...mem, onUp: (cb) => { ups.push(cb); } };
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { store } = setup({ kv, reloadEveryMs: 30_000 });
    await store.start();
    const writer = createRuleStore({ kv: { ...mem, commitVersion: (c) => mem.commitVersion({ ...c, channel: 'elsewhere' }) }, keys });
    await writer.create(kidsZone, 'm'); // announced on another channel: this store hears nothing
    await flush();
    expect(store.get('no-alcohol-kids')).toBeUndefined();
    for (const cb of ups) cb();
    await flush();
    expect(store.get('no-alcohol-kids')?.version).toBe(1);
    await writer.delete('no-alcohol-kids', 'm');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(store.get('no-alcohol-kids')?.version).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    expect(store.get('no-alcohol-kids')).toBeUndefined();
    await store.close();
    vi.useRealTimers();
  });

  it('retries when another writer changed the rule in between, and gives up as busy if it keeps happening', async () => {
    const clock = manualClock(0);
    const mem = createMemoryKv(clock);
    let conflicts = 2;
    const kv: Kv = { ...mem, commitVersion: async (c) => (conflicts-- > 0 ? 'conflict' : mem.commitVersion(c)) };
    const { store } = setup({ kv });
    expect((await store.create(kidsZone, 'm')).version).toBe(1);
    conflicts = 100;
    expect(await codeOf(store.update('no-alcohol-kids', kidsZone, 'm'))).toBe('busy');
  });
});
