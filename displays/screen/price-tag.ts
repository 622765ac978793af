/**
 * @module screen/price-tag
 * Price block: the regular price, or — when there is a member saving — the highlighted member
 * price with the regular price struck through.
 *
 * Classes tests rely on: `.price` (the regular price, struck through when `.price--was`),
 * `.member-price` (the member price).
 */
import { css, html, type TemplateResult } from 'lit';
import type { ContentItem } from '../shared/contracts.js';
import { formatPrice, hasMemberSaving } from '../shared/format.js';

export interface PriceOptions {
  currency: string;
  locale?: string | undefined;
}

export function priceTag(item: ContentItem, o: PriceOptions): TemplateResult {
  const fmt = (n: number) => formatPrice(n, o.currency, o.locale);
  if (!hasMemberSaving(item.price, item.memberPrice)) {
    return html`<div class="price-tag"><span class="price">${fmt(item.price)}</span></div>`;
  }
  return html`<div class="price-tag has-member">
    <span class="member">
      <span class="member-label">Member</span>
      <span class="member-price">${fmt(item.memberPrice)}</span>
    </span>
    <span class="was"><s class="price price--was" aria-label="Regular price ${fmt(item.price)}">${fmt(item.price)}</s></span>
  </div>`;
}

export const priceTagStyles = css`
  .price-tag {
    display: flex; flex-wrap: wrap; align-items: center; gap: 0.35em 0.6em;
    font-variant-numeric: tabular-nums; line-height: 1;
  }
  .price { font-weight: 800; letter-spacing: -0.02em; color: var(--aisle-ink); }
  .member {
    display: inline-flex; align-items: center; gap: 0.45em; padding: 0.16em 0.22em 0.16em 0.5em;
    border-radius: 0.34em; background: var(--aisle-member-bg); color: var(--aisle-member-ink);
    box-shadow: 0 0.2em 0.8em -0.2em var(--aisle-member-glow);
  }
  .member-label {
    font-size: 0.36em; font-weight: 700; letter-spacing: 0.12em; text-transform: uppercase;
    writing-mode: horizontal-tb;
  }
  .member-price {
    font-weight: 800; letter-spacing: -0.02em; padding: 0.06em 0.2em; border-radius: 0.22em;
    background: rgb(0 0 0 / 0.12);
  }
  .was { font-size: 0.5em; color: var(--aisle-ink-muted); }
  .price--was { font-weight: 600; color: inherit; text-decoration-thickness: 0.08em; }
`;
