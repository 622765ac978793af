/** Prometheus names the suite reads from the engine's /metrics, in one place so they can follow the engine. */

/** Purchases (transactional effects) written to the local journal while Redis was unreachable. */
export const JOURNAL_APPENDED = 'aisle_journal_appended_total';
/** Journaled effects not yet applied to Redis. */
export const JOURNAL_PENDING = 'aisle_journal_pending';
/** Inbound events by `type` and `outcome` (accepted, duplicate, dead_letter). */
export const EVENTS_TOTAL = 'aisle_events_total';
/** Frames screens confirmed they rendered (`impression`), by `store`; counted before they are kept (docs/experiments.md). */
export const IMPRESSIONS_TOTAL = 'aisle_impressions_total';
