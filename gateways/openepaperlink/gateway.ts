/**
 * `npm run gateway -- openepaperlink --config <file.json>`: the OpenEPaperLink label bridge
 * (docs/gateways/openepaperlink.md). It follows the engine as a label gateway and drives an OpenEPaperLink access
 * point: label content to the tags, LED flashes, and button / NFC taps back to the engine as `esl` events.
 */
import type { GatewayDefinition } from '../kit/definition.js';
import { createBridge, type BridgeDeps } from './bridge.js';
import { OeplConfig } from './config.js';

export { OeplConfig } from './config.js';

/** The definition, with its collaborators replaceable (tests and the conformance suite inject the AP side). */
export function createDefinition(deps: BridgeDeps = {}): GatewayDefinition<typeof OeplConfig> {
  return {
    kind: 'openepaperlink',
    config: OeplConfig,
    setup(rt, config) { createBridge(rt, config, deps); },
  };
}

export const definition = createDefinition();
