import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreSummary } from '../shared/contracts.js';
import { ConsoleApiError, createConsoleApi } from './api.js';
import { probeRole, type RoleProbeOptions } from './role-probe.js';
import type { ConsoleSession } from './session.js';
import { baseStyles } from './styles.js';

/** What each refusal at sign-in means for the person holding the token. */
export function signInError(err: unknown, step: 'stores' | 'rules'): string {
  if (!(err instanceof ConsoleApiError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 401) return 'The engine does not know this token. Check that it was copied whole (no spaces), or ask for a new one.';
  if (err.status === 403) {
    return step === 'rules'
      ? 'This token is for a screen, a shelf-label gateway or an associate. The console needs a console or merchandiser token.'
      : 'This token may not open the console. Ask for a console or merchandiser token.';
  }
  if (err.status === 0) return 'The engine could not be reached. Is it running? Start it with npm start.';
  return `The engine refused: ${err.message}`;
}

/**
 * Sign-in: paste a console or merchandiser token, pick the store (`GET /api/v1/stores`). Checks that the
 * token may read rules (console and merchandiser only) and learns its role (role-probe.ts).
 * Classes: `.token`, `.error` (why it failed), `.store-choice` (one per store when there are several).
 *
 * @fires aisle-signed-in - `detail` is the `ConsoleSession` to keep.
 */
@customElement('aisle-sign-in')
export class AisleSignIn extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: grid; place-items: center; min-height: 100vh; padding: 24px;
            background: radial-gradient(70% 60% at 100% 0%, rgb(217 178 106 / 0.14), transparent 60%), var(--aisle-bg); }
    form { width: min(460px, 100%); display: grid; gap: 16px; padding: 28px; }
    .brand { font-size: 12px; font-weight: 700; letter-spacing: 0.24em; text-transform: uppercase; color: var(--aisle-accent); }
    .token-row { display: flex; gap: 8px; }
    .token-row input { flex: 1; font-family: ui-monospace, monospace; }
    .stores { display: grid; gap: 8px; }
    .store-choice { justify-content: space-between; padding: 12px 14px; width: 100%; }
    code { padding: 1px 5px; border-radius: 5px; background: rgb(0 0 0 / 0.35); color: var(--aisle-accent-2); }
  `];

  /** Pre-filled token (e.g. after a store switch). */
  @property() token = '';
  /** For tests: how the role probe opens its socket. */
  @property({ attribute: false }) probe: RoleProbeOptions = {};
  @state() private _error = '';
  @state() private _busy = false;
  @state() private _stores: StoreSummary[] | undefined;
  @state() private _reveal = false;

  override render() {
    return html`<form class="card" @submit=${this._submit} novalidate>
      <p class="brand">Aislecast console</p>
      <h1>Sign in</h1>
      ${this._stores ? this._storePicker() : html`
        <label class="field" for="token">Access token
          <span class="token-row">
            <input id="token" class="token" name="token" type=${this._reveal ? 'text' : 'password'} autocomplete="off" spellcheck="false"
              .value=${this.token} @input=${(e: Event) => { this.token = (e.target as HTMLInputElement).value; this._error = ''; }}
              aria-invalid=${this._error ? 'true' : 'false'} aria-describedby="token-help token-error" required autofocus>
            <button type="button" class="quiet" @click=${() => { this._reveal = !this._reveal; }}
              aria-pressed=${this._reveal}>${this._reveal ? 'Hide' : 'Show'}</button>
          </span>
          <span id="token-help" class="hint">A console token (look only) or a merchandiser token (look and change rules).
            The demo engine prints one at start-up. It is kept in this tab only.</span>
        </label>
        <p id="token-error" class="error" role="alert">${this._error}</p>
        <button class="primary" type="submit" ?disabled=${this._busy || !this.token.trim()}>${this._busy ? 'Checking…' : 'Sign in'}</button>`}
    </form>`;
  }

  private _storePicker() {
    return html`<p class="muted">This token reaches several stores. Which one?</p>
      <div class="stores" role="list">${this._stores!.map((s) => html`<button type="button" role="listitem" class="store-choice"
        data-store-id=${s.storeId} @click=${() => this._choose(s.storeId)}><span>${s.name}</span>
        <span class="faint">${s.zones} zones · ${s.screens} screens</span></button>`)}</div>
      <p class="error" role="alert">${this._error}</p>
      <button type="button" class="quiet" @click=${() => { this._stores = undefined; }}>Use another token</button>
      ${nothing}`;
  }

  private async _submit(e: Event): Promise<void> {
    e.preventDefault();
    const token = this.token.trim();
    if (!token || this._busy) return;
    this._busy = true;
    this._error = '';
    try {
      const stores = await createConsoleApi(token).stores();
      if (!stores.length) { this._error = 'This token reaches no store. Ask for a token of your store.'; return; }
      if (stores.length === 1) await this._choose(stores[0]!.storeId);
      else this._stores = stores;
    } catch (err) {
      this._error = signInError(err, 'stores');
    } finally {
      this._busy = false;
    }
  }

  private async _choose(storeId: string): Promise<void> {
    const token = this.token.trim();
    try {
      await createConsoleApi(token).rules(storeId);
    } catch (err) {
      this._error = signInError(err, 'rules');
      this._stores = undefined;
      return;
    }
    const role = await probeRole(token, storeId, this.probe);
    const session: ConsoleSession = { token, storeId, role };
    this.dispatchEvent(new CustomEvent('aisle-signed-in', { detail: session, bubbles: true, composed: true }));
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-sign-in': AisleSignIn } }
