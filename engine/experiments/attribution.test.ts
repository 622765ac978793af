import { describe, expect, it } from 'vitest';
import type { ImpressionRecord } from '#contracts';
import { attribute } from './attribution.js';

const H = 3_600_000;
const imp = (over: Partial<ImpressionRecord> = {}): ImpressionRecord => ({ at: 1000, storeId: 's', decisionId: 'd1', visitStartedAt: 500,
  skus: ['A', 'B'], arms: { 'x-1': 'treatment' }, ...over });
const lines = [{ sku: 'A', qty: 2, unitPrice: 3 }, { sku: 'C', qty: 1, unitPrice: 10 }];
const window24 = () => 24 * H;

describe('attribute', () => {
  it('converts a purchase of a shown SKU in the same visit, with the revenue of the shown lines only', () => {
    expect(attribute({ ts: 2000, lines, visitStartedAt: 500 }, [imp()], window24)).toEqual([{ experimentId: 'x-1', armId: 'treatment', revenue: 6, skus: ['A'] }]);
  });
  it('does not convert a purchase in another visit, before the impression, or after the window', () => {
    expect(attribute({ ts: 2000, lines, visitStartedAt: 900 }, [imp()], window24)).toEqual([]);
    expect(attribute({ ts: 999, lines, visitStartedAt: 500 }, [imp()], window24)).toEqual([]);
    expect(attribute({ ts: 1000 + 24 * H + 1, lines }, [imp()], window24)).toEqual([]);
    expect(attribute({ ts: 1000 + 2 * H, lines }, [imp()], () => H)).toEqual([]);
  });
  it('lets the window decide when the shopper is no longer seen in the store', () => {
    expect(attribute({ ts: 1000 + 23 * H, lines }, [imp()], window24)).toHaveLength(1);
  });
  it('does not convert what was not shown, nor experiments that are gone', () => {
    expect(attribute({ ts: 2000, lines: [{ sku: 'C', qty: 1, unitPrice: 1 }] }, [imp()], window24)).toEqual([]);
    expect(attribute({ ts: 2000, lines }, [imp()], () => undefined)).toEqual([]);
  });
  it('converts each experiment once per purchase, counting each shown SKU once, in the arm the impression recorded', () => {
    const two = [imp({ decisionId: 'd1', skus: ['A'] }), imp({ decisionId: 'd2', at: 1500, skus: ['A', 'B'], arms: { 'x-1': 'treatment', 'x-2': 'holdout' } })];
    const buy = [{ sku: 'A', qty: 1, unitPrice: 3 }, { sku: 'B', qty: 1, unitPrice: 4.5 }];
    expect(attribute({ ts: 2000, lines: buy }, two, window24)).toEqual([
      { experimentId: 'x-1', armId: 'treatment', revenue: 7.5, skus: ['A', 'B'] },
      { experimentId: 'x-2', armId: 'holdout', revenue: 7.5, skus: ['A', 'B'] },
    ]);
  });
});
