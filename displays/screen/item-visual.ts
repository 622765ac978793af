/**
 * @module screen/item-visual
 * The picture of an item: its `image` when it loads, otherwise (and until it loads) a generated visual —
 * a coloured gradient with a line icon and the product's initials. Never a broken image.
 *
 * Frames carry no category. When the store's catalog (`shared/store-info.ts`) knows the item's category,
 * the colour family and icon follow it (the same aisle looks alike); otherwise the hue is a stable hash
 * of the sku and the icon a neutral shopping bag.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { ContentItem } from '../shared/contracts.js';
import { hashHue, hueFor, initials } from '../shared/format.js';
import { categoryIcon } from './category-icon.js';

/** sku → catalog category, from the store's configuration. */
export type CategoryLookup = ReadonlyMap<string, string>;

/** The item's hue: its catalog category's colour family when known, else a stable hash of its sku. */
export function itemHue(item: Pick<ContentItem, 'sku'>, categories?: CategoryLookup): number {
  const category = categories?.get(item.sku);
  return category ? hueFor(category) : hashHue(item.sku);
}

const onLoad = (e: Event) => (e.target as HTMLElement).classList.add('loaded');
const onError = (e: Event) => (e.target as HTMLElement).classList.add('failed');

export function itemVisual(item: ContentItem, categories?: CategoryLookup): TemplateResult {
  return html`<div class="visual" style="--h:${itemHue(item, categories)}">
    <div class="generated" aria-hidden="true">
      <span class="initials">${initials(item.name)}</span>
      <span class="glyph">${categoryIcon(categories?.get(item.sku))}</span>
    </div>
    ${item.image
      ? html`<img class="photo" src=${item.image} alt=${item.name} decoding="async" @load=${onLoad} @error=${onError}>`
      : nothing}
  </div>`;
}

export const itemVisualStyles = css`
  .visual {
    position: relative; overflow: hidden; width: 100%; height: 100%;
    border-radius: inherit; container-type: size; isolation: isolate;
  }
  .generated {
    position: absolute; inset: 0; display: grid; place-items: center;
    background:
      radial-gradient(120% 90% at 20% 10%, hsl(var(--h) 75% 66% / 0.55), transparent 55%),
      radial-gradient(90% 80% at 95% 100%, hsl(calc(var(--h) - 28) 65% 42% / 0.55), transparent 60%),
      linear-gradient(150deg, hsl(var(--h) 48% 34%), hsl(calc(var(--h) - 12) 50% 15%));
  }
  .generated::after {
    content: ''; position: absolute; inset: 0;
    background: radial-gradient(circle at 1px 1px, rgb(255 255 255 / 0.09) 1px, transparent 1.5px) 0 0 / 14px 14px;
    mask-image: linear-gradient(160deg, transparent 30%, #000 100%);
  }
  .glyph {
    position: relative; z-index: 1; display: grid; place-items: center;
    width: 38cqmin; height: 38cqmin; border-radius: 50%; color: hsl(var(--h) 80% 94%);
    background: rgb(255 255 255 / 0.12); box-shadow: inset 0 0 0 1px rgb(255 255 255 / 0.18);
    backdrop-filter: blur(6px);
  }
  .icon { width: 52%; height: 52%; }
  .initials {
    position: absolute; right: -0.04em; bottom: -0.18em; font-size: 62cqmin; font-weight: 800;
    letter-spacing: -0.06em; line-height: 1; color: rgb(255 255 255 / 0.1); user-select: none;
  }
  .photo {
    position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover;
    opacity: 0; transition: opacity 400ms ease;
  }
  .photo.loaded { opacity: 1; }
  .photo.failed { display: none; }
`;
