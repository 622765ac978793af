import type { PosEvent, PosLine } from '#contracts';
import { ignored, type Built } from './intake.js';
import { QTY_DECIMALS, roundTo } from './money.js';

/** The contract's bound on lines per purchase (docs/contracts.md §MQTT topics and events). */
export const MAX_LINES = 500;

/**
 * A purchase from its parts: lines of one SKU at one price are merged (a till that scans an item three times
 * writes three lines), and past 500 lines the rest is left out (the total still counts it). No line: ignored
 * (`no_items`: a sale of gift cards, custom amounts or unmapped items only).
 */
export function purchase(p: Omit<PosEvent, 'type' | 'lines' | 'customerId'> & { customerId: string | undefined; lines: readonly PosLine[] }): Built {
  const merged = new Map<string, PosLine>();
  for (const l of p.lines) {
    const key = `${l.sku}\u0000${l.unitPrice}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, qty: roundTo(prev.qty + l.qty, QTY_DECIMALS) } : { ...l });
  }
  if (merged.size === 0) return ignored('no_items');
  const { customerId, lines: _lines, ...rest } = p;
  const event: PosEvent = { type: 'pos', ...rest, ...(customerId !== undefined ? { customerId } : {}), lines: [...merged.values()].slice(0, MAX_LINES) };
  return { ok: true, event };
}
