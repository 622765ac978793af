import { describe, expect, it } from 'vitest';
import { Consent } from '../../engine/contracts/profile.js';
import { seededRandom } from '../../engine/simulator/random.js';
import { ALL_CONSENTS, assignConsents, consentKey, FIRST_NAMES, randomBirthday, randomConsent, tagsFor } from './persona.js';

describe('persona', () => {
  it('has about eighty distinct names', () => {
    expect(new Set(FIRST_NAMES).size).toBe(FIRST_NAMES.length);
    expect(FIRST_NAMES.length).toBeGreaterThanOrEqual(75);
  });
  it('makes valid birthdays', () => {
    const r = seededRandom(1);
    for (let i = 0; i < 500; i++) {
      const b = randomBirthday(r);
      expect(b).toMatch(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
      expect(b).not.toBe('02-29');
    }
  });
  it('gives the documented consent mix', () => {
    const r = seededRandom(2);
    const cs = Array.from({ length: 20_000 }, () => randomConsent(r));
    const share = (f: (c: Consent) => boolean) => cs.filter(f).length / cs.length;
    expect(share((c) => c.personalization)).toBeCloseTo(0.7, 1);
    expect(share((c) => !c.personalization && !c.displayName && !c.associateAlerts)).toBeCloseTo(0.1, 1);
    expect(share((c) => c.personalization && c.displayName) / share((c) => c.personalization)).toBeCloseTo(0.75, 1);
    expect(share((c) => c.associateAlerts)).toBeCloseTo(0.6, 1);
  });
  it('covers all eight combinations', () => {
    const cs = assignConsents(40, seededRandom(3));
    expect(cs).toHaveLength(40);
    expect(new Set(cs.map(consentKey))).toEqual(new Set(ALL_CONSENTS.map(consentKey)));
    for (const c of cs) expect(() => Consent.parse(c)).not.toThrow();
  });
  it('derives tags from facts', () => {
    const r = seededRandom(4);
    const tags = tagsFor(r, { avgBasket: 900, affinities: { christmas: 0.5 } });
    expect(tags.slice(0, 2)).toEqual(['trade buyer', 'christmas shopper']);
    expect(tagsFor(() => 0.99, { avgBasket: 10, affinities: {} })).toEqual([]);
  });
});
