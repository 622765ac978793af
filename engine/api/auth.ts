import type { MiddlewareHandler } from 'hono';
import { ROLES, type Role, type TokenEntry } from '#contracts';
import { ApiError } from './errors.js';

export type ApiEnv = { Variables: { caller: TokenEntry } };

/** Bearer-token check (docs/contracts.md §Security and privacy): every API caller presents a token bound to a role and a store. */
export const requireToken = (verify: (token: string) => TokenEntry | undefined): MiddlewareHandler<ApiEnv> =>
  async function requireToken(c, next) {
    const h = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) throw new ApiError(401, 'auth.missing', 'Authorization: Bearer <token> required');
    const entry = verify(m[1]!);
    if (!entry) throw new ApiError(401, 'auth.invalid', 'unknown token');
    c.set('caller', entry);
    await next();
  };

/** What a caller does through /api/v1/stores. */
export type StoreAction = 'list' | 'read' | 'replace' | 'screens' | 'live';

/**
 * docs/security.md §Who may call what: the roles allowed each action, always only within the token's
 * own store (or every store for `*`). A screen reads only what its player shows (`playerView`).
 */
export const STORE_ACCESS: Readonly<Record<StoreAction, readonly Role[]>> = {
  list: ROLES,
  read: ['console', 'merchandiser', 'screen'],
  replace: ['merchandiser'],
  screens: ['console', 'merchandiser'],
  live: ['console', 'merchandiser'],
};

/** Roles that read a store's whole configuration; the others allowed to read it get the player view. */
export const FULL_READERS: readonly Role[] = ['console', 'merchandiser'];

/** True when the token reaches this store at all. */
export const reachesStore = (caller: TokenEntry, storeId: string): boolean => caller.storeId === '*' || caller.storeId === storeId;

/** Throws 403 unless the caller may act on this store (and has one of the roles, when given). */
export function assertStore(caller: TokenEntry, storeId: string, roles?: readonly Role[]): void {
  if (!reachesStore(caller, storeId)) throw new ApiError(403, 'auth.forbidden', `token is not valid for store ${storeId}`);
  if (roles && !roles.includes(caller.role)) throw new ApiError(403, 'auth.forbidden', `role ${caller.role} may not do this (needs ${roles.join(' or ')})`);
}

/** Throws 403 unless the caller may do `action` on this store. */
export const assertAccess = (caller: TokenEntry, storeId: string, action: StoreAction): void => assertStore(caller, storeId, STORE_ACCESS[action]);
