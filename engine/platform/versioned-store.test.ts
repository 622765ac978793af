import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { manualClock } from './clock.js';
import { createMemoryKv } from './memory-kv.js';
import { createVersionedStore, type VersionedStoreErrorCode } from './versioned-store.js';

/**
 * The generic store's parameters, on a kind of document of its own (a note), so nothing here depends
 * on rules or experiments: schemas, id and document fields, keys, order, labels, the error factory, an
 * action of its own through `change`, and the domain checks. What rules and experiments share is
 * tested through both in engine/experiments/versioned-instances.test.ts.
 */

const NoteInput = z.object({ noteId: z.string().min(1).optional(), text: z.string().min(1), pinned: z.boolean().default(false) }).strict();
const Note = NoteInput.extend({ noteId: z.string(), version: z.number().int().positive(), updatedAt: z.number(), updatedBy: z.string() }).strict();
const NoteVersion = z.object({ noteId: z.string(), version: z.number().int().positive(), at: z.number(), by: z.string(),
  action: z.enum(['create', 'update', 'delete', 'restore', 'pin']), note: Note.optional() }).strict();

class NoteError extends Error {
  constructor(readonly code: VersionedStoreErrorCode | 'locked', message: string) { super(message); }
}

function setup() {
  const kv = createMemoryKv(manualClock(0));
  const checked: string[] = [];
  const store = createVersionedStore({
    stored: Note, input: NoteInput, idField: 'noteId', entry: NoteVersion, docField: 'note',
    actions: { create: 'create', update: 'update', delete: 'delete', restore: 'restore' },
    keys: { hash: () => 'n:notes', history: (id) => `n:notes:v:${id}`, channel: () => 'n:notes:chg' },
    // Pinned first, then by text.
    order: (a, b) => Number(b.pinned) - Number(a.pinned) || a.text.localeCompare(b.text),
    labels: { noun: 'note', plural: 'notes' }, historyMax: 3,
    error: (code, message) => new NoteError(code, message), newId: () => 'n-new',
    check: {
      create: (next) => { checked.push(`create ${next.noteId}`); if (next.text === 'locked') throw new NoteError('locked', 'no'); },
      update: (cur, next) => { checked.push(`update ${cur.version}→${next.text}`); if (cur.pinned) throw new NoteError('locked', 'pinned notes stay'); },
      delete: (cur) => { checked.push(`delete ${cur?.noteId}`); if (cur?.pinned) throw new NoteError('locked', 'pinned notes stay'); },
      restore: (cur, old) => { checked.push(`restore ${old.text}`); if (cur?.pinned) throw new NoteError('locked', 'pinned notes stay'); },
    },
  }, { kv, clock: manualClock(5), origin: 'o' });
  return { kv, store, checked };
}
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof NoteError ? [e.code, e.message] : e));

describe('versioned store: its parameters', () => {
  it('uses the given schemas, fields, keys, order, history length and labels', async () => {
    const { kv, store } = setup();
    await store.create({ noteId: 'b', text: 'beta' }, 'me');
    await store.create({ text: 'alpha' }, 'me');
    expect(store.snapshot().map((n) => n.noteId)).toEqual(['n-new', 'b']);
    expect(JSON.parse((await kv.hget('n:notes', 'b'))!)).toEqual({ noteId: 'b', text: 'beta', pinned: false, version: 1, updatedAt: 5, updatedBy: 'me' });
    expect(JSON.parse((await kv.lrange('n:notes:v:b', 0, 0))[0]!)).toEqual({ noteId: 'b', version: 1, at: 5, by: 'me', action: 'create', note: store.get('b') });
    for (let i = 0; i < 5; i++) await store.update('b', { text: `beta ${i}` }, 'me');
    expect((await store.versions('b')).map((v) => v.version)).toEqual([6, 5, 4]);
    expect(await refusal(store.create({ noteId: 'b', text: 'again' }, 'me'))).toEqual(['exists', 'note b exists already']);
    expect(await refusal(store.update('zz', { text: 'x' }, 'me'))).toEqual(['not_found', 'no note zz']);
    expect(await refusal(store.update('b', { noteId: 'c', text: 'x' }, 'me'))).toEqual(['invalid', 'noteId c differs from b']);
    expect(await refusal(store.restore('b', 1, 'me'))).toEqual(['version_not_found', 'note b has no version 1 (kept: the last 3)']);
    expect(store.stats()).toEqual({ count: 2, invalid: 0, loaded: false });
  });

  it('records an action of its own through change, and no version when decide finds nothing to do', async () => {
    const { store } = setup();
    await store.create({ noteId: 'b', text: 'beta' }, 'me');
    await store.create({ noteId: 'a', text: 'zeta' }, 'me');
    const pin = (id: string) => store.change(id, 'boss', (cur) => (cur.pinned ? undefined : { action: 'pin', doc: { ...cur, pinned: true } }));
    expect(await pin('a')).toMatchObject({ pinned: true, version: 2, updatedBy: 'boss' });
    expect(store.snapshot().map((n) => n.noteId)).toEqual(['a', 'b']);
    expect((await pin('a')).version).toBe(2);
    expect((await store.versions('a')).map((v) => v.action)).toEqual(['pin', 'create']);
    expect(await refusal(pin('zz'))).toEqual(['not_found', 'no note zz']);
  });

  it('runs the checks on what it just read; a refusal changes nothing', async () => {
    const { store, checked } = setup();
    expect(await refusal(store.create({ noteId: 'l', text: 'locked' }, 'me'))).toEqual(['locked', 'no']);
    expect(store.get('l')).toBeUndefined();
    await store.create({ noteId: 'a', text: 'one' }, 'me');
    await store.update('a', { text: 'two' }, 'me');
    await store.change('a', 'me', (cur) => ({ action: 'pin', doc: { ...cur, pinned: true } }));
    expect(await refusal(store.update('a', { text: 'three' }, 'me'))).toEqual(['locked', 'pinned notes stay']);
    expect(await refusal(store.delete('a', 'me'))).toEqual(['locked', 'pinned notes stay']);
    expect(await refusal(store.restore('a', 1, 'me'))).toEqual(['locked', 'pinned notes stay']);
    expect(store.get('a')).toMatchObject({ version: 3, text: 'two', pinned: true });
    expect((await store.versions('a')).length).toBe(3);
    expect(checked).toEqual(['create l', 'create a', 'update 1→two', 'update 3→three', 'delete a', 'restore one']);
  });
});
