import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { connectionBadge } from '../shared/connection-badge.js';
import { customElement, property, state } from 'lit/decorators.js';
import type { ServerFrame } from '../shared/contracts.js';
import type { BackoffOptions } from '../shared/backoff.js';
import { pickLocale } from '../shared/format.js';
import { ConnectionStatus, wsUrlFor } from '../shared/ws-client.js';
import { WsController } from '../shared/ws-controller.js';
import { createAlertBook, type AlertBook } from './alert-book.js';
import type { AisleAlertCard } from './alert-card.js';
import type { AisleAlertList } from './alert-list.js';
import { createClaimOutbox, type ClaimAction, type ClaimOutbox } from './claim-outbox.js';
import { createNotifier, type Notifier } from './notifier.js';
import { clearSession, saveSession, type AssociateSession } from './session.js';
import { fetchStoreNames } from './store-names.js';
import { appStyles } from './styles.js';
import { wordsFor, type AssociateWords } from './words.js';
import './alert-card.js';
import './alert-list.js';
import './sign-in.js';

const LOCALE_KEY = 'aislecast.associate.locale';
/** A new alert makes a sound only when it is this fresh: a reload's replay of older open alerts stays quiet. */
const FRESH_MS = 2 * 60_000;
const HASH = /^#\/alert\/(.+)$/;

/**
 * `/associate/`: the store associate's phone app. Signs in (sign-in.ts; remembered in localStorage,
 * session.ts), connects to `/ws` as `role: 'associate'` and shows the store's open VIP alerts, newest first
 * (alert-list.ts); one opens as a card (alert-card.ts, route `#/alert/<id>`) with a big Claim / Release.
 *
 * - Frames are validated by the shared client (shared/ws-client.ts, `dedupe: 'none'`) and de-duplicated here
 *   per alert id, latest seq wins (alert-book.ts): a reconnect's replay never shows an alert twice, and an
 *   update of an alert changes it in place.
 * - Reconnects with backoff and `resumeSeq` (the shared client), at once when the phone is online again or
 *   woken up. Claims and releases asked for while offline are queued and sent after the reconnect, unless
 *   someone else took the alert meanwhile (claim-outbox.ts).
 * - Words in each alert's `locale` (words.ts); the app's own words in the latest alert's locale.
 * - Sound and vibration on a new alert (notifier.ts), a remembered toggle.
 *
 * Host attributes for tests: `data-view` (`sign-in` | `list` | `card`), `data-connection` (a `ConnectionStatus`),
 * `data-alerts` (how many are listed). Classes: `.conn[data-connection]`, `.offline-banner`, `.rejected`,
 * `button.sound[aria-checked]`, `button.sign-out`, `.count`.
 *
 * @fires aisle-new-alert - an alert id seen for the first time (`detail` = alert id, `fresh`: it made a sound).
 */
@customElement('aisle-associate-app')
export class AisleAssociateApp extends LitElement {
  static override styles = [appStyles, connectionBadge, css`
    :host { display: block; min-height: 100dvh; background: var(--aisle-bg); }
    .page { max-width: 480px; margin: 0 auto; padding: 0 14px 24px; display: grid; gap: 14px; }
    header.bar { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 10px; padding: 10px 14px;
                 padding-top: calc(10px + env(safe-area-inset-top)); background: rgb(12 21 18 / 0.94); backdrop-filter: blur(10px);
                 border-bottom: 1px solid var(--aisle-line); }
    .brand { font-size: 11px; font-weight: 800; letter-spacing: 0.22em; text-transform: uppercase; color: var(--aisle-accent); }
    .store { min-width: 0; flex: 1; display: grid; }
    .store-name { font-weight: 700; font-size: 15px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .conn { padding: 6px 11px; }
    .head { display: flex; align-items: center; justify-content: space-between; gap: 10px; padding-top: 12px; }
    .count { display: inline-grid; place-items: center; min-width: 28px; height: 28px; padding: 0 8px; margin-left: 6px; border-radius: 999px;
             font-size: 15px; background: var(--aisle-accent); color: #1d1608; vertical-align: 3px; }
    button.sound { min-width: 48px; padding: 10px 12px; color: var(--aisle-accent-2); }
    button.sound[aria-checked='false'] { color: var(--aisle-ink-faint); }
    .foot { display: flex; align-items: center; justify-content: space-between; gap: 10px; padding-top: 8px; color: var(--aisle-ink-faint); font-size: 14px; }
    .rejected { display: grid; gap: 10px; }
    .rejected strong { font-size: 17px; }
  `];

