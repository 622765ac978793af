import type { Consent } from '../../engine/contracts/profile.js';
import { chance, intBetween, pick, shuffled, type Random } from '../../engine/simulator/random.js';

/** Invented first names for the demo shoppers (the data has no names). */
export const FIRST_NAMES = [
  'Mia', 'Oliver', 'Amelia', 'George', 'Isla', 'Noah', 'Ava', 'Arthur', 'Ivy', 'Leo', 'Freya', 'Oscar', 'Lily', 'Harry',
  'Sophia', 'Muhammad', 'Grace', 'Jack', 'Evie', 'Theo', 'Rosie', 'Charlie', 'Aisha', 'Finley', 'Maya', 'Alfie',
  'Priya', 'Jacob', 'Zara', 'Samuel', 'Chloe', 'Reuben', 'Hannah', 'Arjun', 'Esme', 'Tomasz', 'Niamh', 'Kwame',
  'Sienna', 'Hugo', 'Ruby', 'Rohan', 'Poppy', 'Felix', 'Imogen', 'Yusuf', 'Matilda', 'Elliot', 'Nadia', 'Callum',
  'Eleanor', 'Kofi', 'Harriet', 'Dev', 'Beatrice', 'Luca', 'Margot', 'Ibrahim', 'Clara', 'Seren', 'Rhys', 'Mei',
  'Fionn', 'Layla', 'Joseph', 'Anya', 'Sebastian', 'Orla', 'Emeka', 'Daisy', 'Aarav', 'Agnieszka', 'Hamish',
  'Lucía', 'Pierre', 'Ingrid', 'Kenji', 'Fatima', 'Bronwen', 'Marcus',
] as const;

/** Associate notes that are not in the data, handed out to some shoppers. */
export const PERSONA_TAGS = [
  'prefers gift wrap', 'collects vintage tins', 'buys for a café', 'runs a market stall', 'likes new arrivals',
  "hosts children's parties", 'decorates for weddings', 'avoids scented candles', 'prefers paper bags',
  'asks about bulk discounts', 'shops for the grandchildren', 'interior designer',
] as const;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A random valid MM-DD (never 02-29, so it exists every year). */
export function randomBirthday(random: Random): string {
  const m = intBetween(random, 1, 12);
  return `${pad2(m)}-${pad2(intBetween(random, 1, MONTH_DAYS[m - 1]!))}`;
}

/**
 * The demo's consent mix: ~10% consent to nothing, ~70% to personalization (three in four of them also to
 * their name on screens), ~60% to associate alerts; the other ~20% agree to something short of personalization.
 */
export function randomConsent(random: Random): Consent {
  if (chance(random, 0.1)) return { personalization: false, displayName: false, associateAlerts: false };
  if (chance(random, 0.7 / 0.9)) return { personalization: true, displayName: chance(random, 0.75), associateAlerts: chance(random, 0.6) };
  const displayName = chance(random, 0.2);
  return { personalization: false, displayName, associateAlerts: !displayName || chance(random, 0.6) };
}

/** Key of a consent combination, e.g. "P-A" (personalization and alerts, no display name). */
export const consentKey = (c: Consent): string =>
  `${c.personalization ? 'P' : '-'}${c.displayName ? 'D' : '-'}${c.associateAlerts ? 'A' : '-'}`;

/** Every one of the eight consent combinations. */
export const ALL_CONSENTS: readonly Consent[] = [0, 1, 2, 3, 4, 5, 6, 7].map((b) =>
  ({ personalization: (b & 4) !== 0, displayName: (b & 2) !== 0, associateAlerts: (b & 1) !== 0 }));

/**
 * Random consents for `count` shoppers in which each of the eight combinations appears at least once
 * (when count ≥ 8): a missing combination overwrites a random shopper whose combination is common.
 */
export function assignConsents(count: number, random: Random): Consent[] {
  const out = Array.from({ length: count }, () => randomConsent(random));
  const tally = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (const c of out) m.set(consentKey(c), (m.get(consentKey(c)) ?? 0) + 1);
    return m;
  };
  for (const want of ALL_CONSENTS) {
    const t = tally();
    if (t.has(consentKey(want)) || count < ALL_CONSENTS.length) continue;
    const donor = shuffled(random, out.map((_, i) => i)).find((i) => (t.get(consentKey(out[i]!)) ?? 0) > 1);
    if (donor !== undefined) out[donor] = { ...want };
  }
  return out;
}

/** Tags for a shopper: what the data says (trade-sized baskets, a Christmas habit) plus an occasional note. */
export function tagsFor(random: Random, facts: { avgBasket: number; affinities: Readonly<Record<string, number>> }): string[] {
  const tags: string[] = [];
  if (facts.avgBasket >= 600) tags.push('trade buyer');
  if ((facts.affinities['christmas'] ?? 0) >= 0.3) tags.push('christmas shopper');
  if (chance(random, 0.3)) {
    const n = intBetween(random, 1, 2);
    for (const t of shuffled(random, PERSONA_TAGS).slice(0, n)) tags.push(t);
  }
  return tags;
}

/** A first name for the shopper. */
export const randomFirstName = (random: Random): string => pick(random, FIRST_NAMES);
