import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ScreenContent } from '../shared/contracts.js';
import { pickLocale } from '../shared/format.js';
import { itemCard, itemStyles, type ItemOptions } from './item-card.js';
import type { CategoryLookup } from './item-visual.js';

/** Columns for `n` items: landscape favours wide rows, portrait favours tall columns. */
export function gridColumns(n: number): { landscape: number; portrait: number } {
  const landscape = n <= 4 ? Math.max(1, n) : n <= 6 || n === 9 ? 3 : n <= 12 ? 4 : 6;
  const portrait = n <= 1 ? 1 : n <= 8 ? 2 : n <= 12 ? 3 : 4;
  return { landscape, portrait };
}

/**
 * The `grid` template: N equal cards, used for an audience or the idle loop. Shows the frame's
 * `greeting` and `headline` in a header only when present. Prices use the frame's `locale` when it has
 * a valid one, else `locale`; that locale is also the content's `lang`, so the browser picks the right glyphs (CJK).
 *
 * Classes: `.greeting`, `.headline`, `.grid .item` (one per item).
 */
@customElement('aisle-grid-template')
export class AisleGridTemplate extends LitElement {
  static override styles = [itemStyles, css`
    :host { display: block; height: 100%; }
    .layout {
      box-sizing: border-box; height: 100%; padding: 5vmin 5vmin 4.5vmin; display: flex; flex-direction: column;
      gap: 3.4vmin;
      background: radial-gradient(90% 70% at 50% -10%, var(--aisle-bg-2), transparent 70%), var(--aisle-bg);
    }
    header { display: flex; align-items: baseline; justify-content: space-between; gap: 4vmin; flex-wrap: wrap; }
    .greeting { margin: 0; font-size: 4.6vmin; font-weight: 700; letter-spacing: -0.02em; color: var(--aisle-accent-2); }
    .headline {
      margin: 0; font-size: 4.6vmin; font-weight: 800; letter-spacing: -0.03em; line-height: 1.05;
    }
    .greeting + .headline {
      font-size: 2vmin; font-weight: 700; letter-spacing: 0.18em; text-transform: uppercase; color: var(--aisle-accent);
    }
    .grid {
      flex: 1 1 auto; min-height: 0; display: grid; gap: 2.6vmin;
      grid-template-columns: repeat(var(--cols-l), minmax(0, 1fr));
      grid-template-rows: repeat(var(--rows-l), minmax(0, 1fr));
    }
    .card { container-type: inline-size; }
    .card .item-name { font-size: clamp(13px, 7cqi, 5vmin); }
    .card-price { font-size: clamp(16px, 11.5cqi, 8vmin); }
    .card .badge { --badge-size: clamp(10px, 3.4cqi, 2vmin); }
    .card .note { --note-size: clamp(10px, 3.4cqi, 1.6vmin); }
    @media (orientation: portrait) {
      .grid { grid-template-columns: repeat(var(--cols-p), minmax(0, 1fr));
              grid-template-rows: repeat(var(--rows-p), minmax(0, 1fr)); }
    }
  `];

  /** The `screen.content` frame to render (template `grid`, or any frame shown as a grid). */
  @property({ attribute: false }) content: ScreenContent | undefined;
  @property({ type: Boolean, attribute: 'show-note' }) showNote = true;
  /** Fallback locale, for frames without a (valid) `locale`. */
  @property() locale: string | undefined;
  /** sku → catalog category (the store's), for colours and icons only. */
  @property({ attribute: false }) categories: CategoryLookup | undefined;

  override render() {
    const c = this.content;
    if (!c) return nothing;
    const o: ItemOptions = { currency: c.currency ?? 'GBP', locale: pickLocale(c.locale, this.locale),
      showNote: this.showNote, categories: this.categories };
    const n = c.items.length;
    const cols = gridColumns(n);
    const style = `--cols-l:${cols.landscape};--rows-l:${Math.max(1, Math.ceil(n / cols.landscape))};`
      + `--cols-p:${cols.portrait};--rows-p:${Math.max(1, Math.ceil(n / cols.portrait))}`;
    return html`<section class="layout" lang=${ifDefined(o.locale)}>
      ${c.greeting || c.headline ? html`<header>
        ${c.greeting ? html`<p class="greeting">${c.greeting}</p>` : nothing}
        ${c.headline ? html`<p class="headline">${c.headline}</p>` : nothing}
      </header>` : nothing}
      <div class="grid" style=${style}>${c.items.map((it) => itemCard(it, o))}</div>
    </section>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-grid-template': AisleGridTemplate } }
