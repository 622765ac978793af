import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../contracts/store-config.js';
import { addShownItems, basketTotal, DEFAULT_REACTION, pickBasket, reactionProblems, shownBuyChance, type Reaction } from './basket.js';
import { seededRandom } from './random.js';

const catalog: CatalogItem[] = Array.from({ length: 40 }, (_, i) => ({
  sku: `SKU-${i}`, name: `Item ${i}`, category: i < 20 ? 'bags' : 'garden', brand: '', price: 2.95, memberPrice: 2.65, inStock: i !== 0,
}));

describe('pickBasket', () => {
  it('draws 1–6 distinct in-stock lines with integer quantities', () => {
    const r = seededRandom(3);
    for (let k = 0; k < 200; k++) {
      const lines = pickBasket(r, { catalog, member: false });
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(6);
      expect(new Set(lines.map((l) => l.sku)).size).toBe(lines.length);
      for (const l of lines) { expect(l.sku).not.toBe('SKU-0'); expect(Number.isInteger(l.qty)).toBe(true); expect(l.unitPrice).toBe(2.95); }
    }
  });
  it('favours the shopper’s categories and gives members the member price', () => {
    const r = seededRandom(4);
    const lines = Array.from({ length: 200 }, () => pickBasket(r, { catalog, member: true, affinities: { garden: 1 } })).flat();
    expect(lines.filter((l) => Number(l.sku.slice(4)) >= 20).length / lines.length).toBeGreaterThan(0.6);
    expect(lines.every((l) => l.unitPrice === 2.65)).toBe(true);
  });
  it('is empty with nothing in stock and totals to the penny', () => {
    expect(pickBasket(seededRandom(1), { catalog: catalog.map((c) => ({ ...c, inStock: false })), member: false })).toEqual([]);
    expect(basketTotal([{ sku: 'a', qty: 3, unitPrice: 0.1 }, { sku: 'b', qty: 1, unitPrice: 2.95 }])).toBe(3.25);
  });
});

