import type { Experiment, ExperimentArm } from '#contracts';
import { assignArm } from './stats/assign.js';

/** Does this experiment split shoppers in this store now: running, within its schedule, and for this store? */
export function isLive(e: Experiment, storeId: string, now: number): boolean {
  if (e.status !== 'running') return false;
  if (e.startAt !== undefined && now < e.startAt) return false;
  if (e.endAt !== undefined && now >= e.endAt) return false;
  return !e.stores || e.stores.includes(storeId);
}

/**
 * Experiments that split shoppers now, per rule under test (pure). Built once per decision from the
 * experiments snapshot. One experiment per rule: the oldest id wins, so every instance picks the same one.
 */
export function runningByRule(experiments: readonly Experiment[], storeId: string, now: number): Map<string, Experiment> {
  const out = new Map<string, Experiment>();
  for (const e of experiments) {
    if (e.kind === 'model' || e.ruleId === undefined || !isLive(e, storeId, now)) continue;
    const cur = out.get(e.ruleId);
    if (!cur || e.experimentId < cur.experimentId) out.set(e.ruleId, e);
  }
  return out;
}

/**
 * The model experiment that splits this store's personal turns now, if any (pure). A shopper is ranked by
 * one model, so one model experiment at a time per store: the oldest id wins on every instance.
 */
export function runningModelExperiment(experiments: readonly Experiment[], storeId: string, now: number): Experiment | undefined {
  let out: Experiment | undefined;
  for (const e of experiments) {
    if (e.kind !== 'model' || !isLive(e, storeId, now)) continue;
    if (!out || e.experimentId < out.experimentId) out = e;
  }
  return out;
}

/** Every model version an experiment that may run names (running or paused): what the engine keeps loaded. */
export function modelVersionsInUse(experiments: readonly Experiment[]): string[] {
  const out = new Set<string>();
  for (const e of experiments) {
    if (e.kind !== 'model' || (e.status !== 'running' && e.status !== 'paused')) continue;
    for (const a of e.arms) if (a.model) out.add(a.model);
  }
  return [...out].sort();
}

/** The arm a shopper is in: sticky (a hash of the experiment and customer ids), independent across experiments. */
export function armOf(e: Experiment, customerId: string): ExperimentArm {
  const armId = assignArm(e.experimentId, customerId, e.arms);
  return e.arms.find((a) => a.armId === armId)!;
}
