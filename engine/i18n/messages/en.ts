/**
 * @module i18n/messages/en
 * English: the reference catalog. Its keys are the key set every other locale must have, with the
 * same placeholders (engine/i18n/i18n.test.ts enforces both).
 */
export const en = {
  'greeting.welcome': 'Welcome, {name}',
  'greeting.welcomeBack': 'Welcome back, {name}',
  'greeting.birthday': 'Happy birthday, {name}!',

  'headline.forYou': 'Picked for you',
  'headline.bestOfZone': 'The best of {zone}',
  'headline.popularHere': 'Popular with shoppers like you',
  'headline.popularInZone': 'Popular in {zone}',
  'headline.birthday': 'A birthday treat for you',
  'headline.winback': 'Good to see you again',
  'headline.newArrivals': 'New in for you',
  'headline.goesWith': 'Goes well with {product}',
  'headline.dwellOffer': 'Take a closer look',
  'headline.lifeStage': 'For your little one',

  // Badges: at most 24 characters (ContentItem.badge).
  'badge.forYou': 'For you',
  'badge.memberPrice': 'Member price',
  'badge.offer': 'Offer',
  'badge.bestSeller': 'Best seller',
  'badge.newIn': 'New in',
  'badge.birthday': 'Birthday treat',
  'badge.goesWith': 'Pairs well',
  'badge.forStage': 'For little ones',

  // Notes: at most 60 characters with typical values (ContentItem.note).
  'note.becauseYouLike': 'Because you like {category}',
  'note.popularHere': 'Popular with shoppers here',
  'note.memberSaves': 'Members save {amount}',
  'note.yourMemberPrice': 'Your member price',
  'note.newIn': 'New in {category}',
  'note.goesWith': 'Goes well with {product}',
  'note.forStage': 'Made for the {stage} stage',
  'note.birthday': 'Our birthday gift to you',

  // Shelf labels (docs/labels.md §Rendering): the caption beside a member price.
  'label.memberPrice': 'Member price',
  // Associates' alerts (docs/associates.md): talking points and why an item is suggested.
  'talk.birthdayToday': 'Birthday today',
  'talk.birthdaySoon': 'Birthday in {days, plural, one {# day} other {# days}}',
  'talk.browsed': 'Looked at {product}, has not bought it yet',
  'talk.tappedToday': 'Checked {product} at the shelf today',
  'talk.loves': 'Loves {category}',
  'talk.backAfter': 'First visit in {days} days',
  'talk.points': '{points, number} points to spend',
  'talk.lastBought': 'Last bought {product}',
  'why.browsed': 'Browsed, not bought',
  'why.boughtBefore': 'Bought it before',
  'why.likes': 'Likes {category}',
  'why.goesWith': 'Goes with past purchases',
  'why.popular': 'Popular with similar shoppers',
} as const;

/** A message key; every catalog has exactly these. */
export type MessageKey = keyof typeof en;
/** A catalog: one ICU MessageFormat string per key. */
export type Messages = Record<MessageKey, string>;
