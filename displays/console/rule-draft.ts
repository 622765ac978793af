/**
 * @module console/rule-draft
 * The rule editor's state and its validation, pure. The draft is a `RuleInput`-shaped object edited by
 * path (`target.hours.from`); `toRuleInput` drops what is empty and checks the rest with the engine's own
 * schema (`RuleInput`, engine/contracts/rule.ts), so the editor shows exactly what the API would refuse,
 * under the same paths as the API's `issues` — which is how a 4xx lands on the right field too.
 */
import type { z } from 'zod';
import { RuleInput, type LocalText, type Rule } from '../shared/contracts.js';
import type { Issue } from './api.js';

export type Draft = Record<string, unknown>;
export type Path = ReadonlyArray<string | number>;

/** One language of a headline or badge; a single row with no locale is one text for every language. */
export interface LocalRow { locale: string; text: string }

export const pathKey = (p: Path): string => p.join('.');

export function getIn(o: unknown, path: Path): unknown {
  let v: unknown = o;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/** A copy of `o` with `value` at `path` (objects and arrays along the path are copied, never mutated). */
export function setIn<T>(o: T, path: Path, value: unknown): T {
  if (!path.length) return value as T;
  const [k, ...rest] = path as [string | number, ...Array<string | number>];
  const base = o !== null && typeof o === 'object' ? o : typeof k === 'number' ? [] : {};
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
  copy[k] = setIn(copy[k], rest, value);
  return copy as T;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === '' || (Array.isArray(v) && !v.length)
  || (v !== null && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length);

/** Drops empty strings, lists and objects (an unset field), keeping `name` (so "required" shows) and `actions`. */
export function clean(v: unknown, path: Path = []): unknown {
  if (Array.isArray(v)) return v.map((x, i) => clean(x, [...path, i]));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const c = clean(x, [...path, k]);
    const keep = (path.length === 0 && (k === 'name' || k === 'actions')) || !isEmpty(c);
    if (keep) out[k] = c ?? (k === 'actions' ? {} : c);
  }
  return out;
}

export function rowsToText(rows: readonly LocalRow[]): LocalText | undefined {
  const used = rows.filter((r) => r.text.trim() || r.locale.trim());
  if (!used.length) return undefined;
  if (used.length === 1 && !used[0]!.locale.trim()) return used[0]!.text;
  return Object.fromEntries(used.map((r) => [r.locale.trim(), r.text]));
}

export function textToRows(t: LocalText | undefined): LocalRow[] {
  if (t === undefined) return [{ locale: '', text: '' }];
  if (typeof t === 'string') return [{ locale: '', text: t }];
  return Object.entries(t).map(([locale, text]) => ({ locale, text }));
}

export interface EditorState {
  draft: Draft;
  headline: LocalRow[];
  badge: LocalRow[];
}

/** A new rule for this store: enabled, priority 100, only here. */
export function newEditorState(storeId: string): EditorState {
  return { draft: { name: '', enabled: true, priority: 100, target: { stores: [storeId] }, actions: {} },
    headline: textToRows(undefined), badge: textToRows(undefined) };
}

/** The editor's state for a stored rule (its version fields are not part of what is written back). */
export function editorStateOf(rule: Rule): EditorState {
  const { version: _v, updatedAt: _u, updatedBy: _b, ...input } = rule;
  const { headline, badge, ...actions } = input.actions;
  return { draft: { ...input, actions }, headline: textToRows(headline), badge: textToRows(badge) };
}

export type Validated = { ok: true; input: RuleInput; issues: [] } | { ok: false; input: unknown; issues: Issue[] };

/** What the editor would send, and the schema's verdict on it. */
export function toRuleInput(s: EditorState): Validated {
  const actions = { ...(s.draft['actions'] as object | undefined), headline: rowsToText(s.headline), badge: rowsToText(s.badge) };
  const input = clean({ ...s.draft, actions });
  const r = RuleInput.safeParse(input, { reportInput: true });
  if (r.success) return { ok: true, input: input as RuleInput, issues: [] };
  return { ok: false, input, issues: r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: friendly(i) })) };
}

/** Plain words for the schema's messages a merchandiser meets. */
export function friendly(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type' && typeof i.input === 'number' && Number.isNaN(i.input)) return 'Enter a number';
  if (i.code === 'invalid_type' && (i.input === undefined || i.input === '')) return 'Required';
  if (i.code === 'invalid_type' && i.expected === 'int') return 'Enter a whole number';
  if (i.code === 'too_small' && i.origin === 'string' && Number(i.minimum) === 1) return 'Required';
  if (i.code === 'too_small' && i.origin === 'number') return `At least ${String(i.minimum)}`;
  if (i.code === 'too_big' && i.origin === 'number') return `At most ${String(i.maximum)}`;
  if (i.code === 'too_big' && i.origin === 'string') return `At most ${String(i.maximum)} characters`;
  if (i.code === 'too_big' && i.origin === 'array') return `At most ${String(i.maximum)}`;
  if (i.code === 'invalid_union') return 'Enter one text, or one text per language (en, de-DE, zh-CN…), each at most 80 characters';
  return i.message;
}

/** Issues grouped by field: a field shows its own issues and those below it (e.g. `actions.boost.0` → `actions.boost.0.factor`). */
export function issuesUnder(issues: readonly Issue[], key: string): string[] {
  return issues.filter((i) => { const k = pathKey(i.path); return k === key || k.startsWith(`${key}.`); }).map((i) => i.message);
}
