import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ServerFrame } from '../shared/contracts.js';
import { pickLocale, prettifyId } from '../shared/format.js';
import { fetchStoreInfo } from '../shared/store-info.js';
import { wsUrlFor } from '../shared/ws-client.js';
import { WsController } from '../shared/ws-controller.js';
import { ContentController, type ScreenView } from './content-controller.js';
import { startDemo } from './demo-driver.js';
import { DEMO_CATEGORIES } from './demo-frames.js';
import type { CategoryLookup } from './item-visual.js';
import { LayerStack } from './layer-stack.js';
import { setupMessage, setupMessageStyles } from './setup-message.js';
import './grid-template.js';
import './hero-template.js';
import './idle-loop.js';

/** Least time between two catalog look-ups triggered by unknown skus. */
const CATALOG_REFRESH_MS = 5 * 60_000;

/** Layer identity: a new decision crossfades; a re-send of the same decision updates in place. */
const viewKey = (v: ScreenView) => (v.kind === 'content' ? `c|${v.content.decisionId}` : 'idle');
/** One impression per rendered frame (decision + seq). */
const impressionKey = (v: ScreenView) => (v.kind === 'content' ? `${v.content.decisionId}|${v.content.seq}` : '');

/**
 * Full-screen in-store player for one screen: connects to `/ws` as `role: 'screen'`, renders
 * `screen.content` frames (hero / grid), crossfades between them, falls back to the idle loop,
 * keeps the last content while offline and confirms each rendering with an `impression`.
 *
 * Shows only what a frame's items carry for shoppers (name, prices, badge, note): frames are validated
 * with the strict wire schema, so one with any other item field (a score, a reason) is refused whole.
 * Colours and icons follow each sku's catalog category from the store's configuration when known.
 * Prices, clock and date use the frame's `locale` when present, else `locale`, else the browser's.
 *
 * Read-only host attributes for tests: `data-state` (`content` | `idle` | `setup`), `data-connection`
 * (a `ConnectionStatus`), and with content `data-decision-id`, `data-seq`, `data-reason`, `data-template`.
 * The visible layer is `.layer.active`; a fading one is `.layer.leaving`. Offline pill: `.offline`.
 *
 * @fires aisle-impression - after an impression was sent; `detail` is the impression frame.
 */
@customElement('aisle-screen-player')
export class AisleScreenPlayer extends LitElement {
  static override styles = [setupMessageStyles, css`
    :host { display: block; position: relative; width: 100%; height: 100%; overflow: hidden;
            background: var(--aisle-bg); color: var(--aisle-ink); font-family: var(--aisle-font); }
    .layer { position: absolute; inset: 0; animation: fade-in var(--aisle-fade-ms) var(--aisle-ease) both; }
    .layer.leaving { animation: fade-out var(--aisle-fade-ms) var(--aisle-ease) both; pointer-events: none; }
    @keyframes fade-in { from { opacity: 0; transform: scale(1.015); } to { opacity: 1; transform: none; } }
    @keyframes fade-out { from { opacity: 1; } to { opacity: 0; } }
    .offline {
      position: absolute; right: 2.4vmin; bottom: 2.4vmin; z-index: 4; display: flex; align-items: center;
      gap: 0.9vmin; padding: 0.8vmin 1.5vmin; border-radius: 999px; font-size: 1.4vmin; font-weight: 600;
      letter-spacing: 0.04em; color: var(--aisle-ink-muted); background: rgb(0 0 0 / 0.45); backdrop-filter: blur(8px);
    }
    .offline::before { content: ''; width: 1vmin; height: 1vmin; border-radius: 50%; background: var(--aisle-warn);
                       animation: pulse 2s ease-in-out infinite; }
    @keyframes pulse { 50% { opacity: 0.35; } }
    @media (prefers-reduced-motion: reduce) { .layer, .layer.leaving { animation-duration: 1ms; } }
  `];

