import { describe, expect, it } from 'vitest';
import type { RetailRow } from '../data/online-retail.js';
import { buildDataset } from '../data/baskets.js';
import { makeContext } from '../eval/context.js';
import { evaluate } from '../eval/evaluate.js';
import { topK } from '../eval/metrics.js';
import { makeSplit, utc } from '../eval/split.js';
import { itemKnn, itemKnnOwn, popularity, pTopFreq } from './index.js';

const row = (invoice: string, code: string, customer: string, day: string): RetailRow => ({
  invoice, stockCode: code, description: `ITEM ${code}`, quantity: 1, ts: utc(day), unitPrice: 1, customerId: customer, country: 'UK',
});
// Before the cutoff: A is most popular; B and C co-occur; customer 1 bought C twice and D once.
const rows: RetailRow[] = [
  row('1', '10001', '1', '2011-01-01'), row('1', '10003', '1', '2011-01-01'),
  row('2', '10003', '1', '2011-01-05'), row('2', '10004', '1', '2011-01-05'),
  row('3', '10001', '2', '2011-01-02'), row('3', '10002', '2', '2011-01-02'), row('3', '10003', '2', '2011-01-02'),
  row('4', '10001', '3', '2011-01-03'), row('4', '10002', '3', '2011-01-03'),
  row('5', '10001', '3', '2011-01-04'),
  // after the cutoff
  row('6', '10002', '1', '2011-02-02'), row('6', '10003', '1', '2011-02-02'),
  row('7', '10004', '2', '2011-02-03'),
  row('8', '10001', '9', '2011-02-03'),
];
const ds = buildDataset(rows);
const ctx = makeContext(ds, makeSplit(ds, utc('2011-02-01')));
const ix = (code: string): number => ds.skus.indexOf(`SKU-${code}`);
const rankFor = (r: typeof popularity, customer: string): string[] => {
  const u = ctx.split.users.find((x) => ds.customers[x.customer] === `c-${customer}`)!;
  const out = new Float64Array(ctx.nItems);
  r.prepare(ctx)(u, out);
  return Array.from(topK(out, ctx.popOrder, 4), (i) => ds.skus[i]!);
};

describe('baselines on a small fixture', () => {
  it('only customers with history are evaluated; target = first basket after the cutoff', () => {
    expect(ctx.split.users.map((u) => ds.customers[u.customer])).toEqual(['c-1', 'c-2']);
    expect(Array.from(ctx.split.users[0]!.target.items).sort()).toEqual([ix('10002'), ix('10003')].sort());
  });
  it('popularity counts baskets', () => {
    expect(rankFor(popularity, '1')).toEqual(['SKU-10001', 'SKU-10003', 'SKU-10002', 'SKU-10004']);
  });
  it('P-TopFreq ranks own items by basket count, ties by SKU, then popularity', () => {
    expect(rankFor(pTopFreq, '1')).toEqual(['SKU-10003', 'SKU-10001', 'SKU-10004', 'SKU-10002']);
  });
  it('item-kNN scores by count-weighted cosine; own history first', () => {
    // customer 2 bought 10001, 10002, 10003 once: 10004's only neighbour is 10003 (cos 1/sqrt(3·1))
    expect(rankFor(itemKnn, '2')[0]).toBe('SKU-10001');
    expect(rankFor(itemKnnOwn, '2').slice(0, 3).sort()).toEqual(['SKU-10001', 'SKU-10002', 'SKU-10003']);
    expect(rankFor(itemKnnOwn, '2')[3]).toBe('SKU-10004');
  });
  it('evaluate reports hand-checkable recall for P-TopFreq', () => {
    const r = evaluate(ctx, pTopFreq, { k: 2 });
    // c-1: top2 = [10003, 10001], target {10002, 10003} → 1/2; c-2: top2 = [10001, 10002], target {10004} → 0
    expect(r.all.users).toBe(2);
    expect(r.all.recall).toBeCloseTo(0.25, 12);
    expect(r.all.hr).toBeCloseTo(0.5, 12);
  });
});
