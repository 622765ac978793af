import { createEngine, type Engine } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './platform/log.js';
import { localEngineUrl, startDemoSimulator } from './simulator/start.js';

/** The only module that reads the environment and installs signal handlers (docs/conventions.md §Configuration read once, §Shutdown). */
let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) { console.error(err.message); process.exit(2); }
  throw err;
}
const log = createLogger(config.logLevel);

let engine: Engine | undefined;
let stopping = false;

// Anything that escapes every handler leaves the process in an unknown state: log it with its context and
// exit non-zero so the supervisor restarts a clean one (docs/security.md). What was acknowledged is durable
// (docs/delivery.md), so nothing is lost by exiting.
function fatal(kind: string, err: unknown): void {
  log.fatal({ err, kind }, 'unexpected error: exiting for the supervisor to restart the engine');
  if (stopping) process.exit(1);
  stopping = true;
  const bounded = setTimeout(() => process.exit(1), 2000);
  bounded.unref();
  void (engine?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
}
process.on('uncaughtException', (err) => fatal('uncaughtException', err));
process.on('unhandledRejection', (err) => fatal('unhandledRejection', err));

try {
  engine = await createEngine(config, { log });
} catch (err) {
  if (err instanceof ConfigError) { console.error(err.message); process.exit(2); }
  throw err;
}
let urls: Awaited<ReturnType<Engine['start']>>;
try {
  urls = await engine.start();
} catch (err) {
  log.fatal({ err }, 'engine failed to start');
  await engine.stop();
  process.exit(1);
}

// In the demo the simulator also plays the screens (their impressions feed the demo experiment's report).
const sim = config.simulate ? await startDemoSimulator({ engine, mqttUrl: config.simulatorMqttUrl ?? urls.mqttUrl, log, effect: config.simulatorEffect, via: config.simulatorVia,
  ...(config.demo ? { engineUrl: localEngineUrl(config.host, urls.port) } : {}) }) : undefined;

printWelcome(engine);

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await sim?.stop();
  await engine?.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

/** Links to every screen. Tokens appear in them only in the demo (fresh random ones, nothing to protect). */
function printWelcome(e: Engine): void {
  const demo = config.demo && !config.tokensPath;
  const lines = [`\n  Aislecast engine on ${urls.url}   (MQTT ${demo ? urls.mqttUrl : redactUrl(urls.mqttUrl)}${config.redisUrl ? ', Redis' : ', in-memory store'}${sim ? ', simulated shoppers' : ''})`];
  lines.push(`  Ranking: ${e.rankerDescription()}`);
  for (const s of e.stores.all()) {
    lines.push(`\n  ${s.config.name} (${s.config.storeId})`);
    const con = e.tokens.find((t) => t.role === 'console' && (t.storeId === s.config.storeId || t.storeId === '*'));
    if (demo && con) lines.push(`    Overview:  ${urls.url}/?token=${con.token}`);
    const mer = e.tokens.find((t) => t.role === 'merchandiser' && (t.storeId === s.config.storeId || t.storeId === '*'));
    if (demo && mer) {
      lines.push(`    Console:   ${urls.url}/console/   (sign in with the merchandiser token ${mer.token})`);
      lines.push(`    API:       ${urls.url}/api/v1/reference`);
    }
    const asc = e.tokens.find((t) => t.role === 'associate' && (t.storeId === s.config.storeId || t.storeId === '*'));
    if (demo && asc) lines.push(`    Associate: ${urls.url}/associate/?store=${s.config.storeId}&associate=${asc.subject ?? 'assoc-1'}&token=${asc.token}`);
    const lgw = e.tokens.find((t) => t.role === 'label-gateway' && (t.storeId === s.config.storeId || t.storeId === '*'));
    if (demo && lgw) lines.push(`    Labels:    ${urls.url}/labels/?store=${s.config.storeId}&token=${lgw.token}`);
    for (const sc of s.config.screens) {
      const t = e.tokens.find((x) => x.role === 'screen' && x.subject === sc.screenId && (x.storeId === s.config.storeId || x.storeId === '*'));
      const link = `${urls.url}/screen/?store=${s.config.storeId}&screen=${sc.screenId}`;
      if (demo && t) lines.push(`    Screen ${sc.screenId.padEnd(22)} ${link}&token=${t.token}`);
      else lines.push(`    Screen ${sc.screenId.padEnd(22)} ${link}&token=<its token from AISLE_TOKENS>${t ? '' : '   (no token configured)'}`);
    }
  }
  if (demo) lines.push('\n  (demo tokens: new on every start; set AISLE_TOKENS for fixed ones)');
  console.log(lines.join('\n') + '\n');
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
