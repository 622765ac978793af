import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConsoleApi } from './api.js';
import { decisionStream, decisionStreamStyles } from './decision-stream.js';
import { layoutZones } from './floor-plan.js';
import { LiveFeed } from './live-feed.js';
import type { RoleProbeOptions } from './role-probe.js';
import { screenThumb, screenThumbStyles } from './screen-thumb.js';
import { labelsByZone, shelfLabelsPanel, shelfLabelsStyles, zoneLabelsButton, type ZoneLabels } from './shelf-labels.js';
import type { ConsoleRole } from './session.js';
import type { StoreModel, ZoneInfo } from './store-model.js';
import { baseStyles } from './styles.js';
import type { AisleWhyDialog } from './why-dialog.js';
import './why-dialog.js';

/**
 * Live store: the floor plan (zones from their coordinates, else a grid) with each zone's shopper count and
 * each screen's current content and mode; screens, labels and gateways online; the stream of recent
 * decisions from the console socket; and below the plan, every shelf label as it shows now (shelf-labels.ts),
 * from the same socket's `label.update` frames. A screen or a decision opens its "why" (why-dialog.ts).
 * Classes: `.zone[data-zone-id]`, `.shoppers`, `.thumb[data-screen-id]`, `.decision`, `.stats`, `.plan` / `.grid`,
 * and those of shelf-labels.ts.
 */