  @property({ attribute: 'store' }) storeId = '';
  @property({ attribute: 'screen' }) screenId = '';
  @property() token = '';
  /** WebSocket URL; defaults to `ws(s)://<this host>/ws`. */
  @property({ attribute: 'ws-url' }) wsUrl = '';
  /** Store name for the idle loop; fetched from `/api/v1/stores/{id}` when empty. */
  @property({ attribute: 'store-name' }) storeName = '';
  @property({ attribute: 'time-zone' }) timeZone: string | undefined;
  /** Fallback locale for frames without one (and for the clock before the first frame). */
  @property() locale: string | undefined;
  /** Hide each item's small `note` line. */
  @property({ type: Boolean, attribute: 'hide-note' }) hideNote = false;
  /**
   * sku → catalog category, for colours and icons only. Default: the store configuration's catalog
   * (fetched from `/api/v1/stores/{id}`), the built-in demo store's in demo mode.
   */
  @property({ attribute: false }) categories: CategoryLookup | undefined;
  /** `hero` | `grid` | `idle` | `offline` | `setup` | `1` (cycle): sample frames, no connection. */
  @property() demo = '';
  @property({ type: Number, attribute: 'idle-slide-ms' }) idleSlideMs = 9000;
  /** Injectable WebSocket constructor (tests). Set before the element is connected. */
  webSocketImpl: (new (url: string) => WebSocket) | undefined;

