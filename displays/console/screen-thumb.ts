/**
 * @module console/screen-thumb
 * A screen on the floor plan: its name, online dot, mode badge and a small text thumbnail of what it shows
 * (headline, items with prices in the store's language). Content comes from the console socket's frame,
 * else from the live view's current skus looked up in the catalog. A button: it opens the screen's "why".
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { DecisionReason, ScreenContent } from '../shared/contracts.js';
import { formatPrice } from '../shared/format.js';
import type { LiveView } from './live-feed.js';
import type { ScreenInfo, StoreModel } from './store-model.js';

const MODES: Record<DecisionReason, string> = { idle: 'Idle', audience: 'Audience', shopper: 'Personal turn' };

/** "Idle" | "Audience" | "Personal turn" for a frame's reason (mode). */
export const modeLabel = (reason: string | undefined): string => MODES[reason as DecisionReason] ?? 'No content';

export const modeBadge = (reason: string | undefined): TemplateResult =>
  html`<span class="badge mode ${reason ?? 'none'}" data-mode=${reason ?? 'none'}>${modeLabel(reason)}</span>`;

type Current = LiveView['screens'][number];

/** Items as the thumbnail lists them: from the frame, else the live view's skus through the catalog. */
function thumbItems(store: StoreModel, frame: ScreenContent | undefined, live: Current | undefined) {
  if (frame) return frame.items.map((i) => ({ sku: i.sku, name: i.name, price: i.memberPrice ?? i.price }));
  return (live?.current?.skus ?? []).map((sku) => {
    const c = store.bySku.get(sku);
    return { sku, name: c?.name ?? sku, price: c ? c.memberPrice ?? c.price : undefined };
  });
}

export function screenThumb(store: StoreModel, screen: ScreenInfo, frame: ScreenContent | undefined, live: Current | undefined,
  open: (screenId: string) => void): TemplateResult {
  const reason = frame?.reason ?? live?.current?.reason;
  const items = thumbItems(store, frame, live);
  const online = live?.online ?? false;
  const price = (n: number | undefined) => (n === undefined ? '' : formatPrice(n, frame?.currency ?? store.currency, store.locale));
  return html`<button class="thumb" data-screen-id=${screen.screenId} @click=${() => open(screen.screenId)}
      aria-label="${screen.label}: ${modeLabel(reason)}${online ? '' : ', offline'}. Show what it shows and why.">
    <span class="thumb-head"><span class="dot ${online ? 'on' : ''}" title=${online ? 'online' : 'offline'}></span>
      <span class="thumb-name" title=${screen.label}>${screen.short}</span>${modeBadge(reason)}</span>
    ${frame?.headline ? html`<span class="thumb-headline">${frame.headline}</span>` : nothing}
    ${items.length ? html`<span class="thumb-items">${items.slice(0, 4).map((i) => html`<span class="thumb-item" data-sku=${i.sku}>
        <span class="thumb-item-name">${i.name}</span><span class="thumb-price">${price(i.price)}</span></span>`)}
        ${items.length > 4 ? html`<span class="faint">+ ${items.length - 4} more</span>` : nothing}</span>`
      : html`<span class="faint">${online ? 'Nothing shown yet' : 'Offline: no content'}</span>`}
  </button>`;
}

export const screenThumbStyles = css`
  .thumb { display: grid; gap: 6px; align-content: start; width: 100%; text-align: left; white-space: normal; padding: 10px 12px;
           border-radius: 11px; background: rgb(0 0 0 / 0.25); box-shadow: inset 0 0 0 1px var(--aisle-line); font-weight: 400; }
  .thumb:hover { background: rgb(217 178 106 / 0.08); }
  .thumb-head { display: flex; align-items: center; gap: 8px; min-width: 0; }
  .thumb-name { flex: 1; min-width: 0; font-weight: 700; font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .thumb-headline { font-size: 12px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: var(--aisle-accent); }
  .thumb-items { display: grid; gap: 2px; }
  .thumb-item { display: flex; gap: 8px; font-size: 12.5px; color: var(--aisle-ink-muted); }
  .thumb-item-name { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .thumb-price { font-variant-numeric: tabular-nums; color: var(--aisle-ink); font-weight: 600; }
`;
