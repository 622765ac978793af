import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { Logger } from '../platform/log.js';

/** The one API error body: a stable code, a message, and for validation errors the zod issue paths. */
export type ApiErrorBody = { error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] } };

/** The statuses an ApiError may carry: refusals of input or caller, and 503 for a dependency that is down. */
export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;

export class ApiError extends HTTPException {
  /** `issues`: for a validation error found past the schema, the field(s) it is about. */
  constructor(status: ApiErrorStatus, readonly code: string, message: string, readonly issues?: ApiErrorBody['error']['issues']) {
    super(status, { message });
  }
}

export const validationBody = (err: ZodError, where: string): ApiErrorBody => ({
  error: {
    code: 'validation',
    message: `invalid ${where}: ${err.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`).slice(0, 3).join('; ')}`,
    issues: err.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
  },
});

/** Stable codes for the HTTP errors Hono and its middleware raise themselves. */
const HTTP_CODES: Record<number, string> = { 400: 'http.bad_request', 413: 'body.too_large', 415: 'body.unsupported_media_type' };

/** Maps every error to JSON; anything unexpected is logged and becomes a 500 without internals. */
export const errorHandler = (log: Logger) => (err: Error, c: Context) => {
  if (err instanceof ApiError) return c.json({ error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } } satisfies ApiErrorBody, err.status);
  if (err instanceof HTTPException) {
    if (err.status >= 500) log.error({ err }, 'API error');
    return c.json({ error: { code: HTTP_CODES[err.status] ?? `http.${err.status}`, message: err.message || 'request refused' } } satisfies ApiErrorBody, err.status);
  }
  log.error({ err }, 'unhandled API error');
  return c.json({ error: { code: 'internal', message: 'internal error' } } satisfies ApiErrorBody, 500);
};
