import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Rule, RuleVersion } from '../shared/contracts.js';
import { explainError, type ConsoleApi } from './api.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';

const ACTIONS: Record<RuleVersion['action'], string> = {
  create: 'Created', update: 'Changed', enable: 'Enabled', disable: 'Disabled', delete: 'Deleted', restore: 'Restored',
};

/**
 * A rule's history (`GET /api/v1/rules/{id}/versions`, newest first) with "Restore" on earlier versions
 * (`POST …/restore`): a restore is itself a new version, so nothing is ever lost (docs/rules-api.md §Versions).
 * Classes: `dialog.versions`, `.version[data-version]`, `.restore`.
 *
 * @fires aisle-restored - `detail` is the rule as restored.
 */
@customElement('aisle-versions-dialog')
export class AisleVersionsDialog extends LitElement {
  static override styles = [baseStyles, css`dialog { width: min(720px, 94vw); }`];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  @property({ type: Boolean }) readOnly = false;
  @state() private _ruleId = '';
  @state() private _name = '';
  @state() private _versions: RuleVersion[] | undefined;
  @state() private _error = '';
  @state() private _busy = 0;

  async open(rule: Pick<Rule, 'ruleId' | 'name'>): Promise<void> {
    this._ruleId = rule.ruleId;
    this._name = rule.name;
    this._versions = undefined;
    this._error = '';
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
    try {
      this._versions = await this.api.versions(rule.ruleId);
    } catch (err) {
      this._error = explainError(err);
    }
  }

  override render() {
    const v = this._versions;
    const current = v?.[0]?.version;
    return html`<dialog class="versions" aria-labelledby="versions-title">
      <div class="dialog-head"><h2 id="versions-title">History of “${this._name}”</h2><span class="spacer"></span>
        <button class="quiet" @click=${() => this.renderRoot.querySelector('dialog')?.close()} aria-label="Close">Close ✕</button></div>
      <div class="dialog-body">
        ${this._error ? html`<p class="banner" role="alert">${this._error}</p>` : nothing}
        ${!v && !this._error ? html`<p class="muted">Loading…</p>` : nothing}
        ${v ? html`<table><thead><tr><th>Version</th><th>What</th><th>Who</th><th>When</th><th><span class="sr-only">Restore</span></th></tr></thead>
          <tbody>${v.map((x) => html`<tr class="version" data-version=${x.version}>
            <td>${x.version}${x.version === current ? html` <span class="badge">current</span>` : nothing}</td>
            <td>${ACTIONS[x.action]}${x.rule && x.rule.name !== this._name ? html` <span class="faint">(“${x.rule.name}”)</span>` : nothing}</td>
            <td>${x.by}</td><td>${new Date(x.at).toLocaleString(this.store?.locale)}</td>
            <td>${x.rule && x.version !== current && !this.readOnly ? html`<button class="restore" ?disabled=${this._busy !== 0}
              @click=${() => this._restore(x.version)}>${this._busy === x.version ? 'Restoring…' : 'Restore'}</button>` : nothing}</td>
          </tr>`)}</tbody></table>
          <p class="hint">Restoring makes a copy of that version the newest one; the history keeps everything.</p>` : nothing}
      </div>
    </dialog>`;
  }

  private async _restore(version: number): Promise<void> {
    this._busy = version;
    try {
      const rule = await this.api.restore(this._ruleId, version);
      this._versions = await this.api.versions(this._ruleId);
      this.dispatchEvent(new CustomEvent('aisle-restored', { detail: rule }));
    } catch (err) {
      this._error = explainError(err);
    } finally {
      this._busy = 0;
    }
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-versions-dialog': AisleVersionsDialog } }
