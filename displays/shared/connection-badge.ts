import { css } from 'lit';

/**
 * The connection badge of the live apps (`<span class="conn" data-connection="online|connecting|offline|rejected">`):
 * a coloured dot that pulses while reconnecting. Apps add their own padding.
 */
export const connectionBadge = css`
  .conn { display: inline-flex; align-items: center; gap: 7px; font-size: 13px; font-weight: 700; border-radius: 999px;
          background: var(--aisle-surface-2); white-space: nowrap; }
  .conn::before { content: ''; width: 9px; height: 9px; border-radius: 50%; background: var(--aisle-ink-faint); }
  .conn[data-connection='online'] { color: var(--aisle-ok); }
  .conn[data-connection='online']::before { background: var(--aisle-ok); box-shadow: 0 0 0 3px rgb(95 211 154 / 0.2); }
  .conn[data-connection='offline'], .conn[data-connection='connecting'] { color: var(--aisle-warn); }
  .conn[data-connection='offline']::before, .conn[data-connection='connecting']::before { background: var(--aisle-warn); animation: pulse 1.6s ease-in-out infinite; }
  .conn[data-connection='rejected'] { color: var(--aisle-danger); }
  .conn[data-connection='rejected']::before { background: var(--aisle-danger); }
  @keyframes pulse { 50% { opacity: 0.3; } }
  @media (prefers-reduced-motion: reduce) { .conn::before { animation: none !important; } }
`;
