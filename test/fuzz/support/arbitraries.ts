import fc from 'fast-check';

/**
 * Hostile JSON, built as a tree that can say things JSON.stringify cannot: verbatim tokens (NaN,
 * 1e999, 0x10), duplicate keys and `__proto__` keys kept as written.
 */
export class Raw {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string { return `raw(${this.text})`; }
}
/** An object as an ordered list of entries: duplicate and prototype keys survive serialisation. */
export class Obj {
  constructor(readonly entries: [string, Json][]) {}
  [fc.toStringMethod](): string { return `json(${toJsonText(this).slice(0, 600)})`; }
}
export type Json = null | boolean | number | string | Raw | Obj | Json[];

/** Serialises a Json tree to text (strings via JSON.stringify, so lone surrogates are escaped). */
export function toJsonText(v: Json): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Obj) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(v);
}

/** A plain object (as produced by the event generators) to a Json tree. */
export function fromPlain(v: unknown): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v instanceof Raw || v instanceof Obj) return v;
  if (typeof v === 'object') return new Obj(Object.entries(v as object).filter(([, x]) => x !== undefined).map(([k, x]) => [k, fromPlain(x)]));
  return null;
}

/** Keys that have meaning to JavaScript objects. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then', 'length'] as const;

const ID_CHARS = [...'abcdefABCDEF0123456789xyzXYZ._:-'];
/** Strings that match the identifier pattern ^[A-Za-z0-9._:-]{1,64}$ (may look like a MAC: the schema decides). */
export const idArb = fc.oneof(
  fc.constantFrom('x', 'ev-1', 'A'.repeat(64), 'a.b:c-d.e', '0', '...', ':'),
  fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 }),
);

const SPECIAL_STRINGS = [
  '', ' ', 'a', '\u0000', '\t\n\r', '\uFEFF', '\u2028\u2029', '\uD800', '\uDFFF', '\uD83D', 'x\uDC00y', '🛒', 'é', 'e\u0301',
  '\u202Eevil', 'A'.repeat(64), 'A'.repeat(65), ...PROTOTYPE_KEYS, '../../etc/passwd', '..\\..\\win.ini', '%00', '%', '%zz',
  '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '{{7*7}}', 'NaN', 'Infinity', '-0', '1e999', 'null', 'true', '[]', '{}',
  '00:11:22:33:44:55', 'AA-BB-CC-DD-EE-FF', 'aabbccddeeff', 'aabb.ccdd.eeff', 'presence', 'pos', 'esl', 'identity', 'decisions',
  '*', '+', '#', '/', 'aisle/v1', '\r\n\r\n', 'GBP', 'gbp', 'EURO', '12-31', '13-01', '02-30', 'Europe/London', 'Mars/Olympus',
  'hero', 'grid', 'screen', 'merchandiser', 'wifi', 'z-entrance', 'z-kitchen', 'SKU-00', 'SKU-14', 'scr-kitchen-1', 'c-mia', 'L-1',
];

/** Short strings with the usual suspects: control and format characters, lone surrogates, prototype names, injections. */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: idArb, weight: 2 },
);
/** Long runs of one character (escapes, multi-byte, NUL, lone surrogates) past every length limit. */
export const hugeString: fc.Arbitrary<string> = fc.record({
  unit: fc.constantFrom('A', 'é', '🛒', '\\', '"', '\u0000', '\uD800'), n: fc.integer({ min: 65, max: 20_000 }),
}).map(({ unit, n }) => unit.repeat(n));
/** The short ones, and now and then a huge one. */
export const hostileString: fc.Arbitrary<string> = fc.oneof({ arbitrary: shortHostileString, weight: 9 }, { arbitrary: hugeString, weight: 1 });

/** Numbers at the edges, and tokens JSON does not have (NaN, Infinity, hex, leading zeros), written verbatim. */
export const edgeNumber: fc.Arbitrary<number | Raw> = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, -150, -150.0001, 20, 20.0001, 2 ** 31, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7, 1_700_000_000_000, 500, 501, 24, 25),
  fc.double(),
  fc.integer(),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '-0', '1e-400', '9007199254740993', '0x10', '01', '.5', '1.', '+1',
    '1_000', '1e', '-', '123456789012345678901234567890').map((t) => new Raw(t)),
);

