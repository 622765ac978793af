import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis } from 'ioredis';
import { eventually } from '../../helpers/eventually.js';
import { freePort } from './net.js';
import type { Scope } from './scope.js';
import { startService, type Service } from './service.js';

const run = promisify(execFile);

/** A plain (not cluster-aware) client to one port, for one question; never throws, never waits long. */
async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500, commandTimeout: 1000 });
  r.on('error', () => {});
  try { await r.connect(); return await fn(r); } catch { return undefined; } finally { r.disconnect(); }
}

/** `CLUSTER INFO` of one node as a record (cluster_state, cluster_slots_ok, cluster_known_nodes, …). */
async function clusterInfo(port: number): Promise<Record<string, string> | undefined> {
  const text = await ask(port, (r) => r.cluster('INFO') as Promise<string>);
  if (text === undefined) return undefined;
  return Object.fromEntries(text.split(/\r?\n/).filter(Boolean).map((l) => l.split(':', 2) as [string, string]));
}

/**
 * A private Redis Cluster of `masters` masters (no replicas) on free loopback ports, nothing persisted but each
 * node's cluster configuration (nodes.conf in its own folder): a node killed and started again rejoins with its
 * slots, empty. Every node's cluster bus has a free port of its own (`--cluster-port`), not port + 10000.
 */
export type PrivateRedisCluster = {
  /** Every node as a seed: `redis://127.0.0.1:P1,127.0.0.1:P2,…` (the engine's REDIS_URL with REDIS_CLUSTER=1). */
  readonly url: string;
  readonly ports: readonly number[];
  readonly nodes: readonly Service[];
  /** A cluster client for the test's own reads and writes (closed with the scope). */
  client(): Cluster;
  /** A plain client to node `i` alone (closed with the scope): node-local questions such as PUBSUB NUMSUB. */
  node(i: number): Redis;
  /** Index of the node that serves `key`'s slot now. */
  nodeOf(key: string): Promise<number>;
  /** SIGKILLs node `i`. */
  kill(i: number): Promise<void>;
  /** Starts node `i` again on its ports and waits until the whole cluster reports cluster_state:ok. */
  start(i: number): Promise<void>;
  /** Resolves once every running node reports cluster_state:ok with all 16384 slots served. */
  ready(timeoutMs?: number): Promise<void>;
};

export async function startRedisCluster(scope: Scope, { masters = 3, nodeTimeoutMs = 2000 }: { masters?: number; nodeTimeoutMs?: number } = {}): Promise<PrivateRedisCluster> {
  const nodes = await Promise.all(Array.from({ length: masters }, async (_, i) => {
    const dir = scope.dir(`redis-cluster-${i}`);
    // The bus port is chosen with the client port (a retry of a taken port takes a new pair) and kept for restarts.
    const spare = [await freePort(), await freePort(), await freePort()];
    let bus = 0;
    let fixed = false;
    const svc = await startService(scope, {
      name: `redis-cluster-${i}`, stopSignal: 'SIGKILL',
      ready: async (port) => (await ask(port, (r) => r.ping())) === 'PONG',
      command: (port) => {
        if (!fixed) bus = spare.shift() ?? port + 10_000;
        return ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
          '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-port', String(bus), '--cluster-node-timeout', String(nodeTimeoutMs),
          '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice']];
      },
    });
    fixed = true;
    return svc;
  }));
  const ports = nodes.map((n) => n.port);
  const hosts = ports.map((p) => `127.0.0.1:${p}`);

  const ready = async (timeoutMs = 20_000): Promise<void> => {
    await eventually(async () => {
      const infos = await Promise.all(nodes.filter((n) => n.running()).map((n) => clusterInfo(n.port)));
      return infos.every((x) => x?.cluster_state === 'ok' && x.cluster_slots_ok === '16384') ? true : undefined;
    }, timeoutMs, 50);
  };

  const created = await run('redis-cli', ['--cluster', 'create', ...hosts, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 })
    .catch((err: Error & { stdout?: string; stderr?: string }) => { throw new Error(`redis-cli --cluster create failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`); });
  nodes[0]!.log.note(`cluster created:\n${created.stdout}`);
  await ready();

  const clients: { disconnect(): void }[] = [];
  scope.defer('redis cluster clients', () => { for (const c of clients.splice(0)) c.disconnect(); });
  return {
    url: `redis://${hosts.join(',')}`, ports, nodes, ready,
    client() {
      // Retries in the background: the test's own reads wait out a node restart instead of failing.
      const c = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })),
        { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 1 } });
      c.on('error', () => {});
      c.on('node error', () => {});
      clients.push(c);
      return c;
    },
    node(i) {
      const r = new Redis(ports[i]!, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      r.on('error', () => {});
      clients.push(r);
      return r;
    },
    async nodeOf(key) {
      const slot = calculateSlot(key);
      for (const port of ports) {
        const slots = await ask(port, (r) => r.cluster('SLOTS'));
        const range = slots?.find(([from, to]) => slot >= from && slot <= to);
        if (range?.[2]) return ports.indexOf(range[2][1]);
      }
      throw new Error(`no node answers CLUSTER SLOTS for slot ${slot}`);
    },
    async kill(i) { await nodes[i]!.stop('SIGKILL'); },
    async start(i) { await nodes[i]!.restart(); await ready(); },
  };
}
