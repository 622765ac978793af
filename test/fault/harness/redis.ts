import { Redis } from 'ioredis';
import type { Scope } from './scope.js';
import { startService, type Service } from './service.js';

/** PONG from 127.0.0.1:port, or false (never throws, never waits long). */
async function pings(port: number): Promise<boolean> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500 });
  r.on('error', () => {});
  try { await r.connect(); return (await r.ping()) === 'PONG'; } catch { return false; } finally { r.disconnect(); }
}

/**
 * A private Redis that persists every write to an append-only file (fsync always) in its own folder,
 * as a production Redis with AOF would: what it acknowledged survives a SIGKILL (its default stop) and a restart.
 */
export type PrivateRedis = Service & {
  readonly url: string;
  /** A client for the test's own reads (closed with the scope). */
  client(): Redis;
};

export async function startRedis(scope: Scope): Promise<PrivateRedis> {
  const dir = scope.dir('redis');
  const svc = await startService(scope, { name: 'redis-server', stopSignal: 'SIGKILL', ready: pings,
    command: (port) => ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes',
      '--appendfsync', 'always', '--dir', dir, '--loglevel', 'notice']] });
  const url = `redis://127.0.0.1:${svc.port}`;
  return Object.assign(svc, {
    url,
    client() {
      // Retries forever in the background: the test's reads wait out a Redis restart instead of failing.
      const r = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      r.on('error', () => {});
      scope.defer('redis client', () => r.disconnect());
      return r;
    },
  });
}
