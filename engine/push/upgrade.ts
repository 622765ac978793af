import type { Duplex } from 'node:stream';

/** The path of an upgrade request's target, or undefined when the target cannot be parsed (e.g. `http://[`). Never throws. */
export function upgradePath(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers an upgrade with a bare HTTP status and closes the socket once the answer is written. Never throws. */
export function refuseUpgrade(socket: Duplex, status: 400 | 404 | 500 | 503): void {
  try {
    if (!socket.writable) { socket.destroy(); return; }
    const timer = setTimeout(() => socket.destroy(), 1_000); // a peer that never reads does not keep the socket
    timer.unref();
    socket.once('finish', () => { clearTimeout(timer); socket.destroy(); });
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  } catch {
    socket.destroy();
  }
}