const KEY_POOL = [...PROTOTYPE_KEYS, 'type', 'id', 'ts', 'storeId', 'deviceId', 'customerId', 'zoneId', 'rssi', 'source', 'labelId',
  'action', 'transactionId', 'currency', 'total', 'lines', 'sku', 'qty', 'unitPrice', 'method', 'role', 'token', 'screenId', '', ' ', 'x'];
/** Object keys: field names of our messages, prototype names, anything. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...KEY_POOL), weight: 3 },
  { arbitrary: shortHostileString, weight: 1 },
);

const leaf: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: shortHostileString, weight: 3 },
  { arbitrary: edgeNumber, weight: 3 },
  { arbitrary: fc.constantFrom<Json>(true, false, null), weight: 1 },
);

/** Any JSON-ish value: nested arrays and objects (hostile keys, duplicates), hostile leaves. */
export const hostileJson: fc.Arbitrary<Json> = fc.letrec<{ node: Json; arr: Json[]; obj: Obj }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 4 }),
  obj: fc.array(fc.tuple(keyArb, tie('node')), { maxLength: 5 }).map((e) => new Obj(e)),
})).node;

/** An object made of prototype names only ({"toString": 1}, {"__proto__": {...}}): String() and spreads choke on these. */
export const protoObject: fc.Arbitrary<Json> = fc.array(fc.tuple(fc.oneof({ arbitrary: fc.constantFrom('toString', 'valueOf'), weight: 2 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 1 }), leaf), { minLength: 1, maxLength: 3 }).map((e) => new Obj(e));

/**
 * An object with a `length` (what string and array checks read): {"length": {"toString": 0}}, {"length": 1e999},
 * {"length": -1}. A value like this where a string or an array belongs is the classic duck-typing trap.
 */
export const lengthObject: fc.Arbitrary<Json> = fc.tuple(fc.oneof(protoObject, edgeNumber, hostileJson), fc.array(fc.tuple(keyArb, leaf), { maxLength: 2 }))
  .map(([length, rest]) => new Obj([['length', length], ...rest]));

/** Nesting far deeper than any message has (parsers with recursion limits). */
export const deepNesting: fc.Arbitrary<string> = fc.record({ n: fc.integer({ min: 1, max: 20_000 }), kind: fc.constantFrom('arr', 'obj', 'mixed') })
  .map(({ n, kind }) => kind === 'arr' ? '['.repeat(n) + ']'.repeat(n)
    : kind === 'obj' ? '{"a":'.repeat(n) + '1' + '}'.repeat(n)
    : '{"type":'.repeat(n) + '[]' + '}'.repeat(n));

/** Bytes, including invalid UTF-8 (lone continuation bytes, overlongs, surrogates encoded, truncated sequences). */
export const hostileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.constantFrom(
    [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xef, 0xbb, 0xbf, 0x7b, 0x7d], [0],
  ).map((b) => Uint8Array.from(b)),
);

/** Text-level damage to an otherwise good document: cut, BOM, trailing garbage, a byte flipped, wrapped. */
export type TextDamage = { kind: 'none' } | { kind: 'cut'; at: number } | { kind: 'bom' } | { kind: 'trail'; s: string }
  | { kind: 'flip'; at: number; ch: string } | { kind: 'wrap' } | { kind: 'bytes'; at: number; bytes: Uint8Array };
export const textDamage: fc.Arbitrary<TextDamage> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'bom' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('trail' as const), s: fc.constantFrom(' ', '\n', 'x', '}', ',', '\u0000', '// c') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.constantFrom('"', '{', '}', '\\', ',', ':', '\u0000', 'é') }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'wrap' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: hostileBytes }), weight: 1 },
);

/** Applies a TextDamage; returns bytes (the 'bytes' damage can make invalid UTF-8). */
export function damage(text: string, d: TextDamage): Buffer {
  return readable(damageRaw(text, d));
}

function damageRaw(text: string, d: TextDamage): Buffer {
  switch (d.kind) {
    case 'none': return Buffer.from(text);
    case 'cut': return Buffer.from(text.slice(0, d.at % (text.length + 1)));
    case 'bom': return Buffer.from('\uFEFF' + text);
    case 'trail': return Buffer.from(text + d.s);
    case 'flip': { const i = d.at % Math.max(1, text.length); return Buffer.from(text.slice(0, i) + d.ch + text.slice(i + 1)); }
    case 'wrap': return Buffer.from(`[${text}]`);
    case 'bytes': { const b = Buffer.from(text); const i = d.at % (b.length + 1); return Buffer.concat([b.subarray(0, i), d.bytes, b.subarray(i)]); }
  }
}