  /** The signed-in associate; undefined shows the sign-in. Changing it reconnects. */
  @property({ attribute: false }) session: AssociateSession | undefined;
  /** Values the sign-in form starts with (from the address or the last session). */
  @property({ attribute: false }) prefill: Partial<AssociateSession> = {};
  /** Fallback locale for the app's own words before any alert (`?lang=`); default: the last alert's, then the browser's. */
  @property() locale: string | undefined;
  /** WebSocket URL; defaults to `ws(s)://<this host>/ws`. */
  @property({ attribute: 'ws-url' }) wsUrl = '';
  /** After a `welcome`, wait this long for the replay of open alerts before sending queued claims. */
  @property({ type: Number, attribute: 'replay-settle-ms' }) replaySettleMs = 500;
  /** A claim or release with no answer for this long is given up (with a notice). */
  @property({ type: Number, attribute: 'answer-timeout-ms' }) answerTimeoutMs = 8000;
  /**
   * An alert leaves the list this long after it was raised: the engine keeps an alert open (replayed, claimable)
   * for 2 h from its creation by default, and no frame says an alert closed.
   */
  @property({ type: Number, attribute: 'max-age-ms' }) maxAgeMs = 2 * 3_600_000;
  /** Injectable for tests. */
  @property({ attribute: false }) notifier: Notifier = createNotifier();
  @property({ attribute: false }) backoff: BackoffOptions | undefined;
  /** Where the session and the last locale are remembered (default localStorage). */
  @property({ attribute: false }) storage: Storage | undefined = safeStorage();
  /** Injectable WebSocket constructor (tests). Set before the session. */
  webSocketImpl: (new (url: string) => WebSocket) | undefined;

