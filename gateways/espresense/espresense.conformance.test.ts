import { vi } from 'vitest';
import { describeConformance, type ConformanceAdapter } from '../kit/conformance.js';
import { hostileMessage, personalIds, POOL, validMessage } from './arbitraries.js';
import { EspresenseConfig } from './config.js';
import { definition, setupEspresense, type EspresenseGateway } from './gateway.js';
import { createFakeInbound, toBuffer, type EspMessage } from './testing.js';

// 2 × FUZZ_RUNS feeds, each followed by settleMs: more than vitest's default 5 s.
vi.setConfig({ testTimeout: 120_000 });

const PREFIX = 'espresense';
const ROOMS = { entrance: 'z-entrance', coffee: 'z-coffee', 'coffee-bar': 'z-coffee', checkout: 'z-checkout' };
/** Mapped rooms, and one node the configuration does not list. */
const HEARD = [...Object.keys(ROOMS), 'stockroom'];

describeConformance('espresense', (): ConformanceAdapter<EspMessage> => {
  let handler: EspresenseGateway | undefined;
  const inbound = createFakeInbound();
  const config = EspresenseConfig.parse({
    gatewayId: 'esp-conformance', storeId: 'store-esp', mqtt: { url: 'mqtt://127.0.0.1:1' }, http: { host: '127.0.0.1', port: 0 },
    pseudonymKey: 'conformance-key-'.repeat(3), logLevel: 'debug',
    // Short timers, so that leaving, dwell and refresh all happen within the suite.
    espresense: { url: 'mqtt://127.0.0.1:1', rooms: ROOMS, awayAfterMs: 60, staleMs: 60, dwellMs: 5, refreshMs: 10,
      known: { [POOL[0]]: 'c-loyal-1', [POOL[1]]: 'c-loyal-2', [POOL[4]]: 'c-loyal-3' } },
  });
  return {
    // The real definition's setup; only the connection to the ESPresense broker is a stand-in.
    definition: { ...definition, setup: (rt, cfg) => { handler = setupEspresense(rt, cfg as EspresenseConfig, { connect: () => inbound.client }); } },
    config,
    // Exactly what the MQTT client's message listener calls for a message from the broker.
    feed: (_gw, m) => handler!.onMessage(m.topic, toBuffer(m.payload), m.retained ?? false),
    valid: validMessage(PREFIX, HEARD),
    hostile: hostileMessage(PREFIX, HEARD),
    personal: personalIds,
    settleMs: 25,
  };
});
