import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Makes sure a real Redis and a real Mosquitto are reachable before integration tests run.
 * Uses REDIS_URL / MQTT_URL when given, else the machine's services on their standard ports,
 * else starts private ones on free ports (a fresh CI machine may have neither running).
 */
declare module 'vitest' {
  export interface ProvidedContext { redisUrl: string; mosquittoUrl: string }
}

const children: ChildProcess[] = [];

const reachable = (port: number, host = '127.0.0.1'): Promise<boolean> => new Promise((res) => {
  const s = createConnection({ port, host }, () => { s.end(); res(true); });
  s.on('error', () => res(false));
  s.setTimeout(500, () => { s.destroy(); res(false); });
});

const freePort = (): Promise<number> => new Promise((res, rej) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => res(p)); });
  srv.on('error', rej);
});

async function waitFor(port: number, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) { if (await reachable(port)) return; await new Promise((r) => setTimeout(r, 50)); }
  throw new Error(`${what} did not start on port ${port}`);
}

async function ensureRedis(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await reachable(6379)) return 'redis://127.0.0.1:6379';
  const port = await freePort();
  children.push(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  await waitFor(port, 'redis-server');
  return `redis://127.0.0.1:${port}`;
}

async function ensureMosquitto(): Promise<string> {
  if (process.env.MQTT_URL) return process.env.MQTT_URL;
  if (await reachable(1883)) return 'mqtt://127.0.0.1:1883';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aisle-mosq-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n`);
  children.push(spawn('mosquitto', ['-c', conf], { stdio: 'ignore' }));
  await waitFor(port, 'mosquitto');
  return `mqtt://127.0.0.1:${port}`;
}

export default async function setup(project: TestProject): Promise<() => void> {
  project.provide('redisUrl', await ensureRedis());
  project.provide('mosquittoUrl', await ensureMosquitto());
  return () => { for (const c of children) c.kill('SIGTERM'); };
}
