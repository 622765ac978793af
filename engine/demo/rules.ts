import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseUntrusted, RuleInput } from '#contracts';

/** The demo store's merchandiser rules (engine/demo/README.md §Demo rules). */
export const DEMO_RULES_PATH = new URL('./rules.json', import.meta.url);

/**
 * The demo rules, validated with `RuleInput` (defaults filled in), in file order. Throws with the rule and
 * field named when the file is not a valid list of rules: a broken demo file must stop start-up, not be skipped.
 * Each rule has a fixed `r-demo-…` id, so seeding twice finds them already there.
 */
export function demoRules(text: string = readFileSync(DEMO_RULES_PATH, 'utf8')): RuleInput[] {
  let json: unknown;
  try { json = JSON.parse(text); } catch (err) { throw new Error(`demo rules: not JSON (${(err as Error).message})`); }
  const r = parseUntrusted(z.array(RuleInput), json);
  if (!r.success) {
    const is = r.error.issues[0]!;
    const [i, ...path] = is.path;
    const id = typeof i === 'number' ? (json as { ruleId?: unknown }[])[i]?.ruleId : undefined;
    throw new Error(`demo rules: ${typeof i === 'number' ? `rule ${i}${typeof id === 'string' ? ` (${id})` : ''}` : 'the list'}${path.length ? ` ${path.join('.')}` : ''}: ${is.message}`);
  }
  return r.data;
}
