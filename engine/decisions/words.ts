import type { LocalText, Profile, StoreConfig } from '#contracts';
import { createTranslator, fit, matchLocale, type MessageKey, type Translator } from '../i18n/index.js';
import type { RuledItem } from '../rules/apply.js';
import type { ScreenMode, TriggerHit } from '../rules/match.js';
import { canShowName } from './consent.js';

/**
 * Shopper-facing words of a frame (docs/decisions.md §Words on a public screen): every string comes
 * from the message catalog of the store's locale or from a rule's own text, bounded to what the
 * frame's schema allows. What a bystander must not read (scores, rule ids, purchase history) never
 * gets here: those stay in the items' internal reasons.
 */
export const translatorFor = (store: Pick<StoreConfig, 'locale' | 'categoryLabels'>): Translator =>
  createTranslator(store.locale, { categoryLabels: store.categoryLabels });

/** A rule's own text in the store's language: the locale's entry, else English, else the first one. */
export function localText(text: LocalText, locale: string): string {
  if (typeof text === 'string') return text;
  const keys = Object.keys(text);
  const key = matchLocale(locale, keys) ?? matchLocale('en', keys) ?? keys[0]!;
  return text[key]!;
}

const HEADLINE_OF: Record<TriggerHit['type'], MessageKey> = {
  birthday: 'headline.birthday', winback: 'headline.winback', newArrivals: 'headline.newArrivals',
  eslTap: 'headline.goesWith', dwell: 'headline.dwellOffer', lifeStage: 'headline.lifeStage',
};
const BADGE_OF: Record<TriggerHit['type'], MessageKey> = {
  birthday: 'badge.birthday', winback: 'badge.offer', newArrivals: 'badge.newIn',
  eslTap: 'badge.goesWith', dwell: 'badge.offer', lifeStage: 'badge.forStage',
};

export type WordsInput = {
  t: Translator; mode: ScreenMode; zoneName: string; profile?: Profile;
  /** Consenting shoppers an audience is built from. */
  audience: readonly Profile[];
  /** Is it the shopper's birthday today (store time)? */
  birthdayToday: boolean;
};

/** The greeting: only in a personal turn, only with consent to show the first name. */
export function greeting(w: WordsInput): string | undefined {
  const p = w.profile;
  if (w.mode !== 'shopper' || !p || !canShowName(p)) return undefined;
  const name = p.displayName!.trim();
  const key: MessageKey = w.birthdayToday ? 'greeting.birthday' : p.lifecycle === 'new' || p.lifecycle === 'prospect' ? 'greeting.welcome' : 'greeting.welcomeBack';
  return fit(w.t.t(key, { name }), 80);
}

/** The headline: the first rule (by priority) that sets one, else its trigger's, else the mode's. */
export function headline(w: WordsInput, rules: readonly { headline?: LocalText; hit?: TriggerHit }[]): string {
  for (const r of rules) {
    if (r.headline) return fit(localText(r.headline, w.t.locale), 80);
    if (r.hit) return fit(w.t.t(HEADLINE_OF[r.hit.type], { product: r.hit.tapped?.name ?? '' }), 80);
  }
  if (w.mode === 'shopper') return w.t.t('headline.forYou');
  if (w.mode === 'audience') return fit(w.audience.length ? w.t.t('headline.popularHere') : w.t.t('headline.popularInZone', { zone: w.zoneName }), 80);
  return fit(w.t.t('headline.bestOfZone', { zone: w.zoneName }), 80);
}

/** A badge: what the rule that brought the item says, else what anyone may read about it. */
export function badge(w: WordsInput, r: RuledItem): string | undefined {
  const top = r.rules[0];
  if (top?.rule.actions.badge) return fit(localText(top.rule.actions.badge, w.t.locale), 24);
  if (top?.hit) return fit(w.t.t(BADGE_OF[top.hit.type]), 24);
  const i = r.item;
  if (w.mode === 'shopper') return fit(w.t.t(i.memberPrice !== undefined ? 'badge.memberPrice' : 'badge.forYou'), 24);
  if (i.promo) return fit(w.t.t('badge.offer'), 24);
  if (i.memberPrice !== undefined) return fit(w.t.t('badge.memberPrice'), 24);
  if (r.why.some((x) => x.includes('best seller'))) return fit(w.t.t('badge.bestSeller'), 24);
  return undefined;
}

/** A short line a shopper understands: a stated interest or a saving, never a score or a purchase history. */
export function note(w: WordsInput, r: RuledItem, currency: string): string | undefined {
  const hit = r.rules[0]?.hit;
  const i = r.item;
  const cat = () => w.t.category(i.category);
  if (hit?.type === 'newArrivals') return fit(w.t.t('note.newIn', { category: cat() }), 60);
  if (hit?.type === 'eslTap' && hit.tapped && hit.tapped.sku !== i.sku) return fit(w.t.t('note.goesWith', { product: hit.tapped.name }), 60);
  if (hit?.type === 'lifeStage' && hit.stage) return fit(w.t.t('note.forStage', { stage: w.t.category(hit.stage) }), 60);
  if (hit?.type === 'birthday') return fit(w.t.t('note.birthday'), 60);
  if (w.mode === 'shopper') {
    if ((w.profile?.affinities[i.category] ?? 0) >= 0.3) return fit(w.t.t('note.becauseYouLike', { category: cat() }), 60);
    if (i.memberPrice !== undefined && i.memberPrice < i.price) return fit(w.t.t('note.memberSaves', { amount: w.t.price(i.price - i.memberPrice, currency) }), 60);
    return undefined;
  }
  if (w.mode === 'audience' && w.audience.filter((p) => (p.affinities[i.category] ?? 0) >= 0.3).length >= 2) return fit(w.t.t('note.popularHere'), 60);
  return undefined;
}

