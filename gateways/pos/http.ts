import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { Logger } from '../../engine/platform/log.js';
import type { GatewayMetrics } from '../kit/metrics.js';
import type { Intake, Outcome } from './intake.js';

/** An HTTP answer: the status and a JSON body that names the outcome and, for a refusal, its reason. */
export type Answer = { status: 200 | 400 | 401 | 403 | 413 | 415 | 422 | 503; body: Record<string, unknown> };

/** The answer to one outcome (docs/gateways/pos.md §Answers). */
export function toAnswer(o: Outcome): Answer {
  switch (o.kind) {
    case 'published': return { status: 200, body: { outcome: 'published', id: o.id } };
    case 'duplicate': return { status: 200, body: { outcome: 'duplicate', ...(o.id ? { id: o.id } : {}) } };
    case 'ignored': return { status: 200, body: { outcome: 'ignored', reason: o.reason } };
    case 'refused': return { status: o.status, body: { outcome: 'refused', reason: o.reason } };
    case 'retry': return { status: 503, body: { outcome: 'retry', reason: o.reason } };
  }
}

/** What a vendor handler sees of a request: the raw body (signatures cover its exact bytes) and its headers. */
export type RawRequest = { body: Buffer; header(name: string): string | undefined };

/** Past its limit a body is still read (and dropped) up to this much more, so the sender gets its 413 instead of a reset connection. */
const DRAIN_BYTES = 8 * 1024 * 1024;

/** The body, or `too_large` once it passes `max` bytes (the rest drained up to DRAIN_BYTES, then the stream is cancelled). */
async function readBody(stream: ReadableStream<Uint8Array> | null, max: number): Promise<Buffer | 'too_large'> {
  if (!stream) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size <= max) chunks.push(value);
    else if (size > max + DRAIN_BYTES) { await reader.cancel(); break; }
  }
  return size > max ? 'too_large' : Buffer.concat(chunks);
}

export type MountOptions = { maxBytes: number; source: string; metrics: GatewayMetrics; intake: Intake; log: Logger; handle(req: RawRequest): Promise<Answer> };

/**
 * Mounts `POST path`: a body over `maxBytes` is refused (413) without being kept, everything is counted in
 * aisle_gateway_received_total{source}, and the handler's answer is sent as JSON. A body cut short by the
 * sender is refused (400 `body`); a failure of the handler itself answers 503 (`internal`), logged.
 */
export function mountPost(app: Hono, path: string, o: MountOptions): void {
  app.post(path, async (c) => {
    o.metrics.received.inc({ source: o.source });
    const declared = Number(c.req.header('content-length'));
    let body: Buffer | 'too_large';
    try {
      body = declared > o.maxBytes + DRAIN_BYTES ? 'too_large' : await readBody(c.req.raw.body, o.maxBytes);
    } catch {
      const a = toAnswer(o.intake.reject({ kind: 'refused', status: 400, reason: 'body' }));
      return c.json(a.body, a.status);
    }
    let a: Answer;
    try {
      a = body === 'too_large'
        ? toAnswer(o.intake.reject({ kind: 'refused', status: 413, reason: 'too_large' }))
        : await o.handle({ body, header: (name) => c.req.header(name) });
    } catch (err) {
      o.log.error({ err: (err as Error).message, source: o.source }, 'request not handled');
      a = toAnswer(o.intake.reject({ kind: 'retry', reason: 'internal' }));
    }
    if (a.status === 503) c.header('retry-after', '5');
    return c.json(a.body, a.status);
  });
}

/** Constant-time check of a base64 HMAC-SHA256 header against the expected digest (Square, Shopify). */
export function verifyHmac(key: string, parts: readonly (string | Buffer)[], header: string | undefined): boolean {
  if (!header || header.length > 200) return false;
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  const expected = h.digest();
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time check of `Authorization: Bearer <token>` (both sides hashed, so lengths leak nothing). */
export function verifyBearer(token: string, header: string | undefined): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const a = createHash('sha256').update(m[1]!).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The JSON of a body, or undefined when it is not JSON (or not an object). */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
  } catch { return undefined; }
}
