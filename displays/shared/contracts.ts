/**
 * @module shared/contracts
 * The one place the displays import the engine's wire contracts from (zod schemas + inferred types).
 * A relative path is used on purpose: vite, vitest and tsc all resolve it without extra config.
 */
import './zod-setup.js';

export {
  ServerFrame, ClientFrame, ScreenContent, ContentItem, ErrorFrame, Welcome, StoreSummary,
  WS_ERROR_CODES,
} from '../../engine/contracts/index.js';
export type {
  Hello, Impression, Ping, DecisionReason, WsErrorCode, Role, StoreConfig,
} from '../../engine/contracts/index.js';
