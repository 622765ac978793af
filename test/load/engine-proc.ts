/**
 * The engine under test, alone in its own process (so its RSS and CPU are its own), built exactly as
 * engine/main.ts builds it, from the environment the bench sets (MQTT_URL, REDIS_URL, AISLE_REDIS_PREFIX,
 * AISLE_STORES, AISLE_TOKENS, PORT=0, AISLE_SIMULATE=0, LOG_LEVEL=warn).
 */
import { createEngine } from '../../engine/app.js';
import { loadConfig } from '../../engine/config.js';
import { createLogger } from '../../engine/platform/log.js';
import { serve } from './ipc.js';

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const engine = await createEngine(config, { log, staticRoot: null });
const urls = await engine.start();

let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= engine.stop());

serve({
  /** Waits until every accepted event and the decisions it caused are done; answers when (epoch ms). */
  settle: async () => { await engine.settle(); return { at: performance.timeOrigin + performance.now() }; },
  visits: () => ({ visits: engine.visits.size }),
  stop: async () => { await stop(); setImmediate(() => process.exit(0)); return {}; },
}, stop);

process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
process.send?.({ ready: { port: urls.port } });
