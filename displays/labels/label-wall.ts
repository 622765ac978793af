/**
 * @module labels/label-wall
 * `<aisle-label-wall>`: every shelf label of one store, live, grouped by zone — what the shelves show right now, on one
 * screen (docs/labels.md §The label wall). It is a label gateway that draws instead of sending to panels: it connects
 * to `/ws` as `role: 'label-gateway'`, gets every label's current `label.update` frame on `welcome` and each new one
 * after, and draws them with `<aisle-label-strip>` (one per zone), from the same SVG the engine rasterises for the
 * hardware. Personal labels (a consenting shopper is near) are ringed; a flash lights the LED and makes the label glow.
 *
 * - The zone names and each label's zone come from the store's player view (`GET /api/v1/stores/{id}` with the
 *   gateway token); frames do not say their zone. Without the view the labels show in one group.
 * - The hello names no `gatewayId` unless one is given: every gateway token the engine makes is bound to a gateway
 *   (its `subject`), and a hello naming another id is refused, so the wall is the token's own gateway.
 * - De-duplication is per label (`dedupe: 'per-target'`: each label has its own seq), and the replay after each
 *   `welcome` is the current state (label-book.ts).
 *
 * Host attributes for tests: `data-state` (`setup` | `rejected` | `connecting` | `waiting` | `empty` | `labels`),
 * `data-connection` (a `ConnectionStatus`), `data-labels` (labels drawn), `data-personal` (of them personal).
 * Classes: `.conn[data-connection]`, `.store-name`, `.zone[data-zone-id]` (`.zone-name`, `.zone-count`, `.zone-personal`),
 * `aisle-label-strip`, `.waiting-labels`, `.empty`, `.rejected` (`button.forget`), `.offline-banner`, `form.setup`
 * (`input.store`, `input.token`, `.setup-error`).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { connectionBadge } from '../shared/connection-badge.js';
import { customElement, property, state } from 'lit/decorators.js';
import { z } from 'zod';
import type { ServerFrame } from '../shared/contracts.js';
import type { BackoffOptions } from '../shared/backoff.js';
import { ConnectionStatus, wsUrlFor } from '../shared/ws-client.js';
import { WsController } from '../shared/ws-controller.js';
import { LabelBook } from './label-book.js';
import type { StripLabel } from './label-strip.js';
import { clearWallSession, saveWallSession, type WallSession } from './session.js';
import './label-strip.js';

/** The store's player view, read leniently: only what the wall needs. */
const PlayerView = z.object({
  storeId: z.string(), name: z.string().catch(''),
  zones: z.array(z.object({ zoneId: z.string(), name: z.string() })).catch([]).default([]),
  labels: z.array(z.object({ labelId: z.string(), zoneId: z.string() })).catch([]).default([]),
});
type PlayerView = z.infer<typeof PlayerView>;
const StoreList = z.array(z.object({ storeId: z.string(), name: z.string().catch('') }));

/** Why the player view could not be read, in words. */
const viewProblem = (status: number): string =>
  status === 401 ? 'the engine does not know this token'
    : status === 403 ? 'this token may not read this store'
      : status === 404 ? 'the engine has no such store'
        : status === 0 ? 'the engine cannot be reached' : `the engine answered ${status}`;

class HttpError extends Error {
  constructor(readonly status: number) { super(viewProblem(status)); }
}

async function getJson(url: string, token: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ?? null, headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new HttpError(0);
  }
  if (!res.ok) throw new HttpError(res.status);
  return res.json();
}

interface Group { zoneId: string | undefined; name: string; labels: StripLabel[]; waiting: string[] }

