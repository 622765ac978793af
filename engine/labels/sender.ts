import type { Clock } from '../platform/clock.js';
import type { Metrics } from '../platform/metrics.js';
import type { LabelBody } from './content.js';

export type LabelSenderDeps = {
  clock: Clock;
  /** A store's minimum time between two frames to one label (its `labelPolicy.minIntervalMs`). */
  minIntervalMs(storeId: string): number;
  /** Hands a frame to the hub (and to other instances); returns 0 when refused. */
  send(storeId: string, body: LabelBody): number;
  metrics?: Pick<Metrics, 'labels'>;
};

type Slot = { sentKey?: string; sentAt: number; pending?: LabelBody; timer?: NodeJS.Timeout };

/** What a label shows, without when it was computed or how it flashes. */
const contentKey = (b: LabelBody): string => JSON.stringify([b.sku, b.name, b.price, b.memberPrice, b.promo, b.mode, b.currency, b.locale, b.display]);

/**
 * Per label: coalesced (the latest content wins) and rate limited (at most one frame per `minIntervalMs`:
 * an e-paper refresh costs battery). Content the label already shows is not sent again, unless it asks
 * for a flash. A frame held back goes out when the interval has passed, replaced by anything newer.
 */
export function createLabelSender(d: LabelSenderDeps) {
  const slots = new Map<string, Slot>();
  const count = (outcome: string) => d.metrics?.labels.inc({ outcome });

  const flush = (storeId: string, key: string): void => {
    const s = slots.get(key);
    if (!s?.pending) return;
    // Stamped when it leaves: a gateway times a flash from updatedAt, and a held-back frame must not arrive expired.
    const body = { ...s.pending, updatedAt: d.clock.now() };
    s.pending = undefined;
    s.timer = undefined;
    if (!d.send(storeId, body)) return;
    s.sentKey = contentKey(body);
    s.sentAt = d.clock.now();
    count('sent');
  };

  return {
    push(storeId: string, body: LabelBody): void {
      const key = `${storeId}|${body.labelId}`;
      let s = slots.get(key);
      if (!s) slots.set(key, (s = { sentAt: -Infinity }));
      if (!body.flash && contentKey(body) === (s.pending ? contentKey(s.pending) : s.sentKey)) { count('unchanged'); return; }
      if (!body.flash && s.pending && contentKey(body) === s.sentKey) {
        // Back to what the label already shows before the held-back frame went out: nothing to send.
        clearTimeout(s.timer);
        s.timer = undefined;
        s.pending = undefined;
        count('coalesced');
        return;
      }
      if (s.pending) count('coalesced');
      // A flash asked for while another frame waits is kept: the newer content carries it.
      s.pending = s.pending?.flash && !body.flash && contentKey(s.pending) === contentKey(body) ? s.pending : body;
      const wait = s.sentAt + d.minIntervalMs(storeId) - d.clock.now();
      if (wait <= 0) { clearTimeout(s.timer); flush(storeId, key); return; }
      if (!s.timer) { s.timer = setTimeout(() => flush(storeId, key), wait); s.timer.unref(); }
    },
    /** Labels with a frame held back (tests, metrics). */
    waiting: (): number => [...slots.values()].filter((s) => s.pending).length,
    close(): void { for (const s of slots.values()) clearTimeout(s.timer); slots.clear(); },
  };
}
export type LabelSender = ReturnType<typeof createLabelSender>;
