import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Rule, RuleInput } from '../shared/contracts.js';
import { ConsoleApiError, explainError, type ConsoleApi, type Issue } from './api.js';
import { editorStateOf, newEditorState, toRuleInput, type EditorState, type Validated } from './rule-draft.js';
import { navigate } from './router.js';
import type { ConsoleRole } from './session.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import type { AisleVersionsDialog } from './versions-dialog.js';
import './rule-form.js';
import './rule-preview.js';
import './versions-dialog.js';

/**
 * `#/rules/new` and `#/rules/{ruleId}`: the rule form beside its live preview. Saves with `POST
 * /api/v1/rules` or `PUT /api/v1/rules/{ruleId}`; a 4xx's `issues` go back to the fields they name.
 * Classes: `.saved` (the confirmation), `.load-error`.
 */
@customElement('aisle-rule-editor-page')
export class AisleRuleEditorPage extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .top { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 14px; }
    .cols { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(360px, 1fr); gap: 18px; align-items: start; }
    .side { position: sticky; top: 76px; max-height: calc(100vh - 96px); overflow: auto; }
    @media (max-width: 960px) { .cols { grid-template-columns: minmax(0, 1fr); } .side { position: static; max-height: none; } }
    .saved { color: var(--aisle-ok); }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  /** The token's role: `console` looks only; undefined when it could not be told (writes are offered, a 403 explains). */
  @property({ attribute: false }) access: ConsoleRole | undefined;
  /** undefined: a new rule. */
  @property() ruleId: string | undefined;
  @state() private _rule: Rule | undefined;
  @state() private _initial: EditorState | undefined;
  @state() private _validated: Validated | undefined;
  @state() private _serverIssues: Issue[] = [];
  @state() private _error = '';
  @state() private _saved = '';
  @state() private _saving = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // After a create the page moves to the new rule's address; it already shows that rule.
    if (changed.has('store') || (changed.has('ruleId') && (this.ruleId === undefined || this.ruleId !== this._rule?.ruleId))) void this._load();
  }

  override render() {
    const r = this._rule;
    const v = this._validated;
    return html`<div class="top">
        <a class="button quiet" href="#/rules">← Rules</a>
        <h1 tabindex="-1">${this.ruleId ? r?.name ?? 'Rule' : 'New rule'}</h1>
        ${r ? html`<span class="badge ${r.enabled ? 'on' : 'off'}">${r.enabled ? 'Enabled' : 'Disabled'}</span>
          <span class="faint">Version ${r.version} · by ${r.updatedBy} · ${new Date(r.updatedAt).toLocaleString(this.store.locale)}</span>
          <button class="quiet history" @click=${() => this.renderRoot.querySelector<AisleVersionsDialog>('aisle-versions-dialog')?.open(r)}>History…</button>` : nothing}
        <span class="spacer"></span>
        ${this._saved ? html`<span class="saved" role="status">${this._saved}</span>` : nothing}
      </div>
      ${this._error ? html`<p class="banner load-error" role="alert">${this._error}</p>` : nothing}
      ${this._initial ? html`<div class="cols">
        <aisle-rule-form .store=${this.store} .initial=${this._initial} .serverIssues=${this._serverIssues} ?readOnly=${this.access === 'console'}
          ?saving=${this._saving} saveLabel=${this.ruleId ? 'Save changes' : 'Create rule'}
          @aisle-rule-change=${(e: CustomEvent<Validated>) => { this._validated = e.detail; this._saved = ''; }}
          @aisle-rule-submit=${(e: CustomEvent<RuleInput>) => void this._save(e.detail)}></aisle-rule-form>
        <aside class="side card"><aisle-rule-preview .api=${this.api} .store=${this.store} .draft=${v?.ok ? v.input : undefined}
          ?draftInvalid=${v ? !v.ok : false} ruleId=${this.ruleId ?? 'draft-1'}></aisle-rule-preview></aside>
      </div>` : this._error ? nothing : html`<p class="muted">Loading the rule…</p>`}
      <aisle-versions-dialog .api=${this.api} .store=${this.store} ?readOnly=${this.access === 'console'}
        @aisle-restored=${(e: CustomEvent<Rule>) => this._show(e.detail, `Version ${e.detail.version} restored.`)}></aisle-versions-dialog>`;
  }

  private async _load(): Promise<void> {
    this._error = '';
    this._saved = '';
    this._serverIssues = [];
    if (!this.ruleId) {
      this._rule = undefined;
      this._show(undefined);
      return;
    }
    this._initial = undefined;
    try {
      this._show(await this.api.rule(this.ruleId));
    } catch (err) {
      this._error = `This rule could not be opened. ${explainError(err)}`;
    }
  }

  private _show(rule: Rule | undefined, saved = ''): void {
    this._rule = rule;
    this._initial = rule ? editorStateOf(rule) : newEditorState(this.store.storeId);
    this._validated = toRuleInput(this._initial);
    this._serverIssues = [];
    this._saved = saved;
  }

  private async _save(input: RuleInput): Promise<void> {
    this._saving = true;
    this._serverIssues = [];
    this._error = '';
    try {
      const saved = this.ruleId ? await this.api.replaceRule(this.ruleId, input) : await this.api.createRule(input);
      const words = `Saved as version ${saved.version}.${saved.enabled ? ' Screens use it within a second.' : ' It is disabled: screens ignore it.'}`;
      this._show(saved, words);
      if (!this.ruleId) {
        this.ruleId = saved.ruleId;
        navigate({ page: 'rule', ruleId: saved.ruleId });
      }
    } catch (err) {
      if (err instanceof ConsoleApiError && err.issues.length) this._serverIssues = err.issues;
      this._error = `Not saved. ${explainError(err)}`;
    } finally {
      this._saving = false;
    }
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-rule-editor-page': AisleRuleEditorPage } }
