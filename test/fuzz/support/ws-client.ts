import WebSocket from 'ws';
import { ServerFrame } from '#contracts';

/** What a fuzz client saw, in order: server frames (checked against ServerFrame) and the close. */
export type WsEvent = { kind: 'frame'; frame: ServerFrame } | { kind: 'bad'; text: string } | { kind: 'close'; code: number };

/**
 * A raw WebSocket client that records everything and never throws from a listener (unlike a client
 * that parses strictly inside 'message'): a frame that fails ServerFrame is recorded as `bad`.
 */
export async function openWs(port: number, timeoutMs = 2000) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const events: WsEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => { for (const w of [...waiters]) w(); };
  ws.on('message', (data, isBinary) => {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
    let f: ReturnType<typeof ServerFrame.safeParse> | undefined;
    try { f = isBinary ? undefined : ServerFrame.safeParse(JSON.parse(text)); } catch { f = undefined; }
    events.push(f?.success ? { kind: 'frame', frame: f.data } : { kind: 'bad', text: `${isBinary ? 'binary: ' : ''}${text.slice(0, 300)}` });
    notify();
  });
  ws.on('close', (code) => { events.push({ kind: 'close', code }); notify(); });
  ws.on('error', () => { /* the close follows */ });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`WebSocket not open within ${timeoutMs} ms`)), timeoutMs);
    ws.once('open', () => { clearTimeout(timer); resolve(); });
    ws.once('close', (code) => { clearTimeout(timer); reject(new Error(`WebSocket closed (${code}) before it opened`)); });
  });
  return {
    ws, events,
    get closed() { return events.some((e) => e.kind === 'close'); },
    send(data: Buffer | string, binary = false): Promise<void> {
      if (ws.readyState !== WebSocket.OPEN) return Promise.resolve();
      return new Promise((resolve) => ws.send(data, { binary }, () => resolve()));
    },
    /** Resolves with the index of the first event from `from` on that matches, or rejects after `ms`. */
    until(pred: (e: WsEvent) => boolean, ms = timeoutMs, from = 0): Promise<number> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const i = events.findIndex((e, k) => k >= from && pred(e));
          if (i >= 0) { waiters.delete(check); clearTimeout(timer); resolve(i); return true; }
          return false;
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no matching event within ${ms} ms; saw ${describe(events.slice(from))}`)); }, ms);
        if (!check()) waiters.add(check);
      });
    },
    /** Closes (1000) and waits for the server's close, so the server has let go of the socket before the next run. */
    async close(ms = timeoutMs): Promise<void> {
      if (events.some((e) => e.kind === 'close')) return;
      const done = new Promise<void>((r) => ws.once('close', () => r()));
      ws.close(1000);
      const timer = setTimeout(() => ws.terminate(), ms);
      await done;
      clearTimeout(timer);
    },
  };
}
export type FuzzWs = Awaited<ReturnType<typeof openWs>>;

/** Events as a short string for messages: frame types, error codes, bad frames, the close code. */
export const describe = (events: readonly WsEvent[]): string => events.map((e) => e.kind === 'close' ? `close(${e.code})`
  : e.kind === 'bad' ? `BAD(${e.text.slice(0, 120)})` : e.frame.type === 'error' ? `error(${e.frame.code})` : e.frame.type).join(', ') || 'nothing';
