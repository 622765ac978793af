/**
 * @module console/role-probe
 * Which role a token has. The API has no "who am I" route, but a WebSocket `hello` must name the token's
 * own role (docs/contracts.md §WebSocket protocol: otherwise `ws.forbidden`), so the console says hello as
 * `console`, then as `merchandiser`, and keeps the one the engine welcomes. Nothing is changed by it.
 */
import { ServerFrame } from '../shared/contracts.js';
import { wsUrlFor } from '../shared/ws-client.js';
import type { ConsoleRole } from './session.js';

export interface RoleProbeOptions {
  url?: string;
  WebSocket?: new (url: string) => WebSocket;
  timeoutMs?: number;
}

/** `welcome` → the role; `error` or a close → undefined; no answer in time → undefined. */
function tryRole(role: ConsoleRole, token: string, storeId: string, o: RoleProbeOptions): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new (o.WebSocket ?? WebSocket)(o.url ?? wsUrlFor(location));
    } catch {
      resolve(undefined);
      return;
    }
    const done = (v: boolean | undefined) => {
      clearTimeout(timer);
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(); } catch { /* closing */ }
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), o.timeoutMs ?? 4000);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', role, token, storeId }));
    ws.onmessage = (ev: MessageEvent) => {
      let raw: unknown;
      try { raw = JSON.parse(String(ev.data)); } catch { return; }
      const f = ServerFrame.safeParse(raw);
      if (!f.success) return;
      if (f.data.type === 'welcome') done(true);
      else if (f.data.type === 'error') done(f.data.code === 'ws.forbidden' ? false : undefined);
    };
    ws.onclose = () => done(undefined);
  });
}

/** The token's role for this store, or undefined when the engine's socket could not tell. */
export async function probeRole(token: string, storeId: string, o: RoleProbeOptions = {}): Promise<ConsoleRole | undefined> {
  const asConsole = await tryRole('console', token, storeId, o);
  if (asConsole) return 'console';
  if (asConsole === undefined) return undefined;
  return (await tryRole('merchandiser', token, storeId, o)) ? 'merchandiser' : undefined;
}
