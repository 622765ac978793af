import { describe, expect, it } from 'vitest';
import { createMailbox, type Discard, type PendingFrame } from './mailbox.js';

const frame = (type: string, text: string): PendingFrame => ({ type, data: Buffer.from(text) });

describe('createMailbox', () => {
  it('keeps one frame per key, latest wins, in first-insertion order', () => {
    const discarded: [string, Discard][] = [];
    const box = createMailbox({ onDiscard: (f, why) => discarded.push([String(f.data), why]) });
    box.put('screen:a', frame('screen.content', 'a1'));
    box.put('screen:b', frame('screen.content', 'b1'));
    box.put('screen:a', frame('screen.content', 'a2'));
    expect(box.size()).toBe(2);
    const out: string[] = [];
    expect(box.drain(() => true, (f) => out.push(String(f.data)))).toBe(2);
    expect(out).toEqual(['a2', 'b1']);
    expect(discarded).toEqual([['a1', 'coalesced']]);
    expect(box.size()).toBe(0);
  });

  it('writes only while canWrite() holds and keeps the rest', () => {
    const box = createMailbox();
    for (const k of ['x', 'y', 'z']) box.put(k, frame('t', k));
    let budget = 2;
    const out: string[] = [];
    box.drain(() => budget-- > 0, (f) => out.push(String(f.data)));
    expect(out).toEqual(['x', 'y']);
    expect(box.has('z')).toBe(true);
    expect(box.has('x')).toBe(false);
  });

  it('drops the oldest pending frame past maxPending', () => {
    const discarded: [string, Discard][] = [];
    const box = createMailbox({ maxPending: 2, onDiscard: (f, why) => discarded.push([String(f.data), why]) });
    box.put('a', frame('t', 'a'));
    box.put('b', frame('t', 'b'));
    box.put('c', frame('t', 'c'));
    expect(box.size()).toBe(2);
    expect(discarded).toEqual([['a', 'dropped']]);
    box.put('c', frame('t', 'c2')); // replacing does not drop
    expect(discarded).toEqual([['a', 'dropped'], ['c', 'coalesced']]);
    expect(box.clear()).toBe(2);
  });

  it('survives a write that re-enters put() for the same key', () => {
    const box = createMailbox();
    box.put('k', frame('t', '1'));
    const out: string[] = [];
    box.drain(() => true, (f) => {
      out.push(String(f.data));
      if (out.length === 1) box.put('k', frame('t', '2'));
    });
    expect(out).toEqual(['1', '2']);
  });
});
