/**
 * @module labels/label-strip
 * `<aisle-label-strip>`: the shelf labels of one zone side by side, as a shelf edge would show them
 * (docs/labels.md §Rendering). Feed it the zone's labels, or one `label.update` frame at a time with `receive()`.
 *
 * Classes tests rely on: `.heading`, `.row`, and one `aisle-shelf-label` per label with `data-label-id` and `data-mode`
 * (`personal` near a consenting shopper, else `base`). A personal label is ringed in the accent colour; a flashing one
 * (the element's `data-flash`) glows in its LED's colour, so a flash shows from across the room, not only on the LED.
 */
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LabelDisplay } from '../shared/label-svg.js';
import type { ShelfLabelData } from './shelf-label.js';
import './shelf-label.js';

/** A label in a strip: its id keeps each element (and its LED) in place across updates. */
export type StripLabel = ShelfLabelData & { labelId: string };

@customElement('aisle-label-strip')
export class AisleLabelStrip extends LitElement {
  /** The zone's labels, in shelf order. */
  @property({ attribute: false }) labels: StripLabel[] = [];
  /** Screen px per display px for every label (default 0.75: a 296×128 label is 222×96). */
  @property({ type: Number }) scale = 0.75;
  /** Shown above the row, e.g. the zone's name. */
  @property() heading = '';
  /** Fallbacks for labels that do not say: the store's display, locale and currency. */
  @property() display: LabelDisplay | undefined;
  @property() locale: string | undefined;
  @property() currency: string | undefined;
  /** Wraps the labels onto more rows instead of scrolling one row sideways. */
  @property({ type: Boolean, reflect: true }) wrap = false;

  /** Takes one `label.update` frame: replaces that label (unless the frame is older), or adds it at the end. */
  receive(frame: StripLabel): void {
    const i = this.labels.findIndex((l) => l.labelId === frame.labelId);
    const current = i === -1 ? undefined : this.labels[i];
    if (current?.seq !== undefined && frame.seq !== undefined && frame.seq < current.seq) return;
    this.labels = i === -1 ? [...this.labels, frame] : this.labels.map((l, k) => (k === i ? frame : l));
  }

  override render() {
    return html`${this.heading ? html`<h3 class="heading">${this.heading}</h3>` : nothing}
      <div class="row" role="list">
        ${repeat(this.labels, (l) => l.labelId, (l) => html`<aisle-shelf-label role="listitem" data-label-id=${l.labelId}
          data-mode=${l.mode ?? 'base'} title=${l.mode === 'personal' ? 'Personal: a consenting shopper is near' : nothing}
          .label=${l} .scale=${this.scale} .display=${this.display} .locale=${this.locale} .currency=${this.currency}></aisle-shelf-label>`)}
      </div>`;
  }

  static override styles = css`
    :host { display: block; }
    .heading { margin: 0 0 0.5em; font: inherit; font-weight: 700; letter-spacing: 0.04em; }
    .row {
      display: flex; flex-wrap: nowrap; align-items: flex-end; gap: 12px; overflow-x: auto; padding: 6px 4px 10px;
      border-bottom: 6px solid #8c8f94; /* the shelf edge */
    }
    :host([wrap]) .row { flex-wrap: wrap; overflow-x: visible; row-gap: 14px; }
    aisle-shelf-label { flex: none; border-radius: 8px; transition: filter 0.3s; }
    aisle-shelf-label[data-mode='personal'] { outline: 3px solid var(--aisle-accent, #d9b26a); outline-offset: 3px; }
    aisle-shelf-label[data-flash] { filter: drop-shadow(0 0 10px var(--flash-glow)); }
    aisle-shelf-label[data-flash='green'] { --flash-glow: #22e36b; }
    aisle-shelf-label[data-flash='red'] { --flash-glow: #ff3b30; }
    aisle-shelf-label[data-flash='blue'] { --flash-glow: #3b82ff; }
    aisle-shelf-label[data-flash='yellow'] { --flash-glow: #ffd60a; }
    aisle-shelf-label[data-flash='white'] { --flash-glow: #ffffff; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'aisle-label-strip': AisleLabelStrip;
  }
}
