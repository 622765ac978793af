import { firstBasketAtOrAfter, type Basket, type Dataset } from '../data/baskets.js';

/** One evaluation case: a customer with history before the cutoff and their first basket on/after it. */
export type EvalUser = {
  customer: number;
  /** The customer's baskets before the cutoff, oldest first. */
  history: Basket[];
  target: Basket;
};

export type Split = {
  cutoff: number;
  /** All baskets before the cutoff (training data). */
  train: Basket[];
  users: EvalUser[];
};

/**
 * The evaluation protocol: train on baskets before `cutoff`; the target of each customer with history is
 * their first basket at or after the cutoff (and before `end`, when given).
 */
export function makeSplit(ds: Dataset, cutoff: number, end = Infinity): Split {
  const k = firstBasketAtOrAfter(ds.baskets, cutoff);
  const train = ds.baskets.slice(0, k);
  const hist = new Map<number, Basket[]>();
  for (const b of train) {
    let h = hist.get(b.customer);
    if (!h) hist.set(b.customer, (h = []));
    h.push(b);
  }
  const users: EvalUser[] = [];
  const seen = new Set<number>();
  for (let i = k; i < ds.baskets.length; i++) {
    const b = ds.baskets[i]!;
    if (b.ts >= end) break;
    if (seen.has(b.customer)) continue;
    seen.add(b.customer);
    const h = hist.get(b.customer);
    if (h) users.push({ customer: b.customer, history: h, target: b });
  }
  return { cutoff, train, users };
}

export const DAY_MS = 86_400_000;
export const utc = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