@customElement('aisle-live-page')
export class AisleLivePage extends LitElement {
  static override styles = [baseStyles, screenThumbStyles, decisionStreamStyles, shelfLabelsStyles, css`
    :host { display: block; }
    .top { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; margin-bottom: 16px; }
    .stats { display: flex; gap: 8px; flex-wrap: wrap; }
    .stat { padding: 6px 12px; border-radius: 999px; background: var(--aisle-surface); font-size: 13px; color: var(--aisle-ink-muted); }
    .stat strong { color: var(--aisle-ink); font-variant-numeric: tabular-nums; }
    .layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 18px; align-items: start; }
    @media (max-width: 1100px) { .layout { grid-template-columns: minmax(0, 1fr); } }
    .grid { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); gap: 14px; }
    @media (max-width: 1100px) { .grid { grid-template-columns: repeat(min(var(--cols), 2), minmax(0, 1fr)); } }
    .plan { position: relative; width: 100%; border-radius: 16px; background: rgb(0 0 0 / 0.2); box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .plan .zone { position: absolute; overflow: auto; }
    .zone { display: grid; gap: 10px; align-content: start; }
    .zone-head { display: flex; align-items: flex-start; gap: 10px; }
    .zone-name { flex: 1; font-size: 15px; }
    .shoppers { text-align: right; line-height: 1.1; }
    .shoppers strong { display: block; font-size: 24px; font-weight: 800; font-variant-numeric: tabular-nums; }
    .shoppers span { font-size: 11.5px; color: var(--aisle-ink-faint); }
    .busy { box-shadow: inset 0 0 0 1px rgb(217 178 106 / 0.4); }
    .screens { display: grid; gap: 8px; }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  /** The token's role: `console` looks only; undefined when it could not be told (writes are offered, a 403 explains). */
  @property({ attribute: false }) access: ConsoleRole | undefined;
  /** For tests: the socket the live feed opens (`WebSocket`) and its URL. */
  @property({ attribute: false }) probe: RoleProbeOptions = {};
  /** The zone whose shelf labels show below the plan; '' for every zone. */
  @state() private _labelZone = '';
  private _feed: LiveFeed | undefined;
  /** This render's labels per zone (for the zone cards' buttons). */
  private _labelZones: ZoneLabels[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this._feed || changed.has('store') || changed.has('api')) {
      if (this._feed) { this._feed.hostDisconnected(); this.removeController(this._feed); this.removeController(this._feed.ws); this._feed.ws.hostDisconnected(); }
      this._feed = new LiveFeed(this, { api: this.api, storeId: this.store.storeId, role: this.access, wsUrl: this.probe.url, WebSocket: this.probe.WebSocket });
    }
  }

  override render() {
    const feed = this._feed!;
    const live = feed.live;
    const s = this.store;
    const shoppers = live?.zones.reduce((a, z) => a + z.shoppers, 0) ?? 0;
    const online = live?.screens.filter((x) => x.online).length ?? 0;
    this._labelZones = labelsByZone(s, feed.labels);
    return html`<div class="top">
        <h1 tabindex="-1">Live store</h1>
        <div class="stats" aria-live="polite">
          <span class="stat"><strong>${shoppers}</strong> shoppers in store</span>
          <span class="stat"><strong>${online}</strong> of ${s.screens.length} screens online</span>
          <span class="stat"><strong>${live?.labels.configured ?? s.labelCount}</strong> shelf labels ·
            <strong>${live?.labels.gatewaysOnline ?? 0}</strong> gateway${live?.labels.gatewaysOnline === 1 ? '' : 's'} online</span>
          <span class="stat" title="The console's own connection for screen and shelf-label content">Content feed: <strong>${feed.ws.status === 'online' ? 'live' : feed.ws.status}</strong></span>
        </div>
      </div>
      ${feed.error ? html`<p class="banner" role="alert">Live data is not updating: ${feed.error}</p>` : nothing}
      <div class="layout">
        <div class="main-col"><section aria-label="Floor plan">${this._plan()}</section>
          ${shelfLabelsPanel(s, this._labelZones, this._labelZone, (id) => { this._labelZone = id; })}</div>
        <aside aria-label="Recent decisions">${decisionStream(s, feed.recent, (id) => this._open(id))}</aside>
      </div>
      <aisle-why-dialog .api=${this.api} .store=${s}></aisle-why-dialog>`;
  }

  private _plan() {
    const layout = layoutZones(this.store.zones);
    if (layout.kind === 'plan') {
      const pos = new Map(layout.zones.map((p) => [p.zoneId, p]));
      return html`<div class="plan" style="aspect-ratio: ${layout.aspect}">${this.store.zones.map((z) => {
        const p = pos.get(z.zoneId)!;
        return this._zone(z, `left:${p.left}%;top:${p.top}%;width:${p.width}%;height:${p.height}%`);
      })}</div>`;
    }
    return html`<div class="grid" style="--cols:${layout.columns}">${this.store.zones.map((z) => this._zone(z))}</div>`;
  }

  private _zone(z: ZoneInfo, style = '') {
    const feed = this._feed!;
    const labels = this._labelZones.find((x) => x.zoneId === z.zoneId);
    const lz = feed.live?.zones.find((x) => x.zoneId === z.zoneId);
    const screens = this.store.screens.filter((sc) => sc.zoneId === z.zoneId);
    const n = lz?.shoppers ?? 0;
    return html`<article class="zone card ${n ? 'busy' : ''}" data-zone-id=${z.zoneId} style=${style}>
      <div class="zone-head"><h2 class="zone-name">${z.name}</h2>
        <p class="shoppers" data-count=${n}><strong>${lz ? n : '–'}</strong><span>${n === 1 ? 'shopper' : 'shoppers'}${
          lz?.identified ? ` · ${lz.identified} member${lz.identified === 1 ? '' : 's'}` : ''}</span></p></div>
      <div class="screens">${screens.length ? screens.map((sc) => screenThumb(this.store, sc, feed.frames.get(sc.screenId),
        feed.live?.screens.find((x) => x.screenId === sc.screenId), (id) => this._open(id)))
        : html`<p class="faint">No screens in this zone.</p>`}</div>
      ${zoneLabelsButton(labels, (id) => this._showLabels(id))}
    </article>`;
  }

  /** A zone card's "shelf labels": that zone's labels below the plan, scrolled into view. */
  private async _showLabels(zoneId: string): Promise<void> {
    this._labelZone = zoneId;
    await this.updateComplete;
    this.renderRoot.querySelector('.labels-panel')?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  private _open(screenId: string): void {
    const d = this.renderRoot.querySelector<AisleWhyDialog>('aisle-why-dialog');
    void d?.open(screenId, this._feed!.frames.get(screenId));
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-live-page': AisleLivePage } }
