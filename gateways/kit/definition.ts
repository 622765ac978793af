import type { z } from 'zod';
import type { GatewayRuntime } from './runtime.js';

/**
 * One kind of gateway (docs/gateways.md): its configuration schema (the kit's GatewayBase extended with the
 * vendor's settings) and what it starts on the runtime. `gateways/<kind>/gateway.ts` exports `definition`.
 */
export type GatewayDefinition<S extends z.ZodType = z.ZodType> = {
  kind: string;
  config: S;
  setup(rt: GatewayRuntime, config: z.output<S>): Promise<void> | void;
};
