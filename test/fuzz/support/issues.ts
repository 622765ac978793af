/**
 * Does a validation issue name what is wrong? docs/rules-api.md §Errors: `issues[].path` names the
 * field. An issue at the root (path []) is acceptable only where there is no field to name: the body
 * is not an object, it has keys the schema does not know (the message names them), or it holds a value
 * zod cannot read at all (parseUntrusted reports that at the root: engine/contracts/parse.ts).
 */
export type Issue = { path: readonly unknown[]; message: string; code?: string; keys?: readonly string[] };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * True when some value in the tree cannot be turned into a primitive, or is the `length` of an object
 * and cannot be (`{"length": {"toString": 0}}`): what makes zod's safeParse throw. Iterative, so
 * 20,000-deep nesting is fine.
 */
export function hasUnreadable(root: unknown): boolean {
  const stack: unknown[] = [root];
  let seen = 0;
  while (stack.length && seen++ < 200_000) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    try { String(v); Number(v); } catch { return true; }
    if (Object.hasOwn(v, 'length')) {
      const len = (v as { length: unknown }).length;
      try { Number(len); String(len); } catch { return true; }
    }
    for (const x of Object.values(v)) if (typeof x === 'object' && x !== null) stack.push(x);
  }
  return false;
}

/** Why an issue does not name a field (undefined: it does). `fields`: the schema's top-level keys. */
export function unnamed(issue: Issue, input: unknown, fields: ReadonlySet<string>): string | undefined {
  if (!Array.isArray(issue.path)) return `path is not an array: ${JSON.stringify(issue).slice(0, 200)}`;
  if (issue.path.some((p) => typeof p !== 'string' && typeof p !== 'number')) return `path has a non-key: ${String(issue.path)}`;
  if (issue.path.length) {
    const head = String(issue.path[0]);
    return fields.has(head) ? undefined : `path ${JSON.stringify(issue.path)} starts with ${head}, not a field of the schema`;
  }
  if (!isPlainObject(input)) return undefined; // the root is wrong: nothing else to name
  if (/^unreadable value/.test(issue.message)) return hasUnreadable(input) ? undefined : `"${issue.message}" for a value every part of which is readable`;
  // Unknown keys: zod names them in the message (and in `keys` where the issue still has it).
  const unknown = Object.keys(input).filter((k) => !fields.has(k));
  if (unknown.length && (issue.code === undefined || issue.code === 'unrecognized_keys')
    && (issue.keys ?? unknown).some((k) => issue.message.includes(JSON.stringify(k)) || issue.message.includes(k))) return undefined;
  return `root issue "${issue.message.slice(0, 120)}" names no field (keys: ${Object.keys(input).slice(0, 8).join(', ')})`;
}
