import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PreviewScreen, ScreenContent } from '../shared/contracts.js';
import type { CategoryLookup } from '../screen/item-visual.js';
import '../screen/grid-template.js';
import '../screen/hero-template.js';

/** A preview's frame has no `seq` (each socket numbers its own); the templates never read it. */
export type StageFrame = ScreenContent | PreviewScreen['frame'];

/**
 * A screen's content drawn by the player's own templates (screen/hero-template.ts, grid-template.ts), shrunk
 * into this box. The templates size everything in `vmin` of the page, so they are drawn on a 16:9 stage of
 * the page's full height (what a landscape screen shows) and scaled down to the box's width.
 * Class: `.stage` (with `data-template`).
 */
@customElement('aisle-screen-stage')
export class AisleScreenStage extends LitElement {
  static override styles = css`
    :host { display: block; position: relative; width: 100%; aspect-ratio: 16 / 9; overflow: hidden; border-radius: 10px;
            background: var(--aisle-bg); box-shadow: 0 10px 30px -12px rgb(0 0 0 / 0.7), inset 0 0 0 1px var(--aisle-line); }
    .stage { position: absolute; left: 0; top: 0; width: calc(100vmin * 16 / 9); height: 100vmin; transform-origin: 0 0;
             pointer-events: none; }
    .stage > * { height: 100%; }
    .empty { position: absolute; inset: 0; display: grid; place-items: center; color: var(--aisle-ink-faint); font-size: 14px; }
  `;

  @property({ attribute: false }) frame: StageFrame | undefined;
  @property({ attribute: false }) categories: CategoryLookup | undefined;
  /** The store's locale, for frames without one. */
  @property() locale: string | undefined;
  @state() private _scale = 0.3;
  private _observer: ResizeObserver | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this._observer = new ResizeObserver(() => this._measure());
    this._observer.observe(this);
    addEventListener('resize', this._measure);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._observer?.disconnect();
    removeEventListener('resize', this._measure);
  }

  override render() {
    const f = this.frame as ScreenContent | undefined; // the templates read no seq
    if (!f) return html`<div class="empty">Nothing to show</div>`;
    return html`<div class="stage" data-template=${f.template} style="transform: scale(${this._scale})" aria-hidden="true">
      ${f.template === 'hero'
        ? html`<aisle-hero-template .content=${f} .locale=${this.locale} .categories=${this.categories}></aisle-hero-template>`
        : html`<aisle-grid-template .content=${f} .locale=${this.locale} .categories=${this.categories}></aisle-grid-template>`}
    </div>${nothing}`;
  }

  private readonly _measure = () => {
    const stageWidth = (Math.min(innerWidth, innerHeight) * 16) / 9;
    const width = this.getBoundingClientRect().width;
    if (stageWidth > 0 && width > 0) this._scale = width / stageWidth;
  };
}

declare global { interface HTMLElementTagNameMap { 'aisle-screen-stage': AisleScreenStage } }
