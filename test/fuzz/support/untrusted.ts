import fc from 'fast-check';
import { expect } from 'vitest';
import { parseUntrusted } from '#contracts';
import { deepNesting, fromPlain, hostileJson, hugeString, lengthObject, mutate, mutationArb, Obj, protoObject, Raw, toJsonText, tryParse, type Json } from './arbitraries.js';
import { unnamed } from './issues.js';

/**
 * Documents for a schema read through parseUntrusted (decoders.test.ts): valid ones, the same with
 * fields changed, hostile values and deep nesting at fields the schema reads, hostile JSON, and
 * documents that must be refused (naming a given field).
 */

/** valid: must be accepted as sent; refused: must be refused (naming `field` when given); hostile: either, never a throw. */
export type Sent = { kind: 'valid' | 'hostile' | 'refused'; v: unknown; text: string; field?: string };
/** A document as JSON text, before JSON.parse: what `extra` arbitraries give. */
export type SentText = Omit<Sent, 'v'>;

const protoNames = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
/** Nothing was added to Object.prototype (a parse that assigns `__proto__` keys would). */
export function assertNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(protoNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Paths where `sent` (plain JSON) is not found as is in `got`: a key dropped (`__proto__`), a value changed. */
export function lostOnTheWay(sent: unknown, got: unknown, path = ''): string[] {
  if (typeof sent !== 'object' || sent === null) return Object.is(sent, got) || (sent === 0 && got === 0) ? [] : [`${path || '(root)'}: sent ${JSON.stringify(sent)}, got ${JSON.stringify(got)}`];
  if (typeof got !== 'object' || got === null || Array.isArray(sent) !== Array.isArray(got)) return [`${path || '(root)'}: sent ${JSON.stringify(sent).slice(0, 80)}, got ${JSON.stringify(got)?.slice(0, 80)}`];
  if (Array.isArray(sent) && sent.length !== (got as unknown[]).length) return [`${path}: ${sent.length} entries sent, ${(got as unknown[]).length} kept`];
  return Object.keys(sent).flatMap((k) => (Object.hasOwn(got, k) ? lostOnTheWay((sent as Record<string, unknown>)[k], (got as Record<string, unknown>)[k], `${path}.${k}`)
    : [`${path}.${k}: sent, missing from what was accepted`]));
}

/**
 * A valid document (weight 2), one with 1–3 fields changed (7), deep nesting or a hostile value at one of
 * `deepPaths` (3), or hostile JSON (1); then each of `extra` (weight 1 each); as parsed JSON. Only what
 * JSON.parse accepts reaches the schema (the edges answer invalid JSON first); NaN, 1e999 and the like drop out.
 */
export function untrusted(valid: fc.Arbitrary<unknown>, keys: readonly string[], deepPaths: readonly (string | number)[][],
  extra: readonly fc.Arbitrary<SentText>[] = []): fc.Arbitrary<Sent> {
  const hostileAt = fc.oneof(deepNesting.map((t) => new Raw(t) as Json), protoObject, lengthObject, hugeString, hostileJson,
    fc.constantFrom<Json>(null, true, 0, -1, 1e308, '', [], new Obj([])));
  const asText = fc.oneof(
    { arbitrary: valid.map((v): SentText => ({ kind: 'valid', text: JSON.stringify(v) })), weight: 2 },
    { arbitrary: fc.tuple(valid, fc.array(mutationArb(keys), { minLength: 1, maxLength: 3 }))
      .map(([v, ms]): SentText => ({ kind: 'hostile', text: toJsonText(ms.reduce(mutate, fromPlain(v))) })), weight: 7 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...deepPaths), hostileAt)
      .map(([v, path, x]): SentText => ({ kind: 'hostile', text: toJsonText(mutate(fromPlain(v), { kind: 'deep', path: [...path], value: x })) })), weight: 3 },
    { arbitrary: fc.oneof(hostileJson.map(toJsonText), deepNesting, protoObject.map(toJsonText), lengthObject.map(toJsonText))
      .map((text): SentText => ({ kind: 'hostile', text })), weight: 1 },
    ...extra.map((arbitrary) => ({ arbitrary, weight: 1 })),
  );
  return asText.map(({ text, ...rest }) => { try { return { ...rest, v: JSON.parse(text) as unknown, text }; } catch { return undefined; } })
    .filter((x): x is Sent => x !== undefined);
}

/**
 * One document through parseUntrusted: never throws; a valid one is accepted with nothing lost on the way and
 * validates again once written as JSON; a rejection has key paths and its first issue names a top-level field
 * of the schema (or there is none to name); `refused` must be refused, naming `field` when given. Same verdict
 * as zod's own safeParse wherever that does not throw.
 */
export function checkUntrusted(name: string, schema: { safeParse(v: unknown): unknown; parse(v: unknown): unknown }, fields: ReadonlySet<string>, sent: Sent): void {
  const { kind, v } = sent;
  let r: { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  try { r = parseUntrusted(schema as never, v) as typeof r; } catch (err) { throw new Error(`parseUntrusted(${name}) threw ${(err as Error).stack}`); }
  if (kind === 'valid') expect(r.success, `a valid ${name} is accepted: ${r.success ? '' : JSON.stringify(r.error.issues.slice(0, 2))}`).toBe(true);
  if (kind === 'refused') expect(r.success, `${name} ${sent.text.slice(0, 300)} must be refused`).toBe(false);
  const raw = tryParse<unknown>(schema as Parameters<typeof tryParse<unknown>>[0], v); // zod's own safeParse; `path` undefined when it threw
  if (r.success) {
    expect(raw.success).toBe(true);
    // Nothing that was sent is lost or changed on the way (defaults may be added).
    if (kind === 'valid') expect(lostOnTheWay(v, r.data), `${name} as accepted differs from what was sent`).toEqual([]);
    // What was accepted validates again once written as JSON (stored, answered) and reads back the same.
    const again = JSON.parse(JSON.stringify(r.data)) as unknown;
    expect(JSON.stringify(schema.parse(again))).toBe(JSON.stringify(r.data));
  } else {
    expect(raw.success).toBe(false);
    expect(r.error.issues.length).toBeGreaterThan(0);
    const why = r.error.issues.map((i) => unnamed(i as never, v, fields));
    // Every issue has a key path; the first one names the field (or there is no field to name).
    expect(why.filter((w) => w?.startsWith('path ') && w.includes('non-key')), 'issue paths are keys').toEqual([]);
    expect(why[0], `${name} issue ${JSON.stringify(r.error.issues[0]).slice(0, 300)}`).toBeUndefined();
    if (kind === 'refused' && sent.field !== undefined) {
      expect(r.error.issues.map((i) => i.path.map(String).join('.')), `${name} refused, naming ${sent.field}`)
        .toContainEqual(expect.stringMatching(new RegExp(`^${sent.field.replace(/\./g, '\\.')}(\\.|$)`)));
    }
  }
  assertNoPollution();
}
