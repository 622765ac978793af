/**
 * @module associate/view
 * Small pure pieces shared by the list and the card: the customer's title, the locale of an alert's words,
 * the state line. Privacy: the customer's name appears only when the alert carries `displayName`, which the
 * engine sends only with the shopper's `consent.displayName`; the customer id is never shown.
 */
import type { AlertVip } from '../shared/contracts.js';
import { pickLocale } from '../shared/format.js';
import { AlertStatus, alertStatus, type AlertEntry } from './alert-book.js';
import { wordsFor, type AssociateWords } from './words.js';

/** The locale an alert's words are in: its own, else the app's fallback (last alert's, `?lang=`, the browser's). */
export function alertLocale(vip: AlertVip | undefined, fallback: string | undefined): string | undefined {
  return pickLocale(vip?.locale, fallback);
}

/** The name with consent, else "VIP member" (the tier badge sits beside it). */
export function customerTitle(vip: AlertVip, w: AssociateWords): string {
  const name = vip.customer.displayName?.trim();
  return name ? name : w.vipMember;
}

export function stateLabel(e: AlertEntry, me: string, w: AssociateWords): string {
  switch (alertStatus(e, me)) {
    case AlertStatus.NEW: return w.stateNew;
    case AlertStatus.MINE: return w.stateMine;
    case AlertStatus.OTHER: return w.stateOther(e.holder.associateId!);
    case AlertStatus.RELEASED: return w.stateReleased;
  }
}

export function wordsOf(e: AlertEntry, fallback: string | undefined): { w: AssociateWords; locale: string | undefined } {
  const locale = alertLocale(e.vip, fallback);
  return { w: wordsFor(locale), locale };
}
