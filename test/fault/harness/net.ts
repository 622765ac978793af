import { createConnection, createServer } from 'node:net';

/** A port nothing listens on right now (the OS picks it). */
export const freePort = (): Promise<number> => new Promise((res, rej) => {
  const srv = createServer();
  srv.once('error', rej);
  srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => res(p)); });
});

/** True when something accepts TCP connections on 127.0.0.1:port. */
export const accepts = (port: number): Promise<boolean> => new Promise((res) => {
  const s = createConnection({ port, host: '127.0.0.1' }, () => { s.end(); res(true); });
  s.once('error', () => res(false));
  s.setTimeout(500, () => { s.destroy(); res(false); });
});

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
