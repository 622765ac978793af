/**
 * @module i18n/catalogs
 * Every catalog, and each message compiled once (the translator formats on the hot path).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { SupportedLocale } from './locale.js';
import { de } from './messages/de.js';
import { en, type MessageKey, type Messages } from './messages/en.js';
import { zhCN } from './messages/zh-CN.js';
import { literalText } from './placeholders.js';

/** The catalog of each supported locale. */
export const CATALOGS: Readonly<Record<SupportedLocale, Messages>> = { en, de, 'zh-CN': zhCN };

/** `null`: the message does not parse (a test fails first; at run time the caller falls back). */
const compiled = new Map<string, IntlMessageFormat | null>();

/** The compiled message, or `undefined` when the key is unknown or the message does not parse. */
export function compiledMessage(catalog: SupportedLocale, key: MessageKey): IntlMessageFormat | undefined {
  const messages = CATALOGS[catalog];
  // Only known keys are cached, so unchecked keys from JavaScript callers cannot grow the cache.
  if (!Object.hasOwn(messages, key)) return undefined;
  const id = `${catalog}\u0000${key}`;
  let m = compiled.get(id);
  if (m === undefined) {
    try {
      m = new IntlMessageFormat(messages[key], catalog);
    } catch {
      m = null;
    }
    compiled.set(id, m);
  }
  return m ?? undefined;
}

/** The message formatted, or `undefined` when it cannot be (unknown key, bad message, missing value). */
export function tryFormat(catalog: SupportedLocale, key: MessageKey, values: Record<string, string | number> | undefined): string | undefined {
  const m = compiledMessage(catalog, key);
  if (!m) return undefined;
  try {
    const out = m.format(values);
    return Array.isArray(out) ? out.join('') : String(out);
  } catch {
    return undefined;
  }
}

const plain = new Map<MessageKey, string>();

/** The English message's text without its placeholders; the key itself when even that is missing. */
export function plainEnglish(key: MessageKey): string {
  let text = plain.get(key);
  if (text === undefined) {
    const m = compiledMessage('en', key);
    if (!m) return String(key);
    text = literalText(m.getAst());
    plain.set(key, text);
  }
  return text;
}
