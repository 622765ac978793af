/**
 * @module i18n
 * Message catalogs for every word the server builds for a public screen (docs/i18n.md).
 */
export { SUPPORTED_LOCALES, resolveLocale, matchLocale, type SupportedLocale } from './locale.js';
export { createTranslator, type Translator, type TranslatorOptions, type CategoryLabels } from './translator.js';
export { fit } from './fit.js';
export { CATALOGS } from './catalogs.js';
export type { MessageKey, Messages } from './messages/en.js';
