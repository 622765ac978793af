import { describe, expect, it } from 'vitest';
import { Profile, type PosEvent } from '#contracts';
import { applyBrowse, applyPurchase, emptyProfile, refreshRecency, scoreRfm, tierFor } from './reduce.js';
import { DEFAULT_LOYALTY_RULES as R } from './rules.js';

const DAY = 86_400_000;
const cat = (sku: string) => ({ 'SKU-1': 'coffee', 'SKU-2': 'coffee', 'SKU-3': 'baby' } as Record<string, string>)[sku];
const pos = (over: Partial<PosEvent> = {}): PosEvent => ({ type: 'pos', id: 't', ts: 10 * DAY, storeId: 's-001', transactionId: 'T',
  currency: 'GBP', total: 30, lines: [{ sku: 'SKU-1', qty: 2, unitPrice: 10 }, { sku: 'SKU-3', qty: 1, unitPrice: 10 }], ...over });

describe('applyPurchase', () => {
  it('turns a prospect into a new customer with RFM, points, recent items and affinities', () => {
    const p = applyPurchase(emptyProfile('c-1', 0), pos(), cat, R, 10 * DAY);
    expect(Profile.parse(p)).toEqual(p);
    expect(p.lifecycle).toBe('new');
    expect(p.rfm).toEqual({ recencyDays: 0, frequency: 1, monetary: 30, r: 5, f: 1, m: 1 });
    expect(p.points).toBe(30);
    expect(p.recentSkus).toEqual(['SKU-1', 'SKU-3']);
    expect(p.skuCounts).toEqual({ 'SKU-1': 1, 'SKU-3': 1 });
    expect(p.affinities.coffee).toBeCloseTo(0.2 * (2 / 3), 3);
    expect(p.affinities.baby).toBeCloseTo(0.2 * (1 / 3), 3);
    expect(p.consent.personalization).toBe(false);
  });
  it('applies the tier multiplier and upgrades the tier, never downgrades', () => {
    const gold = { ...emptyProfile('c-1', 0), tier: 'gold' as const, points: 9_990 };
    const p = applyPurchase(gold, pos({ total: 10 }), cat, R, 0);
    expect(p.points).toBe(9_990 + 15);
    expect(p.tier).toBe('platinum');
    expect(p.vip).toBe(true);
    expect(tierFor(0, 'gold', R)).toBe('gold');
  });
  it('becomes active on the second purchase, moves bought items out of browsed and to the front of recent', () => {
    let p = applyPurchase(emptyProfile('c-1', 0), pos(), cat, R, 0);
    p = applyBrowse(p, 'SKU-2', 1);
    expect(p.browsedSkus).toEqual(['SKU-2']);
    p = applyPurchase(p, pos({ lines: [{ sku: 'SKU-2', qty: 0.42, unitPrice: 2.99 }], total: 1.26 }), cat, R, 2);
    expect(p.lifecycle).toBe('active');
    expect(p.rfm?.frequency).toBe(2);
    expect(p.recentSkus).toEqual(['SKU-2', 'SKU-1', 'SKU-3']);
    expect(p.browsedSkus).toEqual([]);
    expect(p.skuCounts?.['SKU-2']).toBe(1);
  });
  it('caps recent items at 50', () => {
    let p = emptyProfile('c-1', 0);
    for (let i = 0; i < 60; i++) p = applyPurchase(p, pos({ lines: [{ sku: `SKU-${100 + i}`, qty: 1, unitPrice: 1 }], total: 1 }), cat, R, i);
    expect(p.recentSkus).toHaveLength(50);
    expect(p.recentSkus[0]).toBe('SKU-159');
  });
});

describe('scoring and ageing', () => {
  it('scores RFM at the cut points', () => {
    expect(scoreRfm(14, 12, 4000, R)).toMatchObject({ r: 5, f: 5, m: 5 });
    expect(scoreRfm(15, 11, 3999, R)).toMatchObject({ r: 4, f: 4, m: 4 });
    expect(scoreRfm(500, 1, 10, R)).toMatchObject({ r: 1, f: 1, m: 1 });
  });
  it('ages an active customer to dormant and churned', () => {
    const p = applyPurchase(emptyProfile('c-1', 0), pos({ ts: 0 }), cat, R, 0);
    expect(refreshRecency(p, 91 * DAY, R)).toMatchObject({ lifecycle: 'dormant', rfm: { recencyDays: 91, r: 2 } });
    expect(refreshRecency(p, 181 * DAY, R).lifecycle).toBe('churned');
    expect(refreshRecency(p, 0, R)).toBe(p);
  });
});
