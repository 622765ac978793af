import fc from 'fast-check';
import { testStore, testTokens } from '../../helpers/fixtures.js';
import {
  damage, deepNesting, fromPlain, hostileJson, hostileString, idArb, mutate, mutationArb, readable, textDamage, toJsonText, type Json, type Mutation,
} from './arbitraries.js';

/** A whole document as a file would hold it: a good one mutated, hostile JSON, text or deep nesting, then text damage. */
export type DocSource = { kind: 'good' } | { kind: 'mutated'; m: Mutation[] } | { kind: 'json'; v: Json } | { kind: 'text'; s: string } | { kind: 'deep'; s: string };

/** Document bytes from a good base: mostly the base with one to three fields changed (hostile values, deletions, prototype keys). */
export function documentBytes(base: fc.Arbitrary<unknown>, keys: readonly string[]): fc.Arbitrary<Buffer> {
  const source: fc.Arbitrary<DocSource> = fc.oneof(
    { arbitrary: fc.constant({ kind: 'good' as const }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('mutated' as const), m: fc.array(mutationArb(keys), { minLength: 1, maxLength: 3 }) }), weight: 8 },
    { arbitrary: fc.record({ kind: fc.constant('json' as const), v: hostileJson }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('text' as const), s: hostileString }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('deep' as const), s: deepNesting }), weight: 1 },
  );
  return fc.record({ doc: base, source, dmg: textDamage }).map(({ doc, source, dmg }) => {
    switch (source.kind) {
      case 'good': return damage(JSON.stringify(doc), dmg);
      case 'mutated': return damage(toJsonText(source.m.reduce(mutate, fromPlain(doc))), dmg);
      case 'json': return damage(toJsonText(source.v), dmg);
      case 'text': return damage(source.s, dmg);
      case 'deep': return readable(Buffer.from(source.s));
    }
  });
}

/** A good document with one to three fields changed, as clean JSON text (no text damage): what a careless client sends. */
export function mutatedDocument(base: unknown, keys: readonly string[]): fc.Arbitrary<Buffer> {
  return fc.array(mutationArb(keys), { minLength: 1, maxLength: 3 }).map((ms) => readable(Buffer.from(toJsonText(ms.reduce(mutate, fromPlain(base))))));
}

// ---------- profiles (NDJSON import) ----------

export const PROFILE_KEYS = ['customerId', 'displayName', 'tier', 'points', 'lifecycle', 'rfm', 'lastPurchaseAt', 'firstPurchaseAt', 'vip',
  'birthday', 'lifeStage', 'affinities', 'recentSkus', 'browsedSkus', 'skuCounts', 'tags', 'consent', 'updatedAt', 'personalization',
  'displayName', 'recencyDays', 'frequency', 'monetary', 'r', 'f', 'm', '__proto__', 'kitchen'];

/** A valid profile (docs/contracts.md §Profile), with optional fields present or not. */
export const profileArb: fc.Arbitrary<Record<string, unknown>> = fc.record({
  customerId: idArb,
  displayName: fc.string({ maxLength: 40 }),
  tier: fc.constantFrom('member', 'silver', 'gold', 'platinum'),
  points: fc.nat(),
  lifecycle: fc.constantFrom('prospect', 'new', 'active', 'dormant', 'churned'),
  rfm: fc.record({ recencyDays: fc.nat(), frequency: fc.nat(), monetary: fc.nat(), r: fc.integer({ min: 1, max: 5 }), f: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 5 }) }),
  vip: fc.boolean(),
  birthday: fc.constantFrom('01-01', '12-31', '02-29'),
  affinities: fc.dictionary(fc.constantFrom('kitchen', 'candles', 'garden', 'bags', 'toString', '__proto__', 'constructor'), fc.double({ min: 0, max: 1, noNaN: true }), { maxKeys: 4 }),
  recentSkus: fc.array(idArb, { maxLength: 5 }),
  skuCounts: fc.dictionary(idArb, fc.nat(), { maxKeys: 3 }),
  tags: fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 }),
  consent: fc.record({ personalization: fc.boolean(), displayName: fc.boolean(), associateAlerts: fc.boolean() }),
  updatedAt: fc.nat(),
}, { requiredKeys: ['customerId'] });

/** One NDJSON line: a profile (good or damaged), blank, a comment, whitespace around, hostile JSON, or raw text. */
export const ndjsonLine: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: documentBytes(profileArb, PROFILE_KEYS).map((b) => b.toString('utf8').replace(/\n/g, ' ')), weight: 8 },
  { arbitrary: fc.constantFrom('', '   ', '\t', '// a comment', '//{"customerId":"c-x"}', ' // indented comment', '\r', '\u2028', '\uFEFF{"customerId":"c-bom"}'), weight: 2 },
  { arbitrary: profileArb.map((p) => `  ${JSON.stringify(p)}\t`), weight: 1 },
  { arbitrary: hostileJson.map((v) => toJsonText(v).replace(/\n/g, ' ')), weight: 1 },
);

// ---------- store configuration ----------

export const STORE_KEYS = ['storeId', 'name', 'currency', 'timezone', 'zones', 'screens', 'labels', 'catalog', 'zoneId', 'screenId', 'slots',
  'template', 'labelId', 'sku', 'categories', 'category', 'brand', 'price', 'memberPrice', 'image', 'inStock', 'promo'];

/** The fixture store (3 zones, 3 screens, 2 labels, 32 items) under a generated id. */
export const storeArb = fc.constantFrom('s-fz', 's.fz:2', 'A'.repeat(64)).map((id) => JSON.parse(JSON.stringify(testStore(id))) as Record<string, unknown>);

// ---------- tokens file ----------

export const TOKEN_KEYS = ['tokens', 'token', 'role', 'storeId', 'subject'];
/** The fixture tokens (every role, store-bound, some bound to a subject), sometimes with a `*` store. */
export const tokensArb = fc.record({ store: fc.constantFrom('s-fz', '*'), n: fc.integer({ min: 0, max: 6 }) })
  .map(({ store, n }) => ({ tokens: testTokens('s-fz').slice(0, n).map((t) => ({ ...t, storeId: t.storeId === 's-fz' ? store : t.storeId })) }));