/** One field of a good document changed: set to a hostile value, deleted, duplicated, or a new (prototype) key added. */
export type Mutation = { kind: 'set'; key: string; value: Json } | { kind: 'delete'; key: string } | { kind: 'dup'; key: string; value: Json }
  | { kind: 'add'; key: string; value: Json } | { kind: 'deep'; path: (string | number)[]; value: Json };
export const mutationArb = (keys: readonly string[]): fc.Arbitrary<Mutation> => {
  const field = keys.length ? fc.oneof({ arbitrary: fc.constantFrom(...keys), weight: 4 }, { arbitrary: keyArb, weight: 1 }) : keyArb;
  const value = fc.oneof({ arbitrary: leaf, weight: 6 }, { arbitrary: hostileJson, weight: 2 }, { arbitrary: protoObject, weight: 2 },
    { arbitrary: lengthObject, weight: 2 },
    { arbitrary: hugeString, weight: 1 });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('set' as const), key: field, value }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), key: field }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('dup' as const), key: field, value }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...PROTOTYPE_KEYS), value }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('deep' as const), path: fc.array(fc.oneof(field, fc.nat({ max: 3 })), { minLength: 2, maxLength: 4 }), value }), weight: 2 },
  );
};

/** Applies a mutation to a Json tree (objects are Obj); a deep path that does not exist is created where it can be. */
export function mutate(doc: Json, m: Mutation): Json {
  if (m.kind === 'deep') return setPath(doc, m.path, m.value);
  if (!(doc instanceof Obj)) return doc;
  const e = [...doc.entries];
  const i = e.findIndex(([k]) => k === m.key);
  switch (m.kind) {
    case 'set': if (i >= 0) e[i] = [m.key, m.value]; else e.push([m.key, m.value]); break;
    case 'delete': if (i >= 0) e.splice(i, 1); break;
    case 'dup': case 'add': e.push([m.key, m.value]); break;
  }
  return new Obj(e);
}

function setPath(doc: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(doc)) {
    const i = typeof head === 'number' ? head : 0;
    const a = [...doc];
    a[Math.min(i, a.length)] = setPath(a[i] ?? null, rest, value);
    return a;
  }
  if (doc instanceof Obj) {
    const key = String(head);
    const e = [...doc.entries];
    const i = e.findIndex(([k]) => k === key);
    if (i >= 0) e[i] = [key, setPath(e[i]![1], rest, value)]; else e.push([key, setPath(null, rest, value)]);
    return new Obj(e);
  }
  return doc;
}

/** Deterministic filler of an exact byte length (cheap to generate, shrinks by length). */
export const sizedText = (n: number, unit = 'A'): string => unit.repeat(Math.ceil(n / Buffer.byteLength(unit))).slice(0, n);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** String.prototype.isWellFormed (ES2024; the project's lib is ES2023): no lone surrogates, so it is valid UTF-8 once encoded. */
export const isWellFormed = (s: string): boolean => !new RegExp(LONE_SURROGATE.source).test(s);
/** String.prototype.toWellFormed: lone surrogates become U+FFFD. */
export const toWellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');

/** Makes fast-check print a payload as (cut) text instead of a byte array, so counterexamples stay readable. */
export function readable<T extends Uint8Array>(b: T): T {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  const shown = text.length > 600 ? `${JSON.stringify(text.slice(0, 600))}… (${b.byteLength} bytes)` : JSON.stringify(text);
  return Object.assign(b, { [fc.toStringMethod]: () => `bytes(${shown}${isWellFormed(text) && !text.includes('\uFFFD') ? '' : ', not all valid UTF-8'})` });
}

/**
 * schema.safeParse for an oracle: zod 4.6.7's length checks read `.length` of any value that has one and compare
 * it, so {"length": {"toString": 0}} makes safeParse throw. The oracle counts that as "invalid" (it is).
 */
export function tryParse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[] }[] } } }, v: unknown):
  { success: true; data: T } | { success: false; path?: string } {
  try {
    const r = schema.safeParse(v);
    return r.success ? { success: true, data: r.data } : { success: false, path: r.error.issues[0]?.path.map(String).join('.') };
  } catch {
    return { success: false };
  }
}
