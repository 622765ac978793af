import { describe, expect, it } from 'vitest';
import { partitionOf, plan, preferredOwner } from './plan.js';

const live = (...ids: string[]) => new Map(ids.map((id) => [id, 0]));

describe('partitions', () => {
  it('a store always lands in the same partition, and stores spread over all of them', () => {
    expect(partitionOf('s-001', 8)).toBe(partitionOf('s-001', 8));
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 4000; i++) counts[partitionOf(`s-${i}`, 8)]++;
    for (const c of counts) expect(c).toBeGreaterThan(350); // 500 expected each
  });

  it('rendezvous: every instance computes the same owner, each gets a share, and a leaver moves only its own partitions', () => {
    const three = ['a', 'b', 'c'];
    const owners = Array.from({ length: 64 }, (_, p) => preferredOwner(p, three));
    expect(Array.from({ length: 64 }, (_, p) => preferredOwner(p, [...three].reverse()))).toEqual(owners);
    for (const id of three) expect(owners.filter((o) => o === id).length).toBeGreaterThan(10);
    const two = Array.from({ length: 64 }, (_, p) => preferredOwner(p, ['a', 'b']));
    owners.forEach((o, p) => { if (o !== 'c') expect(two[p]).toBe(o); });
  });

  it('takes the free partitions it is preferred for, and leaves the others to their owners', () => {
    const r = plan({ partitions: 16, me: 'a', live: live('a', 'b'), held: new Set(), holders: new Map(), now: 10_000, settleMs: 2000 });
    const mine = Array.from({ length: 16 }, (_, p) => p).filter((p) => preferredOwner(p, ['a', 'b']) === 'a');
    expect(r.acquire).toEqual(mine);
    expect(r.release).toEqual([]);
    // Held by someone (a dead instance whose lease has not expired yet): wait.
    const held = plan({ partitions: 16, me: 'a', live: live('a', 'b'), held: new Set(), holders: new Map(mine.map((p) => [p, 'x'])), now: 10_000, settleMs: 2000 });
    expect(held.acquire).toEqual([]);
  });

  it('alone, it takes every partition; a newcomer gets its share handed over once it has settled', () => {
    const all = plan({ partitions: 8, me: 'a', live: live('a'), held: new Set(), holders: new Map(), now: 0, settleMs: 2000 });
    expect(all.acquire).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const held = new Set(all.acquire);
    const joined = new Map([['a', 0], ['b', 9000]]);
    const early = plan({ partitions: 8, me: 'a', live: joined, held, holders: new Map([...held].map((p) => [p, 'a'])), now: 10_000, settleMs: 2000 });
    expect(early.release).toEqual([]);
    const later = plan({ partitions: 8, me: 'a', live: joined, held, holders: new Map([...held].map((p) => [p, 'a'])), now: 11_500, settleMs: 2000 });
    expect(later.release).toEqual([0, 1, 2, 3, 4, 5, 6, 7].filter((p) => preferredOwner(p, ['a', 'b']) === 'b'));
    expect(later.release.length).toBeGreaterThan(0);
  });
});
