import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AssociateSession } from './session.js';
import { StoreApiError, fetchStores } from './store-names.js';
import { appStyles } from './styles.js';
import { wordsFor, type AssociateWords } from './words.js';

const ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** What a failed store look-up means for the person holding the token. */
export function signInError(err: unknown, w: AssociateWords): string {
  if (err instanceof StoreApiError) {
    if (err.status === 401) return w.errToken;
    if (err.status === 0) return w.errUnreachable;
    return `${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Sign-in on the phone: the associate token, the associate's id and (optional) the store id. With no store id
 * the token's stores are looked up (`GET /api/v1/stores`, which any token may call): one is taken, several
 * are offered. The WebSocket then has the last word (a refused hello shows on the main page).
 * Classes: `input.token`, `input.associate`, `input.store`, `.error`, `.store-choice[data-store-id]`.
 *
 * @fires aisle-signed-in - `detail` is the `AssociateSession` to remember.
 */
@customElement('aisle-associate-sign-in')
export class AisleAssociateSignIn extends LitElement {
  static override styles = [appStyles, css`
    :host { display: grid; place-items: start center; min-height: 100dvh; padding: 28px 18px;
            background: radial-gradient(90% 50% at 100% 0%, rgb(217 178 106 / 0.16), transparent 60%), var(--aisle-bg); }
    form { width: min(430px, 100%); display: grid; gap: 18px; }
    .brand { font-size: 12px; font-weight: 800; letter-spacing: 0.24em; text-transform: uppercase; color: var(--aisle-accent); }
    .row { display: flex; gap: 8px; }
    .row input { flex: 1; font-family: ui-monospace, monospace; }
    .stores { display: grid; gap: 8px; }
    .store-choice { justify-content: space-between; width: 100%; }
    button[type='submit'] { min-height: 56px; font-size: 18px; }
  `];

  @property() token = '';
  @property() associateId = '';
  @property() storeId = '';
  /** Locale of the form's words (`?lang=`, the last alert's, or the browser's). */
  @property() locale: string | undefined;
  @state() private _error = '';
  @state() private _busy = false;
  @state() private _reveal = false;
  @state() private _stores: Array<{ storeId: string; name: string }> | undefined;

  override render() {
    const w = wordsFor(this.locale);
    return html`<form @submit=${this._submit} novalidate>
      <p class="brand">Aislecast</p>
      <h1>${w.signInTitle}</h1>
      <p class="muted">${w.signInIntro}</p>
      ${this._stores ? this._picker(w) : html`
        <label class="field">${w.token}
          <span class="row"><input class="token" name="token" type=${this._reveal ? 'text' : 'password'} autocomplete="off" spellcheck="false"
            autocapitalize="off" .value=${this.token} @input=${(e: Event) => { this.token = (e.target as HTMLInputElement).value; this._error = ''; }}
            aria-describedby="token-hint" required>
          <button type="button" class="reveal" aria-pressed=${this._reveal} @click=${() => { this._reveal = !this._reveal; }}>${this._reveal ? w.hide : w.show}</button></span>
          <span id="token-hint" class="hint">${w.tokenHint}</span></label>
        <label class="field">${w.associateId}
          <input class="associate" name="associate" autocomplete="username" autocapitalize="off" spellcheck="false" .value=${this.associateId}
            @input=${(e: Event) => { this.associateId = (e.target as HTMLInputElement).value; this._error = ''; }}
            aria-describedby="associate-hint" required>
          <span id="associate-hint" class="hint">${w.associateHint}</span></label>
        <label class="field">${w.storeId}
          <input class="store" name="store" autocapitalize="off" spellcheck="false" .value=${this.storeId}
            @input=${(e: Event) => { this.storeId = (e.target as HTMLInputElement).value; this._error = ''; }} aria-describedby="store-hint">
          <span id="store-hint" class="hint">${w.storeHint}</span></label>
        <p class="error" role="alert">${this._error}</p>
        <button class="primary" type="submit" ?disabled=${this._busy || !this.token.trim()}>${this._busy ? w.checking : w.signIn}</button>`}
    </form>`;
  }

  private _picker(w: AssociateWords) {
    return html`<p class="muted">${w.chooseStore}</p>
      <div class="stores" role="list">${this._stores!.map((s) => html`<button type="button" role="listitem" class="store-choice"
        data-store-id=${s.storeId} @click=${() => this._done(s.storeId)}><span>${s.name}</span><span class="faint">${s.storeId}</span></button>`)}</div>
      <button type="button" class="quiet" @click=${() => { this._stores = undefined; }}>${w.back}</button>${nothing}`;
  }

  private async _submit(e: Event): Promise<void> {
    e.preventDefault();
    const w = wordsFor(this.locale);
    const token = this.token.trim();
    const associateId = this.associateId.trim();
    const storeId = this.storeId.trim();
    if (!token || this._busy) return;
    if (!ID.test(associateId)) { this._error = w.errAssociate; this._focus('input.associate'); return; }
    this._busy = true;
    this._error = '';
    try {
      let stores: Array<{ storeId: string; name: string }> | undefined;
      try {
        stores = await fetchStores(token);
      } catch (err) {
        // Unreachable with a store id given: sign in anyway, the WebSocket retries and has the last word.
        if (!(err instanceof StoreApiError && err.status === 0 && storeId)) throw err;
      }
      if (storeId) {
        if (stores && !stores.some((s) => s.storeId === storeId)) { this._error = w.errWrongStore(storeId); return; }
        this._done(storeId);
      } else if (!stores?.length) this._error = w.errNoStore;
      else if (stores.length === 1) this._done(stores[0]!.storeId);
      else this._stores = stores;
    } catch (err) {
      this._error = signInError(err, w);
    } finally {
      this._busy = false;
    }
  }

  private _done(storeId: string): void {
    const session: AssociateSession = { token: this.token.trim(), storeId, associateId: this.associateId.trim() };
    this.dispatchEvent(new CustomEvent('aisle-signed-in', { detail: session, bubbles: true, composed: true }));
  }

  private _focus(selector: string): void {
    void this.updateComplete.then(() => (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus());
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-associate-sign-in': AisleAssociateSignIn } }