@customElement('aisle-label-wall')
export class AisleLabelWall extends LitElement {
  /** The store and token; undefined shows the setup form. Changing it reconnects. */
  @property({ attribute: false }) session: WallSession | undefined;
  /** What the setup form starts with (from the address or the last setup). */
  @property({ attribute: false }) prefill: Partial<WallSession> = {};
  /** WebSocket URL; defaults to `ws(s)://<this host>/ws`. */
  @property({ attribute: 'ws-url' }) wsUrl = '';
  /** The hello's `gatewayId`; empty: the token's own gateway (see the module comment). */
  @property({ attribute: 'gateway-id' }) gatewayId = '';
  /** Screen px per label px (a 296×128 label is 178×77 px at 0.6). */
  @property({ type: Number }) scale = 0.6;
  /** Where the setup is remembered (default localStorage). */
  @property({ attribute: false }) storage: Storage | undefined = safeStorage();
  @property({ attribute: false }) backoff: BackoffOptions | undefined;
  /** Injectable WebSocket constructor (tests). Set before the session. */
  webSocketImpl: (new (url: string) => WebSocket) | undefined;

  readonly ws = new WsController(this, { onFrame: (f) => this._onFrame(f) });
  readonly book = new LabelBook();
  @state() private _view: PlayerView | undefined;
  @state() private _viewError = '';
  @state() private _setupError = '';
  @state() private _setupBusy = false;
  private _abort: AbortController | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') || changed.has('wsUrl') || changed.has('gatewayId') || changed.has('backoff')) this._configure();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._abort?.abort();
  }

  protected override updated(): void {
    const d = this.dataset;
    d['state'] = this._state();
    d['connection'] = this.ws.status;
    d['labels'] = String(this.book.size);
    d['personal'] = String(this.book.personal());
  }

  override render() {
    if (!this.session) return this._setup();
    const status = this.ws.status;
    const s = this._state();
    const total = this._view?.labels.length || this.book.size;
    return html`<header class="bar">
        <span class="brand">Aislecast · Shelf labels</span>
        <h1 class="store-name">${this._view?.name || this.session.storeId}</h1>
        <span class="stats">
          <span class="stat"><strong>${total}</strong> label${total === 1 ? '' : 's'}</span>
          <span class="stat personal-now"><strong>${this.book.personal()}</strong> personal now</span>
        </span>
        <span class="conn" data-connection=${status} role="status" aria-live="polite">${connWords(status)}</span>
      </header>
      <main>
        ${status === 'offline' ? html`<p class="banner offline-banner" role="status">The connection to the engine is down: the labels
          show what they showed last. Reconnecting…</p>` : nothing}
        ${this._viewError && s !== 'rejected' ? html`<p class="banner view-error" role="status">Zone names are missing: ${this._viewError}.</p>` : nothing}
        ${s === 'rejected' ? this._rejected()
          : s === 'connecting' ? html`<p class="empty" role="status">Connecting to the engine…</p>`
            : s === 'waiting' ? html`<p class="empty" role="status">Connected. Waiting for the labels' content…</p>`
              : s === 'empty' ? html`<p class="empty" role="status">This store has no shelf labels.</p>`
                : this._groups().map((g) => this._zone(g))}
      </main>
      ${s === 'labels' ? html`<footer class="legend">
        <span><i class="ring" aria-hidden="true"></i> Personal: a consenting shopper is near (member price or "For you")</span>
        <span><i class="glow" aria-hidden="true"></i> Flashing: guiding a shopper to the item</span>
        <button class="quiet forget" @click=${this._forget}>Use another token</button></footer>` : nothing}`;
  }

  private _state(): 'setup' | 'rejected' | 'connecting' | 'waiting' | 'empty' | 'labels' {
    if (!this.session) return 'setup';
    const status = this.ws.status;
    if (status === ConnectionStatus.REJECTED) return 'rejected';
    if (this.book.size) return 'labels';
    if (status !== ConnectionStatus.ONLINE) return 'connecting';
    return this._view && !this._view.labels.length ? 'empty' : 'waiting';
  }

  private _zone(g: Group) {
    const personal = g.labels.filter((l) => l.mode === 'personal').length;
    return html`<section class="zone ${personal ? 'busy' : ''}" data-zone-id=${g.zoneId ?? ''} aria-label=${g.name}>
      <header class="zone-head"><h2 class="zone-name">${g.name}</h2>
        <span class="zone-count">${g.labels.length} label${g.labels.length === 1 ? '' : 's'}</span>
        ${personal ? html`<span class="zone-personal">${personal} personal</span>` : nothing}</header>
      ${g.labels.length ? html`<aisle-label-strip wrap .labels=${g.labels} .scale=${this.scale}></aisle-label-strip>` : nothing}
      ${g.waiting.length ? html`<p class="waiting-labels">No content yet: ${g.waiting.join(', ')}</p>` : nothing}
    </section>`;
  }

  /** The labels by zone, in the configuration's order; labels the view does not place come last. */
  private _groups(): Group[] {
    const view = this._view;
    const placed = new Set<string>();
    const groups: Group[] = [];
    if (view) {
      for (const z of view.zones) {
        const ids = view.labels.filter((l) => l.zoneId === z.zoneId).map((l) => l.labelId);
        if (!ids.length) continue;
        ids.forEach((id) => placed.add(id));
        groups.push({ zoneId: z.zoneId, name: z.name, labels: ids.flatMap((id) => this._strip(id)), waiting: ids.filter((id) => !this.book.has(id)) });
      }
    }
    const rest = this.book.all().filter((f) => !placed.has(f.labelId));
    if (rest.length) groups.push({ zoneId: undefined, name: view ? 'Other labels' : 'All labels', labels: rest, waiting: [] });
    return groups.filter((g) => g.labels.length || g.waiting.length);
  }

  private _strip(labelId: string): StripLabel[] {
    const f = this.book.get(labelId);
    return f ? [f] : [];
  }

  private _rejected() {
    const e = this.ws.lastError;
    return html`<div class="banner danger rejected" role="alert">
      <strong>The engine refused this token.</strong>
      <span>${e ? `${e.message} (${e.code})` : 'It is not a label-gateway token of this store.'} Open this page with a label-gateway
        token of store ${this.session!.storeId}: <code>/labels/?store=${this.session!.storeId}&amp;token=…</code>. It tries again about once a minute.</span>
      <button class="forget" @click=${this._forget}>Use another token</button></div>`;
  }

  private _setup() {
    const p = this.prefill;
    return html`<main class="setup-page"><form class="setup" @submit=${this._submit}>
      <span class="brand">Aislecast · Shelf labels</span>
      <h1>Show a store's shelf labels</h1>
      <p class="muted">Every label of the store, live, as the shelves show it. It takes a label-gateway token of the store
        (the tokens file has one per store; the demo prints its <code>lgw_…</code> token at start).</p>
      <label>Store id <input class="store" name="store" autocomplete="off" spellcheck="false" placeholder="s-001" .value=${p.storeId ?? ''}></label>
      <label>Label-gateway token <input class="token" name="token" type="password" autocomplete="off" spellcheck="false" required .value=${p.token ?? ''}></label>
      ${this._setupError ? html`<p class="setup-error" role="alert">${this._setupError}</p>` : nothing}
      <button class="primary" type="submit" ?disabled=${this._setupBusy}>${this._setupBusy ? 'Checking…' : 'Show the labels'}</button>
    </form></main>`;
  }

  /** The setup form: a store id, or none when the token reaches exactly one store. */
  private _submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const token = (form.querySelector<HTMLInputElement>('input.token')?.value ?? '').trim();
    const storeId = (form.querySelector<HTMLInputElement>('input.store')?.value ?? '').trim();
    this._setupError = '';
    if (!token) { this._setupError = 'Enter the label-gateway token.'; return; }
    if (storeId) this.start({ token, storeId });
    else await this.resolveStore(token);
  };

  /**
   * Shows the token's store when it reaches exactly one (any token may list its stores: `GET /api/v1/stores`);
   * otherwise the setup form says why, with the token filled in.
   */
  async resolveStore(token: string): Promise<void> {
    this.prefill = { token };
    this._setupBusy = true;
    try {
      const stores = StoreList.parse(await getJson('/api/v1/stores', token));
      if (stores.length === 1) { this.start({ token, storeId: stores[0]!.storeId }); return; }
      this._setupError = stores.length ? `This token reaches ${stores.length} stores: enter one (${stores.map((s) => s.storeId).join(', ')}).`
        : 'This token reaches no store.';
    } catch (err) {
      this._setupError = err instanceof HttpError ? `Cannot check the token: ${err.message}.` : 'Cannot check the token.';
    } finally {
      this._setupBusy = false;
    }
  }

  /** Shows a store with a token (and remembers them). */
  start(session: WallSession): void {
    saveWallSession(session, this.storage);
    this.prefill = session;
    this.session = session;
  }

  /** Forgets the token and shows the setup form. */
  private _forget = () => {
    clearWallSession(this.storage);
    this.prefill = { storeId: this.session?.storeId ?? '' };
    this.session = undefined;
  };

  private _configure(): void {
    this._abort?.abort();
    this.book.clear();
    this._view = undefined;
    this._viewError = '';
    const s = this.session;
    if (!s) { this.ws.configure(undefined); return; }
    const gatewayId = this.gatewayId;
    this.ws.configure({ url: this.wsUrl || wsUrlFor(location), WebSocket: this.webSocketImpl, dedupe: 'per-target',
      ...(this.backoff ? { backoff: this.backoff } : {}),
      hello: () => ({ type: 'hello', role: 'label-gateway', token: s.token, storeId: s.storeId, ...(gatewayId ? { gatewayId } : {}) }) });
    void this._loadView();
  }

  private async _loadView(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    try {
      const body = await getJson(`/api/v1/stores/${encodeURIComponent(s.storeId)}`, s.token, abort.signal);
      if (abort.signal.aborted) return;
      this._view = PlayerView.parse(body);
      this._viewError = '';
    } catch (err) {
      if (abort.signal.aborted) return;
      this._viewError = err instanceof HttpError ? err.message : 'the store\'s answer could not be read';
    }
  }

  private _onFrame(f: ServerFrame): void {
    if (f.type === 'welcome') {
      this.book.welcome(f.serverTime);
      if (!this._view) void this._loadView(); // the engine is back: try the zone names again
      this.requestUpdate();
      return;
    }
    if (f.type !== 'label.update') return;
    if (this.book.apply(f)) this.requestUpdate();
  }

  static override styles = [connectionBadge, css`
    :host { display: block; min-height: 100vh; font-family: var(--aisle-font); color: var(--aisle-ink); font-size: 15px; line-height: 1.4;
            background: var(--aisle-bg); }
    *, *::before, *::after { box-sizing: border-box; }
    h1, h2 { margin: 0; letter-spacing: -0.01em; line-height: 1.2; }
    p { margin: 0; }
    code { font-size: 0.92em; padding: 1px 5px; border-radius: 5px; background: var(--aisle-surface-2); }
    :focus-visible { outline: 3px solid var(--aisle-accent); outline-offset: 2px; }
    button { font: inherit; font-weight: 700; color: var(--aisle-ink); cursor: pointer; border: 0; min-height: 40px; padding: 8px 16px;
             border-radius: 10px; background: var(--aisle-surface-2); box-shadow: inset 0 0 0 1px var(--aisle-line); }
    button.primary { background: var(--aisle-accent); color: #1d1608; box-shadow: none; }
    button.quiet { background: transparent; box-shadow: none; color: var(--aisle-ink-muted); }
    button:disabled { opacity: 0.6; cursor: progress; }
    .muted { color: var(--aisle-ink-muted); }

    header.bar { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 16px; flex-wrap: wrap;
                 padding: 10px 24px; background: rgb(12 21 18 / 0.94); backdrop-filter: blur(10px); border-bottom: 1px solid var(--aisle-line); }
    .brand { font-size: 11px; font-weight: 800; letter-spacing: 0.22em; text-transform: uppercase; color: var(--aisle-accent); }
    .store-name { font-size: 18px; font-weight: 800; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .stats { display: flex; gap: 8px; }
    .stat { padding: 5px 12px; border-radius: 999px; background: var(--aisle-surface); font-size: 13px; color: var(--aisle-ink-muted); white-space: nowrap; }
    .stat strong { color: var(--aisle-ink); font-variant-numeric: tabular-nums; }
    .stat.personal-now strong { color: var(--aisle-accent-2); }
    .conn { padding: 5px 11px; }

    main { display: grid; gap: 14px; padding: 16px 24px 20px; }
    .banner { padding: 10px 14px; border-radius: 12px; font-size: 14px; background: rgb(255 180 84 / 0.12); color: #ffd9a6;
              box-shadow: inset 0 0 0 1px rgb(255 180 84 / 0.3); }
    .banner.danger { background: rgb(255 122 107 / 0.12); color: #ffc2ba; box-shadow: inset 0 0 0 1px rgb(255 122 107 / 0.3); }
    .rejected { display: grid; gap: 10px; justify-items: start; max-width: 760px; }
    .rejected strong { font-size: 17px; }
    .empty { padding: 48px 0; text-align: center; color: var(--aisle-ink-muted); font-size: 17px; }

    .zone { padding: 10px 14px 8px; border-radius: 14px; background: var(--aisle-surface); box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .zone.busy { box-shadow: inset 0 0 0 1px rgb(217 178 106 / 0.45); }
    .zone-head { display: flex; align-items: baseline; gap: 10px; margin-bottom: 4px; }
    .zone-name { font-size: 15px; font-weight: 800; }
    .zone-count { font-size: 12.5px; color: var(--aisle-ink-faint); }
    .zone-personal { font-size: 12.5px; font-weight: 700; color: var(--aisle-accent-2); }
    .waiting-labels { font-size: 13px; color: var(--aisle-ink-faint); padding: 4px 0; }
    aisle-label-strip { --aisle-accent: #d9b26a; }

    .legend { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 22px; padding: 0 24px 20px; font-size: 13px; color: var(--aisle-ink-muted); }
    .legend i { display: inline-block; width: 14px; height: 14px; margin-right: 4px; vertical-align: -2px; border-radius: 4px; }
    .legend .ring { box-shadow: inset 0 0 0 3px var(--aisle-accent); }
    .legend .glow { background: #22e36b; box-shadow: 0 0 8px 2px #22e36b; }
    .legend .forget { margin-left: auto; }

    .setup-page { min-height: 100vh; place-items: center; }
    form.setup { display: grid; gap: 14px; width: min(440px, 100%); padding: 28px; border-radius: 18px; background: var(--aisle-surface);
                 box-shadow: inset 0 0 0 1px var(--aisle-line); }
    form.setup h1 { font-size: 22px; }
    form.setup label { display: grid; gap: 6px; font-weight: 700; font-size: 14px; }
    form.setup input { font: inherit; font-weight: 400; padding: 10px 12px; border-radius: 10px; border: 0; color: var(--aisle-ink);
                       background: rgb(0 0 0 / 0.25); box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .setup-error { color: #ffc2ba; font-size: 14px; }
  `];
}

function connWords(s: ConnectionStatus): string {
  return s === 'online' ? 'Connected' : s === 'offline' ? 'Reconnecting…' : s === 'rejected' ? 'Token refused' : s === 'closed' ? 'Closed' : 'Connecting…';
}

function safeStorage(): Storage | undefined {
  try { return globalThis.localStorage; } catch { return undefined; }
}

declare global {
  interface HTMLElementTagNameMap {
    'aisle-label-wall': AisleLabelWall;
  }
}
