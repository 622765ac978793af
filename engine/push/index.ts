/** engine/push: the WebSocket hub (docs/contracts.md §WebSocket protocol). The engine attaches `hub.handleUpgrade`. */
import { WebSocketHub } from './hub.js';
import type { Hub, HubOptions } from './types.js';

export type { Hub, HubOptions, ClientInfo, HubStats, PushMetrics } from './types.js';
export { HUB_DEFAULTS } from './defaults.js';
export { createTokenAuth, authorizeHello } from './auth.js';
export type { TokenAuth, StoreDirectory, Binding, HelloVerdict } from './auth.js';
export { CLOSE_CODES, EDGE_ERROR_CODES } from './codes.js';
export type { PushErrorCode, RefusalReason } from './codes.js';

/**
 * Creates the hub; it starts its heartbeat timer at once, so pair it with `close()`.
 * @example const hub = createHub({ auth, stores, clock, log }); server.on('upgrade', hub.handleUpgrade)
 */
export function createHub(opts: HubOptions): Hub {
  return new WebSocketHub(opts);
}
