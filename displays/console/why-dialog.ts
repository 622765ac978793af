import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PreviewScreen, ScreenContent } from '../shared/contracts.js';
import { explainError, type ConsoleApi } from './api.js';
import { itemReasons, previewDetailStyles, ruleOutcomes } from './preview-details.js';
import { modeBadge, modeLabel } from './screen-thumb.js';
import { screenLabel, type StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import './screen-stage.js';

/**
 * "Why is this on that screen?" for one screen of the live page. Screens' frames carry no reasons, so the
 * internal reasons come from the preview (`POST /api/v1/rules/preview` for this screen, nobody in front,
 * now, the live rules) — and the dialog says so: when the screen is serving a shopper or an audience, the
 * preview shows what it would show with nobody there, not that decision's reasons.
 * Classes: `dialog.why`, `.preview-note`, plus preview-details' `.why-item`, `.outcome`.
 */
@customElement('aisle-why-dialog')
export class AisleWhyDialog extends LitElement {
  static override styles = [baseStyles, previewDetailStyles, css`
    dialog { width: min(980px, 94vw); }
    .cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
    @media (max-width: 900px) { .cols { grid-template-columns: minmax(0, 1fr); } }
    h3 { margin: 14px 0 8px; }
    section > h3:first-child { margin-top: 0; }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  @state() private _screenId = '';
  @state() private _live: ScreenContent | undefined;
  @state() private _preview: PreviewScreen | undefined;
  @state() private _error = '';
  @state() private _loading = false;
  private _abort: AbortController | undefined;

  /** Opens the dialog for a screen, with the frame it shows now (if the console socket has one). */
  async open(screenId: string, live: ScreenContent | undefined): Promise<void> {
    this._screenId = screenId;
    this._live = live;
    this._preview = undefined;
    this._error = '';
    await this.updateComplete;
    const d = this.renderRoot.querySelector('dialog')!;
    if (!d.open) d.showModal();
    await this._load();
  }

  override render() {
    const s = this.store;
    const mode = this._live?.reason;
    return html`<dialog class="why" aria-labelledby="why-title" @close=${() => this._abort?.abort()}>
      <div class="dialog-head"><h2 id="why-title">${s ? screenLabel(s, this._screenId) : this._screenId}</h2>${modeBadge(mode)}
        <span class="spacer"></span><button class="quiet" @click=${this._close} aria-label="Close">Close ✕</button></div>
      <div class="dialog-body">
        <div class="cols">
          <section><h3>On the screen now</h3>
            ${this._live ? html`<aisle-screen-stage .frame=${this._live} .categories=${s?.categoryOf} .locale=${s?.locale}></aisle-screen-stage>`
              : html`<p class="empty">No content seen on this screen since the console opened.</p>`}</section>
          <section><h3>Why — preview</h3>
            <p class="banner info preview-note">This is a <strong>preview</strong>: what the engine would decide for this screen now,
              with <strong>nobody in front of it</strong>, using the live rules.${mode && mode !== 'idle'
                ? html` The screen is showing ${modeLabel(mode).toLowerCase()} content; the reasons for that decision are not sent to the console.`
                : nothing}</p>
            ${this._error ? html`<p class="banner" role="alert">${this._error}</p>` : nothing}
            ${this._loading ? html`<p class="muted">Asking the engine…</p>` : nothing}
            ${this._preview ? html`<h3>Items and their reasons</h3>${itemReasons(s, this._preview, new Map(this._preview.rules.map((r) => [r.ruleId, r.name])))}` : nothing}
          </section>
        </div>
        ${this._preview ? html`<section><h3>Rules</h3>${ruleOutcomes(this._preview)}</section>` : nothing}
      </div>
    </dialog>`;
  }

  private async _load(): Promise<void> {
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this._loading = true;
    try {
      const r = await this.api.preview({ storeId: this.store.storeId, screenId: this._screenId }, abort.signal);
      this._preview = r.screens[0];
    } catch (err) {
      if (!abort.signal.aborted) this._error = explainError(err);
    } finally {
      if (this._abort === abort) this._loading = false;
    }
  }

  private _close = () => this.renderRoot.querySelector('dialog')?.close();
}

declare global { interface HTMLElementTagNameMap { 'aisle-why-dialog': AisleWhyDialog } }
