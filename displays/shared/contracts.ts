/**
 * @module shared/contracts
 * The one place the displays import the engine's wire contracts from (zod schemas + inferred types).
 * A relative path is used on purpose: vite, vitest and tsc all resolve it without extra config.
 */
import './zod-setup.js';

export {
  ServerFrame, ClientFrame, ScreenContent, ContentItem, ErrorFrame, Welcome, StoreSummary,
  WS_ERROR_CODES,
  // VIP alerts (the associate app).
  AlertVip, AlertClaimed,
  // Rules and their preview (the console's rule editor validates with the engine's own schema).
  RuleInput, Rule, RuleVersion, PreviewRequest, PreviewResult, Profile,
  TIERS, Lifecycle, TRIGGER_TYPES, SCREEN_MODES, BOOST_MIN, BOOST_MAX, ID_PATTERN,
} from '../../engine/contracts/index.js';
export type {
  Hello, Impression, Ping, Claim, Release, DecisionReason, WsErrorCode, Role, StoreConfig,
  Targeting, Trigger, Actions, Caps, LocalText, RuleOutcome, PreviewItem, PreviewScreen, Tier, ProfileInput,
} from '../../engine/contracts/index.js';
