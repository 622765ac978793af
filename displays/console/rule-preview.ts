import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PreviewScreen, RuleInput } from '../shared/contracts.js';
import { ConsoleApiError, explainError, type ConsoleApi } from './api.js';
import { chipStyles } from './chip-select.js';
import { itemReasons, previewDetailStyles, ruleOutcomes } from './preview-details.js';
import { buildPreviewQuery, DEFAULT_SHOPPER, type PreviewState } from './preview-query.js';
import { shopperDetails, shopperPicker, visitDetails } from './preview-shopper.js';
import { modeBadge } from './screen-thumb.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import './screen-stage.js';
import './sku-picker.js';

export const PREVIEW_DEBOUNCE_MS = 300;

/**
 * The rule editor's live preview: pick a screen and who stands in front of it, and see the screen as it
 * would render (the player's own templates) with each item's reasons and every rule's outcome, from
 * `POST /api/v1/rules/preview` with the form's rule as a `draft` (debounced ~300 ms; nothing is published,
 * live caps are read, never counted). Classes: `.screen-pick`, `.outcome`, `.why-item`, `.status`.
 */
@customElement('aisle-rule-preview')
export class AisleRulePreview extends LitElement {
  static override styles = [baseStyles, chipStyles, previewDetailStyles, css`
    :host { display: grid; gap: 14px; }
    .head { display: flex; align-items: center; gap: 10px; }
    .group { display: grid; gap: 8px; margin: 0; padding: 0; border: 0; min-width: 0; }
    .group > legend { padding: 0; margin-bottom: 6px; font-size: 13px; font-weight: 600; color: var(--aisle-ink-muted); }
    .segmented { display: inline-flex; padding: 3px; border-radius: 10px; background: rgb(0 0 0 / 0.3); justify-self: start; }
    .seg input { position: absolute; opacity: 0; width: 1px; height: 1px; }
    .seg span { display: block; padding: 5px 12px; border-radius: 8px; font-size: 13.5px; font-weight: 600; color: var(--aisle-ink-muted); cursor: pointer; }
    .seg input:checked + span { background: var(--aisle-surface-2); color: var(--aisle-ink); box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .seg input:focus-visible + span { outline: 2px solid var(--aisle-accent); }
    .described { display: grid; gap: 10px; }
    .two { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
    .checks { display: flex; flex-wrap: wrap; gap: 6px 16px; }
    .check { display: inline-flex; align-items: center; gap: 7px; font-size: 14px; }
    details { padding: 10px 12px; border-radius: 10px; background: rgb(0 0 0 / 0.18); }
    summary { cursor: pointer; font-weight: 600; font-size: 14px; color: var(--aisle-ink-muted); }
    details .stack { margin-top: 10px; }
    h3 { margin-bottom: 8px; }
    .result { display: grid; gap: 12px; }
    .status { font-size: 12.5px; color: var(--aisle-ink-faint); }
    .updating { opacity: 0.6; transition: opacity 200ms; }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  /** The form's rule when it is valid; undefined shows the live rules only. */
  @property({ attribute: false }) draft: RuleInput | undefined;
  /** The form has errors (so the preview runs without it). */
  @property({ type: Boolean }) draftInvalid = false;
  /** The edited rule's id (`draft-1` for a new one), to single out its outcome. */
  @property() ruleId = 'draft-1';
  @state() private _s!: PreviewState;
  @state() private _result: PreviewScreen | undefined;
  @state() private _error = '';
  @state() private _customerError = '';
  @state() private _loading = false;
  @state() private _at = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _abort: AbortController | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this._s) {
      const target = this.draft?.target;
      const first = this.store.screens.find((s) => target?.screens?.includes(s.screenId))
        ?? this.store.screens.find((s) => target?.zones?.includes(s.zoneId)) ?? this.store.screens[0];
      this._s = { screenId: first?.screenId ?? '', shopper: 'nobody', customerId: '', described: DEFAULT_SHOPPER, dwellSeconds: '', tappedSku: '', at: '' };
    }
    if (changed.has('draft') || changed.has('draftInvalid') || changed.has('store')) this._schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    this._abort?.abort();
  }

  override render() {
    const s = this._s;
    const r = this._result;
    const set = (x: Partial<PreviewState>) => this._set(x);
    return html`<div class="head"><h2>Live preview</h2><span class="badge">Preview · nothing is published</span></div>
      <label class="field">Screen<select class="screen-pick" @change=${(e: Event) => this._set({ screenId: (e.target as HTMLSelectElement).value })}>
        ${this.store.screens.map((x) => html`<option value=${x.screenId} ?selected=${x.screenId === s.screenId}>${x.label}</option>`)}</select></label>
      ${shopperPicker(s, set, this._customerError)}
      ${this.draftInvalid ? html`<p class="banner info">The form has something to fix, so the preview shows the rules as they are live, without this one.</p>`
        : this.draft && this.draft.enabled === false ? html`<p class="hint">The preview applies this rule as if enabled.</p>` : nothing}
      ${this._error ? html`<p class="banner" role="alert">${this._error}</p>` : nothing}
      ${r ? html`<div class="result ${this._loading ? 'updating' : ''}" aria-busy=${this._loading}>
          <div class="row">${modeBadge(r.mode)}<span class="status" role="status">${this._loading ? 'Updating…' : `Updated ${new Date(this._at).toLocaleTimeString()}`}
            · ranked by ${r.ranker}</span></div>
          <aisle-screen-stage .frame=${r.frame} .categories=${this.store.categoryOf} .locale=${this.store.locale}></aisle-screen-stage>
          <section><h3>This rule and the others</h3>${ruleOutcomes(r, this.ruleId)}</section>
        </div>` : this._loading ? html`<p class="muted">Asking the engine…</p>` : nothing}
      ${shopperDetails(this.store, s, set)}
      ${visitDetails(this.store, s, set)}
      ${r ? html`<section class="${this._loading ? 'updating' : ''}"><h3>Items and their reasons</h3>${itemReasons(this.store, r, new Map(r.rules.map((o) => [o.ruleId, o.name])))}</section>` : nothing}`;
  }

  private _set(x: Partial<PreviewState>): void {
    this._s = { ...this._s, ...x };
    if ('customerId' in x || 'shopper' in x) this._customerError = '';
    this._schedule();
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => void this._run(), PREVIEW_DEBOUNCE_MS);
  }

  private async _run(): Promise<void> {
    const s = this._s;
    if (!s.screenId) { this._error = 'This store has no screens to preview.'; return; }
    if (s.shopper === 'member' && !s.customerId.trim()) return;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this._loading = true;
    try {
      const res = await this.api.preview(buildPreviewQuery(this.store.storeId, this.store.timezone, s, this.draft), abort.signal);
      this._result = res.screens[0];
      this._at = Date.now();
      this._error = '';
    } catch (err) {
      if (abort.signal.aborted) return;
      if (err instanceof ConsoleApiError && err.code === 'customer.not_found') this._customerError = 'No member with this id.';
      else this._error = `The preview failed: ${explainError(err)}`;
    } finally {
      if (this._abort === abort) this._loading = false;
    }
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-rule-preview': AisleRulePreview } }
