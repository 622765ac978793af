/**
 * @module labels/session
 * Which store the label wall shows and the label-gateway token it connects with, remembered in `localStorage`: a
 * wall is a screen on a wall or a laptop in the back office, set up once and left running (reloads, restarts).
 *
 * A link carries the setup (`/labels/?store=s-001&token=lgw_…`). The token is taken from the address and removed from
 * it at once (`history.replaceState`, as the associate app does), so it stays out of the address bar, the history
 * and screenshots; `store` and the other parameters stay.
 */
import { withoutToken } from '../associate/session.js';

export interface WallSession {
  token: string;
  storeId: string;
}

/** Address parameters besides the sign-in: `ws` (WebSocket URL), `scale` (screen px per label px). */
export interface WallOptions {
  ws?: string;
  scale?: number;
}

const KEY = 'aislecast.labels.session';
const ID = /^[A-Za-z0-9._:-]{1,64}$/;

const isSession = (v: Partial<WallSession> | null | undefined): v is WallSession =>
  !!v && typeof v.token === 'string' && !!v.token && typeof v.storeId === 'string' && ID.test(v.storeId);

export function loadWallSession(storage: Storage | undefined = safeStorage()): WallSession | undefined {
  try {
    const v = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<WallSession> | null;
    return isSession(v) ? { token: v.token, storeId: v.storeId } : undefined;
  } catch {
    return undefined;
  }
}

export function saveWallSession(s: WallSession, storage: Storage | undefined = safeStorage()): void {
  try { storage?.setItem(KEY, JSON.stringify({ token: s.token, storeId: s.storeId })); } catch { /* private mode: this tab only */ }
}

export function clearWallSession(storage: Storage | undefined = safeStorage()): void {
  try { storage?.removeItem(KEY); } catch { /* nothing kept */ }
}

/**
 * What the page starts with: a token from the address wins over the remembered setup (and is remembered with the
 * address's store, once it has one); without a token, the remembered setup. The token leaves the address either way.
 * `prefill` is what a setup form should start with when there is no complete session.
 */
export function wallFromPage(loc: Location = location, hist: History = history, storage: Storage | undefined = safeStorage()):
    { session?: WallSession; prefill: Partial<WallSession> } & WallOptions {
  const q = new URLSearchParams(loc.search);
  const token = q.get('token')?.trim() || undefined;
  const storeId = q.get('store')?.trim() || undefined;
  if (q.has('token')) hist.replaceState(hist.state, '', withoutToken(loc.href));
  const ws = q.get('ws')?.trim() || undefined;
  const scale = Number(q.get('scale'));
  const opts: WallOptions = { ...(ws ? { ws } : {}), ...(scale > 0 && scale <= 3 ? { scale } : {}) };
  const saved = loadWallSession(storage);
  if (token) {
    const candidate = { token, storeId: storeId ?? (saved?.token === token ? saved.storeId : '') };
    if (isSession(candidate)) {
      saveWallSession(candidate, storage);
      return { session: candidate, prefill: candidate, ...opts };
    }
    return { prefill: { token, ...(storeId ? { storeId } : {}) }, ...opts };
  }
  if (saved && (!storeId || storeId === saved.storeId)) return { session: saved, prefill: saved, ...opts };
  return { prefill: { ...saved, ...(storeId ? { storeId } : {}) }, ...opts };
}

function safeStorage(): Storage | undefined {
  try { return globalThis.localStorage; } catch { return undefined; }
}
