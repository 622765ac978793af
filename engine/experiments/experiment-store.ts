import { Experiment, ExperimentInput, ExperimentVersion, type ExperimentStatus } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { createVersionedStore, randomId, type VersionedStoreErrorCode } from '../platform/versioned-store.js';

/** An experiment's history keeps this many versions (docs/experiments-api.md §Versions). */
export const EXPERIMENT_HISTORY_MAX = 200;

/**
 * The status changes an experiment allows (docs/experiments-api.md §Statuses): a draft starts, a running
 * one pauses or stops, a paused one resumes or stops; stopped is final.
 */
export const EXPERIMENT_TRANSITIONS: Readonly<Record<ExperimentStatus, readonly ExperimentStatus[]>> = {
  draft: ['running'],
  running: ['paused', 'stopped'],
  paused: ['running', 'stopped'],
  stopped: [],
};
/** Statuses an experiment may be created in. */
const CREATE_AS: readonly ExperimentStatus[] = ['draft', 'running'];
/** Statuses in which an experiment may be deleted (or, for the others: stop it first). */
const DELETABLE: readonly ExperimentStatus[] = ['draft', 'stopped'];

/** True when `from` → `to` is an allowed status change (the same status is no change at all). */
export const canTransition = (from: ExperimentStatus, to: ExperimentStatus): boolean => EXPERIMENT_TRANSITIONS[from].includes(to);

/** The history action of an allowed status change. */
export const transitionAction = (from: ExperimentStatus, to: ExperimentStatus): 'start' | 'pause' | 'resume' | 'stop' =>
  (to === 'stopped' ? 'stop' : to === 'paused' ? 'pause' : from === 'paused' ? 'resume' : 'start');

/** Why an experiment change was refused; the API maps each code to a status (docs/experiments-api.md §Errors). */
export type ExperimentStoreErrorCode = VersionedStoreErrorCode | 'invalid_transition';

/** A refused experiment change, with a stable code. */
export class ExperimentStoreError extends Error {
  constructor(readonly code: ExperimentStoreErrorCode, message: string) { super(message); this.name = 'ExperimentStoreError'; }
}

/** Experiments: the in-process snapshot decisions read, and the versioned changes behind it (like rules). */
export interface ExperimentStore {
  /** Every current experiment, by id; the same frozen array until something changes. */
  snapshot(): readonly Experiment[];
  /** The current experiment, from the snapshot. */
  get(experimentId: string): Experiment | undefined;
  /** A new experiment (its id from the input, or `e-<random>`), as a draft or running; 'exists' when the id is taken. */
  create(input: ExperimentInput, by: string): Promise<Experiment>;
  /**
   * Replaces an experiment wholesale (arms, dates, status…); 'not_found' when it does not exist,
   * 'invalid_transition' when it is stopped or the new status cannot follow the current one.
   */
  update(experimentId: string, input: ExperimentInput, by: string): Promise<Experiment>;
  /** Moves it to `status` along EXPERIMENT_TRANSITIONS ('invalid_transition' otherwise); no new version when it is there already. */
  setStatus(experimentId: string, status: ExperimentStatus, by: string): Promise<Experiment>;
  /** Deletes a draft or stopped experiment ('invalid_transition' otherwise); its history stays. */
  delete(experimentId: string, by: string): Promise<ExperimentVersion>;
  /** The experiment's history, newest first (also of a deleted one). */
  versions(experimentId: string): Promise<ExperimentVersion[]>;
  /** Makes an earlier version current again, as a new version; refused ('invalid_transition') while the current one is stopped. */
  restore(experimentId: string, version: number, by: string): Promise<Experiment>;
  /** Called with the ids whose snapshot entry changed (added, replaced or removed), here or elsewhere. */
  onChange(cb: (ids: string[]) => void): void;
  /** Subscribes to change notices and loads every experiment; resolves even while the Kv is down. */
  start(): Promise<void>;
  /** Re-reads every experiment now (start, reconnects and the 30 s timer do this by themselves); never rejects. */
  reload(): Promise<void>;
  /** Stops the timer and ignores further notices. The Kv stays open: it belongs to the caller. */
  close(): Promise<void>;
  /** Counts for /readyz and metrics. */
  stats(): { experiments: number; invalid: number; loaded: boolean };
}

