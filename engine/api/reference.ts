import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Scalar } from '@scalar/hono-api-reference';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './auth.js';
import { policyWithScripts } from './security-headers.js';

/** The interactive API reference page (docs/rules-api.md §Reference page). */
export const REFERENCE_PATH = '/api/v1/reference';
/** Scalar's browser bundle, served by the engine itself: no CDN, works offline. */
export const REFERENCE_SCRIPT_PATH = `${REFERENCE_PATH}/standalone.js`;

// Resolved through the package's own exports; read once, on first request (3.5 MB).
const bundlePath = () => createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;
/** CSP hashes of a page's inline scripts, exactly as served. */
const scriptHashes = (html: string): string[] =>
  [...html.matchAll(INLINE_SCRIPT)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);

/**
 * Mounts the reference page for `/api/v1/openapi.json` and its script. The page is Scalar's Hono
 * middleware; its one inline start-up script is allowed by its hash (security-headers.ts `ownPolicy`),
 * so the rest of the policy stays as strict as everywhere else. Nothing is fetched from outside:
 * Scalar's fonts and telemetry are off, and its AI agent is disabled.
 */
export function mountReference(app: OpenAPIHono<ApiEnv>, specUrl = '/api/v1/openapi.json'): void {
  const page = Scalar<ApiEnv>({
    url: specUrl, cdn: REFERENCE_SCRIPT_PATH, pageTitle: 'Aislecast engine API',
    withDefaultFonts: false, telemetry: false, agent: { disabled: true }, showDeveloperTools: 'never',
    defaultOpenAllTags: true, operationTitleSource: 'summary',
  });
  app.get(REFERENCE_PATH, async (c, next) => {
    const res = await page(c, next);
    if (!res) return c.body(null, 500);
    const html = await res.clone().text();
    res.headers.set('Content-Security-Policy', policyWithScripts(c, scriptHashes(html)));
    res.headers.set('Cache-Control', 'no-cache');
    return res;
  });
  let bundle: Buffer | undefined;
  app.get(REFERENCE_SCRIPT_PATH, (c) => {
    bundle ??= readFileSync(bundlePath());
    return c.body(new Uint8Array(bundle), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      // The file changes only with the package version, i.e. with a new engine build.
      'Cache-Control': 'public, max-age=86400',
    });
  });
}
