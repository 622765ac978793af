import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { alertStatus, type AlertEntry } from './alert-book.js';
import type { PendingAction } from './claim-outbox.js';
import { zoneLabel } from './store-names.js';
import { appStyles } from './styles.js';
import { customerTitle, stateLabel, wordsOf } from './view.js';
import { timeSince, wordsFor } from './words.js';

/**
 * The open alerts, newest first: one large button per alert with the customer's name (with consent) or
 * "VIP member", the tier badge, the zone, the time since arrival and the state (new / claimed by you /
 * claimed by <id> / released). Each item speaks its alert's language. Empty: "No VIPs in the store right now".
 * Classes: `.alert[data-alert-id][data-state]`, `.name`, `.tier[data-tier]`, `.zone`, `.since`, `.state`, `.empty`.
 *
 * @fires aisle-open - `detail` is the alert id.
 */
@customElement('aisle-alert-list')
export class AisleAlertList extends LitElement {
  static override styles = [appStyles, css`
    :host { display: block; }
    ul { display: grid; gap: 10px; }
    .alert {
      width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 6px 10px; text-align: left; padding: 14px 16px;
      border-radius: 16px; background: var(--aisle-surface); box-shadow: inset 0 0 0 1px var(--aisle-line); min-height: 76px;
      font-weight: 400; align-items: center; animation: arrive 420ms var(--aisle-ease) both;
    }
    .alert[data-state='new'] { box-shadow: inset 0 0 0 1px rgb(255 180 84 / 0.45), inset 4px 0 0 var(--aisle-warn); }
    .alert[data-state='mine'] { box-shadow: inset 0 0 0 1px rgb(95 211 154 / 0.4), inset 4px 0 0 var(--aisle-ok); }
    .top { display: flex; align-items: center; gap: 10px; min-width: 0; }
    .name { font-size: 18px; font-weight: 800; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .meta { grid-column: 1 / -1; display: flex; justify-content: space-between; gap: 10px; align-items: center; color: var(--aisle-ink-muted); font-size: 14px; }
    .where { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .since { color: var(--aisle-ink-faint); white-space: nowrap; font-variant-numeric: tabular-nums; }
    .chev { color: var(--aisle-ink-faint); font-size: 22px; line-height: 1; }
    .pending { font-size: 12px; color: var(--aisle-warn); font-weight: 700; }
    .empty { padding: 44px 20px; text-align: center; border-radius: 18px; border: 1px dashed rgb(255 255 255 / 0.18); display: grid; gap: 8px; }
    .empty strong { font-size: 18px; }
    .empty .icon { font-size: 34px; opacity: 0.7; }
    @keyframes arrive { from { opacity: 0; transform: translateY(-6px); } to { opacity: 1; transform: none; } }
  `];

  @property({ attribute: false }) entries: AlertEntry[] = [];
  @property() me = '';
  /** Server time, for "time since". */
  @property({ type: Number }) now = Date.now();
  @property({ attribute: false }) zones: ReadonlyMap<string, string> = new Map();
  /** Locale of the app's own words (empty state). */
  @property() locale: string | undefined;
  @property({ attribute: false }) pendingOf: (alertId: string) => PendingAction | undefined = () => undefined;

  override render() {
    if (!this.entries.length) {
      const w = wordsFor(this.locale);
      return html`<div class="empty" role="status"><span class="icon" aria-hidden="true">◌</span>
        <strong>${w.emptyTitle}</strong><span class="muted">${w.emptyDetail}</span></div>`;
    }
    return html`<ul>${repeat(this.entries, (e) => e.alertId, (e) => this._item(e))}</ul>`;
  }

  /** Moves focus to an alert's item (after coming back from its card). */
  focusAlert(alertId: string): void {
    (this.renderRoot.querySelector(`.alert[data-alert-id="${CSS.escape(alertId)}"]`) as HTMLElement | null)?.focus();
  }

  private _item(e: AlertEntry) {
    const vip = e.vip!;
    const { w, locale } = wordsOf(e, this.locale);
    const state = alertStatus(e, this.me);
    const zone = zoneLabel(vip.zoneId, this.zones);
    const pending = this.pendingOf(e.alertId);
    return html`<li lang=${ifDefined(locale)}><button class="alert" data-alert-id=${e.alertId} data-state=${state}
        @click=${() => this.dispatchEvent(new CustomEvent('aisle-open', { detail: e.alertId, bubbles: true, composed: true }))}>
      <span class="top"><span class="name">${customerTitle(vip, w)}</span>
        <span class="tier" data-tier=${vip.customer.tier}>${w.tier[vip.customer.tier]}</span></span>
      <span class="chev" aria-hidden="true">›</span>
      <span class="meta"><span class="where"><span class="zone">${zone}</span>${vip.reason === 'lingering' ? html` · ${w.lingering}` : ''}</span>
        <span class="since">${timeSince(this.now - vip.createdAt, locale)}</span></span>
      <span class="meta"><span class="state" data-state=${state}>${stateLabel(e, this.me, w)}</span>
        ${pending ? html`<span class="pending">${pending.action === 'claim' ? w.claiming : w.releasing}</span>` : ''}</span>
    </button></li>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-alert-list': AisleAlertList } }
