/**
 * @module console/experiment-body
 * What "New experiment" sends (`POST /api/v1/experiments`, docs/experiments-api.md): a rule experiment
 * (treatment rule on, holdout rule off) or a model experiment (each arm a model version, the holdout's the
 * baseline), for exactly this store; plus the model arms' defaults and checks. Pure.
 */
import type { ModelVersionInfo } from './api.js';
import { usableVersions, type ModelNames } from './model-versions.js';

/** The holdout's share in percent → both arms' shares, summing to 1. */
export function shares(holdoutPercent: number): { treatment: number; holdout: number } {
  const holdout = Math.round(holdoutPercent) / 100;
  return { treatment: Math.round((1 - holdout) * 100) / 100, holdout };
}

export const holdoutOk = (percent: number) => Number.isFinite(percent) && percent >= 5 && percent <= 50;

// A token for one store may only create experiments aimed at exactly that store, so `stores` is always [storeId].
export const ruleExperimentBody = (name: string, storeId: string, ruleId: string, holdoutPercent: number) => {
  const s = shares(holdoutPercent);
  return { name, ruleId, stores: [storeId], arms: [
    { armId: 'treatment', name: 'Rule on', share: s.treatment, rule: 'on' },
    { armId: 'holdout', name: 'Holdout', share: s.holdout, rule: 'off' }] };
};

export interface ModelPick { treatment: string; baseline: string }

export const modelExperimentBody = (name: string, storeId: string, pick: ModelPick, armNames: ModelPick, holdoutPercent: number) => {
  const s = shares(holdoutPercent);
  return { name, kind: 'model' as const, stores: [storeId], arms: [
    { armId: 'treatment', name: armNames.treatment, share: s.treatment, model: pick.treatment },
    { armId: 'holdout', name: armNames.baseline, share: s.holdout, model: pick.baseline }] };
};

/**
 * The versions to start from, keeping a still usable choice: the newest usable version (the engine serves its
 * newest) against the newest usable one before it.
 */
export function defaultPick(list: readonly ModelVersionInfo[], current: Partial<ModelPick> = {}): ModelPick {
  const usable = usableVersions(list).map((v) => v.version);
  const keep = (v: string | undefined) => (v !== undefined && usable.includes(v) ? v : undefined);
  // The engine serves its newest version: by default the newest is tested against the one before it.
  const treatment = keep(current.treatment) ?? usable[0] ?? '';
  const baseline = keep(current.baseline) ?? usable.find((v) => v !== treatment) ?? '';
  return { treatment, baseline };
}

/**
 * Arm names for the report: "New model (29 Nov)" (or "Earlier model" when it is older than the baseline)
 * against "Previous model (23 Nov)", "Current model (…)" (the serving one) or "Baseline model (…)" (a newer one).
 */
export function defaultArmNames(pick: ModelPick, names: ModelNames): ModelPick {
  const t = names.get(pick.treatment);
  const b = names.get(pick.baseline);
  const older = t?.info && b?.info && Date.parse(t.info.createdAt) < Date.parse(b.info.createdAt);
  return {
    treatment: `${older ? 'Earlier' : 'New'} model (${t?.day ?? pick.treatment})`.slice(0, 80),
    baseline: `${b?.info?.use === 'serving' ? 'Current' : older ? 'Baseline' : 'Previous'} model (${b?.day ?? pick.baseline})`.slice(0, 80),
  };
}

/**
 * The same version on both arms is refused: both groups would see the same ranking, and the store's one
 * model experiment slot would be spent learning nothing about a new version. (An A/A check of the
 * measurement itself stays possible over the API.)
 */
export const sameVersionProblem = (pick: ModelPick): string | undefined => (pick.treatment && pick.treatment === pick.baseline
  ? 'Choose a different version from the one it is compared against: with the same version on both sides there is nothing to compare.'
  : undefined);
