import type { TokenEntry } from '#contracts';
import { redisSeedUrls } from '../platform/redis-url.js';

/** Marks of the example and demo secrets the repository ships (deploy/tokens.example.json, passwords.example). */
const EXAMPLE = /example|replace-me|change-me|changeme/i;
export const MIN_TOKEN_LENGTH = 16;

/** The password in a URL, if any (a Redis Cluster URL with several hosts gives every seed the same one). */
const passwordOf = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try { return decodeURIComponent(new URL(redisSeedUrls(url)[0]!).password) || undefined; } catch { return undefined; }
};

/**
 * Why the configured secrets must not be used outside the demo (docs/security.md): tokens and broker
 * or Redis passwords that are the shipped examples, too short, or shared by two roles. Names the
 * variable or the token's role and subject, never the secret itself.
 */
export function secretProblems(o: { tokens: readonly TokenEntry[]; urls: Record<string, string | undefined>; opsToken?: string }): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of o.tokens) {
    const who = `AISLE_TOKENS: the ${t.role} token for ${t.storeId}${t.subject ? `/${t.subject}` : ''}`;
    if (EXAMPLE.test(t.token)) out.push(`${who} is an example token; generate real ones (npm run secrets)`);
    else if (t.token.length < MIN_TOKEN_LENGTH) out.push(`${who} is shorter than ${MIN_TOKEN_LENGTH} characters`);
    if (seen.has(t.token)) out.push(`${who} is used for more than one entry; every entry needs its own token`);
    seen.add(t.token);
  }
  for (const [name, url] of Object.entries(o.urls)) {
    const pw = passwordOf(url);
    if (pw && EXAMPLE.test(pw)) out.push(`${name}: the password is an example password; generate real ones (npm run secrets)`);
  }
  if (o.opsToken !== undefined && (EXAMPLE.test(o.opsToken) || o.opsToken.length < MIN_TOKEN_LENGTH)) {
    out.push(`AISLE_OPS_TOKEN: use a random token of at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return out;
}
