/**
 * @module screen/setup-message
 * A full-screen, calm "this screen needs setting up" card, for a missing or rejected token or id.
 * Readable from across a shop floor by whoever installs the screen. Class: `.setup`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';

export interface SetupInfo {
  title: string;
  detail: string;
  /** The server's stable error code, e.g. `ws.unauthorized`. */
  code?: string | undefined;
  storeId?: string | undefined;
  screenId?: string | undefined;
}

export function setupMessage(s: SetupInfo): TemplateResult {
  return html`<section class="setup" role="alert" data-code=${s.code ?? ''}>
    <div class="setup-card">
      <p class="setup-eyebrow">Aislecast screen · setup needed</p>
      <h1 class="setup-title">${s.title}</h1>
      <p class="setup-detail">${s.detail}</p>
      <p class="setup-url">/screen/?store=<b>${s.storeId || 'STORE_ID'}</b>&amp;screen=<b>${s.screenId || 'SCREEN_ID'}</b>&amp;token=<b>TOKEN</b></p>
      <p class="setup-meta">
        ${s.code ? html`<span>Code <code>${s.code}</code></span>` : nothing}
        ${s.storeId ? html`<span>Store <code>${s.storeId}</code></span>` : nothing}
        ${s.screenId ? html`<span>Screen <code>${s.screenId}</code></span>` : nothing}
      </p>
    </div>
  </section>`;
}

export const setupMessageStyles = css`
  .setup {
    position: absolute; inset: 0; z-index: 5; display: grid; place-items: center; padding: 6vmin;
    background: radial-gradient(70% 70% at 50% 0%, var(--aisle-bg-2), var(--aisle-bg));
  }
  .setup-card {
    max-width: 120vmin; padding: 6vmin 7vmin; border-radius: calc(var(--aisle-radius) * 1.5);
    background: var(--aisle-surface); box-shadow: inset 0 0 0 1px var(--aisle-line), var(--aisle-shadow);
  }
  .setup-eyebrow {
    margin: 0; font-size: 1.8vmin; font-weight: 700; letter-spacing: 0.2em; text-transform: uppercase;
    color: var(--aisle-warn);
  }
  .setup-title { margin: 2vmin 0 0; font-size: 6vmin; font-weight: 800; letter-spacing: -0.03em; line-height: 1.05; }
  .setup-detail { margin: 2.4vmin 0 0; font-size: 2.8vmin; line-height: 1.4; color: var(--aisle-ink-muted); }
  .setup-url {
    margin: 3.4vmin 0 0; padding: 2vmin 2.4vmin; border-radius: 1.2vmin; background: rgb(0 0 0 / 0.35);
    font: 500 2.2vmin/1.4 ui-monospace, 'SFMono-Regular', Menlo, monospace; color: var(--aisle-ink-muted);
    overflow-wrap: anywhere;
  }
  .setup-url b { color: var(--aisle-accent-2); font-weight: 600; }
  .setup-meta { display: flex; flex-wrap: wrap; gap: 1vmin 3vmin; margin: 3vmin 0 0; font-size: 1.9vmin; color: var(--aisle-ink-faint); }
  .setup-meta code { color: var(--aisle-ink-muted); font-size: 1.1em; }
`;
