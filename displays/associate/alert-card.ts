import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { AlertStatus, alertStatus, type AlertEntry } from './alert-book.js';
import type { Notice, PendingAction } from './claim-outbox.js';
import { zoneLabel } from './store-names.js';
import { appStyles } from './styles.js';
import { customerTitle, stateLabel, wordsOf } from './view.js';
import { formatNumber, timeSince, wordsFor, type AssociateWords } from './words.js';

/**
 * One alert in full, in its alert's language: the customer (name only with consent, else "VIP member"),
 * tier, points, lifecycle, visits this year, birthday, tags; talking points; 2–3 suggestions with their why;
 * last purchases; browsed but not bought. At the bottom, within thumb reach, one big button:
 * **Claim** (new or released), **Release** (held by me), or a disabled "Claimed by <id>" (held by someone
 * else). While a claim or release waits for the engine it says so; one queued while offline says it is sent
 * when the connection is back, with **Cancel**.
 * Classes: `.card[data-state]`, `h1.name`, `.tier`, `.zone`, `.facts li`, `.tags li`, `.suggestions li`
 * (`.why`), `.talking li`, `.purchases li`, `.browsed li`, `button.claim[data-action]`, `.queued`, `.notice`, `.gone`.
 *
 * @fires aisle-claim - `detail` is the alert id.
 * @fires aisle-release - `detail` is the alert id.
 * @fires aisle-cancel - cancel a queued claim or release; `detail` is the alert id.
 * @fires aisle-dismiss - hide a notice; `detail` is the alert id.
 * @fires aisle-back - back to the list.
 */
@customElement('aisle-alert-card')
export class AisleAlertCard extends LitElement {
  static override styles = [appStyles, css`
    :host { display: block; }
    .card { display: grid; gap: 18px; padding-bottom: 8px; }
    .nav { display: flex; align-items: center; justify-content: space-between; margin: -6px 0 -6px -12px; }
    .hero { display: grid; gap: 8px; padding: 18px 16px; border-radius: 18px; background:
            radial-gradient(120% 90% at 100% 0%, rgb(217 178 106 / 0.16), transparent 60%), var(--aisle-surface);
            box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .who { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    h1.name { font-size: 26px; }
    .where { color: var(--aisle-ink); font-size: 16px; font-weight: 600; }
    .when { color: var(--aisle-ink-muted); font-size: 14px; }
    section { display: grid; gap: 8px; }
    .facts { display: flex; flex-wrap: wrap; gap: 8px; }
    .facts li, .tags li { padding: 6px 12px; border-radius: 999px; background: var(--aisle-surface-2); font-size: 14px; font-weight: 600; }
    .facts li.birthday { background: rgb(255 122 160 / 0.18); color: #ffc3d6; }
    .tags { display: flex; flex-wrap: wrap; gap: 6px; }
    .tags li { font-weight: 500; color: var(--aisle-ink-muted); background: transparent; box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .talking { display: grid; gap: 8px; }
    .talking li { padding: 12px 14px; border-radius: 14px; background: rgb(217 178 106 / 0.1); color: var(--aisle-accent-2);
                  font-size: 16px; box-shadow: inset 3px 0 0 var(--aisle-accent); }
    .suggestions { display: grid; gap: 8px; }
    .suggestions li { padding: 12px 14px; border-radius: 14px; background: var(--aisle-surface); box-shadow: inset 0 0 0 1px var(--aisle-line);
                      display: grid; gap: 3px; }
    .suggestions .item { font-weight: 700; }
    .why { color: var(--aisle-ink-muted); font-size: 14px; }
    .plain { display: grid; gap: 2px; }
    .plain li { padding: 8px 0; border-bottom: 1px solid var(--aisle-line); font-size: 15px; }
    .plain li:last-child { border-bottom: 0; }
    .none { color: var(--aisle-ink-faint); font-size: 14px; }
    .action { position: sticky; bottom: 0; padding: 18px 0 calc(12px + env(safe-area-inset-bottom)); display: grid; gap: 10px;
              background: linear-gradient(to top, var(--aisle-bg) calc(100% - 14px), transparent); }
    button.claim { min-height: 60px; font-size: 19px; border-radius: 16px; width: 100%; }
    button.claim[data-action='release'] { background: transparent; box-shadow: inset 0 0 0 2px var(--aisle-ok); color: var(--aisle-ok); }
    button.claim[data-action='other'] { background: var(--aisle-surface); color: var(--aisle-ink-muted); opacity: 1; }
    .queued, .notice { display: flex; align-items: center; justify-content: space-between; gap: 10px; }
    .queued button, .notice button { min-height: 44px; flex: none; }
    .mine-note { color: var(--aisle-ok); font-size: 14px; font-weight: 600; text-align: center; }
    .gone { display: grid; gap: 14px; padding: 28px 8px; }
  `];

  @property({ attribute: false }) entry: AlertEntry | undefined;
  @property() me = '';
  @property({ type: Number }) now = Date.now();
  @property({ attribute: false }) zones: ReadonlyMap<string, string> = new Map();
  /** Fallback locale for the app's words when the alert has none. */
  @property() locale: string | undefined;
  @property({ attribute: false }) pending: PendingAction | undefined;
  @property({ attribute: false }) notice: Notice | undefined;
  @property({ type: Boolean }) online = true;

