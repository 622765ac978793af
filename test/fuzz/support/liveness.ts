import WebSocket from 'ws';
import { ServerFrame } from '#contracts';
import { parsePrometheus, type Sample } from './metrics.js';

/** Rejects after `ms` with a message saying what was awaited (no timer left behind when `p` settles first). */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); })]);
  } finally { clearTimeout(timer); }
}

/** GET /healthz answers 200 within 2 s. */
export async function assertHealthy(port: number): Promise<void> {
  const res = await within(fetch(`http://127.0.0.1:${port}/healthz`), 2000, 'GET /healthz');
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}`);
}

/** GET /metrics, parsed. */
export async function readMetrics(port: number): Promise<Sample[]> {
  const res = await within(fetch(`http://127.0.0.1:${port}/metrics`), 3000, 'GET /metrics');
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  return parsePrometheus(text);
}

/**
 * A fresh screen connection gets `welcome` and its `screen.content` within `ms` (docs/contracts.md
 * §WebSocket protocol: a screen gets its current frame at once). Every frame must match ServerFrame.
 */
export async function assertScreenServed(port: number, storeId: string, screenId: string, token: string, ms = 3000): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  try {
    await within(new Promise<void>((resolve, reject) => {
      const seen: string[] = [];
      ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', role: 'screen', token, storeId, screenId })));
      ws.on('message', (data) => {
        let f: ReturnType<typeof ServerFrame.safeParse> | undefined;
        try { f = ServerFrame.safeParse(JSON.parse(String(data))); } catch { f = undefined; }
        if (!f?.success) { reject(new Error(`server frame fails ServerFrame: ${String(data).slice(0, 300)}`)); return; }
        seen.push(f.data.type === 'error' ? `error:${f.data.code}` : f.data.type);
        if (f.data.type === 'screen.content') { if (f.data.screenId === screenId) resolve(); else reject(new Error(`content for ${f.data.screenId}`)); }
        if (f.data.type === 'error') reject(new Error(`screen hello refused: ${f.data.code} ${f.data.message}`));
      });
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`screen socket closed (${code}) after ${seen.join(',') || 'nothing'}`)));
    }), ms, `screen ${screenId}: welcome and screen.content`);
  } finally {
    ws.terminate();
  }
}
