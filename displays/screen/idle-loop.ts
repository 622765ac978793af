import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScreenContent } from '../shared/contracts.js';
import { dayGreeting, formatClock, formatDate, initials } from '../shared/format.js';
import './grid-template.js';
import type { CategoryLookup } from './item-visual.js';

export type IdleSlide = 'welcome' | 'clock' | 'offers';

/**
 * The idle loop: store-branded slides (welcome, time of day) and, when the server has sent
 * `reason: 'idle'` content, that content as an offers slide. Slides crossfade every `slideMs`.
 *
 * Host attribute `data-slide` names the visible slide. Classes: `.idle-slide`, `.idle-slide.active`.
 */
@customElement('aisle-idle-loop')
export class AisleIdleLoop extends LitElement {
  static override styles = css`
    :host { display: block; height: 100%; position: relative; overflow: hidden; background: var(--aisle-bg); }
    .idle-slide {
      position: absolute; inset: 0; opacity: 0; transition: opacity var(--aisle-fade-ms) var(--aisle-ease);
    }
    .idle-slide.active { opacity: 1; }
    .brand {
      box-sizing: border-box; height: 100%; padding: 8vmin 9vmin; display: flex; flex-direction: column;
      justify-content: space-between;
      background:
        radial-gradient(60vmax 60vmax at 85% 10%, rgb(217 178 106 / 0.22), transparent 60%),
        radial-gradient(50vmax 50vmax at 0% 100%, rgb(60 140 105 / 0.25), transparent 65%),
        linear-gradient(160deg, var(--aisle-bg-2), var(--aisle-bg));
    }
    .eyebrow {
      margin: 0; font-size: 2.2vmin; font-weight: 700; letter-spacing: 0.24em; text-transform: uppercase;
      color: var(--aisle-accent);
    }
    .welcome { margin: 0; font-size: 15vmin; font-weight: 800; letter-spacing: -0.05em; line-height: 0.92; }
    .store-name {
      margin: 2vmin 0 0; font-size: 6vmin; font-weight: 400; letter-spacing: -0.02em;
      color: var(--aisle-accent-2);
    }
    .rule { width: 12vmin; height: 0.5vmin; border-radius: 1vmin; background: var(--aisle-accent); }
    .foot { display: flex; justify-content: space-between; align-items: flex-end; gap: 4vmin; color: var(--aisle-ink-muted); font-size: 2.6vmin; }
    .clock-slide { justify-content: center; gap: 3vmin; }
    .mark {
      position: absolute; right: 9vmin; top: 50%; translate: 0 -50%; width: 58vmin; aspect-ratio: 1;
      border-radius: 50%; display: grid; place-items: center; pointer-events: none;
      background: radial-gradient(circle, rgb(217 178 106 / 0.1), transparent 65%);
      box-shadow: inset 0 0 0 0.35vmin rgb(217 178 106 / 0.55), 0 0 0 4vmin rgb(217 178 106 / 0.04),
        0 0 0 4.2vmin rgb(217 178 106 / 0.16), 0 0 0 12vmin rgb(217 178 106 / 0.025);
    }
    .mark span {
      font-size: 19vmin; font-weight: 300; letter-spacing: -0.04em; color: var(--aisle-accent-2);
      text-shadow: 0 0 6vmin rgb(217 178 106 / 0.35);
    }
    @media (orientation: portrait) {
      .mark { right: 50%; top: 30%; translate: 50% -50%; width: 60vmin; }
    }
    .time { margin: 0; font-size: 24vmin; font-weight: 800; letter-spacing: -0.06em; line-height: 0.9; font-variant-numeric: tabular-nums; }
    .date { margin: 0; font-size: 4.2vmin; color: var(--aisle-ink-muted); }
    .day { margin: 0; font-size: 6vmin; font-weight: 700; color: var(--aisle-accent-2); letter-spacing: -0.02em; }
  `;

  @property({ attribute: 'store-name' }) storeName = '';
  /** Last `reason: 'idle'` frame from the server, shown as an offers slide. */
  @property({ attribute: false }) idleContent: ScreenContent | undefined;
  @property({ attribute: 'time-zone' }) timeZone: string | undefined;
  /** Locale of the clock and date (the player passes the latest frame's, else its own). */
  @property() locale: string | undefined;
  @property({ type: Boolean, attribute: 'show-note' }) showNote = true;
  /** sku → catalog category (the store's), for the offers' colours and icons only. */
  @property({ attribute: false }) categories: CategoryLookup | undefined;
  @property({ type: Number, attribute: 'slide-ms' }) slideMs = 9000;

  @state() private _index = 0;
  @state() private _now = new Date();
  private _tick: ReturnType<typeof setInterval> | undefined;
  private _elapsed = 0;

  /** The slides in play order. */
  get slides(): IdleSlide[] {
    return this.idleContent?.items.length ? ['welcome', 'offers', 'clock', 'offers'] : ['welcome', 'clock'];
  }

  get currentSlide(): IdleSlide {
    const s = this.slides;
    return s[this._index % s.length]!;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._tick = setInterval(() => this._onTick(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._tick);
  }

  override updated(): void {
    this.dataset['slide'] = this.currentSlide;
  }

  override render() {
    const current = this.currentSlide;
    const slide = (name: IdleSlide, body: TemplateResult) =>
      html`<div class="idle-slide ${name === current ? 'active' : ''}" aria-hidden=${name !== current}>${body}</div>`;
    const slides = [...new Set(this.slides)];
    return slides.map((name) => slide(name, name === 'welcome' ? this._welcome()
      : name === 'clock' ? this._clock() : this._offers()));
  }

  private _welcome(): TemplateResult {
    const name = this.storeName;
    return html`<section class="brand">
      ${name ? html`<div class="mark" aria-hidden="true"><span>${initials(name)}</span></div>` : nothing}
      <p class="eyebrow">${dayGreeting(this._now, this.timeZone)}</p>
      <div>
        <div class="rule"></div>
        <h1 class="welcome">Welcome</h1>
        ${name ? html`<p class="store-name">to ${name}</p>` : nothing}
      </div>
      <div class="foot"><span>${formatDate(this._now, this.locale, this.timeZone)}</span>
        <span>${formatClock(this._now, this.locale, this.timeZone)}</span></div>
    </section>`;
  }

  private _clock(): TemplateResult {
    return html`<section class="brand clock-slide">
      <p class="day">${dayGreeting(this._now, this.timeZone)}</p>
      <p class="time">${formatClock(this._now, this.locale, this.timeZone)}</p>
      <p class="date">${formatDate(this._now, this.locale, this.timeZone)}${this.storeName ? html` · ${this.storeName}` : nothing}</p>
    </section>`;
  }

  private _offers(): TemplateResult {
    return html`<aisle-grid-template .content=${this.idleContent} .locale=${this.locale}
      .showNote=${this.showNote} .categories=${this.categories}></aisle-grid-template>`;
  }

  private _onTick(): void {
    this._now = new Date();
    this._elapsed += 1000;
    if (this._elapsed >= this.slideMs) { this._elapsed = 0; this._index = (this._index + 1) % this.slides.length; }
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-idle-loop': AisleIdleLoop } }