  override render() {
    const e = this.entry;
    if (!e?.vip) {
      const w = wordsFor(this.locale);
      return html`<div class="gone" role="status">${this._back(w)}<p class="muted">${w.alertGone}</p></div>`;
    }
    const vip = e.vip;
    const c = vip.customer;
    const { w, locale } = wordsOf(e, this.locale);
    const state = alertStatus(e, this.me);
    const zone = zoneLabel(vip.zoneId, this.zones);
    const facts = [
      html`<li class="points">${w.points(formatNumber(c.points, locale))}</li>`,
      html`<li class="lifecycle">${w.lifecycle[c.lifecycle]}</li>`,
      c.visitsThisYear !== undefined ? html`<li class="visits">${w.visitsThisYear(c.visitsThisYear)}</li>` : nothing,
      c.birthdayInDays !== undefined ? html`<li class="birthday">${w.birthdayIn(c.birthdayInDays)}</li>` : nothing,
    ];
    return html`<article class="card" data-state=${state} lang=${ifDefined(locale)} aria-labelledby="name">
      ${this._back(w)}
      <header class="hero">
        <div class="who"><h1 id="name" class="name" tabindex="-1">${customerTitle(vip, w)}</h1>
          <span class="tier" data-tier=${c.tier}>${w.tier[c.tier]}</span></div>
        <p class="where"><span class="zone">${zone}</span>${vip.reason === 'lingering' ? html` · <span class="reason">${w.lingering}</span>` : nothing}</p>
        <p class="when"><span class="since">${w.arrived} ${timeSince(this.now - vip.createdAt, locale)}</span>${vip.updatedAt && vip.updatedAt > vip.createdAt
          ? html` · <span class="updated">${w.updated} ${timeSince(this.now - vip.updatedAt, locale)}</span>` : nothing}</p>
        <p><span class="state" data-state=${state}>${stateLabel(e, this.me, w)}</span></p>
      </header>
      ${this._notice(w)}
      <section aria-labelledby="h-profile"><h2 id="h-profile">${w.profile}</h2>
        <ul class="facts">${facts}</ul>
        ${c.tags.length ? html`<ul class="tags" aria-label=${w.tags}>${c.tags.map((t) => html`<li>${t}</li>`)}</ul>` : nothing}
      </section>
      ${vip.talkingPoints.length ? html`<section aria-labelledby="h-talk"><h2 id="h-talk">${w.talkingPoints}</h2>
        <ul class="talking">${vip.talkingPoints.map((t) => html`<li>${t}</li>`)}</ul></section>` : nothing}
      ${vip.suggestions.length ? html`<section aria-labelledby="h-sugg"><h2 id="h-sugg">${w.suggestions}</h2>
        <ul class="suggestions">${vip.suggestions.slice(0, 3).map((s) => html`<li data-sku=${s.sku}><span class="item">${s.name}</span>
          <span class="why">${s.why}</span></li>`)}</ul></section>` : nothing}
      ${this._list('h-buy', w.lastPurchases, 'purchases', c.lastPurchases, w)}
      ${this._list('h-browsed', w.browsed, 'browsed', c.browsed, w)}
      <div class="action">${this._action(state, w)}</div>
    </article>`;
  }

  /** Focus the customer's name (when the card opens). */
  focusTitle(): void {
    (this.renderRoot.querySelector('h1.name, .gone button') as HTMLElement | null)?.focus();
  }

  private _back(w: AssociateWords) {
    return html`<div class="nav"><button class="quiet back" @click=${() => this._fire('aisle-back')}>‹ ${w.back}</button></div>`;
  }

  private _list(id: string, title: string, cls: string, items: Array<{ sku: string; name: string }>, w: AssociateWords) {
    return html`<section aria-labelledby=${id}><h2 id=${id}>${title}</h2>
      ${items.length ? html`<ul class="plain ${cls}">${items.map((i) => html`<li data-sku=${i.sku}>${i.name}</li>`)}</ul>`
        : html`<p class="none">${w.nothingYet}</p>`}</section>`;
  }

  private _notice(w: AssociateWords) {
    const n = this.notice;
    if (!n) return nothing;
    const text = n.kind === 'taken' ? w.takenWhileOffline(n.by) : w.noAnswer;
    return html`<p class="banner notice" role="alert" data-kind=${n.kind}><span>${text}</span>
      <button class="quiet dismiss" aria-label="OK" @click=${() => this._fire('aisle-dismiss')}>OK</button></p>`;
  }

  private _action(state: AlertStatus, w: AssociateWords) {
    const p = this.pending;
    if (p) {
      const label = p.action === 'claim' ? w.claiming : w.releasing;
      const main = html`<button class="claim primary" data-action="pending" disabled aria-live="polite">${label}</button>`;
      return p.state === 'queued'
        ? html`<p class="banner queued" role="status"><span>${p.action === 'claim' ? w.queuedClaim : w.queuedRelease}</span>
            <button class="cancel" @click=${() => this._fire('aisle-cancel')}>${w.cancel}</button></p>${main}`
        : main;
    }
    switch (state) {
      case AlertStatus.MINE:
        return html`<p class="mine-note">${w.claimedByMeNote}</p>
          <button class="claim" data-action="release" @click=${() => this._fire('aisle-release')}>${w.release}</button>`;
      case AlertStatus.OTHER:
        return html`<button class="claim" data-action="other" disabled>${w.claimedByOther(this.entry!.holder.associateId!)}</button>`;
      default:
        return html`<button class="claim primary" data-action="claim" @click=${() => this._fire('aisle-claim')}>${w.claim}</button>`;
    }
  }

  private _fire(type: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: this.entry?.alertId, bubbles: true, composed: true }));
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-alert-card': AisleAlertCard } }