  /** The connection; tests may feed frames with `ws.receive(frame)`. */
  readonly ws = new WsController(this, { onFrame: (f) => this._onFrame(f) });
  readonly content = new ContentController(this);
  private readonly _layers = new LayerStack<ScreenView>(() => this._fadeMs(), () => this.requestUpdate());
  @state() private _fetchedName = '';
  @state() private _fetchedZone: string | undefined;
  @state() private _fetchedCategories: CategoryLookup | undefined;
  private _fetchedAt = 0;
  private _impressed = '';
  private _stopDemo: (() => void) | undefined;
  private _abort: AbortController | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stopDemo?.();
    this._abort?.abort();
    this._layers.dispose();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.demo) this._configure(); // re-attached: restart the demo (the controller reconnects)
  }

  protected override willUpdate(changed: PropertyValues<AisleScreenPlayer>): void {
    const keys = ['storeId', 'screenId', 'token', 'wsUrl', 'demo'] as const;
    if (!this.hasUpdated || keys.some((k) => changed.has(k))) {
      this._configure();
    }
    const view = this.content.view;
    this._layers.show(viewKey(view), view);
  }

  override render() {
    const setup = this._setup();
    const showNote = !this.hideNote;
    const categories = this._categories();
    // The clock and date speak the store's language: the latest frame's locale, else the player's.
    const idleLocale = pickLocale(this.content.last?.locale, this.locale);
    const layers = repeat(this._layers.layers, (l) => l.key, (l) => html`<div
      class="layer ${l.leaving ? 'leaving' : 'active'}" aria-hidden=${l.leaving}>${l.value.kind === 'content'
        ? (l.value.content.template === 'hero'
          ? html`<aisle-hero-template .content=${l.value.content} .locale=${this.locale} .showNote=${showNote}
              .categories=${categories}></aisle-hero-template>`
          : html`<aisle-grid-template .content=${l.value.content} .locale=${this.locale} .showNote=${showNote}
              .categories=${categories}></aisle-grid-template>`)
        : html`<aisle-idle-loop .idleContent=${l.value.idle} store-name=${this._storeName()}
            .timeZone=${this.timeZone ?? this._fetchedZone} .locale=${idleLocale} .showNote=${showNote}
            .categories=${categories} slide-ms=${this.idleSlideMs}></aisle-idle-loop>`}</div>`);
    return html`${layers}
      ${setup ? setupMessage(setup) : nothing}
      ${!setup && this.ws.status === 'offline' ? html`<div class="offline" role="status">Offline · reconnecting</div>` : nothing}`;
  }

  protected override updated(): void {
    const view = this.content.view;
    const setup = this._setup();
    const d = this.dataset;
    d['state'] = setup ? 'setup' : view.kind;
    d['connection'] = this.ws.status;
    const c = view.kind === 'content' ? view.content : undefined;
    for (const [k, v] of [['decisionId', c?.decisionId], ['seq', c?.seq], ['reason', c?.reason], ['template', c?.template]] as const) {
      if (v === undefined) delete d[k]; else d[k] = String(v);
    }
    if (c && impressionKey(view) !== this._impressed) {
      this._impressed = impressionKey(view);
      const frame = { type: 'impression', screenId: c.screenId, decisionId: c.decisionId,
        skus: c.items.map((i) => i.sku), renderedAt: Date.now() } as const;
      if (this.ws.send(frame)) this.dispatchEvent(new CustomEvent('aisle-impression', { detail: frame }));
    }
  }

  private _setup() {
    if (this.demo) return this.ws.status === 'rejected' ? { title: 'This screen’s token was rejected', detail: 'Demo of the setup message.', code: 'ws.unauthorized' } : undefined;
    const ids = { storeId: this.storeId, screenId: this.screenId };
    if (!this.storeId || !this.screenId || !this.token) {
      return { ...ids, title: 'This screen is not set up yet',
        detail: 'Open the player with the store, screen and token the Aislecast engine printed at start-up (or add ?demo=1 to try it).' };
    }
    if (this.ws.status === 'rejected') {
      return { ...ids, code: this.ws.lastError?.code, title: 'This screen could not sign in',
        detail: `${this.ws.lastError?.message ?? 'The engine rejected this screen.'} Check the token, store and screen ids. Retrying every minute.` };
    }
    return undefined;
  }

  private _configure(): void {
    this._stopDemo?.(); this._stopDemo = undefined;
    this._abort?.abort();
    if (!this.isConnected) return;
    if (this.demo) {
      this.ws.configure(undefined);
      this._stopDemo = startDemo({ receive: (f) => this.ws.receive(f), expire: () => this.content.expire(),
        setStatus: (s) => this.ws.setStatus(s) }, this.demo);
      return;
    }
    if (!this.storeId || !this.screenId || !this.token) { this.ws.configure(undefined); return; }
    const { token, storeId, screenId } = this;
    this.ws.configure({ url: this.wsUrl || wsUrlFor(location), WebSocket: this.webSocketImpl,
      hello: (resumeSeq) => ({ type: 'hello', role: 'screen', token, storeId, screenId, ...(resumeSeq === undefined ? {} : { resumeSeq }) }) });
    this._fetchStoreInfo();
  }

  /** Store name, time zone and catalog categories (best effort; the screen works without them). */
  private _fetchStoreInfo(): void {
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this._fetchedAt = Date.now();
    void fetchStoreInfo(this.storeId, this.token, abort.signal).then((info) => {
      if (!info || abort.signal.aborted) return;
      this._fetchedName = info.name;
      this._fetchedZone = info.timezone;
      if (info.categories.size) this._fetchedCategories = info.categories;
    });
  }

  private _onFrame(f: ServerFrame): void {
    if (f.type !== 'screen.content') return;
    if (!this.demo && this.screenId && f.screenId !== this.screenId) return;
    this.content.apply(f);
    // A product new to the catalog: look its category up again, at most every few minutes.
    const known = this._fetchedCategories;
    if (!this.demo && !this.categories && known && Date.now() - this._fetchedAt > CATALOG_REFRESH_MS
      && f.items.some((i) => !known.has(i.sku))) this._fetchStoreInfo();
  }

  private _categories(): CategoryLookup | undefined {
    return this.categories ?? (this.demo ? DEMO_CATEGORIES : this._fetchedCategories);
  }

  private _storeName(): string {
    return this.storeName || this._fetchedName || (this.demo ? 'Aislecast Market' : prettifyId(this.storeId));
  }

  private _fadeMs(): number {
    const v = Number.parseFloat(getComputedStyle(this).getPropertyValue('--aisle-fade-ms'));
    return (Number.isFinite(v) ? v : 900) + 100;
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-screen-player': AisleScreenPlayer } }