  readonly ws = new WsController(this, { onFrame: (f) => this._onFrame(f), onStatus: (s) => this._onStatus(s) });
  readonly book: AlertBook = createAlertBook();
  outbox: ClaimOutbox = createClaimOutbox();
  @state() private _openId: string | undefined = this._hashAlert();
  @state() private _zones: ReadonlyMap<string, string> = new Map();
  @state() private _storeName: string | undefined;
  @state() private _me = '';
  @state() private _lastLocale: string | undefined;
  @state() private _tick = 0;
  private _offsetMs = 0;
  private _flushTimer: ReturnType<typeof setTimeout> | undefined;
  private _ticker: ReturnType<typeof setInterval> | undefined;
  private _abort: AbortController | undefined;
  private _focusAfter: 'card' | { alertId: string } | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this._lastLocale = this.storage?.getItem(LOCALE_KEY) ?? undefined;
    addEventListener('popstate', this._onPop);
    addEventListener('hashchange', this._onPop);
    addEventListener('online', this._retry);
    document.addEventListener('visibilitychange', this._onVisible);
    document.addEventListener('pointerdown', this._unlock, true);
    document.addEventListener('keydown', this._onKey, true);
    this._ticker = setInterval(() => this._onTick(), 5000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this._onPop);
    removeEventListener('hashchange', this._onPop);
    removeEventListener('online', this._retry);
    document.removeEventListener('visibilitychange', this._onVisible);
    document.removeEventListener('pointerdown', this._unlock, true);
    document.removeEventListener('keydown', this._onKey, true);
    clearInterval(this._ticker);
    this._clearFlush();
    this._abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') || changed.has('wsUrl') || changed.has('backoff')) this._configure();
    if (changed.has('answerTimeoutMs')) this.outbox = createClaimOutbox({ answerTimeoutMs: this.answerTimeoutMs });
  }

  override render() {
    const w = wordsFor(this._uiLocale());
    if (!this.session) {
      return html`<aisle-associate-sign-in .token=${this.prefill.token ?? ''} .associateId=${this.prefill.associateId ?? ''}
        .storeId=${this.prefill.storeId ?? ''} .locale=${this._uiLocale()} @aisle-signed-in=${this._signedIn}></aisle-associate-sign-in>`;
    }
    const status = this.ws.status;
    const connLabel = status === 'online' ? w.connected : status === 'offline' ? w.reconnecting
      : status === 'rejected' ? w.refused : w.connecting;
    return html`<header class="bar">
        <span class="store"><span class="brand">Aislecast</span><span class="store-name">${this._storeName ?? this.session.storeId}</span></span>
        <span class="conn" data-connection=${status} role="status" aria-live="polite">${connLabel}</span>
      </header>
      <main class="page">${this._main(w)}</main>`;
  }

  protected override updated(): void {
    const d = this.dataset;
    d['view'] = !this.session ? 'sign-in' : this._openId ? 'card' : 'list';
    d['connection'] = this.ws.status;
    d['alerts'] = String(this.book.list().length);
    const focus = this._focusAfter;
    if (!focus) return;
    this._focusAfter = undefined;
    void this.updateComplete.then(async () => {
      if (focus === 'card') {
        const card = this.renderRoot.querySelector<AisleAlertCard>('aisle-alert-card');
        await card?.updateComplete;
        card?.focusTitle();
      } else {
        const list = this.renderRoot.querySelector<AisleAlertList>('aisle-alert-list');
        await list?.updateComplete;
        list?.focusAlert(focus.alertId);
      }
    });
  }

  /** The current server time (the phone's clock corrected by the last `welcome.serverTime`). */
  serverNow(): number {
    return Date.now() + this._offsetMs;
  }

  /** Opens an alert's card (pushes `#/alert/<id>`, so the phone's back button returns to the list). */
  open(alertId: string): void {
    if (this._openId === alertId) return;
    history.pushState({ aisleAlert: alertId }, '', `#/alert/${encodeURIComponent(alertId)}`);
    this._openId = alertId;
    this._focusAfter = 'card';
  }

  /** Back to the list. */
  back(): void {
    const id = this._openId;
    if (!id) return;
    this._openId = undefined;
    this._focusAfter = { alertId: id };
    if ((history.state as { aisleAlert?: string } | null)?.aisleAlert === id) history.back();
    else history.replaceState(null, '', location.pathname + location.search);
  }

  private _main(w: AssociateWords) {
    const status = this.ws.status;
    if (status === 'rejected') {
      return html`<div class="banner danger rejected" role="alert"><strong>${w.rejectedTitle}</strong>
        <span>${w.rejectedDetail(this.ws.lastError?.message ?? '')}</span>
        <button class="sign-out" @click=${this._signOut}>${w.signOut}</button></div>`;
    }
    const offline = status === 'offline'
      ? html`<p class="banner offline-banner" role="status">${w.offlineBanner}</p>` : nothing;
    const now = this.serverNow();
    if (this._openId) {
      const id = this._openId;
      return html`${offline}<aisle-alert-card .entry=${this.book.get(id)} .me=${this._me} .now=${now} .zones=${this._zones}
        .locale=${this._uiLocale()} .pending=${this.outbox.pending(id)} .notice=${this.outbox.notice(id)} ?online=${status === 'online'}
        @aisle-back=${() => this.back()} @aisle-claim=${() => this._request(id, 'claim')} @aisle-release=${() => this._request(id, 'release')}
        @aisle-cancel=${() => { this.outbox.cancel(id); this.requestUpdate(); }}
        @aisle-dismiss=${() => { this.outbox.dismiss(id); this.requestUpdate(); }}></aisle-alert-card>`;
    }
    const entries = this.book.list();
    const n = this.notifier;
    return html`<div class="head"><h1>${w.appTitle}${entries.length ? html`<span class="count" aria-label=${`(${entries.length})`}>${entries.length}</span>` : nothing}</h1>
        <button class="sound" role="switch" aria-checked=${n.enabled ? 'true' : 'false'} aria-label=${w.sound} title=${w.soundHint}
          @click=${this._toggleSound}>${bell(!n.enabled)}</button></div>
      ${offline}
      <aisle-alert-list .entries=${entries} .me=${this._me} .now=${now} .zones=${this._zones} .locale=${this._uiLocale()}
        .pendingOf=${(id: string) => this.outbox.pending(id)} @aisle-open=${(e: CustomEvent<string>) => this.open(e.detail)}></aisle-alert-list>
      ${/* Below the list: it goes away on the first tap, which must not move what is being tapped. */ ''}
      ${n.enabled && n.locked ? html`<p class="banner info sound-hint">${w.soundLocked}</p>` : nothing}
      <p class="foot"><span>${w.signedInAs(this._me || this.session!.associateId)}</span>
        <button class="quiet sign-out" @click=${this._signOut}>${w.signOut}</button></p>`;
  }

  private _configure(): void {
    this._clearFlush();
    this._abort?.abort();
    this.book.clear();
    this.outbox = createClaimOutbox({ answerTimeoutMs: this.answerTimeoutMs });
    const s = this.session;
    if (!s) { this.ws.configure(undefined); return; }
    this._me = s.associateId;
    this.ws.configure({ url: this.wsUrl || wsUrlFor(location), WebSocket: this.webSocketImpl, dedupe: 'none',
      ...(this.backoff ? { backoff: this.backoff } : {}),
      hello: (resumeSeq) => ({ type: 'hello', role: 'associate', token: s.token, storeId: s.storeId, associateId: s.associateId,
        ...(resumeSeq === undefined ? {} : { resumeSeq }) }) });
    const abort = (this._abort = new AbortController());
    this._zones = new Map();
    this._storeName = undefined;
    void fetchStoreNames(s.storeId, s.token, abort.signal).then((names) => {
      if (abort.signal.aborted) return;
      this._zones = names.zones;
      this._storeName = names.name;
    });
  }

  private _onFrame(f: ServerFrame): void {
    const s = this.session;
    if (!s) return;
    if (f.type === 'welcome') {
      this._offsetMs = f.serverTime - Date.now();
      if (f.target) this._me = f.target;
      this.book.welcome();
      this._clearFlush();
      this._flushTimer = setTimeout(() => { this._flushTimer = undefined; this._flush(); }, this.replaySettleMs);
      return;
    }
    if (f.type !== 'alert.vip' && f.type !== 'alert.claimed') return;
    if (f.type === 'alert.vip' && f.storeId !== s.storeId) return;
    const kind = this.book.apply(f);
    if (kind === 'ignored') return;
    const e = this.book.get(f.alertId)!;
    this.outbox.settle(f.alertId, e.holder.associateId, this._me);
    if (f.type === 'alert.vip' && f.locale && pickLocale(f.locale) && f.locale !== this._lastLocale) {
      this._lastLocale = f.locale;
      try { this.storage?.setItem(LOCALE_KEY, f.locale); } catch { /* not remembered */ }
    }
    if (kind === 'added') {
      const fresh = this.serverNow() - e.vip!.createdAt < FRESH_MS;
      if (fresh) this.notifier.alert();
      this.dispatchEvent(new CustomEvent('aisle-new-alert', { detail: { alertId: f.alertId, fresh } }));
    }
    this.requestUpdate();
  }

  private _onStatus(s: ConnectionStatus): void {
    if (s !== ConnectionStatus.ONLINE) {
      this._clearFlush();
      this.outbox.disconnected();
    }
  }

  private _request(alertId: string, action: ClaimAction): void {
    this.notifier.unlock();
    this.outbox.request(alertId, action, (f) => this.ws.status === ConnectionStatus.ONLINE && this.ws.send(f), Date.now());
    this.requestUpdate();
  }

  private _flush(): void {
    if (this.ws.status !== ConnectionStatus.ONLINE) return;
    const changed = this.outbox.flush((f) => this.ws.send(f), (id) => this.book.get(id)?.holder.associateId, this._me, Date.now());
    if (changed) this.requestUpdate();
  }

  private _onTick(): void {
    if (!this.session) return;
    this.book.prune(this.serverNow(), this.maxAgeMs);
    if (this.ws.status === ConnectionStatus.ONLINE) this.outbox.expire(Date.now());
    this._tick++;
  }

  private _clearFlush(): void {
    if (this._flushTimer !== undefined) { clearTimeout(this._flushTimer); this._flushTimer = undefined; }
  }

  private _uiLocale(): string | undefined {
    return pickLocale(this._lastLocale, this.locale, typeof navigator !== 'undefined' ? navigator.language : undefined);
  }

  private _hashAlert(): string | undefined {
    const m = HASH.exec(location.hash);
    if (!m) return undefined;
    try { return decodeURIComponent(m[1]!); } catch { return undefined; }
  }

  private _onPop = () => {
    const id = this._hashAlert();
    if (id === this._openId) return;
    if (!id && this._openId) this._focusAfter = { alertId: this._openId };
    else if (id) this._focusAfter = 'card';
    this._openId = id;
  };

  private _retry = () => { this.ws.client?.retryNow(); };

  private _onVisible = () => { if (document.visibilityState === 'visible') this._retry(); };

  private _unlock = () => {
    if (!this.notifier.locked) return;
    this.notifier.unlock();
    this.requestUpdate();
  };

  private _onKey = (e: KeyboardEvent) => {
    this._unlock();
    if (e.key === 'Escape' && this._openId && !e.defaultPrevented) this.back();
  };

  private _toggleSound = () => {
    const n = this.notifier;
    n.unlock();
    n.setEnabled(!n.enabled);
    if (n.enabled) n.alert(); // a sample, so the associate hears what it sounds like
    this.requestUpdate();
  };

  private _signedIn = (e: CustomEvent<AssociateSession>) => {
    saveSession(e.detail, this.storage);
    this.prefill = e.detail;
    this.session = e.detail;
  };

  private _signOut = () => {
    clearSession(this.storage);
    this.prefill = { storeId: this.session?.storeId ?? '', associateId: this.session?.associateId ?? '' };
    this.session = undefined;
    this._openId = undefined;
  };
}

/** A bell, struck through when muted (drawn here: phones differ in their emoji, some machines have none). */
function bell(muted: boolean) {
  return svg`<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/>
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>${muted ? svg`<path d="M3 3l18 18"/>` : nothing}</svg>`;
}

function safeStorage(): Storage | undefined {
  try { return globalThis.localStorage; } catch { return undefined; }
}

declare global { interface HTMLElementTagNameMap { 'aisle-associate-app': AisleAssociateApp } }
