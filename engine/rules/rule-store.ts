import { Rule, RuleInput, RuleVersion } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { createVersionedStore, randomId, RELOAD_EVERY_MS } from '../platform/versioned-store.js';
import { RULE_LABELS, ruleOrder } from './rule-snapshot.js';

/** A rule's history keeps this many versions (docs/rules-api.md §Versions). */
export const RULE_HISTORY_MAX = 200;
/** The safety net behind change notices: every rule is re-read this often. */
export const RULES_RELOAD_MS = RELOAD_EVERY_MS;

/** Why a rule change was refused; the API maps each code to a status (docs/rules-api.md §Errors). */
export type RuleStoreErrorCode = 'exists' | 'not_found' | 'version_not_found' | 'nothing_to_restore' | 'invalid' | 'busy' | 'unavailable';

/** A refused rule change, with a stable code. */
export class RuleStoreError extends Error {
  constructor(readonly code: RuleStoreErrorCode, message: string) { super(message); this.name = 'RuleStoreError'; }
}

/** Merchandiser rules: the in-process snapshot decisions read, and the versioned changes behind it. */
export interface RuleStore {
  /** Every current rule, priority (high first) then id; the same frozen array until something changes. */
  snapshot(): readonly Rule[];
  /** The current rule, from the snapshot. */
  get(ruleId: string): Rule | undefined;
  /** A new rule (its id from the input, or `r-<random>`); 'exists' when the id is taken. */
  create(input: RuleInput, by: string): Promise<Rule>;
  /** Replaces a rule wholesale; 'not_found' when it does not exist. */
  update(ruleId: string, input: RuleInput, by: string): Promise<Rule>;
  /** Enables or disables a rule; no new version when it already is. */
  setEnabled(ruleId: string, enabled: boolean, by: string): Promise<Rule>;
  /** Deletes a rule; its history stays. Resolves with the deletion's history entry. */
  delete(ruleId: string, by: string): Promise<RuleVersion>;
  /** The rule's history, newest first (also of a deleted rule). */
  versions(ruleId: string): Promise<RuleVersion[]>;
  /** Makes an earlier version current again, as a new version; works on a deleted rule too. */
  restore(ruleId: string, version: number, by: string): Promise<Rule>;
  /** Called with the ids whose snapshot entry changed (added, replaced or removed), here or elsewhere. */
  onChange(cb: (ids: string[]) => void): void;
  /** Subscribes to change notices and loads every rule; resolves even while the Kv is down. */
  start(): Promise<void>;
  /** Re-reads every rule now (start, reconnects and the 30 s timer do this by themselves); never rejects. */
  reload(): Promise<void>;
  /** Stops the timer and ignores further notices. The Kv stays open: it belongs to the caller. */
  close(): Promise<void>;
  /** Counts for /readyz and metrics. */
  stats(): { rules: number; invalid: number; loaded: boolean };
}

export type RuleStoreDeps = {
  kv: Kv;
  keys: Pick<Keys, 'rules' | 'ruleVersions' | 'rulesChanged'>;
  clock?: Clock;
  /** This instance, in change notices (every instance, the writer included, reloads the rule). */
  origin?: string;
  log?: Logger;
  reloadEveryMs?: number;
  newRuleId?: () => string;
  /** Called once for every distinct unreadable value found in Redis (a metric). */
  onInvalid?: (ruleId: string) => void;
};

/**
 * Rules in Redis (docs/rules-api.md §Redis keys): hash `rules` (ruleId → Rule JSON), history
 * `rules:versions:{ruleId}` (newest first), and a `{origin}|{ruleId}` notice on `rules:changed`, all
 * three written by one script. Every instance reloads a rule on its notice, everything on reconnect
 * and every 30 s. Over the in-memory Kv it is the demo's store, with the same semantics.
 * The generic versioned store (engine/platform/versioned-store.ts) with the rule's schemas and keys.
 */
export function createRuleStore({ kv, keys, clock, origin, log, reloadEveryMs, newRuleId = randomId('r-'), onInvalid }: RuleStoreDeps): RuleStore {
  const store = createVersionedStore({
    stored: Rule, input: RuleInput, idField: 'ruleId', entry: RuleVersion, docField: 'rule',
    actions: { create: 'create', update: 'update', delete: 'delete', restore: 'restore' },
    keys: { hash: () => keys.rules(), history: (id) => keys.ruleVersions(id), channel: () => keys.rulesChanged() },
    order: ruleOrder, labels: RULE_LABELS, historyMax: RULE_HISTORY_MAX,
    error: (code, message) => new RuleStoreError(code, message), newId: newRuleId,
  }, { kv, clock, origin, log, reloadEveryMs, onInvalid });

  return {
    snapshot: store.snapshot,
    get: store.get,
    create: store.create,
    update: store.update,
    setEnabled: (ruleId, enabled, by) => store.change(ruleId, by, (cur) =>
      (cur.enabled === enabled ? undefined : { action: enabled ? 'enable' : 'disable', doc: { ...cur, enabled } })),
    delete: store.delete,
    versions: store.versions,
    restore: store.restore,
    onChange: store.onChange,
    start: store.start,
    reload: store.reload,
    close: store.close,
    stats: () => { const { count, invalid, loaded } = store.stats(); return { rules: count, invalid, loaded }; },
  };
}
