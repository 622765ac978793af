/**
 * @module console/decision-stream
 * The live page's list of recent decisions, newest first, as the console socket delivered them: when, which
 * screen, its mode, the headline and the items (public words only). Each opens that screen's "why".
 * Class: `.decision[data-screen-id]`.
 */
import { css, html, type TemplateResult } from 'lit';
import type { RecentDecision } from './live-feed.js';
import { modeBadge } from './screen-thumb.js';
import { screenLabel, type StoreModel } from './store-model.js';

function timeOf(at: number, m: StoreModel): string {
  try {
    return new Intl.DateTimeFormat(m.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: m.timezone }).format(at);
  } catch {
    return new Date(at).toLocaleTimeString();
  }
}

export function decisionStream(m: StoreModel, recent: readonly RecentDecision[], open: (screenId: string) => void): TemplateResult {
  return html`<section class="card stream">
    <h2>Recent decisions</h2>
    <p class="faint">What screens were sent, as it happens. Select one to see why (from a preview).</p>
    ${recent.length ? html`<ol class="decisions" aria-live="polite">${recent.map((r) => html`<li>
        <button class="decision" data-screen-id=${r.frame.screenId} data-decision-id=${r.frame.decisionId} @click=${() => open(r.frame.screenId)}>
          <span class="decision-head"><time>${timeOf(r.at, m)}</time>${modeBadge(r.frame.reason)}</span>
          <span class="decision-screen">${screenLabel(m, r.frame.screenId)}</span>
          ${r.frame.headline ? html`<span class="decision-headline">${r.frame.headline}</span>` : ''}
          <span class="decision-items">${r.frame.items.slice(0, 3).map((i) => i.name).join(' · ')}</span>
        </button></li>`)}</ol>`
      : html`<p class="empty"><strong>Waiting for screens</strong>Decisions appear here as screens get new content.</p>`}
  </section>`;
}

export const decisionStreamStyles = css`
  .stream { display: grid; gap: 8px; position: sticky; top: 76px; max-height: calc(100vh - 100px); overflow: auto; }
  .decisions { list-style: none; margin: 4px 0 0; padding: 0; display: grid; gap: 6px; }
  .decision { display: grid; gap: 3px; width: 100%; text-align: left; white-space: normal; font-weight: 400; padding: 9px 11px; }
  .decision-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; font-size: 12px; color: var(--aisle-ink-faint); }
  .decision-screen { font-weight: 700; font-size: 13.5px; }
  .decision-headline { font-size: 12px; color: var(--aisle-accent); }
  .decision-items { font-size: 12.5px; color: var(--aisle-ink-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;
