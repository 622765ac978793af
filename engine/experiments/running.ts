import type { Experiment, ExperimentArm } from '#contracts';
import { assignArm } from './stats/assign.js';

/**
 * Experiments that split shoppers now, per rule under test (pure): running, within their schedule,
 * and in this store. Built once per decision from the experiments snapshot.
 */
export function runningByRule(experiments: readonly Experiment[], storeId: string, now: number): Map<string, Experiment> {
  const out = new Map<string, Experiment>();
  for (const e of experiments) {
    if (e.status !== 'running') continue;
    if (e.startAt !== undefined && now < e.startAt) continue;
    if (e.endAt !== undefined && now >= e.endAt) continue;
    if (e.stores && !e.stores.includes(storeId)) continue;
    // One experiment per rule: the oldest id wins, so every instance picks the same one.
    const cur = out.get(e.ruleId);
    if (!cur || e.experimentId < cur.experimentId) out.set(e.ruleId, e);
  }
  return out;
}

/** The arm a shopper is in: sticky (a hash of the experiment and customer ids), independent across experiments. */
export function armOf(e: Experiment, customerId: string): ExperimentArm {
  const armId = assignArm(e.experimentId, customerId, e.arms);
  return e.arms.find((a) => a.armId === armId)!;
}
