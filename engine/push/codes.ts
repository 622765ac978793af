import type { WsErrorCode } from '#contracts';

/**
 * Error codes the hub sends at its edge (docs/contracts.md §WebSocket protocol). Until `WS_ERROR_CODES` in
 * engine/contracts/ws.ts lists them too, this union keeps them typed; once it does, `PushErrorCode` equals `WsErrorCode`.
 */
export const EDGE_ERROR_CODES = ['ws.rate_limited', 'ws.too_many_connections'] as const;
export type PushErrorCode = WsErrorCode | (typeof EDGE_ERROR_CODES)[number];

/** Close codes: 1xxx from RFC 6455, 4xxx mirror the HTTP status of the refusal (the error frame before the close carries the stable code). */
export const CLOSE_CODES = {
  goingAway: 1001, internal: 1011, tooBig: 1009,
  badHello: 4400, unauthorized: 4401, forbidden: 4403, unknown: 4404, helloTimeout: 4408, tooMany: 4429,
} as const;

/** The close code for a refusal before hello (or for a connection closed for flooding). */
export function closeCodeFor(code: PushErrorCode): number {
  switch (code) {
    case 'ws.unauthorized': case 'ws.hello_required': return CLOSE_CODES.unauthorized;
    case 'ws.forbidden': return CLOSE_CODES.forbidden;
    case 'ws.unknown_store': case 'ws.unknown_target': return CLOSE_CODES.unknown;
    case 'ws.too_many_connections': case 'ws.rate_limited': return CLOSE_CODES.tooMany;
    case 'ws.internal': return CLOSE_CODES.internal;
    default: return CLOSE_CODES.badHello;
  }
}

/** Why the edge refused a connection or a frame: the `reason` label of `aisle_ws_refused_total`. */
export type RefusalReason =
  | 'capacity' | 'shutting_down' | 'upgrade_failed' | 'per_address' | 'per_token' | 'hello_timeout'
  | 'rate_limited' | 'flood' | 'frame_too_large' | 'protocol';
