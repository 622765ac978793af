import { createEngine } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './platform/log.js';
import { startDemoSimulator } from './simulator/start.js';

/** The only module that reads the environment and installs signal handlers (docs/conventions.md §Configuration read once, §Shutdown). */
let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) { console.error(err.message); process.exit(2); }
  throw err;
}
const log = createLogger(config.logLevel);
const engine = await createEngine(config, { log });
let urls: Awaited<ReturnType<typeof engine.start>>;
try {
  urls = await engine.start();
} catch (err) {
  log.fatal({ err }, 'engine failed to start');
  await engine.stop();
  process.exit(1);
}

const sim = config.simulate ? await startDemoSimulator({ engine, mqttUrl: config.simulatorMqttUrl ?? urls.mqttUrl, log }) : undefined;

printWelcome();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await sim?.stop();
  await engine.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

function printWelcome(): void {
  const lines = [`\n  Aislecast engine on ${urls.url}   (MQTT ${urls.mqttUrl}${config.redisUrl ? ', Redis' : ', in-memory store'}${sim ? ', simulated shoppers' : ''})`];
  lines.push(`  Ranking: ${engine.rankerDescription()}`);
  for (const s of engine.stores.all()) {
    const con = engine.tokens.find((t) => t.role === 'console' && (t.storeId === s.config.storeId || t.storeId === '*'));
    lines.push(`\n  ${s.config.name} (${s.config.storeId})`);
    if (con) lines.push(`    Overview:  ${urls.url}/?token=${con.token}`);
    for (const sc of s.config.screens) {
      const t = engine.tokens.find((x) => x.role === 'screen' && x.subject === sc.screenId && (x.storeId === s.config.storeId || x.storeId === '*'));
      if (t) lines.push(`    Screen ${sc.screenId.padEnd(22)} ${urls.url}/screen/?store=${s.config.storeId}&screen=${sc.screenId}&token=${t.token}`);
    }
  }
  if (!config.tokensPath) lines.push('\n  (demo tokens: new on every start; set AISLE_TOKENS for fixed ones)');
  console.log(lines.join('\n') + '\n');
}
