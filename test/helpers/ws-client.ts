import WebSocket from 'ws';
import { ServerFrame, type Hello } from '#contracts';

/** A real WebSocket client that records every server frame and can wait for one. */
export async function connectWs(port: number, hello: Omit<Hello, 'type'>) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const frames: ServerFrame[] = [];
  const waiters: { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  ws.on('message', (data) => {
    const f = ServerFrame.parse(JSON.parse(String(data)));
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
  });
  await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
  ws.send(JSON.stringify({ type: 'hello', ...hello }));
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  return {
    ws, frames, closed,
    /** The first frame (already received or future) matching pred, after index `from`. */
    next<T extends ServerFrame = ServerFrame>(pred: (f: ServerFrame) => boolean, timeoutMs = 5000, from = 0): Promise<T> {
      const have = frames.slice(from).find(pred);
      if (have) return Promise.resolve(have as T);
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(',')}`)), timeoutMs);
        waiters.push({ pred, resolve: (f) => { clearTimeout(t); resolve(f as T); } });
      });
    },
    close: () => { ws.close(); return closed; },
  };
}
export type TestWs = Awaited<ReturnType<typeof connectWs>>;
