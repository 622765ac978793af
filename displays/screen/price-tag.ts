/**
 * @module screen/price-tag
 * Price block: the regular price, or — when there is a member saving — the highlighted member
 * price with the regular price struck through.
 *
 * Classes tests rely on: `.price` (the regular price; struck through, `.price--was`, next to a member price),
 * `.member-price` (the member price).
 */
import { css, html, type TemplateResult } from 'lit';
import type { ContentItem } from '../shared/contracts.js';
import { formatPrice, hasMemberSaving } from '../shared/format.js';
import { playerLabels } from './labels.js';

export interface PriceOptions {
  currency: string;
  /** The frame's (valid) locale, else the player's; `undefined` = the browser's. */
  locale?: string | undefined;
}

export function priceTag(item: ContentItem, o: PriceOptions): TemplateResult {
  const fmt = (n: number) => formatPrice(n, o.currency, o.locale);
  const words = playerLabels(o.locale);
  if (!hasMemberSaving(item.price, item.memberPrice)) {
    return html`<div class="price-tag"><span class="price">${fmt(item.price)}</span></div>`;
  }
  return html`<div class="price-tag has-member">
    <span class="member">
      <span class="member-meta">
        <span class="member-label">${words.memberPrice}</span>
        <s class="price price--was" aria-label="${words.regularPrice} ${fmt(item.price)}">${fmt(item.price)}</s>
      </span>
      <span class="member-price">${fmt(item.memberPrice)}</span>
    </span>
  </div>`;
}

export const priceTagStyles = css`
  .price-tag {
    display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em 0.45em; min-height: 1.36em;
    font-variant-numeric: tabular-nums; line-height: 1;
  }
  .price { font-weight: 800; letter-spacing: -0.02em; color: var(--aisle-ink); }
  .member {
    display: inline-flex; align-items: center; gap: 0.3em; padding: 0.12em 0.12em 0.12em 0.34em;
    border-radius: 0.28em; background: var(--aisle-member-bg); color: var(--aisle-member-ink);
    box-shadow: 0 0.2em 0.8em -0.25em var(--aisle-member-glow);
  }
  .member-meta { display: grid; gap: 0.1em; justify-items: start; }
  .member-label { font-size: max(0.24em, 10px); font-weight: 800; letter-spacing: 0.1em; text-transform: uppercase; white-space: nowrap; }
  .price--was {
    font-size: max(0.34em, 12px); font-weight: 600; color: inherit; opacity: 0.72; letter-spacing: 0;
    text-decoration-thickness: 0.09em;
  }
  .member-price {
    font-weight: 800; letter-spacing: -0.02em; padding: 0.04em 0.14em; border-radius: 0.2em;
    background: rgb(0 0 0 / 0.1);
  }
`;
