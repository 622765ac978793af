import type { GatewayDefinition } from '../kit/definition.js';
import { MerakiConfig } from './config.js';
import { setupMerakiReceiver } from './receiver.js';

export { MerakiConfig } from './config.js';

/** The Cisco Meraki Scanning API gateway (docs/gateways/meraki.md): `npm run gateway -- meraki --config <file.json>`. */
export const definition: GatewayDefinition<typeof MerakiConfig> = {
  kind: 'meraki',
  config: MerakiConfig,
  setup: (rt, config) => setupMerakiReceiver(rt, config),
};
