import { Rule } from '#contracts';
import type { Logger } from '../platform/log.js';
import { createVersionedSnapshot, type Held as HeldDoc } from '../platform/versioned-snapshot.js';

/** A rule as held in process, with the exact JSON it was read from (to tell a real change from a re-read). */
export type Held = HeldDoc<Rule>;

export type RuleSnapshotDeps = {
  log: Logger;
  /** Called once for every distinct unreadable value met in the `rules` hash. */
  onInvalid?: (ruleId: string) => void;
};

/** Rules in the order they combine (docs/rules-api.md §Snapshot): priority, high first, then rule id. */
export const ruleOrder = (a: Rule, b: Rule): number => b.priority - a.priority || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

/** How messages and log lines name rules. */
export const RULE_LABELS = { noun: 'rule', plural: 'rules' } as const;

/**
 * The rules every decision reads (docs/rules-api.md §Snapshot): the generic versioned snapshot
 * (engine/platform/versioned-snapshot.ts) of `Rule`s under `ruleId`, priority first. Garbage in the
 * hash is skipped, logged once and counted.
 */
export const createRuleSnapshot = ({ log, onInvalid }: RuleSnapshotDeps) =>
  createVersionedSnapshot<Rule>({ log, schema: Rule, idField: 'ruleId', order: ruleOrder, labels: RULE_LABELS, onInvalid });
export type RuleSnapshot = ReturnType<typeof createRuleSnapshot>;
