import { describe, expect, it } from 'vitest';
import { createKeys } from '../engine/platform/keys.js';
import { describe as describeAction, formatSummary, KINDS, migratedName, planFor, type Summary } from './migrate-keys.js';

/** The key builders of the previous release (engine/platform/keys.ts before the hash tags), frozen here. */
function oldKeys(prefix: string) {
  const part = (id: string): string => id.replaceAll(':', '%3A');
  return {
    profile: (c: string) => `${prefix}profile:${c}`,
    visit: (s: string, d: string) => `${prefix}visit:${part(s)}:${part(d)}`,
    rules: () => `${prefix}rules`,
    ruleVersions: (r: string) => `${prefix}rules:versions:${r}`,
    experiments: () => `${prefix}experiments`,
    experimentVersions: (e: string) => `${prefix}experiments:versions:${e}`,
    experimentExposed: (e: string, a: string) => `${prefix}exp:${part(e)}:${part(a)}:exposed`,
    experimentConverted: (e: string, a: string) => `${prefix}exp:${part(e)}:${part(a)}:converted`,
    experimentCounts: (e: string, a: string) => `${prefix}exp:${part(e)}:${part(a)}:counts`,
    experimentRevenue: (e: string, a: string) => `${prefix}exp:${part(e)}:${part(a)}:revenue`,
    experimentMark: (e: string, kind: 'imp' | 'conv', id: string) => `${prefix}exp:${part(e)}:${kind}:${part(id)}`,
    visitsByYear: (c: string) => `${prefix}visits:${c}`,
    visitMark: (s: string, d: string, t: number) => `${prefix}visits:mark:${part(s)}:${part(d)}:${t}`,
    seen: (s: string, e: string) => `${prefix}seen:${part(s)}:${part(e)}`,
  };
}

describe.each(['aisle:', 'test-1a2b:', 'x'])('migratedName with prefix %j', (prefix) => {
  const o = oldKeys(prefix);
  const n = createKeys(prefix);
  const ids = ['c-1042', 'a:b', 'mark:x', 'year:2025', 'rules', 'x.y_z-1'];

  it('maps every old key to the name this version builds for the same ids', () => {
    for (const id of ids) {
      expect(migratedName(prefix, o.profile(id))).toBe(n.profile(id));
      expect(migratedName(prefix, o.ruleVersions(id))).toBe(n.ruleVersions(id));
      expect(migratedName(prefix, o.experimentVersions(id))).toBe(n.experimentVersions(id));
      expect(migratedName(prefix, o.visitsByYear(id))).toBe(n.visitsByYear(id));
      for (const arm of ['control', 'treatment', 'a:1']) {
        expect(migratedName(prefix, o.experimentExposed(id, arm))).toBe(n.experimentExposed(id, arm));
        expect(migratedName(prefix, o.experimentConverted(id, arm))).toBe(n.experimentConverted(id, arm));
        expect(migratedName(prefix, o.experimentCounts(id, arm))).toBe(n.experimentCounts(id, arm));
        expect(migratedName(prefix, o.experimentRevenue(id, arm))).toBe(n.experimentRevenue(id, arm));
      }
      expect(migratedName(prefix, o.experimentMark(id, 'imp', 'dec-1'))).toBe(n.experimentMark(id, 'imp', 'dec-1'));
      expect(migratedName(prefix, o.experimentMark(id, 'conv', 's-001:ev-9'))).toBe(n.experimentMark(id, 'conv', 's-001:ev-9'));
    }
    expect(migratedName(prefix, o.rules())).toBe(n.rules());
    expect(migratedName(prefix, o.experiments())).toBe(n.experiments());
  });

  it('moves an old visit into its store\'s hash, the device as the field', () => {
    for (const [s, d] of [['s-001', 'd-1'], ['a:b', 'c:d'], ['s', 'mark']]) {
      expect(migratedName(prefix, o.visit(s!, d!))).toBe(n.visits(s!));
      expect(planFor(prefix, o.visit(s!, d!))).toEqual({ kind: 'visit', action: 'merge', to: n.visits(s!), field: d });
    }
  });

  it('drops old de-dupe marks: they do not name the customer the new ones start with', () => {
    expect(migratedName(prefix, o.seen('s-001', 'ev-1'))).toBe('drop');
    expect(migratedName(prefix, o.seen('a:b', 'e:f'))).toBe('drop');
    expect(planFor(prefix, o.seen('s-001', 'ev-1'))).toEqual({ kind: 'seen', action: 'drop' });
    expect(migratedName(prefix, o.visitMark('s-001', 'd-1', 1_700_000_000_000))).toBe('drop');
    expect(migratedName(prefix, o.visitMark('a:b', 'c:d', 0))).toBe('drop');
    expect(planFor(prefix, o.visitMark('s', 'd', 1))).toEqual({ kind: 'visit-mark', action: 'drop' });
  });

  it('leaves every key of this version alone, so a second run changes nothing', () => {
    for (const id of ids) {
      const names = [n.profile(id), n.device(id), n.ruleVersions(id), n.experimentVersions(id), n.impressions(id),
        n.experimentExposed(id, 'arm'), n.experimentConverted(id, 'arm'), n.experimentCounts(id, 'arm'), n.experimentRevenue(id, 'arm'),
        n.experimentMark(id, 'imp', 'd-1'), n.experimentMark(id, 'conv', 's:e'), n.alertCooldown(id, id), n.alert(id, id),
        n.alertOf(id, id), n.alerts(id), n.alertClaim(id, id), n.audit(id), n.visitsByYear(id), n.visitMark(id, 's', 'd', 1),
        n.store(id), n.seen(id, 's-001', 'ev-1'), n.visits(id)];
      for (const k of names) expect(migratedName(prefix, k), k).toBeUndefined();
    }
    for (const k of [n.rules(), n.experiments(), n.lease(0), n.lease(17), n.instances(),
      n.rulesChanged(), n.experimentsChanged(), n.storeChanged(), n.alertsChanged(), n.screensWanted()]) {
      expect(migratedName(prefix, k), k).toBeUndefined();
    }
    // Every migrated name is one of this version: migrating it again changes nothing.
    for (const id of ids) {
      for (const old of [o.profile(id), o.visitsByYear(id), o.ruleVersions(id), o.experimentCounts(id, 'a')]) {
        expect(migratedName(prefix, migratedName(prefix, old)!)).toBeUndefined();
      }
    }
  });

  it('tells the store hash of visits from a member\'s old yearly counts by the braces', () => {
    expect(migratedName(prefix, `${prefix}visits:{s-001}`)).toBeUndefined();
    expect(migratedName(prefix, `${prefix}visits:s-001`)).toBe(`${prefix}visits:year:{s-001}`);
    expect(migratedName(prefix, `${prefix}visits:year:{c-1}`)).toBeUndefined();
    expect(migratedName(prefix, `${prefix}visits:mark:{c-1}:s:d:1`)).toBeUndefined();
  });

  it('ignores keys of other prefixes and names that no version wrote', () => {
    expect(migratedName(prefix, 'other:profile:c-1')).toBeUndefined();
    for (const k of ['profile:', 'rules:versions:', 'experiments:versions:', 'exp:', 'exp:e-1', 'exp:e-1:', 'exp::a:counts',
      'seen:', 'seen:onlyone', 'seen:a:b:c', 'visit:', 'visit:s', 'visit:s:d:x', 'visits:', 'rules:x', 'experimentsx', 'profilex:c']) {
      expect(migratedName(prefix, `${prefix}${k}`), k).toBeUndefined();
    }
  });
});

