/**
 * @module console/styles
 * The console's shared look: surfaces, buttons, fields, badges and dialogs, on the displays' design tokens
 * (shared/tokens.css). Sizes are in px/rem, not vmin: a back-office page, not a sign.
 */
import { css } from 'lit';

export const baseStyles = css`
  :host { font-family: var(--aisle-font); color: var(--aisle-ink); font-size: 15px; line-height: 1.45; }
  *, *::before, *::after { box-sizing: border-box; }
  h1, h2, h3 { margin: 0; letter-spacing: -0.02em; line-height: 1.15; }
  h1 { font-size: 26px; font-weight: 800; }
  h2 { font-size: 18px; font-weight: 700; }
  h3 { font-size: 15px; font-weight: 700; }
  h1:focus { outline: none; }
  p { margin: 0; }
  a { color: var(--aisle-accent-2); }
  .muted { color: var(--aisle-ink-muted); }
  .faint { color: var(--aisle-ink-faint); font-size: 13px; }
  .card { background: var(--aisle-surface); border-radius: 14px; box-shadow: inset 0 0 0 1px var(--aisle-line); padding: 16px; }
  .row { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
  .stack { display: grid; gap: 12px; }
  .spacer { flex: 1; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

  button, .button {
    font: inherit; font-weight: 600; font-size: 14px; color: var(--aisle-ink); cursor: pointer; text-decoration: none;
    display: inline-flex; align-items: center; gap: 6px; padding: 7px 14px; border-radius: 9px; border: 0;
    background: var(--aisle-surface-2); box-shadow: inset 0 0 0 1px var(--aisle-line); white-space: nowrap;
  }
  button:hover, .button:hover { background: rgb(255 255 255 / 0.14); }
  button.primary, .button.primary { background: var(--aisle-accent); color: #1d1608; box-shadow: none; }
  button.primary:hover, .button.primary:hover { background: var(--aisle-accent-2); }
  button.danger { color: var(--aisle-danger); }
  button.quiet { background: transparent; box-shadow: none; padding: 6px 8px; }
  button:disabled { opacity: 0.45; cursor: not-allowed; }
  :focus-visible { outline: 2px solid var(--aisle-accent); outline-offset: 2px; }

  label.field { display: grid; gap: 5px; font-size: 13px; font-weight: 600; color: var(--aisle-ink-muted); }
  input, select, textarea {
    font: inherit; font-size: 14px; color: var(--aisle-ink); background: rgb(0 0 0 / 0.28); border: 1px solid rgb(255 255 255 / 0.14);
    border-radius: 8px; padding: 7px 10px; min-width: 0;
  }
  input[type='checkbox'], input[type='radio'] { accent-color: var(--aisle-accent); width: 16px; height: 16px; padding: 0; }
  input:focus, select:focus, textarea:focus { outline: none; border-color: var(--aisle-accent); box-shadow: 0 0 0 2px rgb(217 178 106 / 0.25); }
  input[aria-invalid='true'], select[aria-invalid='true'], textarea[aria-invalid='true'] { border-color: var(--aisle-danger); }
  .error { color: var(--aisle-danger); font-size: 13px; font-weight: 500; }
  .hint { color: var(--aisle-ink-faint); font-size: 12.5px; font-weight: 400; }
  .banner { padding: 10px 14px; border-radius: 10px; background: rgb(255 122 107 / 0.12); color: #ffc2ba; box-shadow: inset 0 0 0 1px rgb(255 122 107 / 0.3); }
  .banner.info { background: rgb(217 178 106 / 0.1); color: var(--aisle-accent-2); box-shadow: inset 0 0 0 1px rgb(217 178 106 / 0.25); }

  .badge { display: inline-flex; align-items: center; gap: 5px; padding: 2px 9px; border-radius: 999px; font-size: 12px; font-weight: 700;
           white-space: nowrap; background: var(--aisle-surface-2); color: var(--aisle-ink-muted); }
  .badge.idle { background: rgb(255 255 255 / 0.08); color: var(--aisle-ink-muted); }
  .badge.audience { background: rgb(96 165 250 / 0.18); color: #a9cdfb; }
  .badge.shopper { background: rgb(217 178 106 / 0.22); color: var(--aisle-accent-2); }
  .badge.on { background: rgb(95 211 154 / 0.16); color: var(--aisle-ok); }
  .badge.off { background: rgb(255 255 255 / 0.07); color: var(--aisle-ink-faint); }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--aisle-ink-faint); display: inline-block; }
  .dot.on { background: var(--aisle-ok); box-shadow: 0 0 0 3px rgb(95 211 154 / 0.18); }

  .empty { padding: 28px; text-align: center; color: var(--aisle-ink-muted); border-radius: 14px; border: 1px dashed rgb(255 255 255 / 0.16); }
  .empty strong { display: block; color: var(--aisle-ink); font-size: 16px; margin-bottom: 4px; }

  dialog { color: var(--aisle-ink); background: #15251f; border: 0; border-radius: 16px; padding: 0; max-width: min(920px, 94vw);
           box-shadow: 0 24px 80px rgb(0 0 0 / 0.6), inset 0 0 0 1px var(--aisle-line); }
  dialog::backdrop { background: rgb(4 9 7 / 0.7); }
  .dialog-head { display: flex; align-items: center; gap: 12px; padding: 16px 20px; border-bottom: 1px solid var(--aisle-line); }
  .dialog-body { padding: 18px 20px; display: grid; gap: 14px; max-height: 76vh; overflow: auto; }
  .dialog-foot { display: flex; justify-content: flex-end; gap: 10px; padding: 14px 20px; border-top: 1px solid var(--aisle-line); }

  table { border-collapse: collapse; width: 100%; }
  th { text-align: left; font-size: 12px; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; color: var(--aisle-ink-faint); padding: 8px 10px; }
  td { padding: 10px; border-top: 1px solid var(--aisle-line); vertical-align: middle; }
`;
