/**
 * @module associate/session
 * Who is signed in on this phone: token, store and associate id, remembered in `localStorage` (a phone is
 * carried by one associate for a shift and must survive reloads and restarts; **Sign out** forgets it). The
 * console keeps its token in `sessionStorage` instead (console/session.ts): a shared back-office computer.
 *
 * A link may carry the sign-in (`?store=&associate=&token=`, e.g. from a QR code at the staff room). The
 * token is taken from the address and then removed from it at once (`history.replaceState`), so it does not
 * stay in the address bar, the history or a screenshot; the other parameters stay.
 */

export interface AssociateSession {
  token: string;
  storeId: string;
  associateId: string;
}

const KEY = 'aislecast.associate.session';
const ID = /^[A-Za-z0-9._:-]{1,64}$/;

const isSession = (v: Partial<AssociateSession> | null): v is AssociateSession =>
  !!v && typeof v.token === 'string' && !!v.token && typeof v.storeId === 'string' && ID.test(v.storeId)
  && typeof v.associateId === 'string' && ID.test(v.associateId);

export function loadSession(storage: Storage | undefined = safeStorage()): AssociateSession | undefined {
  try {
    const v = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<AssociateSession> | null;
    return isSession(v) ? { token: v.token, storeId: v.storeId, associateId: v.associateId } : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(s: AssociateSession, storage: Storage | undefined = safeStorage()): void {
  try { storage?.setItem(KEY, JSON.stringify(s)); } catch { /* private mode: this tab only */ }
}

export function clearSession(storage: Storage | undefined = safeStorage()): void {
  try { storage?.removeItem(KEY); } catch { /* nothing kept */ }
}

/** What the address says (each value trimmed; empty ones left out). */
export function readQuery(search: string): Partial<AssociateSession> & { lang?: string; ws?: string } {
  const q = new URLSearchParams(search);
  const out: Partial<AssociateSession> & { lang?: string; ws?: string } = {};
  const take = (param: string, key: 'token' | 'storeId' | 'associateId' | 'lang' | 'ws') => {
    const v = q.get(param)?.trim();
    if (v) out[key] = v;
  };
  take('token', 'token'); take('store', 'storeId'); take('associate', 'associateId'); take('lang', 'lang'); take('ws', 'ws');
  return out;
}

/** The address without its `token` parameter (hash kept); the same string when there is none. */
export function withoutToken(href: string): string {
  const url = new URL(href);
  if (!url.searchParams.has('token')) return href;
  url.searchParams.delete('token');
  return url.pathname + url.search + url.hash;
}

/**
 * The sign-in the page starts with: a complete one from the address wins over the remembered one (and is
 * remembered); a partial one pre-fills the sign-in form. The token is removed from the address either way.
 */
export function sessionFromPage(loc: Location = location, hist: History = history,
  storage: Storage | undefined = safeStorage()): { session?: AssociateSession; prefill: Partial<AssociateSession>; lang?: string; ws?: string } {
  const q = readQuery(loc.search);
  if (q.token) hist.replaceState(hist.state, '', withoutToken(loc.href));
  const { lang, ws, ...given } = q;
  const extras = { ...(lang ? { lang } : {}), ...(ws ? { ws } : {}) };
  const candidate = { ...given };
  if (isSession(candidate as Partial<AssociateSession>)) {
    const session = candidate as AssociateSession;
    saveSession(session, storage);
    return { session, prefill: session, ...extras };
  }
  const saved = loadSession(storage);
  if (saved && !q.token) return { session: saved, prefill: saved, ...extras };
  return { prefill: { ...saved, ...given }, ...extras };
}

function safeStorage(): Storage | undefined {
  try { return globalThis.localStorage; } catch { return undefined; }
}