export type ExperimentStoreDeps = {
  kv: Kv;
  keys: Pick<Keys, 'experiments' | 'experimentVersions' | 'experimentsChanged'>;
  clock?: Clock;
  /** This instance, in change notices (every instance, the writer included, reloads the experiment). */
  origin?: string;
  log?: Logger;
  reloadEveryMs?: number;
  newExperimentId?: () => string;
  /** Called once for every distinct unreadable value found in Redis (a metric). */
  onInvalid?: (experimentId: string) => void;
};

const byId = (a: Experiment, b: Experiment): number => (a.experimentId < b.experimentId ? -1 : a.experimentId > b.experimentId ? 1 : 0);
const refuse = (message: string) => new ExperimentStoreError('invalid_transition', message);
const noTransition = (id: string, from: ExperimentStatus, to: ExperimentStatus) =>
  refuse(`experiment ${id} is ${from}; it cannot become ${to}${from === 'stopped' ? ' (stopped is final)' : ` (from ${from}: ${EXPERIMENT_TRANSITIONS[from].join(' or ')})`}`);

/**
 * Experiments in Redis (docs/experiments-api.md §Redis keys): hash `experiments` (experimentId →
 * Experiment JSON), history `experiments:versions:{experimentId}` (newest first), and a
 * `{origin}|{experimentId}` notice on `experiments:changed`, all three written by one script: the
 * generic versioned store (engine/platform/versioned-store.ts), as rules are, plus the status rules.
 */
export function createExperimentStore({ kv, keys, clock, origin, log, reloadEveryMs, newExperimentId = randomId('e-'), onInvalid }: ExperimentStoreDeps): ExperimentStore {
  const store = createVersionedStore({
    stored: Experiment, input: ExperimentInput, idField: 'experimentId', entry: ExperimentVersion, docField: 'experiment',
    actions: { create: 'create', update: 'update', delete: 'delete', restore: 'restore' },
    keys: { hash: () => keys.experiments(), history: (id) => keys.experimentVersions(id), channel: () => keys.experimentsChanged() },
    order: byId, labels: { noun: 'experiment', plural: 'experiments' }, historyMax: EXPERIMENT_HISTORY_MAX,
    error: (code, message) => new ExperimentStoreError(code, message), newId: newExperimentId,
    check: {
      create(next) {
        if (!CREATE_AS.includes(next.status)) throw refuse(`a new experiment is ${CREATE_AS.join(' or ')}, not ${next.status}`);
      },
      update(cur, next) {
        if (cur.status === 'stopped') throw refuse(`experiment ${cur.experimentId} is stopped; stopped is final, it cannot be changed`);
        if (next.status !== cur.status && !canTransition(cur.status, next.status)) throw noTransition(cur.experimentId, cur.status, next.status);
      },
      delete(cur) {
        if (cur && !DELETABLE.includes(cur.status)) throw refuse(`experiment ${cur.experimentId} is ${cur.status}; only a draft or stopped experiment can be deleted (stop it first)`);
      },
      restore(cur) {
        if (cur?.status === 'stopped') throw refuse(`experiment ${cur.experimentId} is stopped; stopped is final, no version can replace it`);
      },
    },
  }, { kv, clock, origin, log, reloadEveryMs, onInvalid });

  return {
    snapshot: store.snapshot,
    get: store.get,
    create: store.create,
    update: store.update,
    setStatus: (experimentId, status, by) => store.change(experimentId, by, (cur) => {
      if (cur.status === status) return undefined;
      if (!canTransition(cur.status, status)) throw noTransition(experimentId, cur.status, status);
      return { action: transitionAction(cur.status, status), doc: { ...cur, status } };
    }),
    delete: store.delete,
    versions: store.versions,
    restore: store.restore,
    onChange: store.onChange,
    start: store.start,
    reload: store.reload,
    close: store.close,
    stats: () => { const { count, invalid, loaded } = store.stats(); return { experiments: count, invalid, loaded }; },
  };
}
