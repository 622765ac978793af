import WebSocket from 'ws';

/** Closes a client WebSocket politely (1000), or terminates it if it is still connecting or does not answer within `ms`. */
export function closeSocket(sock: WebSocket | undefined, ms = 1000): Promise<void> {
  if (!sock || sock.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise<void>((res) => {
    const t = setTimeout(() => { sock.terminate(); res(); }, ms);
    sock.once('close', () => { clearTimeout(t); res(); });
    if (sock.readyState === WebSocket.CONNECTING) sock.terminate(); else sock.close(1000);
  });
}
