import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Rule } from '../shared/contracts.js';
import { ConsoleApiError, explainError, type ConsoleApi, type Issue, type ModelVersionInfo } from './api.js';
import { defaultArmNames, defaultPick, holdoutOk, modelExperimentBody, ruleExperimentBody, sameVersionProblem, type ModelPick } from './experiment-body.js';
import type { ExperimentSummary } from './experiment-report.js';
import { modelVersionSelect, noModelVersions } from './model-version-select.js';
import { nameVersions, usableVersions, type ModelNames } from './model-versions.js';
import { issuesUnder, pathKey } from './rule-draft.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';

type Kind = 'rule' | 'model';
const DEFAULT_HOLDOUT: Record<Kind, string> = { rule: '20', model: '50' };
/** The fields a server issue can land on (the body's arms are always [treatment, holdout]). */
const FIELDS = ['name', 'ruleId', 'arms.0.model', 'arms.1.model', 'arms.0.name', 'arms.1.name'];
const isShare = (key: string) => key === 'arms' || /^arms\.\d+\.share$/.test(key);

/**
 * "New experiment": a name, then what to test — **a rule** (treatment rule on, holdout rule off) or **model
 * versions** (a new version against one to compare with, by default the one serving) — and the holdout's share.
 * Sent as `POST /api/v1/experiments` for this store; it starts as a draft. The engine's refusals land on
 * the field they name (`issues[].path`). Enter creates, Esc closes.
 * Classes: `dialog.new-experiment-dialog`, `input[name=kind]`, `select.rule`, `select.model-treatment`,
 * `select.model-baseline`, `.arm-name`, `.no-versions`, `.error`.
 *
 * @fires aisle-created - after the engine accepted it.
 */
