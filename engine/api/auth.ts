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
  read: ['console', 'merchandiser', 'screen', 'associate', 'label-gateway'],
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

/** What a caller does through /api/v1/rules. */
export type RuleAction = 'list' | 'read' | 'versions' | 'preview' | 'write';

/**
 * docs/security.md §Who may call what, rules: the roles allowed each action. `write` is create,
 * replace, enable, disable, delete and restore. A token bound to one store sees only the rules that can
 * apply there and writes only rules aimed at exactly its store (`ruleScope`).
 */
export const RULE_ACCESS: Readonly<Record<RuleAction, readonly Role[]>> = {
  list: ['console', 'merchandiser'],
  read: ['console', 'merchandiser'],
  versions: ['console', 'merchandiser'],
  preview: ['console', 'merchandiser'],
  write: ['merchandiser'],
};

/** Throws 403 unless the caller's role may do `action` on rules. */
export function assertRuleAccess(caller: TokenEntry, action: RuleAction): void {
  const roles = RULE_ACCESS[action];
  if (!roles.includes(caller.role)) throw new ApiError(403, 'auth.forbidden', `role ${caller.role} may not do this (needs ${roles.join(' or ')})`);
}

/** The stores a rule is aimed at: absent means every store (engine/rules/match.ts reads it the same way). */
type Aimed = { target?: { stores?: readonly string[] } };

/** What a token may do with one rule: see it (it can apply to the token's store), and own it (aimed at exactly that store). */
export const ruleScope = (caller: TokenEntry) => ({
  sees: (r: Aimed): boolean => caller.storeId === '*' || !r.target?.stores || r.target.stores.includes(caller.storeId),
  owns: (r: Aimed): boolean => caller.storeId === '*' || (r.target?.stores?.length === 1 && r.target.stores[0] === caller.storeId),
});
