/**
 * @module screen/item-card
 * Item templates shared by the hero and grid layouts: a full `itemCard` (visual on top) and a compact
 * `itemRow` (thumbnail left). Plain template functions, so every template keeps one flat shadow root.
 *
 * Classes tests rely on: `.item` (with `data-sku`), `.item-name`, `.badge`, `.note`, plus price-tag's.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { ContentItem } from '../shared/contracts.js';
import { itemVisual, itemVisualStyles, type CategoryLookup } from './item-visual.js';
import { priceTag, priceTagStyles, type PriceOptions } from './price-tag.js';

export interface ItemOptions extends PriceOptions {
  /** Show each item's `note` (small print; hidden with `?note=0`). */
  showNote: boolean;
  /** sku → catalog category, for the generated visual's colour and icon (never shown as text). */
  categories?: CategoryLookup | undefined;
}

export const badge = (item: ContentItem) =>
  item.badge ? html`<span class="badge">${item.badge}</span>` : nothing;

/** The item's shopper-facing line ("Because you like coffee"); frames never carry scores or reasons. */
export const note = (item: ContentItem, o: ItemOptions) =>
  o.showNote && item.note ? html`<p class="note">${item.note}</p>` : nothing;

export function itemCard(item: ContentItem, o: ItemOptions): TemplateResult {
  return html`<article class="item card" data-sku=${item.sku}>
    <div class="card-visual">${itemVisual(item, o.categories)}${badge(item)}</div>
    <div class="card-body">
      <h3 class="item-name">${item.name}</h3>
      <div class="card-price">${priceTag(item, o)}</div>
      ${note(item, o)}
    </div>
  </article>`;
}

export function itemRow(item: ContentItem, o: ItemOptions): TemplateResult {
  return html`<article class="item row" data-sku=${item.sku}>
    <div class="row-visual">${itemVisual(item, o.categories)}</div>
    <div class="row-body">
      ${badge(item)}
      <h3 class="item-name">${item.name}</h3>
      <div class="row-price">${priceTag(item, o)}</div>
      ${note(item, o)}
    </div>
  </article>`;
}

export const itemStyles = [itemVisualStyles, priceTagStyles, css`
  .item-name { margin: 0; font-weight: 700; letter-spacing: -0.015em; line-height: 1.08; text-wrap: balance; }
  .badge {
    display: inline-block; padding: 0.42em 0.8em; border-radius: 999px; font-size: var(--badge-size, 1.6vmin);
    font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; white-space: nowrap;
    background: var(--aisle-badge-bg); color: var(--aisle-badge-ink);
  }
  .note {
    margin: 0; justify-self: stretch; max-width: 100%; min-width: 0;
    font-size: var(--note-size, 1.25vmin); line-height: 1.3; color: var(--aisle-ink-faint);
    letter-spacing: 0.01em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  }
  .card {
    display: flex; flex-direction: column; min-height: 0; overflow: hidden; border-radius: var(--aisle-radius);
    background: var(--aisle-surface); box-shadow: inset 0 0 0 1px var(--aisle-line), var(--aisle-shadow);
  }
  .card-visual { position: relative; flex: 1 1 auto; min-height: 0; border-radius: var(--aisle-radius) var(--aisle-radius) 0 0; }
  .card-visual .badge { position: absolute; top: 1.4vmin; left: 1.4vmin; z-index: 2; }
  .card-body { display: grid; gap: 1.1vmin; padding: 1.8vmin 2vmin 2vmin; }
  .card .item-name {
    font-size: var(--card-name-size, 2.6vmin); min-height: 2.16em;
    display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden;
  }
  .card-price { font-size: var(--card-price-size, 4.2vmin); }
  .row { display: grid; grid-template-columns: auto 1fr; gap: 2vmin; align-items: center; min-width: 0; }
  .row-visual { width: var(--row-thumb, 11vmin); aspect-ratio: 1; border-radius: calc(var(--aisle-radius) * 0.7); overflow: hidden; }
  .row-body { display: grid; gap: 0.8vmin; justify-items: start; min-width: 0; }
  .row .badge { --badge-size: 1.2vmin; }
  .row .item-name {
    font-size: var(--row-name-size, 2.3vmin); font-weight: 600;
    display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden;
  }
  .row-price { font-size: var(--row-price-size, 3vmin); }
`];
