/**
 * @module console/model-version-select
 * A model version picker for one arm of a model experiment: a native select whose options read
 * "29 Nov 2026 · serving now · NDCG@10 0.299" (versions the engine could not load are shown, disabled),
 * the version and its offline test underneath, and the arm's name in the report. Problems replace the detail.
 * And what shows instead when fewer than two versions can be picked.
 * Classes: the select's `cls`, `.arm-name`, `.error`, `.no-versions`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ModelVersionInfo } from './api.js';
import { optionText, usableVersions, versionDetail, versionWords, type ModelNames } from './model-versions.js';
import type { StoreModel } from './store-model.js';

export interface VersionSelectOptions {
  cls: string;
  label: string;
  versions: readonly ModelVersionInfo[];
  names: ModelNames;
  store: Pick<StoreModel, 'timezone' | 'locale'>;
  value: string;
  errors: readonly string[];
  onPick(version: string): void;
  armName: string;
  armNameErrors: readonly string[];
  onArmName(name: string): void;
}

export function modelVersionSelect(o: VersionSelectOptions): TemplateResult {
  const bad = o.errors.length > 0;
  return html`<div class="stack arm-pick">
    <label class="field">${o.label}
      <select class=${o.cls} aria-invalid=${bad ? 'true' : 'false'} @change=${(e: Event) => o.onPick((e.target as HTMLSelectElement).value)}>
        ${o.versions.map((v) => html`<option value=${v.version} ?selected=${v.version === o.value} ?disabled=${v.use === 'failed'}>${
          optionText(versionWords(o.names, v.version, o.store), o.store.locale)}</option>`)}</select>
      ${bad ? html`<span class="error">${o.errors.join(' ')}</span>`
        : o.value ? html`<span class="hint">${versionDetail(versionWords(o.names, o.value, o.store), o.store)}</span>` : nothing}</label>
    <label class="field">Name in the report
      <input class="arm-name" maxlength="80" .value=${o.armName} aria-invalid=${o.armNameErrors.length ? 'true' : 'false'}
        @input=${(e: Event) => o.onArmName((e.target as HTMLInputElement).value)}>
      ${o.armNameErrors.length ? html`<span class="error">${o.armNameErrors.join(' ')}</span>` : nothing}</label>
  </div>`;
}

/** The empty state of a model experiment: fewer than two versions it could use (none, one, or the others failed to load). */
export function noModelVersions(list: readonly ModelVersionInfo[], names: ModelNames, where: Pick<StoreModel, 'timezone' | 'locale'>): TemplateResult {
  const usable = usableVersions(list).length;
  const failed = list.filter((v) => v.use === 'failed')
    .map((v) => `${versionWords(names, v.version, where).label} could not be loaded${v.reason ? ` (${v.reason})` : ''}.`);
  const title = usable === 0 ? 'No model version is installed' : failed.length ? 'Only one model version can be used' : 'Only one model version is installed';
  return html`<div class="empty no-versions"><strong>${title}</strong>
    ${failed.join(' ')} ${usable === 0 ? 'Train one' : 'Train another'} with <code>npm run model:train</code>: it appears here once it is
    in the engine's model folder. Until then, test rules.</div>`;
}
