import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreSummary } from '../shared/contracts.js';
import { createConsoleApi, explainError, type ConsoleApi } from './api.js';
import { HashRouter, routeHref, type PageName } from './router.js';
import type { RoleProbeOptions } from './role-probe.js';
import { clearSession, loadSession, saveSession, type ConsoleSession } from './session.js';
import { readStoreModel, type StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import './experiments-page.js';
import './live-page.js';
import './rule-editor-page.js';
import './rules-page.js';
import './sign-in.js';

const NAV: Array<{ page: PageName; href: string; label: string }> = [
  { page: 'live', href: routeHref({ page: 'live' }), label: 'Live store' },
  { page: 'rules', href: routeHref({ page: 'rules' }), label: 'Rules' },
  { page: 'experiments', href: routeHref({ page: 'experiments' }), label: 'Experiments' },
];

/**
 * `/console/`: the merchandiser console. Signs in (sign-in.ts), loads the chosen store's configuration
 * once, and shows one of three pages by hash route (router.ts): live store, rules (list and editor),
 * experiments. The token, store and role live in sessionStorage (session.ts).
 * Classes: `nav a[aria-current=page]`, `.store-select`, `.sign-out`, `.role`.
 */
@customElement('aisle-console')
export class AisleConsole extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; min-height: 100vh; background: var(--aisle-bg); }
    header { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 18px; padding: 10px 22px;
             background: rgb(12 21 18 / 0.92); backdrop-filter: blur(10px); border-bottom: 1px solid var(--aisle-line); }
    .brand { font-size: 12px; font-weight: 800; letter-spacing: 0.22em; text-transform: uppercase; color: var(--aisle-accent); }
    nav { display: flex; gap: 4px; }
    nav a { color: var(--aisle-ink-muted); text-decoration: none; font-weight: 600; padding: 7px 12px; border-radius: 9px; }
    nav a:hover { color: var(--aisle-ink); background: var(--aisle-surface); }
    nav a[aria-current='page'] { color: var(--aisle-ink); background: var(--aisle-surface-2); box-shadow: inset 0 -2px 0 var(--aisle-accent); }
    .store-select { max-width: 260px; }
    main { padding: 22px; max-width: 1480px; margin: 0 auto; }
    .skip { position: absolute; left: -999px; top: 8px; }
    .skip:focus { left: 8px; z-index: 10; }
    @media (max-width: 1100px) { header { gap: 10px; padding: 10px 14px; } main { padding: 16px; } }
  `];

  /** For tests: how the role probe at sign-in opens its socket; also given to the live page. */
  @property({ attribute: false }) probe: RoleProbeOptions = {};
  @state() private _session: ConsoleSession | undefined = loadSession();
  @state() private _store: StoreModel | undefined;
  @state() private _stores: StoreSummary[] = [];
  @state() private _error = '';
  private _api: ConsoleApi | undefined;
  private readonly _router = new HashRouter(this);
  private _lastPage = '';

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('_session' as keyof AisleConsole) || !this.hasUpdated) this._load();
  }

  override render() {
    const s = this._session;
    if (!s) return html`<aisle-sign-in .probe=${this.probe} @aisle-signed-in=${this._signedIn}></aisle-sign-in>`;
    const route = this._router.route;
    const active: PageName = route.page === 'rule' ? 'rules' : route.page;
    return html`<a class="skip button" href="#main" @click=${this._skip}>Skip to content</a>
      <header>
        <span class="brand">Aislecast</span>
        <nav aria-label="Console pages">${NAV.map((n) => html`<a href=${n.href} aria-current=${n.page === active ? 'page' : 'false'}>${n.label}</a>`)}</nav>
        <span class="spacer"></span>
        ${this._stores.length > 1 ? html`<label><span class="sr-only">Store</span><select class="store-select" @change=${this._switchStore}>
          ${this._stores.map((x) => html`<option value=${x.storeId} ?selected=${x.storeId === s.storeId}>${x.name}</option>`)}</select></label>`
          : html`<span class="muted">${this._store?.name ?? ''}</span>`}
        <span class="badge role" title=${s.role === 'console' ? 'A console token can look but not change rules.' : ''}>${
          s.role === 'merchandiser' ? 'Merchandiser' : s.role === 'console' ? 'Look only' : 'Signed in'}</span>
        <button class="quiet sign-out" @click=${this._signOut}>Sign out</button>
      </header>
      <main id="main" tabindex="-1">${this._error ? html`<p class="banner" role="alert">${this._error}</p>`
        : !this._store || !this._api ? html`<p class="muted">Loading the store…</p>` : this._page()}</main>`;
  }

  protected override updated(): void {
    // Move focus to the new page's heading, so keyboard and screen-reader users start at the top.
    const key = `${this._router.route.page}|${this._store ? 'ready' : ''}`;
    if (key === this._lastPage) return;
    const first = this._lastPage === '';
    this._lastPage = key;
    if (first || !this._store) return;
    void this.updateComplete.then(async () => {
      const page = this.renderRoot.querySelector('main > *') as LitElement | null;
      await page?.updateComplete;
      (page?.shadowRoot?.querySelector('h1') as HTMLElement | null)?.focus();
    });
  }

  private _page() {
    const r = this._router.route;
    const common = { api: this._api!, store: this._store!, role: this._session!.role };
    switch (r.page) {
      case 'live': return html`<aisle-live-page .api=${common.api} .store=${common.store} .probe=${this.probe} .access=${common.role}></aisle-live-page>`;
      case 'rules': return html`<aisle-rules-page .api=${common.api} .store=${common.store} .access=${common.role}></aisle-rules-page>`;
      case 'rule': return html`<aisle-rule-editor-page .api=${common.api} .store=${common.store} .access=${common.role}
        .ruleId=${r.ruleId}></aisle-rule-editor-page>`;
      case 'experiments': return html`<aisle-experiments-page .api=${common.api} .store=${common.store} .access=${common.role}
        .experimentId=${r.experimentId}></aisle-experiments-page>`;
    }
    return nothing;
  }

  private _load(): void {
    const s = this._session;
    this._store = undefined;
    this._error = '';
    if (!s) { this._api = undefined; return; }
    const api = (this._api = createConsoleApi(s.token));
    api.store(s.storeId).then((body) => { if (this._api === api) this._store = readStoreModel(body); }, (err: unknown) => {
      if (this._api !== api) return;
      this._error = `The store could not be loaded. ${explainError(err)}`;
    });
    api.stores().then((list) => { if (this._api === api) this._stores = list; }, () => { /* the picker just stays hidden */ });
  }

  private _signedIn = (e: CustomEvent<ConsoleSession>) => {
    saveSession(e.detail);
    this._session = e.detail;
    if (!location.hash) location.hash = routeHref({ page: 'live' });
  };

  private _switchStore = (e: Event) => {
    const storeId = (e.target as HTMLSelectElement).value;
    const s = { ...this._session!, storeId };
    saveSession(s);
    this._session = s;
  };

  private _signOut = () => {
    clearSession();
    this._session = undefined;
  };

  private _skip = (e: Event) => {
    e.preventDefault(); // the hash belongs to the router
    (this.renderRoot.querySelector('main') as HTMLElement | null)?.focus();
  };
}

declare global { interface HTMLElementTagNameMap { 'aisle-console': AisleConsole } }
