import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { loadStores, screenHref, type StoreScreens } from './stores.js';

/**
 * `/` — links to every screen of every store the engine knows, the merchandiser console and the demo player.
 * Screen links carry the page's `?token=`. When the API cannot be reached, it explains how to start.
 * Classes: `.store`, `.screen-link` (one per screen, `data-screen-id`), `.help` (the fallback), `.console-link`.
 */
@customElement('aisle-landing')
export class AisleLanding extends LitElement {
  static override styles = css`
    :host { display: block; min-height: 100vh; box-sizing: border-box; padding: clamp(24px, 6vw, 72px);
            background: radial-gradient(80% 60% at 100% 0%, rgb(217 178 106 / 0.14), transparent 60%), var(--aisle-bg); }
    main { max-width: 980px; margin: 0 auto; }
    .brand { margin: 0; font-size: 13px; font-weight: 700; letter-spacing: 0.24em; text-transform: uppercase; color: var(--aisle-accent); }
    h1 { margin: 10px 0 6px; font-size: clamp(32px, 5vw, 52px); font-weight: 800; letter-spacing: -0.035em; }
    .lead { margin: 0 0 36px; font-size: 17px; color: var(--aisle-ink-muted); line-height: 1.5; }
    .store { margin: 0 0 28px; padding: 24px; border-radius: 18px; background: var(--aisle-surface); box-shadow: inset 0 0 0 1px var(--aisle-line); }
    h2 { margin: 0 0 4px; font-size: 22px; letter-spacing: -0.02em; }
    .store-id { font-size: 13px; color: var(--aisle-ink-faint); }
    ul { list-style: none; margin: 18px 0 0; padding: 0; display: grid; gap: 10px; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
    a { color: inherit; text-decoration: none; }
    .screen-link { display: grid; gap: 4px; padding: 14px 16px; border-radius: 12px; background: var(--aisle-surface-2);
                   box-shadow: inset 0 0 0 1px var(--aisle-line); transition: background 150ms, transform 150ms; }
    .screen-link:hover, .screen-link:focus-visible { background: rgb(217 178 106 / 0.16); transform: translateY(-1px); outline: none; }
    .screen-id { font-weight: 700; }
    .zone { font-size: 13px; color: var(--aisle-ink-muted); }
    .demo { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 14px; }
    .chip { padding: 8px 14px; border-radius: 999px; background: var(--aisle-surface-2); font-size: 14px; font-weight: 600; }
    .chip:hover { background: rgb(217 178 106 / 0.2); }
    .help { color: var(--aisle-ink-muted); line-height: 1.6; }
    .help h2 { color: var(--aisle-ink); }
    code { padding: 2px 6px; border-radius: 6px; background: rgb(0 0 0 / 0.35); color: var(--aisle-accent-2); font-size: 0.92em; }
    .muted { color: var(--aisle-ink-faint); }
  `;

  /** Token used for the API calls and added to every screen link. */
  @property() token = '';
  @state() private _stores: StoreScreens[] | undefined;
  @state() private _error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    loadStores(this.token).then((s) => { this._stores = s; }, (e: unknown) => { this._error = e instanceof Error ? e.message : String(e); });
  }

  override render() {
    return html`<main>
      <p class="brand">Aislecast</p>
      <h1>In-store screens</h1>
      <p class="lead">Open a screen full-screen on the display it belongs to. Links carry this page’s
        <code>?token=</code>: a screen token of the store (one without a subject opens any of its screens).
        The engine also prints a ready-made link for every screen at start-up.</p>
      ${this._stores ? this._stores.map((s) => this._store(s))
        : this._error ? this._help() : html`<p class="muted">Loading stores…</p>`}
      <section class="store console-link">
        <h2>Merchandiser console</h2>
        <span class="store-id">Live store, rules with a live preview, experiments — sign in with a console or merchandiser token</span>
        <div class="demo"><a class="chip" href="/console/">Open the console</a></div>
      </section>
      <section class="store">
        <h2>Associates and shelf labels</h2>
        <span class="store-id">VIP alerts on a phone (an associate token); every shelf label of a store, live (a label-gateway token)</span>
        <div class="demo"><a class="chip" href="/associate/">Associate app</a><a class="chip" href="/labels/">Label wall</a></div>
      </section>
      <section class="store">
        <h2>Demo player</h2>
        <span class="store-id">Built-in sample content, no engine needed</span>
        <div class="demo">${['1', 'hero', 'grid', 'idle', 'offline', 'setup'].map((d) =>
          html`<a class="chip" href="/screen/?demo=${d}">${d === '1' ? 'Cycle all' : d}</a>`)}</div>
      </section>
    </main>`;
  }

  private _store(s: StoreScreens) {
    const zone = (id: string) => s.zones.find((z) => z.zoneId === id)?.name ?? id;
    return html`<section class="store" data-store-id=${s.storeId}>
      <h2>${s.name}</h2><span class="store-id">${s.storeId}</span>
      ${s.screens.length ? html`<ul>${s.screens.map((sc) => html`<li><a class="screen-link" data-screen-id=${sc.screenId}
          href=${screenHref(s.storeId, sc.screenId, sc.token ?? this.token)}><span class="screen-id">${sc.screenId}</span>
          <span class="zone">${zone(sc.zoneId)}${sc.template ? ` · ${sc.template}` : ''}</span></a></li>`)}</ul>`
        : html`<p class="muted">No screens configured.</p>`}
    </section>`;
  }

  private _help() {
    return html`<section class="store help">
      <h2>Can’t reach the engine</h2>
      <p>${this._error}</p>
      <p>Start it from the project root with <code>npm start</code>; it serves this page and prints a link per
        screen with its token. Open a screen as <code>/screen/?store=s-001&amp;screen=scr-entrance-1&amp;token=…</code>,
        or add <code>?token=…</code> to this page to list every screen. ${nothing}</p>
    </section>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-landing': AisleLanding } }
