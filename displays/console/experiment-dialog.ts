import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Rule } from '../shared/contracts.js';
import { ConsoleApiError, explainError, type ConsoleApi } from './api.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';

/**
 * "New experiment": a rule, a name and the holdout's share; sent as `POST /api/v1/experiments` with a
 * treatment arm (rule on) and the holdout (rule off), for this store. It starts as a draft. Enter creates, Esc closes.
 * Classes: `dialog.new-experiment-dialog`, `.error`.
 *
 * @fires aisle-created - after the engine accepted it.
 */
@customElement('aisle-experiment-dialog')
export class AisleExperimentDialog extends LitElement {
  static override styles = [baseStyles];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  @state() private _rules: Rule[] = [];
  @state() private _name = '';
  @state() private _ruleId = '';
  @state() private _holdout = '20';
  @state() private _error = '';

  async open(): Promise<void> {
    this._error = '';
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
    try {
      this._rules = await this.api.rules(this.store.storeId);
      this._ruleId ||= this._rules[0]?.ruleId ?? '';
    } catch (err) {
      this._error = explainError(err);
    }
  }

  override render() {
    const share = Number(this._holdout);
    const shareOk = Number.isFinite(share) && share >= 5 && share <= 50;
    return html`<dialog class="new-experiment-dialog" aria-labelledby="nx-title"><form @submit=${this._submit}>
      <div class="dialog-head"><h2 id="nx-title">New experiment</h2></div>
      <div class="dialog-body">
        <label class="field">Name<input .value=${this._name} required @input=${(e: Event) => { this._name = (e.target as HTMLInputElement).value; }}
          placeholder="e.g. Does the breakfast rule sell more?"></label>
        <label class="field">Rule to test<select @change=${(e: Event) => { this._ruleId = (e.target as HTMLSelectElement).value; }}>
          ${this._rules.map((r) => html`<option value=${r.ruleId} ?selected=${r.ruleId === this._ruleId}>${r.name}</option>`)}</select></label>
        <label class="field">Holdout: shoppers who never get the rule
          <span class="row"><input inputmode="numeric" style="width:80px" .value=${this._holdout} aria-invalid=${shareOk ? 'false' : 'true'}
            @input=${(e: Event) => { this._holdout = (e.target as HTMLInputElement).value; }}> %</span>
          ${shareOk ? html`<span class="hint">Each shopper stays in their group for the whole experiment.</span>` : html`<span class="error">Between 5 and 50 %</span>`}</label>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      </div>
      <div class="dialog-foot"><button type="button" @click=${() => this.renderRoot.querySelector('dialog')?.close()}>Cancel</button>
        <button class="primary" type="submit" ?disabled=${!this._name.trim() || !this._ruleId || !shareOk}>Create</button></div>
    </form></dialog>`;
  }

  private _submit = async (e: Event) => {
    e.preventDefault();
    const holdout = Math.round(Number(this._holdout)) / 100;
    try {
      // A token for one store may only create experiments aimed at exactly that store.
      await this.api.createExperiment({ name: this._name.trim(), ruleId: this._ruleId, stores: [this.store.storeId], arms: [
        { armId: 'treatment', name: 'Rule on', share: Math.round((1 - holdout) * 100) / 100, rule: 'on' },
        { armId: 'holdout', name: 'Holdout', share: holdout, rule: 'off' }] });
      this.renderRoot.querySelector('dialog')?.close();
      this.dispatchEvent(new CustomEvent('aisle-created'));
    } catch (err) {
      this._error = err instanceof ConsoleApiError && err.issues.length
        ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : explainError(err);
    }
  };
}

declare global { interface HTMLElementTagNameMap { 'aisle-experiment-dialog': AisleExperimentDialog } }
