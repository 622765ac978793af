/**
 * @module associate/styles
 * The associate app's look, on the displays' design tokens (shared/tokens.css): a phone held in one hand on
 * the shop floor (360–430 px wide), so px sizes, large type and touch targets of at least 48 px.
 */
import { css } from 'lit';

export const appStyles = css`
  :host { font-family: var(--aisle-font); color: var(--aisle-ink); font-size: 16px; line-height: 1.45; }
  *, *::before, *::after { box-sizing: border-box; }
  h1, h2, h3 { margin: 0; letter-spacing: -0.015em; line-height: 1.2; }
  h1 { font-size: 22px; font-weight: 800; }
  h2 { font-size: 13px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: var(--aisle-ink-faint); }
  h1:focus, h2:focus { outline: none; }
  p { margin: 0; }
  ul { margin: 0; padding: 0; list-style: none; }
  .muted { color: var(--aisle-ink-muted); }
  .faint { color: var(--aisle-ink-faint); font-size: 14px; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  :focus-visible { outline: 3px solid var(--aisle-accent); outline-offset: 2px; }

  button {
    font: inherit; font-weight: 700; font-size: 16px; color: var(--aisle-ink); cursor: pointer; border: 0;
    min-height: 48px; padding: 10px 16px; border-radius: 12px; background: var(--aisle-surface-2);
    box-shadow: inset 0 0 0 1px var(--aisle-line); display: inline-flex; align-items: center; justify-content: center; gap: 8px;
    -webkit-tap-highlight-color: transparent; touch-action: manipulation;
  }
  button:active { transform: scale(0.985); }
  button.primary { background: var(--aisle-accent); color: #1d1608; box-shadow: none; }
  button.quiet { background: transparent; box-shadow: none; padding: 10px 12px; color: var(--aisle-ink-muted); }
  button:disabled { opacity: 0.55; cursor: not-allowed; transform: none; }

  .tier { display: inline-flex; align-items: center; padding: 3px 10px; border-radius: 999px; font-size: 13px; font-weight: 800;
          letter-spacing: 0.02em; white-space: nowrap; background: var(--aisle-surface-2); color: var(--aisle-ink); }
  .tier[data-tier='platinum'] { background: linear-gradient(135deg, #e9eef2, #aab6c0); color: #12181c; }
  .tier[data-tier='gold'] { background: var(--aisle-member-bg); color: var(--aisle-member-ink); }
  .tier[data-tier='silver'] { background: linear-gradient(135deg, #d9dde0, #9aa3a9); color: #15191c; }
  .tier[data-tier='member'] { background: rgb(255 255 255 / 0.12); color: var(--aisle-ink); }

  .state { display: inline-flex; align-items: center; gap: 6px; font-size: 13px; font-weight: 700; white-space: nowrap; }
  .state::before { content: ''; width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
  .state[data-state='new'] { color: var(--aisle-warn); }
  .state[data-state='mine'] { color: var(--aisle-ok); }
  .state[data-state='other'] { color: var(--aisle-ink-muted); }
  .state[data-state='released'] { color: var(--aisle-accent-2); }

  .banner { padding: 12px 14px; border-radius: 12px; font-size: 14px; background: rgb(255 180 84 / 0.12); color: #ffd9a6;
            box-shadow: inset 0 0 0 1px rgb(255 180 84 / 0.3); }
  .banner.danger { background: rgb(255 122 107 / 0.12); color: #ffc2ba; box-shadow: inset 0 0 0 1px rgb(255 122 107 / 0.3); }
  .banner.info { background: rgb(217 178 106 / 0.1); color: var(--aisle-accent-2); box-shadow: inset 0 0 0 1px rgb(217 178 106 / 0.25); }

  label.field { display: grid; gap: 6px; font-size: 14px; font-weight: 700; color: var(--aisle-ink-muted); }
  input {
    font: inherit; font-size: 17px; color: var(--aisle-ink); background: rgb(0 0 0 / 0.28); border: 1px solid rgb(255 255 255 / 0.16);
    border-radius: 12px; padding: 12px 14px; min-height: 48px; min-width: 0; width: 100%;
  }
  input:focus { outline: none; border-color: var(--aisle-accent); box-shadow: 0 0 0 3px rgb(217 178 106 / 0.25); }
  input[aria-invalid='true'] { border-color: var(--aisle-danger); }
  .hint { color: var(--aisle-ink-faint); font-size: 13px; font-weight: 400; }
  .error { color: var(--aisle-danger); font-size: 14px; font-weight: 600; }
  .error:empty { display: none; }
  @media (prefers-reduced-motion: reduce) { * { animation-duration: 1ms !important; transition-duration: 1ms !important; } }
`;
