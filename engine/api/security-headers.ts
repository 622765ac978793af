import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

// A Host header we are willing to echo into the policy: a name or IPv4/IPv6 literal with an optional port.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * WebSockets of the page's own host. CSP Level 3 lets 'self' match ws(s) of the same host, but older
 * signage browsers do not, so the exact origins are named too.
 */
const sameHostSockets = (c: Context): string => {
  const host = c.req.header('host') ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
};

/**
 * The policy on every response, pages and API alike (docs/security.md). It fits the built displays:
 * same-origin ES modules and CSS, Lit's inline `style` attributes, fonts bundled by Vite (possibly
 * inlined as data: URLs), catalog images from wherever the catalog points, and the WebSocket at `/ws`
 * of the same host. No inline or foreign script, no plugins, no framing by others.
 */
const POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", sameHostSockets],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
} satisfies Record<string, (string | ((c: Context) => string))[]>;

const OTHER_HEADERS = {
  // The engine does not own its parent domain's other hosts.
  strictTransportSecurity: 'max-age=15552000',
  // Catalog images may come from another origin without CORP headers.
  crossOriginEmbedderPolicy: false,
} as const;

export type SecurityHeadersOptions = {
  /**
   * Paths whose handler sets its own Content-Security-Policy, made with `policyWithScripts` (the
   * API reference page and its inline start-up script). Everything else gets the policy above.
   */
  ownPolicy?: readonly string[];
};

/** Security headers on every response; see POLICY. */
export function securityHeaders({ ownPolicy = [] }: SecurityHeadersOptions = {}): MiddlewareHandler {
  const strict = secureHeaders({ contentSecurityPolicy: POLICY, ...OTHER_HEADERS });
  // Same headers, the same policy as the default, but a policy the handler set is kept.
  const own = secureHeaders({ contentSecurityPolicy: POLICY, ...OTHER_HEADERS, overwrite: false });
  return (c, next) => (ownPolicy.includes(c.req.path) ? own(c, next) : strict(c, next));
}

/**
 * The policy above with more script sources (hashes of a page's own inline scripts, `'sha256-…'`),
 * for a path listed in `ownPolicy`. Nothing else is relaxed.
 */
export function policyWithScripts(c: Context, scripts: readonly string[]): string {
  const kebab = (k: string) => k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
  return Object.entries(POLICY).map(([k, values]) => {
    const all = (values as (string | ((c: Context) => string))[]).map((v) => (typeof v === 'function' ? v(c) : v)).filter(Boolean);
    return [kebab(k), ...all, ...(k === 'scriptSrc' ? scripts : [])].join(' ');
  }).join('; ');
}