describe('addShownItems', () => {
  const shown = [{ sku: 'SKU-1', byRule: false }, { sku: 'SKU-2', byRule: true }];
  /** Over n checkouts with one plain and one rule-brought shown item: how often each was bought. */
  function rates(reaction: Reaction, n: number, seed: number) {
    const r = seededRandom(seed);
    let plain = 0;
    let byRule = 0;
    for (let k = 0; k < n; k++) {
      const lines = addShownItems(r, [], shown, { catalog, member: false, reaction });
      if (lines.some((l) => l.sku === 'SKU-1')) plain++;
      if (lines.some((l) => l.sku === 'SKU-2')) byRule++;
    }
    return { plain: plain / n, byRule: byRule / n };
  }
  /** Four standard deviations of a binomial share of n at rate p. */
  const sd4 = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);
  const N = 40_000;

  it('picks a shown item at the baseline, a rule-brought one at baseline × (1 + effect)', () => {
    const reaction = { baseline: 0.04, effect: 0.5 };
    expect(shownBuyChance(reaction, false)).toBe(0.04);
    expect(shownBuyChance(reaction, true)).toBeCloseTo(0.06, 12);
    const got = rates(reaction, N, 11);
    expect(Math.abs(got.plain - 0.04)).toBeLessThan(sd4(0.04, N));
    expect(Math.abs(got.byRule - 0.06)).toBeLessThan(sd4(0.06, N));
    // The difference is real at this size: 0.02 is about 11 standard errors.
    expect(got.byRule - got.plain).toBeGreaterThan(0.012);
  });

  it('with effect 0 (an A/A check) buys rule-brought and other shown items alike', () => {
    const got = rates({ baseline: 0.04, effect: 0 }, N, 12);
    expect(Math.abs(got.plain - 0.04)).toBeLessThan(sd4(0.04, N));
    expect(Math.abs(got.byRule - 0.04)).toBeLessThan(sd4(0.04, N));
    expect(Math.abs(got.byRule - got.plain)).toBeLessThan(4 * Math.sqrt((2 * 0.04 * 0.96) / N));
  });

  it('honours the extremes: baseline 0 buys nothing, baseline 1 everything, effect −1 no rule-brought item', () => {
    const r = seededRandom(5);
    for (let k = 0; k < 200; k++) {
      expect(addShownItems(r, [], shown, { catalog, member: false, reaction: { baseline: 0, effect: 3 } })).toEqual([]);
      expect(addShownItems(r, [], shown, { catalog, member: false, reaction: { baseline: 1, effect: 0 } }).map((l) => l.sku)).toEqual(['SKU-1', 'SKU-2']);
      expect(addShownItems(r, [], shown, { catalog, member: false, reaction: { baseline: 0.5, effect: -1 } }).map((l) => l.sku)).not.toContain('SKU-2');
    }
  });

  it('thinks of `attention` of the items shown (four by default), chosen at random', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${21 + i}`, byRule: i % 2 === 0 }));
    const r = seededRandom(8);
    const seen = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const lines = addShownItems(r, [], many, { catalog, member: false, reaction: { baseline: 1, effect: 0 } });
      expect(lines).toHaveLength(4);
      expect(new Set(lines.map((l) => l.sku)).size).toBe(4);
      for (const l of lines) seen.add(l.sku);
      expect(addShownItems(r, [], many, { catalog, member: false, reaction: { baseline: 1, effect: 0, attention: 2 } })).toHaveLength(2);
    }
    expect(seen.size).toBe(12);
  });

  it('at effect 0 buys something shown as often whether 4 or 12 items were shown (an A/A check stays flat)', () => {
    const few = Array.from({ length: 4 }, (_, i) => ({ sku: `SKU-${21 + i}`, byRule: false }));
    const many = Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${21 + i}`, byRule: i < 8 }));
    const share = (shown: typeof few, seed: number, reaction: Reaction) => {
      const r = seededRandom(seed);
      let any = 0;
      for (let k = 0; k < N; k++) if (addShownItems(r, [], shown, { catalog, member: false, reaction }).length) any++;
      return any / N;
    };
    const p = 1 - (1 - 0.12) ** 4;
    const aa = { baseline: 0.12, effect: 0 };
    expect(Math.abs(share(few, 21, aa) - p)).toBeLessThan(sd4(p, N));
    expect(Math.abs(share(many, 22, aa) - p)).toBeLessThan(sd4(p, N));
    // With an effect, the shopper shown rule-brought items buys more: two thirds of what they think of is ×1.5 likelier.
    const q = 1 - (1 - 0.12 * (1 + 0.5 * 8 / 12)) ** 4;
    expect(share(many, 23, { baseline: 0.12, effect: 0.5 })).toBeGreaterThan(p + (q - p) / 2);
  });

  it('keeps the planned lines first, adds one unit at the price paid, never twice, nothing unsold or out of stock', () => {
    const planned = [{ sku: 'SKU-3', qty: 2, unitPrice: 2.95 }];
    const all = [{ sku: 'SKU-3', byRule: true }, { sku: 'SKU-0', byRule: true }, { sku: 'NOPE', byRule: false }, { sku: 'SKU-21', byRule: false }, { sku: 'SKU-21', byRule: true }];
    const lines = addShownItems(seededRandom(1), planned, all, { catalog, member: true, reaction: { baseline: 1, effect: 0, attention: 10 } });
    expect(lines).toEqual([planned[0], { sku: 'SKU-21', qty: 1, unitPrice: 2.65 }]);
    expect(basketTotal(lines)).toBe(8.55);
    expect(addShownItems(seededRandom(1), planned, [], { catalog, member: false, reaction: DEFAULT_REACTION })).toEqual(planned);
  });
});

describe('reactionProblems', () => {
  it('accepts the demo default, 0 and a harmful rule; names AISLE_SIM_EFFECT when it is unusable', () => {
    expect(reactionProblems(DEFAULT_REACTION)).toEqual([]);
    expect(reactionProblems({ baseline: 0.04, effect: 0 })).toEqual([]);
    expect(reactionProblems({ baseline: 0.04, effect: -0.5 })).toEqual([]);
    expect(reactionProblems({ baseline: 0.04, effect: -2 })[0]).toMatch(/^AISLE_SIM_EFFECT: must be a number of at least -1/);
    expect(reactionProblems({ baseline: 0.04, effect: Number.NaN })[0]).toMatch(/^AISLE_SIM_EFFECT/);
    expect(reactionProblems({ baseline: 0.25, effect: 4 })[0]).toMatch(/over 1; at most 3/);
    expect(reactionProblems({ baseline: 1.5, effect: 0 })[0]).toMatch(/^baseline/);
  });
});
