import { z } from 'zod';
import { Id, StoreId } from './ids.js';

export const ROLES = ['screen', 'label-gateway', 'associate', 'console', 'merchandiser'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const TokenEntry = z.object({
  token: z.string().min(16, 'tokens must be at least 16 characters'),
  role: Role,
  /** A store id, or `*` for every store. */
  storeId: z.union([StoreId, z.literal('*')]),
  /** What the token is for: a screen id, an associate id, a gateway name. */
  subject: Id.optional(),
});
export type TokenEntry = z.infer<typeof TokenEntry>;

/** docs/contracts.md §Running and configuration: the tokens file. */
export const TokensFile = z.object({ tokens: z.array(TokenEntry) });
export type TokensFile = z.infer<typeof TokensFile>;
