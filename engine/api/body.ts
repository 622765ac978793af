import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors.js';

/** Bytes in a mebibyte. */
export const MiB = 1024 * 1024;
/** Any request body, unless its route sets its own limit (docs/contracts.md §Security and privacy: input edges are bounded). */
export const DEFAULT_BODY_BYTES = MiB;

const size = (bytes: number) => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);

/**
 * Hono's bodyLimit with the API's 413: a declared Content-Length over the limit is refused before
 * anything is read; a chunked body is read only up to the limit.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: () => {
    throw new ApiError(413, 'body.too_large', `request body is larger than the limit of ${size(maxBytes)} (${maxBytes} bytes)`);
  } });
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;

/**
 * Reads a JSON request body once: 415 unless it is declared JSON, 400 naming what is wrong when it is
 * empty, cut short or not JSON. Size is bounded before this by `limitBody`.
 */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type');
  if (!type || !JSON_TYPE.test(type)) {
    throw new ApiError(415, 'body.unsupported_media_type', `content-type must be application/json (got ${type ? JSON.stringify(type.slice(0, 80)) : 'none'})`);
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new ApiError(400, 'body.unreadable', 'the request body could not be read to its end');
  }
  if (!text.trim()) throw new ApiError(400, 'body.invalid_json', 'body is empty: expected a JSON document');
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof SyntaxError ? err.message : 'not JSON';
    throw new ApiError(400, 'body.invalid_json', `body is not valid JSON: ${why.slice(0, 200)}`);
  }
}
