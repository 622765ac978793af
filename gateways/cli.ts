/**
 * `npm run gateway -- <kind> --config <file.json>`: runs one gateway standalone (docs/gateways.md). The
 * configuration is validated before anything starts; a bad file stops it with the file and field named.
 */
import { GatewayConfigError, loadGatewayConfig, type GatewayBase } from './kit/config.js';
import type { GatewayDefinition } from './kit/definition.js';
import { startGateway } from './kit/runtime.js';

/** Every gateway, loaded only when it is the one to run. */
const GATEWAYS: Record<string, () => Promise<{ definition: GatewayDefinition }>> = {
  meraki: () => import('./meraki/gateway.js'),
  espresense: () => import('./espresense/gateway.js'),
  openepaperlink: () => import('./openepaperlink/gateway.js'),
  pos: () => import('./pos/gateway.js'),
};
export const KINDS = Object.keys(GATEWAYS);

export async function loadDefinition(kind: string): Promise<GatewayDefinition> {
  const load = Object.hasOwn(GATEWAYS, kind) ? GATEWAYS[kind] : undefined;
  if (!load) throw new GatewayConfigError(`unknown gateway "${kind}" (one of: ${KINDS.join(', ')})`);
  return (await load()).definition;
}

/** Runs the gateway the arguments name until SIGTERM/SIGINT (gateways/main.ts). */
export async function run(argv: string[]): Promise<void> {
  const kind = argv[0];
  const at = argv.indexOf('--config');
  const path = at >= 0 ? argv[at + 1] : process.env.AISLE_GATEWAY_CONFIG;
  if (!kind || !path) {
    console.error(`usage: npm run gateway -- <${KINDS.join('|')}> --config <file.json>`);
    process.exit(2);
  }
  try {
    const def = await loadDefinition(kind);
    const config = loadGatewayConfig(path, def.config) as GatewayBase;
    const gw = await startGateway(config, (rt) => def.setup(rt, config));
    const stop = () => void gw.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (err) {
    if (err instanceof GatewayConfigError) { console.error(err.message); process.exit(2); }
    throw err;
  }
}

