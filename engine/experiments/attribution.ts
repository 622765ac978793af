import type { ImpressionRecord, PosLine } from '#contracts';

/** What one purchase converts, per experiment: the arm and the revenue of the lines that were shown. */
export type Conversion = { experimentId: string; armId: string; revenue: number; skus: string[] };

export type PurchaseFacts = {
  ts: number;
  lines: readonly PosLine[];
  /** When the shopper's current visit began, if the engine sees them in the store now. */
  visitStartedAt?: number;
};

/**
 * Attribution (pure; docs/experiments.md §Conversions): a purchase converts for an experiment when it
 * contains a SKU a screen showed this shopper in a personal turn while the experiment ran, within the
 * experiment's window after that impression and in the same visit. When the engine no longer sees the
 * shopper (they paid on the way out, the visit ended), the window alone decides. Each experiment is
 * converted at most once per purchase, in the arm the impression recorded.
 */
export function attribute(purchase: PurchaseFacts, impressions: readonly ImpressionRecord[], windowMsOf: (experimentId: string) => number | undefined): Conversion[] {
  const out = new Map<string, Conversion>();
  const bySku = new Map<string, number>();
  for (const l of purchase.lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty * l.unitPrice);
  for (const imp of impressions) {
    if (purchase.ts < imp.at) continue;
    if (purchase.visitStartedAt !== undefined && purchase.visitStartedAt !== imp.visitStartedAt) continue;
    for (const [experimentId, armId] of Object.entries(imp.arms)) {
      const windowMs = windowMsOf(experimentId);
      if (windowMs === undefined || purchase.ts - imp.at > windowMs) continue;
      const shown = imp.skus.filter((s) => bySku.has(s));
      if (!shown.length) continue;
      const c = out.get(experimentId) ?? { experimentId, armId, revenue: 0, skus: [] };
      for (const s of shown) if (!c.skus.includes(s)) { c.skus.push(s); c.revenue += bySku.get(s)!; }
      out.set(experimentId, c);
    }
  }
  return [...out.values()].map((c) => ({ ...c, revenue: Math.round(c.revenue * 100) / 100 }));
}