describe('output', () => {
  it('describes each outcome, dry run or not', () => {
    const a = { kind: 'profile', key: 'aisle:profile:c-1', to: 'aisle:profile:{c-1}' } as const;
    expect(describeAction({ ...a, outcome: 'moved' }, true)).toBe('would move aisle:profile:c-1 → aisle:profile:{c-1}');
    expect(describeAction({ ...a, outcome: 'moved' }, false)).toBe('moved aisle:profile:c-1 → aisle:profile:{c-1}');
    expect(describeAction({ ...a, outcome: 'skipped-exists' }, false)).toContain('aisle:profile:{c-1} exists');
    expect(describeAction({ kind: 'visit', outcome: 'moved', key: 'aisle:visit:s:d', to: 'aisle:visits:{s}', field: 'd' }, false))
      .toBe('moved aisle:visit:s:d → aisle:visits:{s} field d');
    expect(describeAction({ kind: 'seen', outcome: 'dropped', key: 'aisle:seen:s:e' }, true)).toBe('would drop aisle:seen:s:e');
  });

  it('prints a row per kind', () => {
    const s: Summary = { dryRun: false, scanned: 7, attention: [],
      kinds: Object.fromEntries(KINDS.map((k) => [k, { moved: 0, 'skipped-exists': 0, dropped: 0, left: 0 }])) as Summary['kinds'] };
    s.kinds.profile.moved = 3;
    s.kinds.seen.dropped = 2;
    const text = formatSummary(s);
    expect(text.split('\n')).toHaveLength(KINDS.length + 2);
    expect(text).toMatch(/profile:<c> → profile:\{<c>\}\s+3\s+0\s+0\s+0/);
    expect(text).toMatch(/seen:<s>:<e> \(dropped\)\s+0\s+0\s+2\s+0/);
    expect(text).toContain('7 key(s) scanned');
  });
});
