/**
 * @module i18n/messages/de
 * German, addressing shoppers with "du": screens greet them by first name.
 */
import type { MessageKey } from './en.js';

export const de: Record<MessageKey, string> = {
  'greeting.welcome': 'Willkommen, {name}',
  'greeting.welcomeBack': 'Willkommen zurück, {name}',
  'greeting.birthday': 'Alles Gute zum Geburtstag, {name}!',

  'headline.forYou': 'Für dich ausgesucht',
  'headline.bestOfZone': 'Das Beste im Bereich {zone}',
  'headline.popularHere': 'Beliebt bei Kunden wie dir',
  'headline.popularInZone': 'Beliebt im Bereich {zone}',
  'headline.birthday': 'Eine Geburtstagsüberraschung für dich',
  'headline.winback': 'Schön, dich wiederzusehen',
  'headline.newArrivals': 'Neu für dich',
  'headline.goesWith': 'Passt perfekt zu {product}',
  'headline.dwellOffer': 'Schau mal genauer hin',
  'headline.lifeStage': 'Für deine Kleinen',

  'badge.forYou': 'Für dich',
  'badge.memberPrice': 'Mitgliederpreis',
  'badge.offer': 'Angebot',
  'badge.bestSeller': 'Bestseller',
  'badge.newIn': 'Neu',
  'badge.birthday': 'Zum Geburtstag',
  'badge.goesWith': 'Passt dazu',
  'badge.forStage': 'Für die Kleinen',

  'note.becauseYouLike': 'Weil du {category} magst',
  'note.popularHere': 'Hier besonders beliebt',
  'note.memberSaves': 'Mitglieder sparen {amount}',
  'note.yourMemberPrice': 'Dein Mitgliederpreis',
  'note.newIn': 'Neu im Sortiment: {category}',
  'note.goesWith': 'Passt gut zu {product}',
  'note.forStage': 'Ideal für {stage}',
  'note.birthday': 'Unser Geburtstagsgeschenk für dich',
  'label.memberPrice': 'Mitgliederpreis',
  'talk.birthdaySoon': 'Geburtstag in {days, plural, one {# Tag} other {# Tagen}}',
  'talk.birthdayToday': 'Hat heute Geburtstag',
  'talk.browsed': 'Hat sich {product} angesehen, noch nicht gekauft',
  'talk.tappedToday': 'Hat heute am Regal {product} angesehen',
  'talk.loves': 'Mag {category}',
  'talk.backAfter': 'Erster Besuch seit {days} Tagen',
  'talk.points': '{points, number} Punkte einlösbar',
  'talk.lastBought': 'Zuletzt gekauft: {product}',
  'why.browsed': 'Angesehen, nicht gekauft',
  'why.boughtBefore': 'Schon einmal gekauft',
  'why.likes': 'Mag {category}',
  'why.goesWith': 'Passt zu früheren Käufen',
  'why.popular': 'Beliebt bei ähnlichen Kunden',
};
