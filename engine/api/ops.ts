import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { ApiError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The operator token of /metrics and /readyz details (docs/security.md). Without one configured, every
 * caller is allowed, as before. Compared as digests in constant time; the token itself is not kept.
 */
export function opsAuth(opsToken: string | undefined) {
  const want = opsToken ? digest(opsToken) : undefined;
  const presented = (c: Context) => /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  return {
    /** True when no token is configured, or the caller presents it. */
    allows(c: Context): boolean {
      if (!want) return true;
      const got = presented(c);
      return got !== undefined && timingSafeEqual(digest(got), want);
    },
    /** Throws 401 unless `allows`. */
    require(c: Context): void {
      if (this.allows(c)) return;
      if (presented(c) === undefined) throw new ApiError(401, 'auth.missing', 'Authorization: Bearer <operator token> required');
      throw new ApiError(401, 'auth.invalid', 'wrong operator token');
    },
  };
}
