import type { Profile, Visit } from '#contracts';

/** A shopper standing in a zone: their visit, and their profile if the device is linked and it could be read. */
export type ZoneShopper = { visit: Visit; profile?: Profile };

/** docs/contracts.md §Security and privacy: personalization only with consent.personalization. */
export const canPersonalize = (p: Profile | undefined): p is Profile => p?.consent.personalization === true;

/** A first name on a public screen only with consent.displayName (and personalization). */
export const canShowName = (p: Profile | undefined): boolean =>
  canPersonalize(p) && p.consent.displayName === true && !!p.displayName?.trim();

/** Profiles whose owners consented to personalization; everyone else counts only as "someone". */
export const consenting = (shoppers: readonly ZoneShopper[]): Profile[] =>
  shoppers.map((s) => s.profile).filter(canPersonalize);

/** The MM-DD of an instant in a time zone. */
export function monthDay(now: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('month')}-${get('day')}`;
}
