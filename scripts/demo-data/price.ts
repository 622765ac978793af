/** One sold line of a product: what the retail price is picked from. */
export type PriceLine = { quantity: number; unitPrice: number };

/** Lines up to this quantity count as retail-size (the data is a wholesaler's: big lines get trade prices). */
export const RETAIL_MAX_QTY = 12;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The shelf price of a product: the most common unit price among retail-size lines (ties: the higher
 * price, since trade discounts only go down), falling back to all lines when there are no small ones.
 */
export function pickRetailPrice(lines: readonly PriceLine[], maxQty = RETAIL_MAX_QTY): number {
  const retail = lines.filter((l) => l.quantity <= maxQty && l.unitPrice > 0);
  const pool = retail.length > 0 ? retail : lines.filter((l) => l.unitPrice > 0);
  if (pool.length === 0) throw new RangeError('no priced lines');
  const counts = new Map<number, number>();
  for (const l of pool) counts.set(l.unitPrice, (counts.get(l.unitPrice) ?? 0) + 1);
  let best = 0;
  let bestCount = -1;
  for (const [price, n] of counts) {
    if (n > bestCount || (n === bestCount && price > best)) { best = price; bestCount = n; }
  }
  return round2(best);
}

/**
 * A member price about `pct` below `price`, rounded down to a 5p step like a shelf price, always below it.
 * @example memberPrice(2.95) // 2.65
 */
export function memberPrice(price: number, pct = 0.1): number {
  const target = price * (1 - pct);
  // Round down to 5p; very cheap items (under 5p after the discount) keep whole pence.
  const pence = Math.floor(target * 20) * 5;
  const p = pence >= 5 ? pence : Math.max(1, Math.floor(target * 100));
  const out = p / 100;
  return out < price ? round2(out) : round2(price - 0.01);
}
