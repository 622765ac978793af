import { connect, createServer, type Socket } from 'node:net';
import type { Scope } from './scope.js';

/**
 * A TCP proxy on a free loopback port in front of one service (Redis, for one engine): `cut()` drops every
 * connection through it and refuses new ones, as a network partition between that engine and Redis would,
 * while Redis itself stays up for everyone else; `restore()` lets connections through again. The port
 * stays the proxy's all along, so the engine reconnects to the same address by itself.
 */
export type TcpProxy = {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly isCut: boolean;
  /** Connections accepted and passed through so far. */
  readonly passed: number;
  cut(): void;
  restore(): void;
};

export async function startTcpProxy(scope: Scope, targetPort: number, name = 'proxy'): Promise<TcpProxy> {
  let isCut = false;
  let passed = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (isCut) { client.destroy(); return; }
    passed++;
    const upstream = connect({ port: targetPort, host: '127.0.0.1' });
    open.add(client); open.add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream); };
    client.on('error', drop); upstream.on('error', drop);
    client.on('close', drop); upstream.on('close', drop);
    client.pipe(upstream); upstream.pipe(client);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  scope.defer(name, () => { for (const s of open) s.destroy(); return new Promise<void>((r) => server.close(() => r())); });
  return {
    port, url: `redis://127.0.0.1:${port}`,
    get isCut() { return isCut; },
    get passed() { return passed; },
    cut() { isCut = true; for (const s of open) s.destroy(); open.clear(); },
    restore() { isCut = false; },
  };
}
