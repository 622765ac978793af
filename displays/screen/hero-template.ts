import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ScreenContent } from '../shared/contracts.js';
import { pickLocale } from '../shared/format.js';
import { badge, itemRow, itemStyles, note, type ItemOptions } from './item-card.js';
import { itemHue, itemVisual, type CategoryLookup } from './item-visual.js';
import { playerLabels } from './labels.js';
import { priceTag } from './price-tag.js';

/**
 * The `hero` template: one big featured item (the first) and up to three secondary ones.
 * Used when a single shopper stands in front of the screen. Shows the frame's `greeting` and
 * `headline` only when the frame has them. Prices use the frame's `locale` when it has a valid one,
 * else `locale`; that locale is also the content's `lang`, so the browser picks the right glyphs (CJK).
 *
 * Classes: `.greeting`, `.headline`, `.feature` (the featured `.item`), `.more .item` (secondary).
 */
@customElement('aisle-hero-template')
export class AisleHeroTemplate extends LitElement {
  static override styles = [itemStyles, css`
    :host { display: block; height: 100%; }
    .hero {
      box-sizing: border-box; height: 100%; padding: 5vmin 6vmin; display: grid; gap: 3.5vmin 6vmin;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); grid-template-rows: minmax(0, 1fr) auto;
      grid-template-areas: 'visual copy' 'more more';
      background:
        radial-gradient(70% 90% at 0% 0%, hsl(var(--h) 45% 24% / 0.85), transparent 70%),
        radial-gradient(60% 60% at 100% 100%, hsl(var(--h) 40% 18% / 0.5), transparent 70%),
        var(--aisle-bg);
    }
    .feature-visual {
      grid-area: visual; position: relative; min-height: 0; border-radius: calc(var(--aisle-radius) * 1.6);
      overflow: hidden; box-shadow: 0 3vmin 8vmin -3vmin rgb(0 0 0 / 0.7), inset 0 0 0 1px var(--aisle-line);
    }
    .feature-visual .badge { position: absolute; top: 3vmin; left: 3vmin; z-index: 2; --badge-size: 2.1vmin; }
    .copy { grid-area: copy; display: flex; flex-direction: column; justify-content: center; gap: 2.6vmin; min-width: 0; }
    .greeting {
      margin: 0; font-size: 5.2vmin; font-weight: 700; letter-spacing: -0.02em; line-height: 1.05;
      color: var(--aisle-accent-2);
    }
    .headline {
      margin: 0; font-size: 2vmin; font-weight: 700; letter-spacing: 0.18em; text-transform: uppercase;
      color: var(--aisle-accent);
    }
    .feature .item-name { font-size: 7.4vmin; font-weight: 800; letter-spacing: -0.035em; line-height: 1; }
    .feature-price { font-size: 10vmin; margin-top: 0.6vmin; }
    .feature { display: flex; flex-direction: column; gap: 2.4vmin; }
    .feature .note { --note-size: 1.5vmin; }
    .more { grid-area: more; display: grid; gap: 1.6vmin; border-top: 1px solid var(--aisle-line); padding-top: 2.6vmin; }
    .more-label {
      margin: 0; font-size: 1.6vmin; font-weight: 700; letter-spacing: 0.18em; text-transform: uppercase;
      color: var(--aisle-ink-muted);
    }
    .more-list { display: grid; grid-template-columns: repeat(var(--n, 3), minmax(0, 1fr)); gap: 4vmin; }
    @media (orientation: portrait) {
      .hero {
        grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(0, 1.1fr) auto auto;
        grid-template-areas: 'visual' 'copy' 'more'; padding: 6vmin 6vmin 5vmin;
      }
      .feature .item-name { font-size: 8.4vmin; }
      .feature-price { font-size: 11vmin; }
      .more-list { grid-template-columns: minmax(0, 1fr); gap: 2.4vmin; }
      .more { --row-thumb: 13vmin; --row-name-size: 3vmin; --row-price-size: 4vmin; }
    }
  `];

  /** The `screen.content` frame to render (template `hero`). */
  @property({ attribute: false }) content: ScreenContent | undefined;
  @property({ type: Boolean, attribute: 'show-note' }) showNote = true;
  /** Fallback locale, for frames without a (valid) `locale`. */
  @property() locale: string | undefined;
  /** sku → catalog category (the store's), for colours and icons only. */
  @property({ attribute: false }) categories: CategoryLookup | undefined;

  override render() {
    const c = this.content;
    const [featured, ...rest] = c?.items ?? [];
    if (!c || !featured) return nothing;
    const o: ItemOptions = { currency: c.currency ?? 'GBP', locale: pickLocale(c.locale, this.locale),
      showNote: this.showNote, categories: this.categories };
    const more = rest.slice(0, 3);
    const words = playerLabels(o.locale);
    return html`<section class="hero" lang=${ifDefined(o.locale)} style="--h:${itemHue(featured, this.categories)}">
      <div class="feature-visual">${itemVisual(featured, this.categories)}${badge(featured)}</div>
      <div class="copy">
        ${c.greeting ? html`<p class="greeting">${c.greeting}</p>` : nothing}
        ${c.headline ? html`<p class="headline">${c.headline}</p>` : nothing}
        <article class="item feature" data-sku=${featured.sku}>
          <h2 class="item-name">${featured.name}</h2>
          <div class="feature-price">${priceTag(featured, o)}</div>
          ${note(featured, o)}
        </article>
      </div>
      ${more.length ? html`<div class="more">
        <p class="more-label">${c.reason === 'shopper' ? words.alsoForYou : words.alsoLike}</p>
        <div class="more-list" style="--n:${more.length}">${more.map((it) => itemRow(it, o))}</div>
      </div>` : nothing}
    </section>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-hero-template': AisleHeroTemplate } }
