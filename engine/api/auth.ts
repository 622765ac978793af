import type { MiddlewareHandler } from 'hono';
import type { Role, TokenEntry } from '#contracts';
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

/** Throws 403 unless the caller may act on this store (and has one of the roles, when given). */
export function assertStore(caller: TokenEntry, storeId: string, roles?: readonly Role[]): void {
  if (caller.storeId !== '*' && caller.storeId !== storeId) throw new ApiError(403, 'auth.forbidden', `token is not valid for store ${storeId}`);
  if (roles && !roles.includes(caller.role)) throw new ApiError(403, 'auth.forbidden', `role ${caller.role} may not do this (needs ${roles.join(' or ')})`);
}
