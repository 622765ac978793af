/**
 * @module screen/labels
 * The few words the player itself prints inside content (the server's words come in the frame, from the
 * engine's catalogs: docs/i18n.md). Keyed by language, so `de-AT` reads German; anything else reads English.
 */

export interface PlayerLabels {
  memberPrice: string;
  regularPrice: string;
  alsoForYou: string;
  alsoLike: string;
}

const en: PlayerLabels = {
  memberPrice: 'Member price', regularPrice: 'Regular price', alsoForYou: 'Also picked for you', alsoLike: 'You may also like',
};

const LABELS: Record<string, PlayerLabels> = {
  en,
  de: { memberPrice: 'Mitgliederpreis', regularPrice: 'Regulärer Preis', alsoForYou: 'Auch für dich ausgesucht',
    alsoLike: 'Das könnte dir auch gefallen' },
  zh: { memberPrice: '会员价', regularPrice: '原价', alsoForYou: '还为您精选了', alsoLike: '您可能还喜欢' },
};

/** The player's labels for a (valid or missing) BCP 47 tag. */
export function playerLabels(locale: string | undefined): PlayerLabels {
  const language = (locale ?? '').split('-')[0]!.toLowerCase();
  return LABELS[language] ?? en;
}
