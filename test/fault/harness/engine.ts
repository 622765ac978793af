import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreConfig } from '#contracts';
import { eventually } from '../../helpers/eventually.js';
import { freePort } from './net.js';
import { killProc, RingLog, spawnLogged, type ExitInfo, type Proc } from './proc.js';
import type { Scope } from './scope.js';
import { faultStore, faultTokens } from './store.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * Where `engine/main.ts` is run from: this repository, or AISLE_FAULT_ENGINE_ROOT (e.g. an unpacked
 * `git archive` of another commit, with node_modules linked) to judge another version of the engine.
 */
const ENGINE_ROOT = process.env.AISLE_FAULT_ENGINE_ROOT ?? REPO_ROOT;

export type EngineOptions = {
  mqttUrl: string; redisUrl: string; storeId: string; prefix: string;
  /** Fixed for the test, so a restarted engine resumes the same persistent MQTT session. */
  clientId: string;
  name?: string;
  /** Defaults to 10000, as in production. */
  shutdownDeadlineMs?: number;
  env?: Record<string, string>;
  /** The store configuration written to AISLE_STORES; default faultStore(storeId). */
  store?: StoreConfig;
};

export type EngineExit = ExitInfo & { ms: number };

/** The real engine (`node --import tsx engine/main.ts`) as a child process, configured only by its environment. */
export type EngineProc = {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly clientId: string;
  readonly journalDir: string;
  readonly shutdownDeadlineMs: number;
  readonly log: RingLog;
  /** The process id of the running engine (-1 before it started). */
  readonly pid: number;
  running(): boolean;
  /** Polls GET /healthz until 200 (not /readyz: it is 503 while Redis is down, and some cases start so). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Sends a signal; resolves with how it ended and how long it took (SIGKILL after 30 s if it hangs). */
  kill(signal: NodeJS.Signals): Promise<EngineExit>;
  /** Resolves when the process exits by itself, or with undefined after timeoutMs. */
  waitExit(timeoutMs: number): Promise<ExitInfo | undefined>;
  /** Starts it again with the same environment (port, client id, journal folder), plus `env` if given, and waits for /healthz. */
  restart(env?: Record<string, string>): Promise<void>;
  /** GET /metrics (Prometheus text). */
  metrics(): Promise<string>;
};

export async function startEngine(scope: Scope, o: EngineOptions): Promise<EngineProc> {
  const name = o.name ?? 'engine';
  const dir = scope.dir(`${name}-cfg`);
  // Kept across restarts of this test's engine: the journal of transactional events taken while Redis is down.
  const journalDir = scope.dir(`${name}-journal`);
  const storesFile = join(dir, 'store.json');
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(storesFile, JSON.stringify(o.store ?? faultStore(o.storeId), null, 1));
  writeFileSync(tokensFile, JSON.stringify({ tokens: faultTokens(o.storeId) }, null, 1));
  const port = await freePort();
  const shutdownDeadlineMs = o.shutdownDeadlineMs ?? 10_000;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) =>
    !/^(AISLE_|MQTT_|REDIS_|PORT$|HOST$|LOG_LEVEL$|SHUTDOWN_DEADLINE_MS$)/.test(k)));
  let env: Record<string, string | undefined> = {
    ...base,
    MQTT_URL: o.mqttUrl, REDIS_URL: o.redisUrl, AISLE_REDIS_PREFIX: o.prefix,
    AISLE_STORES: storesFile, AISLE_TOKENS: tokensFile, MQTT_CLIENT_ID: o.clientId, AISLE_JOURNAL_DIR: journalDir,
    PORT: String(port), HOST: '127.0.0.1', AISLE_SIMULATE: '0', LOG_LEVEL: 'info', SHUTDOWN_DEADLINE_MS: String(shutdownDeadlineMs),
    ...o.env,
  };
  const log = new RingLog(`${name} (${o.clientId}, :${port})`, 600);
  scope.watch(log);
  let proc: Proc | undefined;
  const url = `http://127.0.0.1:${port}`;

  const launch = () => { proc = spawnLogged(process.execPath, ['--import', 'tsx', 'engine/main.ts'], { cwd: ENGINE_ROOT, env }, log); };
  const waitReady = async (timeoutMs = 30_000) => {
    const p = proc!;
    await eventually(async () => {
      if (!p.running()) throw new Error(`engine exited during start-up\n${log.tail(40)}`);
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      return r?.status === 200 ? true : undefined;
    }, timeoutMs, 50).catch((err: Error) => { throw new Error(`${name} not healthy within ${timeoutMs} ms: ${err.message}\n${log.tail(40)}`); });
  };

  launch();
  scope.defer(name, async () => { if (proc) await killProc(proc, 'SIGKILL'); });
  await waitReady();

  return {
    name, port, url, clientId: o.clientId, journalDir, shutdownDeadlineMs, log,
    get pid() { return proc?.pid ?? -1; },
    running: () => proc?.running() ?? false,
    waitReady,
    async kill(signal) {
      const t0 = Date.now();
      log.note(`sending ${signal}`);
      const e = await killProc(proc!, signal, 30_000);
      return { ...e, ms: Date.now() - t0 };
    },
    async waitExit(timeoutMs) {
      let t: NodeJS.Timeout | undefined;
      const r = await Promise.race([proc!.exited, new Promise<undefined>((res) => { t = setTimeout(() => res(undefined), timeoutMs); })]);
      clearTimeout(t);
      return r;
    },
    async restart(more) {
      if (proc?.running()) await killProc(proc, 'SIGKILL');
      if (more) env = { ...env, ...more };
      log.note(`restarting${more ? ` with ${JSON.stringify(more)}` : ''}`);
      launch();
      await waitReady();
    },
    async metrics() {
      const r = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) });
      if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
      return r.text();
    },
  };
}
