import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { createKeys } from './keys.js';

it('keeps keys of ids that contain the separator apart, and leaves plain ids as documented', () => {
  const k = createKeys('aisle:');
  expect(k.alertCooldown('s-001', 'c-1')).toBe('aisle:alert:cooldown:s-001:c-1');
  expect(k.seen('c-1042', 's-001', 't-77')).toBe('aisle:seen:{c-1042}:s-001:t-77');
  expect(k.alertCooldown('a:b', 'c')).not.toBe(k.alertCooldown('a', 'b:c'));
  expect(k.seen('c', 's:1', 'e')).not.toBe(k.seen('c', 's', '1:e'));
  expect(k.seen('c:s', '1', 'e')).not.toBe(k.seen('c', 's:1', 'e'));
});

describe('Redis Cluster hash tags (docs/contracts.md §Redis keys)', () => {
  const k = createKeys('aisle:');
  /** All in one slot, and the slot is the tag's. */
  const oneSlot = (tag: string, ...keys: string[]) => {
    for (const key of keys) expect(calculateSlot(key), key).toBe(calculateSlot(tag));
  };

  it('names the keys as documented', () => {
    expect(k.profile('c-1042')).toBe('aisle:profile:{c-1042}');
    expect(k.rules()).toBe('aisle:{rules}');
    expect(k.ruleVersions('r-1')).toBe('aisle:{rules}:versions:r-1');
    expect(k.experiments()).toBe('aisle:{experiments}');
    expect(k.experimentVersions('e-1')).toBe('aisle:{experiments}:versions:e-1');
    expect(k.experimentExposed('e-1', 'a')).toBe('aisle:exp:{e-1}:a:exposed');
    expect(k.experimentMark('e-1', 'conv', 's-1:ev-9')).toBe('aisle:exp:{e-1}:conv:s-1%3Aev-9');
    expect(k.visitsByYear('c-1')).toBe('aisle:visits:year:{c-1}');
    expect(k.visitMark('c-1', 's-1', 'd-1', 5)).toBe('aisle:visits:mark:{c-1}:s-1:d-1:5');
    expect(k.lease(3)).toBe('aisle:lease:p3');
    expect(k.instances()).toBe('aisle:instances');
    expect(k.visits('s-001')).toBe('aisle:visits:{s-001}');
  });

  it('puts the keys of every multi-key operation in one slot', () => {
    for (const c of ['c-1042', 'c-1', 'member:77', 'x'.repeat(64)]) {
      // Kv.commitOnce (profiles/writer.ts), and the MGET before it.
      oneSlot(c, k.profile(c), k.seen(c, 's-001', 'e-9'), k.seen(c, 's:2', 'e:10'));
      // Kv.countOnce of a counted visit (associates/alerts.ts).
      oneSlot(c, k.visitsByYear(c), k.visitMark(c, 's-001', 'd-1', 1_700_000_000_000));
    }
    // Kv.commitVersion (platform/versioned-store.ts through the rule and experiment stores).
    oneSlot('rules', k.rules(), k.ruleVersions('r-1'), k.ruleVersions('dwell:coffee'));
    oneSlot('experiments', k.experiments(), k.experimentVersions('e-1'), k.experimentVersions('x'));
    // Kv.countOnce of an impression and of a conversion (experiments/tracking.ts).
    for (const e of ['e-1', 'exp:2']) {
      const t = e.replaceAll(':', '%3A');
      oneSlot(t, k.experimentMark(e, 'imp', 'dec-1'), k.experimentExposed(e, 'treatment'), k.experimentCounts(e, 'treatment'));
      oneSlot(t, k.experimentMark(e, 'conv', 's-1:ev-1'), k.experimentConverted(e, 'control'), k.experimentRevenue(e, 'control'));
    }
  });

  it('keeps a tag whatever the prefix (a prefix never holds a brace)', () => {
    for (const prefix of ['aisle:', 't-1:', 'a.b_c-d:']) {
      const p = createKeys(prefix);
      expect(calculateSlot(p.profile('c-9'))).toBe(calculateSlot(p.seen('c-9', 's', 'e')));
      expect(calculateSlot(p.profile('c-9'))).toBe(calculateSlot(k.profile('c-9')));
    }
  });

  it('keeps the new visits hash apart from the yearly visit counts', () => {
    expect(k.visits('year')).not.toBe(k.visitsByYear('year'));
    expect(k.visits('c-1')).not.toBe(k.visitsByYear('c-1'));
  });
});
