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
 * Security headers on every response, pages and API alike (docs/security.md). The policy fits the
 * built displays: same-origin ES modules and CSS, Lit's inline `style` attributes, fonts bundled by
 * Vite (possibly inlined as data: URLs), catalog images from wherever the catalog points, and the
 * WebSocket at `/ws` of the same host. No inline or foreign script, no plugins, no framing by others.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
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
    },
    // The engine does not own its parent domain's other hosts.
    strictTransportSecurity: 'max-age=15552000',
    // Catalog images may come from another origin without CORP headers.
    crossOriginEmbedderPolicy: false,
  });
}
