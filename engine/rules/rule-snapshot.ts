import { Rule, parseUntrusted } from '#contracts';
import type { Logger } from '../platform/log.js';

/** A rule as held in process, with the exact JSON it was read from (to tell a real change from a re-read). */
export type Held = { rule: Rule; raw: string };

export type RuleSnapshotDeps = {
  log: Logger;
  /** Called once for every distinct unreadable value met in the `rules` hash. */
  onInvalid?: (ruleId: string) => void;
};

/** Rules in the order they combine (docs/rules-api.md §Snapshot): priority, high first, then rule id. */
const order = (a: Rule, b: Rule): number => b.priority - a.priority || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

/**
 * The rules every decision reads: a frozen array that is the same object until a rule really changes,
 * so reading it costs nothing. Fed by whoever reads Redis (rule-store.ts); knows no I/O itself.
 */
export function createRuleSnapshot({ log, onInvalid }: RuleSnapshotDeps) {
  const held = new Map<string, Held>();
  let snap: readonly Rule[] = Object.freeze([]);
  const listeners: ((ids: string[]) => void)[] = [];
  // Unreadable values already reported, so a 30 s reload does not log the same garbage again.
  const reported = new Map<string, string>();
  let invalidTotal = 0;

  return {
    snapshot: (): readonly Rule[] => snap,
    get: (ruleId: string): Rule | undefined => held.get(ruleId)?.rule,
    ids: (): string[] => [...held.keys()],
    invalidTotal: (): number => invalidTotal,
    onChange(cb: (ids: string[]) => void): void { listeners.push(cb); },

    /**
     * A stored value → a rule, or undefined when it is not a valid rule stored under its own id
     * (docs/rules-api.md §Redis keys: garbage is skipped, logged once and counted).
     */
    parse(ruleId: string, raw: string): Rule | undefined {
      let json: unknown;
      try { json = JSON.parse(raw); } catch { json = undefined; }
      const r = parseUntrusted(Rule, json);
      if (r.success && r.data.ruleId === ruleId) { reported.delete(ruleId); return r.data; }
      if (reported.get(ruleId) !== raw) {
        reported.set(ruleId, raw);
        invalidTotal++;
        onInvalid?.(ruleId);
        const issue = r.success ? { path: 'ruleId', message: `holds rule ${r.data.ruleId}` }
          : { path: r.error.issues[0]?.path.join('.'), message: r.error.issues[0]?.message };
        log.error({ ruleId, ...issue }, 'stored rule is invalid; it is skipped until it is rewritten');
      }
      return undefined;
    },

    /** Applies reads (undefined: the rule is gone or unreadable); tells listeners which ids really changed. */
    apply(changes: ReadonlyMap<string, Held | undefined>): string[] {
      const changed: string[] = [];
      for (const [ruleId, next] of changes) {
        const cur = held.get(ruleId);
        if (next ? cur?.raw === next.raw : !cur) continue;
        if (next) held.set(ruleId, next); else held.delete(ruleId);
        changed.push(ruleId);
      }
      if (!changed.length) return changed;
      snap = Object.freeze([...held.values()].map((h) => h.rule).sort(order));
      for (const cb of listeners) {
        try { cb(changed); } catch (err) { log.error({ err }, 'rule change listener failed'); }
      }
      return changed;
    },

    /** Forgets what was reported for rules no longer in the hash (a later garbage value is reported again). */
    forgetReported(present: ReadonlySet<string>): void {
      for (const id of reported.keys()) if (!present.has(id)) reported.delete(id);
    },
  };
}
export type RuleSnapshot = ReturnType<typeof createRuleSnapshot>;
