import { Redis } from 'ioredis';
import { eventually } from '../../helpers/eventually.js';
import { freePort } from './net.js';
import { killProc, RingLog, spawnLogged, type ExitInfo, type Proc } from './proc.js';
import type { Scope } from './scope.js';

/** PONG from 127.0.0.1:port, or false (never throws, never waits long). */
async function pings(port: number): Promise<boolean> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500 });
  r.on('error', () => {});
  try { await r.connect(); return (await r.ping()) === 'PONG'; } catch { return false; } finally { r.disconnect(); }
}

/**
 * A private Redis that persists every write to an append-only file (fsync always) in its own folder,
 * as a production Redis with AOF would: what it acknowledged survives a SIGKILL and a restart.
 */
export type PrivateRedis = {
  readonly port: number;
  readonly url: string;
  readonly log: RingLog;
  running(): boolean;
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** Starts it again on the same port and folder (it reloads its AOF); resolves once it answers PING. */
  restart(): Promise<void>;
  /** A client for the test's own reads (closed with the scope). */
  client(): Redis;
};

export async function startRedis(scope: Scope): Promise<PrivateRedis> {
  const dir = scope.dir('redis');
  const log = new RingLog('redis');
  scope.watch(log);
  let proc: Proc | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    proc = spawnLogged('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes',
      '--appendfsync', 'always', '--dir', dir, '--loglevel', 'notice'], {}, log);
    const p = proc;
    await eventually(async () => {
      if (!p.running()) throw new Error(`redis-server exited at start-up\n${log.tail(20)}`);
      return (await pings(port)) ? true : undefined;
    }, 10_000, 25);
  };
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try { await launch(); break; }
    catch (err) {
      if (proc) await killProc(proc, 'SIGKILL');
      if (attempt >= 2) throw err;
    }
  }
  scope.defer('redis-server', async () => { if (proc) await killProc(proc, 'SIGKILL'); });
  const url = `redis://127.0.0.1:${port}`;
  return {
    port, url, log,
    running: () => proc?.running() ?? false,
    async stop(signal: NodeJS.Signals = 'SIGKILL') {
      log.note(`stopping with ${signal}`);
      return proc ? killProc(proc, signal) : { code: null, signal: null };
    },
    async restart() {
      if (proc?.running()) await killProc(proc, 'SIGKILL');
      log.note('restarting');
      await launch();
    },
    client() {
      // Retries forever in the background: the test's reads wait out a Redis restart instead of failing.
      const r = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      r.on('error', () => {});
      scope.defer('redis client', () => r.disconnect());
      return r;
    },
  };
}
