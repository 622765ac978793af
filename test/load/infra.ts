import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** Everything the bench starts, so one place can take it all down (normal end, error, Ctrl-C). */
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];
let tearingDown: Promise<void> | undefined;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const freePort = (): Promise<number> => new Promise((res, rej) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => res(p)); });
  srv.on('error', rej);
});

export const reachable = (port: number, host = '127.0.0.1'): Promise<boolean> => new Promise((res) => {
  const s = createConnection({ port, host }, () => { s.end(); res(true); });
  s.on('error', () => res(false));
  s.setTimeout(500, () => { s.destroy(); res(false); });
});

async function waitPort(port: number, what: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (await reachable(port)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not start on port ${port}`);
}

/** A private temp folder, removed at teardown. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aisle-bench-'));
  onTeardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function onTeardown(fn: () => Promise<void> | void): void { cleanups.push(fn); }

/** Spawns a child that is killed at teardown (SIGTERM, then SIGKILL after 3 s). */
export function startChild(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const c = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

/** A TypeScript child with IPC, run by node itself (its pid is the process we measure). */
export function startTsChild(file: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return startChild(process.execPath, [...nodeArgs, '--import', 'tsx', file],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export async function stopChild(c: ChildProcess, graceMs = 3000): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

/** Our own mosquitto on a free loopback port, Nagle off, nothing persisted. */
export async function startMosquitto(dir: string): Promise<string> {
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'set_tcp_nodelay true',
    'max_queued_messages 1000000', 'persistence false', 'log_dest none', ''].join('\n'));
  const c = startChild('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  await waitPort(port, 'mosquitto', c);
  return `mqtt://127.0.0.1:${port}`;
}

/** REDIS_URL or the local default if it answers; else a private redis-server without persistence. */
export async function ensureRedis(): Promise<string> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  const ok = await r.connect().then(() => r.ping()).then(() => true, () => false);
  r.disconnect();
  if (ok) return url;
  if (process.env.REDIS_URL) throw new Error(`REDIS_URL ${url} is not reachable`);
  const port = await freePort();
  const c = startChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitPort(port, 'redis-server', c);
  return `redis://127.0.0.1:${port}`;
}

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function dropPrefix(redisUrl: string, prefix: string): Promise<number> {
  const r = new Redis(redisUrl);
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 2000);
    cursor = next;
    if (keys.length) n += await r.unlink(...keys);
  } while (cursor !== '0');
  r.disconnect();
  return n;
}

/** Resident memory of a process in bytes (VmRSS), or NaN once it is gone. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch { return NaN; }
}

/** CPU seconds (user + system) a process has used so far (clock ticks of 1/100 s). */
export function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch { return NaN; }
}

/** Kills children and runs cleanups (reverse order), once; bounded so Ctrl-C always ends. */
export function teardown(): Promise<void> {
  return (tearingDown ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c)));
    for (const fn of cleanups.reverse()) {
      try { await Promise.race([fn(), sleep(5000)]); } catch (err) { console.error('cleanup failed:', (err as Error).message); }
    }
  })());
}

/** Runs teardown on Ctrl-C / SIGTERM and exits; a second Ctrl-C exits at once. */
export function installSignalHandlers(): void {
  let n = 0;
  const onSignal = (sig: string) => {
    if (n++) process.exit(130);
    console.error(`\n${sig}: stopping the bench and cleaning up…`);
    void teardown().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
}

/** Rejects after ms with a message naming what timed out. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: hard timeout after ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(t));
}
