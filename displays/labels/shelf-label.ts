/**
 * @module labels/shelf-label
 * `<aisle-shelf-label>`: one electronic shelf label as the shopper sees it — the e-paper panel, drawn from the same
 * SVG the engine rasterises for the hardware (docs/labels.md §Rendering), in a plastic housing with its LED.
 *
 * Classes tests rely on (inside the shadow root): `.screen svg` (the panel, display size × `scale` in px), and in it
 * `.name`, `.price`, `.member-caption`, `.member-price`, `.promo-band`, `.promo`, `.sku`; `.led` (`.led.on` with
 * `data-color` while flashing). Host attributes: `data-display`, and `data-flash` (the colour) while flashing.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { DEFAULT_DISPLAY, labelSvg, loadLabelFont, type LabelContent, type LabelDisplay, type LabelUpdate } from '../shared/label-svg.js';

/** What the element draws: a `label.update` frame, or anything with its content fields. */
export type ShelfLabelData = LabelContent & Partial<Pick<LabelUpdate, 'labelId' | 'seq' | 'flash' | 'mode' | 'updatedAt'>>;
type Flash = NonNullable<LabelUpdate['flash']>;

/** LED colours: what a lit RGB LED looks like on screen (not e-paper colours). */
const LED: Record<Flash['color'], string> = {
  green: '#22e36b', red: '#ff3b30', blue: '#3b82ff', yellow: '#ffd60a', white: '#ffffff',
};

@customElement('aisle-shelf-label')
export class AisleShelfLabel extends LitElement {
  /** The label's content; a new object with `flash` lights the LED for `flash.durationMs`. */
  @property({ attribute: false }) label: ShelfLabelData | undefined;
  /** Draws the panel at this many screen px per display px (default 1: a 296×128 label is 296×128 px). */
  @property({ type: Number }) scale = 1;
  /** The display to draw for, when the label does not say (the store configuration's). */
  @property() display: LabelDisplay | undefined;
  /** The store's locale and currency, for a label without its own. */
  @property() locale: string | undefined;
  @property() currency: string | undefined;

  @state() private flashing: Flash | undefined;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private flashedKey: unknown;

  override connectedCallback(): void {
    super.connectedCallback();
    // The panel draws at once in the fallback font and redraws itself when the label font is ready.
    void loadLabelFont();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopFlash();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('label')) return;
    const flash = this.label?.flash;
    // A resent frame (same label, same seq) does not flash again; a new one restarts the LED.
    const key = this.label?.seq !== undefined ? `${this.label.labelId ?? this.label.sku}:${this.label.seq}` : this.label;
    if (!flash || key === this.flashedKey) return;
    this.flashedKey = key;
    this.stopFlash();
    this.flashing = flash;
    this.flashTimer = setTimeout(() => { this.flashing = undefined; this.flashTimer = undefined; }, flash.durationMs);
  }

  protected override updated(): void {
    this.dataset['display'] = this.label?.display ?? this.display ?? DEFAULT_DISPLAY;
    if (this.flashing) this.dataset['flash'] = this.flashing.color;
    else delete this.dataset['flash'];
  }

  private stopFlash(): void {
    if (this.flashTimer !== undefined) clearTimeout(this.flashTimer);
    this.flashTimer = undefined;
    this.flashing = undefined;
  }

  override render() {
    const label = this.label;
    const s = this.scale > 0 ? this.scale : 1;
    const svg = label
      ? labelSvg(label, { display: label.display ?? this.display, locale: this.locale, currency: this.currency, scale: s })
      : '';
    const led = this.flashing;
    return html`<div class="housing" style="--s: ${s}">
      <div class="screen">${unsafeHTML(svg)}</div>
      <span class="led ${led ? 'on' : ''}" data-color=${led?.color ?? 'off'} style=${led ? `--led: ${LED[led.color]}` : ''}
        aria-hidden="true"></span>
    </div>`;
  }

  static override styles = css`
    :host { display: inline-block; line-height: 0; }
    .housing {
      position: relative; display: inline-block; border-radius: calc(7px * var(--s));
      padding: calc(6px * var(--s)) calc(18px * var(--s)) calc(6px * var(--s)) calc(6px * var(--s));
      background: linear-gradient(180deg, #f4f4f2, #dcdcd8);
      box-shadow: 0 1px 0 rgb(255 255 255 / 0.8) inset, 0 2px 6px rgb(0 0 0 / 0.35);
    }
    .screen { display: block; background: #fff; box-shadow: 0 0 0 1px rgb(0 0 0 / 0.25); }
    .screen svg { display: block; }
    .led {
      position: absolute; top: calc(8px * var(--s)); right: calc(5px * var(--s));
      width: calc(8px * var(--s)); height: calc(8px * var(--s)); border-radius: 50%;
      background: #9a9a96; box-shadow: 0 0 0 1px rgb(0 0 0 / 0.2) inset;
    }
    .led.on {
      background: var(--led);
      box-shadow: 0 0 calc(4px * var(--s)) calc(2px * var(--s)) var(--led), 0 0 calc(14px * var(--s)) calc(4px * var(--s)) var(--led);
      animation: blink 0.5s steps(2, jump-none) infinite;
    }
    @keyframes blink { 50% { opacity: 0.35; box-shadow: none; } }
    @media (prefers-reduced-motion: reduce) { .led.on { animation: none; } }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'aisle-shelf-label': AisleShelfLabel;
  }
}
