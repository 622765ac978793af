/**
 * @module i18n/placeholders
 * What a compiled message's AST says about it: the placeholders it needs and its plain text.
 */
import type { IntlMessageFormat } from 'intl-messageformat';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

/** Names of every placeholder in `ast`, nested ones (plural, select, tags) included; sorted, unique. */
export function placeholders(ast: readonly Element[]): string[] {
  const names = new Set<string>();
  const walk = (els: readonly Element[]) => {
    for (const el of els) {
      if ('value' in el && el.type !== 0 && typeof el.value === 'string') names.add(el.value);
      if ('options' in el) for (const o of Object.values(el.options)) walk(o.value);
      if ('children' in el) walk(el.children);
    }
  };
  walk(ast);
  return [...names].sort();
}

/**
 * The message's literal text with its placeholders dropped and the separators they leave tidied
 * (`Happy birthday, {name}!` → `Happy birthday!`): the last resort when a message cannot be formatted.
 */
export function literalText(ast: readonly Element[]): string {
  const text = ast.map((el) => (el.type === 0 ? el.value : ' ')).join('');
  return text.replace(/\s+/g, ' ').replace(/\s+([,.!?:;，。！？：；])/g, '$1')
    .replace(/[,:;，：；]\s*(?=[.!?。！？]|$)/g, '').replace(/^[\s,:;，：；]+/, '').trim();
}
