import { AuditEntry, parseUntrusted } from '#contracts';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';

/** Entries kept per store, newest first. */
export const AUDIT_MAX = 100_000;
/** How long a store's audit list lives after its last entry. */
export const AUDIT_TTL_MS = 400 * 86_400_000;

export type AuditQuery = { customerId?: string; associateId?: string; since?: number; limit?: number };

/**
 * The associates' audit (docs/associates.md §Audit): every view of a member's profile by an associate,
 * appended per store to a bounded Redis list; read back newest first, filtered, by merchandisers only
 * (the API route checks the role).
 */
export function createAudit(d: { kv: Kv; keys: Keys }) {
  return {
    async write(entries: readonly AuditEntry[]): Promise<void> {
      for (const e of entries) await d.kv.pushCapped(d.keys.audit(e.storeId), JSON.stringify(e), AUDIT_MAX, AUDIT_TTL_MS);
    },
    /** Newest first; scans at most the newest 10,000 entries. */
    async read(storeId: string, q: AuditQuery = {}): Promise<AuditEntry[]> {
      const limit = Math.min(q.limit ?? 100, 1000);
      const out: AuditEntry[] = [];
      for (const raw of await d.kv.lrange(d.keys.audit(storeId), 0, 9_999)) {
        let json: unknown;
        try { json = JSON.parse(raw); } catch { continue; }
        const e = parseUntrusted(AuditEntry, json);
        if (!e.success) continue;
        if (q.customerId && e.data.customerId !== q.customerId) continue;
        if (q.associateId && e.data.associateId !== q.associateId) continue;
        if (q.since !== undefined && e.data.at < q.since) break;
        out.push(e.data);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}