@customElement('aisle-experiment-dialog')
export class AisleExperimentDialog extends LitElement {
  static override styles = [baseStyles, css`
    .dialog-body { width: min(800px, 90vw); }
    fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 18px; flex-wrap: wrap; }
    legend { padding: 0; margin-bottom: 6px; font-size: 13px; font-weight: 600; color: var(--aisle-ink-muted); }
    fieldset label { display: inline-flex; align-items: center; gap: 6px; }
    .pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 14px; }
    .pair select { width: 100%; }
    code { font-size: 13px; }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  /** The experiments listed on the page: a model experiment already running here is pointed out. */
  @property({ attribute: false }) experiments: readonly ExperimentSummary[] = [];
  @state() private _kind: Kind = 'rule';
  @state() private _rules: Rule[] = [];
  @state() private _models: ModelVersionInfo[] | undefined;
  @state() private _modelsError = '';
  @state() private _name = '';
  @state() private _ruleId = '';
  @state() private _pick: ModelPick = { treatment: '', baseline: '' };
  /** Arm names the merchandiser typed; the others follow the chosen versions. */
  @state() private _armNames: Partial<ModelPick> = {};
  @state() private _holdout = DEFAULT_HOLDOUT.rule;
  @state() private _holdoutTouched = false;
  @state() private _issues: Issue[] = [];
  @state() private _error = '';

  async open(): Promise<void> {
    this._error = '';
    this._issues = [];
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
    const [rules, models] = await Promise.allSettled([this.api.rules(this.store.storeId), this.api.models()]);
    if (rules.status === 'fulfilled') {
      this._rules = rules.value;
      this._ruleId ||= this._rules[0]?.ruleId ?? '';
    } else {
      this._error = explainError(rules.reason);
    }
    if (models.status === 'fulfilled') {
      this._models = models.value;
      this._modelsError = '';
      this._pick = defaultPick(models.value, this._pick);
    } else {
      this._modelsError = `Model versions could not be loaded. ${explainError(models.reason)}`;
    }
  }

  private get _names(): ModelNames { return nameVersions(this._models ?? [], this.store); }
  private _errors = (key: string) => issuesUnder(this._issues, key);
  private _clear(key: string): void {
    this._issues = this._issues.filter((i) => { const k = pathKey(i.path); return k !== key && !k.startsWith(`${key}.`); });
  }

  private _armName(which: keyof ModelPick): string {
    return this._armNames[which] ?? defaultArmNames(this._pick, this._names)[which];
  }

  private _setKind(kind: Kind): void {
    this._kind = kind;
    if (!this._holdoutTouched) this._holdout = DEFAULT_HOLDOUT[kind];
  }

  /** Everything the form needs is there and fine (the Create button; also checked on submit, which Enter or requestSubmit may force). */
  private _ready(): boolean {
    if (!this._name.trim() || !holdoutOk(Number(this._holdout))) return false;
    if (this._kind === 'rule') return !!this._ruleId;
    return usableVersions(this._models ?? []).length >= 2 && !sameVersionProblem(this._pick)
      && !!this._armName('treatment').trim() && !!this._armName('baseline').trim();
  }

  override render() {
    const shareOk = holdoutOk(Number(this._holdout));
    const modelReady = this._kind === 'model' && usableVersions(this._models ?? []).length >= 2;
    const shareErrors = this._issues.filter((i) => isShare(pathKey(i.path))).map((i) => i.message);
    return html`<dialog class="new-experiment-dialog" aria-labelledby="nx-title"><form @submit=${this._submit}>
      <div class="dialog-head"><h2 id="nx-title">New experiment</h2></div>
      <div class="dialog-body">
        <label class="field">Name<input class="name" .value=${this._name} required aria-invalid=${this._errors('name').length ? 'true' : 'false'}
          @input=${(e: Event) => { this._name = (e.target as HTMLInputElement).value; this._clear('name'); }}
          placeholder=${this._kind === 'rule' ? 'e.g. Does the breakfast rule sell more?' : 'e.g. The November model against the current one'}>
          ${this._fieldErrors('name')}</label>
        <fieldset><legend>What to test</legend>
          ${(['rule', 'model'] as const).map((k) => html`<label><input type="radio" name="kind" value=${k} .checked=${this._kind === k}
            @change=${() => this._setKind(k)}>${k === 'rule' ? 'A rule' : 'Model versions'}</label>`)}</fieldset>
        ${this._kind === 'rule' ? this._ruleFields() : this._modelFields()}
        ${this._kind === 'rule' || modelReady ? html`<label class="field">${this._kind === 'rule' ? 'Holdout: shoppers who never get the rule'
            : 'Shoppers ranked by the version compared against'}
          <span class="row"><input class="holdout" inputmode="numeric" style="width:80px" .value=${this._holdout}
            aria-invalid=${shareOk && !shareErrors.length ? 'false' : 'true'}
            @input=${(e: Event) => { this._holdout = (e.target as HTMLInputElement).value; this._holdoutTouched = true; this._issues = this._issues.filter((i) => !isShare(pathKey(i.path))); }}> %</span>
          ${!shareOk ? html`<span class="error">Between 5 and 50 %</span>` : shareErrors.length ? html`<span class="error">${shareErrors.join(' ')}</span>`
            : html`<span class="hint">${this._kind === 'model' ? 'The others are ranked by the new version. ' : ''}Each shopper stays in their group for the whole experiment.</span>`}</label>` : nothing}
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      </div>
      <div class="dialog-foot"><button type="button" @click=${() => this.renderRoot.querySelector('dialog')?.close()}>Cancel</button>
        <button class="primary" type="submit" ?disabled=${!this._ready()}>Create</button></div>
    </form></dialog>`;
  }

  private _fieldErrors(key: string) {
    const e = this._errors(key);
    return e.length ? html`<span class="error">${e.join(' ')}</span>` : nothing;
  }

  private _ruleFields() {
    return html`<label class="field">Rule to test<select class="rule" aria-invalid=${this._errors('ruleId').length ? 'true' : 'false'}
        @change=${(e: Event) => { this._ruleId = (e.target as HTMLSelectElement).value; this._clear('ruleId'); }}>
      ${this._rules.map((r) => html`<option value=${r.ruleId} ?selected=${r.ruleId === this._ruleId}>${r.name}</option>`)}</select>
      ${this._fieldErrors('ruleId')}</label>`;
  }

  private _modelFields() {
    if (this._modelsError) return html`<p class="banner" role="alert">${this._modelsError}</p>`;
    const list = this._models;
    if (!list) return html`<p class="muted">Loading model versions…</p>`;
    const usable = usableVersions(list);
    if (usable.length < 2) return noModelVersions(list, this._names, this.store);
    const names = this._names;
    const same = sameVersionProblem(this._pick);
    const busy = this.experiments.filter((x) => x.kind === 'model' && (x.status === 'running' || x.status === 'paused')
      && (!x.stores?.length || x.stores.includes(this.store.storeId)));
    const arm = (which: keyof ModelPick, i: number, label: string, extra: string[]) => modelVersionSelect({
      cls: `model-${which}`, label, versions: list, names, store: this.store, value: this._pick[which],
      errors: [...extra, ...this._errors(`arms.${i}.model`)],
      onPick: (v) => { this._pick = { ...this._pick, [which]: v }; this._clear(`arms.${i}.model`); },
      armName: this._armName(which), armNameErrors: this._errors(`arms.${i}.name`),
      onArmName: (name) => { this._armNames = { ...this._armNames, [which]: name }; this._clear(`arms.${i}.name`); },
    });
    return html`<div class="pair">
        ${arm('treatment', 0, 'New version', same ? [same] : [])}
        ${arm('baseline', 1, 'Compare against (the baseline)', [])}</div>
      ${busy.length ? html`<p class="banner info model-busy">“${busy[0]!.name}” already tests model versions in this store. Only one model experiment
        splits a store's shoppers at a time: start this one once that one has stopped.</p>` : nothing}`;
  }

  private _submit = async (e: Event) => {
    e.preventDefault();
    if (!this._ready()) return;
    const name = this._name.trim();
    const holdout = Number(this._holdout);
    const body = this._kind === 'rule' ? ruleExperimentBody(name, this.store.storeId, this._ruleId, holdout)
      : modelExperimentBody(name, this.store.storeId, this._pick,
        { treatment: this._armName('treatment').trim(), baseline: this._armName('baseline').trim() }, holdout);
    this._error = '';
    this._issues = [];
    try {
      await this.api.createExperiment(body);
      this.renderRoot.querySelector('dialog')?.close();
      this._name = '';
      this._armNames = {};
      this.dispatchEvent(new CustomEvent('aisle-created'));
    } catch (err) {
      if (!(err instanceof ConsoleApiError) || !err.issues.length) { this._error = explainError(err); return; }
      this._issues = err.issues;
      // What no field of this kind shows is said below the form.
      const shown = (key: string) => isShare(key) || FIELDS.some((f) => (key === f || key.startsWith(`${f}.`))
        && (this._kind === 'model' ? f !== 'ruleId' : !f.startsWith('arms.')));
      const rest = err.issues.filter((i) => !shown(pathKey(i.path)));
      this._error = rest.length ? rest.map((i) => `${pathKey(i.path) || 'body'}: ${i.message}`).join('; ') : '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  };
}

declare global { interface HTMLElementTagNameMap { 'aisle-experiment-dialog': AisleExperimentDialog } }
