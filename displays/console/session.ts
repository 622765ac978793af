/**
 * @module console/session
 * The signed-in token, the chosen store and the token's role, kept in `sessionStorage`: they last as long
 * as the browser tab and are gone when it closes, so a shared back-office computer forgets the token.
 */
import type { Role } from '../shared/contracts.js';

/** The roles that can use the console: both read; only a merchandiser changes rules. */
export type ConsoleRole = Extract<Role, 'console' | 'merchandiser'>;

export interface ConsoleSession {
  token: string;
  storeId: string;
  /** Learnt from the engine at sign-in (role-probe.ts); undefined when it could not be told. */
  role?: ConsoleRole | undefined;
}

const KEY = 'aislecast.console.session';

export function loadSession(storage: Storage = sessionStorage): ConsoleSession | undefined {
  try {
    const v = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<ConsoleSession> | null;
    if (!v || typeof v.token !== 'string' || !v.token || typeof v.storeId !== 'string') return undefined;
    const role = v.role === 'console' || v.role === 'merchandiser' ? v.role : undefined;
    return { token: v.token, storeId: v.storeId, role };
  } catch {
    return undefined;
  }
}

export function saveSession(s: ConsoleSession, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
