import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Rule } from '../shared/contracts.js';
import { explainError, type ConsoleApi } from './api.js';
import { routeHref } from './router.js';
import { doesWords, triggerWords, whereWords } from './rule-words.js';
import type { ConsoleRole } from './session.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import type { AisleVersionsDialog } from './versions-dialog.js';
import './versions-dialog.js';

type Filter = 'all' | 'enabled' | 'disabled';

/** Rules whose name (or description) contains every word of the query, with the enabled filter. Pure. */
export function filterRules(rules: readonly Rule[], query: string, filter: Filter): Rule[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return rules.filter((r) => (filter === 'all' || (filter === 'enabled') === r.enabled)
    && words.every((w) => `${r.name} ${r.description ?? ''}`.toLowerCase().includes(w)));
}

/**
 * `#/rules`: the store's rules (`GET /api/v1/rules?storeId=`), highest priority first; search by name,
 * filter enabled/disabled; enable/disable, history with restore, delete (confirmed, with undo).
 * Classes: `.search`, `.filter`, `.rule[data-rule-id]`, `.toggle`, `.delete`, `.history`, `dialog.confirm`, `.undo`.
 */
@customElement('aisle-rules-page')
export class AisleRulesPage extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .top { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 14px; }
    .tools { display: flex; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; }
    .search { width: 300px; }
    .name a { color: var(--aisle-ink); font-weight: 700; text-decoration: none; }
    .name a:hover { text-decoration: underline; }
    td.name { min-width: 240px; max-width: 360px; }
    .name p { font-size: 13px; color: var(--aisle-ink-faint); display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
    td.actions { text-align: right; white-space: nowrap; }
    .prio { font-variant-numeric: tabular-nums; color: var(--aisle-ink-muted); }
    tr.off td:not(.actions) { opacity: 0.62; }
    @media (max-width: 1100px) { .where { display: none; } }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  /** The token's role: `console` looks only; undefined when it could not be told (writes are offered, a 403 explains). */
  @property({ attribute: false }) access: ConsoleRole | undefined;
  @state() private _rules: Rule[] | undefined;
  @state() private _query = '';
  @state() private _filter: Filter = 'all';
  @state() private _error = '';
  @state() private _notice: { text: string; undo?: () => Promise<void> } | undefined;
  @state() private _confirm: Rule | undefined;
  @state() private _busy = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') || changed.has('api')) void this._load();
  }

  override render() {
    const canWrite = this.access !== 'console';
    const shown = this._rules ? filterRules(this._rules, this._query, this._filter) : [];
    return html`<div class="top"><h1 tabindex="-1">Rules</h1><span class="spacer"></span>
        ${canWrite ? html`<a class="button primary new-rule" href=${routeHref({ page: 'rule' })}>+ New rule</a>`
          : html`<span class="faint">Look-only token: rules can be opened and previewed, not changed.</span>`}</div>
      <div class="tools" role="search">
        <label><span class="sr-only">Search rules by name</span><input class="search" type="search" placeholder="Search by name…"
          .value=${this._query} @input=${(e: Event) => { this._query = (e.target as HTMLInputElement).value; }}></label>
        <label><span class="sr-only">Show</span><select class="filter" @change=${(e: Event) => { this._filter = (e.target as HTMLSelectElement).value as Filter; }}>
          <option value="all">All rules</option><option value="enabled">Enabled only</option><option value="disabled">Disabled only</option></select></label>
      </div>
      ${this._notice ? html`<p class="banner info" role="status">${this._notice.text}
        ${this._notice.undo ? html` <button class="undo" @click=${() => void this._notice?.undo?.()}>Undo</button>` : nothing}</p>` : nothing}
      ${this._error ? html`<p class="banner" role="alert">${this._error}</p>` : nothing}
      ${!this._rules ? (this._error ? nothing : html`<p class="muted">Loading rules…</p>`)
        : !this._rules.length ? html`<div class="empty"><strong>No rules yet</strong>Screens show what the model ranks for each zone.
            ${canWrite ? html`<a href=${routeHref({ page: 'rule' })}>Create the first rule</a>.` : nothing}</div>`
        : !shown.length ? html`<div class="empty"><strong>No rule matches</strong>Try another word, or show all rules.</div>`
        : html`<table><thead><tr><th>Rule</th><th>Priority</th><th class="where">Where and when</th><th>Trigger</th><th>Does</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${shown.map((r) => this._row(r, canWrite))}</tbody></table>`}
      ${this._confirmDialog()}
      <aisle-versions-dialog .api=${this.api} .store=${this.store} ?readOnly=${!canWrite}
        @aisle-restored=${(e: CustomEvent<Rule>) => { this._notice = { text: `“${e.detail.name}” restored as version ${e.detail.version}.` }; void this._load(); }}></aisle-versions-dialog>`;
  }

  private _row(r: Rule, canWrite: boolean) {
    return html`<tr class="rule ${r.enabled ? 'on' : 'off'}" data-rule-id=${r.ruleId}>
      <td class="name"><a href=${routeHref({ page: 'rule', ruleId: r.ruleId })}>${r.name}</a>${r.description ? html`<p>${r.description}</p>` : nothing}</td>
      <td class="prio">${r.priority}</td>
      <td class="where">${whereWords(r, this.store)}</td>
      <td>${triggerWords(r)}</td>
      <td>${doesWords(r, this.store)}</td>
      <td class="actions">
        <label class="toggle-label"><span class="badge ${r.enabled ? 'on' : 'off'}">${r.enabled ? 'Enabled' : 'Disabled'}</span>
          ${canWrite ? html`<button class="toggle" ?disabled=${this._busy === r.ruleId} @click=${() => this._toggle(r)}
            aria-label="${r.enabled ? 'Disable' : 'Enable'} ${r.name}">${r.enabled ? 'Disable' : 'Enable'}</button>` : nothing}</label>
        <button class="quiet history" @click=${() => this.renderRoot.querySelector<AisleVersionsDialog>('aisle-versions-dialog')?.open(r)}
          aria-label="History of ${r.name}">History</button>
        ${canWrite ? html`<button class="quiet danger delete" @click=${() => this._askDelete(r)} aria-label="Delete ${r.name}">Delete</button>` : nothing}
      </td></tr>`;
  }

  private _confirmDialog() {
    const r = this._confirm;
    return html`<dialog class="confirm" aria-labelledby="confirm-title" @close=${() => { this._confirm = undefined; }}>
      <form method="dialog" @submit=${(e: SubmitEvent) => { if ((e.submitter as HTMLButtonElement | null)?.value === 'delete' && r) void this._delete(r); }}>
        <div class="dialog-head"><h2 id="confirm-title">Delete “${r?.name ?? ''}”?</h2></div>
        <div class="dialog-body"><p>Screens stop using it within a second. Its history is kept, so it can be restored.</p></div>
        <div class="dialog-foot"><button value="cancel" autofocus>Keep it</button><button class="primary" value="delete">Delete</button></div>
      </form></dialog>`;
  }

  private async _askDelete(r: Rule): Promise<void> {
    this._confirm = r;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm')?.showModal();
  }

  private async _load(): Promise<void> {
    try {
      this._rules = await this.api.rules(this.store.storeId);
      this._error = '';
    } catch (err) {
      this._error = `The rules could not be loaded. ${explainError(err)}`;
    }
  }

  private async _toggle(r: Rule): Promise<void> {
    this._busy = r.ruleId;
    try {
      const next = await this.api.setEnabled(r.ruleId, !r.enabled);
      this._rules = this._rules?.map((x) => (x.ruleId === next.ruleId ? next : x));
      this._notice = { text: `“${next.name}” ${next.enabled ? 'enabled: screens use it within a second' : 'disabled: screens stop using it within a second'}.` };
    } catch (err) {
      this._error = explainError(err);
    } finally {
      this._busy = '';
    }
  }

  private async _delete(r: Rule): Promise<void> {
    try {
      await this.api.deleteRule(r.ruleId);
      this._rules = this._rules?.filter((x) => x.ruleId !== r.ruleId);
      this._notice = { text: `“${r.name}” deleted.`, undo: async () => {
        try {
          const back = await this.api.restore(r.ruleId, r.version);
          this._notice = { text: `“${back.name}” is back.` };
          await this._load();
        } catch (err) { this._error = explainError(err); }
      } };
    } catch (err) {
      this._error = explainError(err);
    }
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-rules-page': AisleRulesPage } }
