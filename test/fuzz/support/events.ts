import fc from 'fast-check';
import { EVENT_TYPES } from '#contracts';
import {
  damage, deepNesting, fromPlain, hostileBytes, hostileJson, hostileString, idArb, mutate, mutationArb, Obj, readable, textDamage, toJsonText, toWellFormed,
  type Json, type Mutation, type TextDamage,
} from './arbitraries.js';

/** The zones, labels, SKUs and customers of test/helpers/fixtures.ts (so valid events reach deep into the pipeline). */
export const ZONES = ['z-entrance', 'z-kitchen', 'z-candles'] as const;
const CUSTOMERS = ['c-mia', 'c-noah', 'c-ava'] as const;
const SKUS = ['SKU-00', 'SKU-03', 'SKU-14', 'SKU-25', 'SKU-37'] as const;

const pick = <T>(known: readonly T[], other: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: other, weight: 1 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Event ids: mostly fresh, sometimes from a tiny pool (redeliveries, duplicates). */
const eventId = fc.oneof({ arbitrary: idArb, weight: 4 }, { arbitrary: fc.constantFrom('dup-1', 'dup-2'), weight: 1 });
const ts = fc.oneof(fc.constant(1_700_000_000_000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(0));
const money = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });

/** A canonical event (docs/contracts.md §MQTT topics and events) of any type, for one of `stores`. */
export function validEvent(stores: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const base = { id: eventId, ts, storeId: fc.constantFrom(...stores) };
  const customer = pick(CUSTOMERS, idArb);
  return fc.oneof(
    fc.record({ type: fc.constant('presence'), ...base, deviceId: idArb, customerId: opt(customer), zoneId: fc.oneof(pick(ZONES, idArb), fc.constant(null)),
      rssi: opt(fc.double({ min: -150, max: 20, noNaN: true })), source: fc.constantFrom('wifi', 'ble', 'app') }),
    fc.record({ type: fc.constant('esl'), ...base, labelId: pick(['L-1', 'L-2'], idArb), action: fc.constantFrom('button', 'nfc', 'pickup'),
      customerId: opt(customer), deviceId: opt(idArb) }),
    fc.record({ type: fc.constant('pos'), ...base, transactionId: idArb, customerId: opt(customer), currency: fc.constantFrom('GBP', 'EUR', 'XXX'),
      total: money, lines: fc.array(fc.record({ sku: pick(SKUS, idArb), qty: fc.double({ min: 0.001, max: 1000, noNaN: true }), unitPrice: money }),
        { minLength: 1, maxLength: 4 }) }),
    fc.record({ type: fc.constant('identity'), ...base, deviceId: idArb, customerId: customer, method: fc.constantFrom('app-login', 'captive-portal', 'pos') }),
  ).map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>); // drop undefined optionals
}

const EVENT_KEYS = ['type', 'id', 'ts', 'storeId', 'deviceId', 'customerId', 'zoneId', 'rssi', 'source', 'labelId', 'action',
  'transactionId', 'currency', 'total', 'lines', 'method'];

/** What the payload is made of. */
type Body = { kind: 'valid' } | { kind: 'mutated'; m: Mutation } | { kind: 'json'; v: Json } | { kind: 'text'; s: string }
  | { kind: 'bytes'; b: Uint8Array } | { kind: 'sized'; n: number } | { kind: 'deep'; s: string };
const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'valid' as const }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('mutated' as const), m: mutationArb(EVENT_KEYS) }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constant('json' as const), v: hostileJson }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('text' as const), s: hostileString }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('bytes' as const), b: hostileBytes }), weight: 1 },
  // A valid event padded to an exact size around the 64 KiB limit (too_large is checked before parsing).
  { arbitrary: fc.record({ kind: fc.constant('sized' as const), n: fc.oneof(fc.constantFrom(65_535, 65_536, 65_537), fc.integer({ min: 1_000, max: 70_000 })) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deep' as const), s: deepNesting }), weight: 1 },
);

/** The last topic level: event types, our outbound kinds, near misses, anything. */
const levelArb = fc.oneof(
  { arbitrary: fc.constantFrom(...EVENT_TYPES), weight: 4 },
  { arbitrary: fc.constantFrom('decisions', 'alerts', 'frames', '', 'Presence', 'presence ', 'POS', 'weather', 'deadletter', 'identity\u200B'), weight: 2 },
  { arbitrary: hostileString.map((s) => s.slice(0, 100)), weight: 1 },
);
type TopicChoice = { kind: 'same' } | { kind: 'level'; level: string } | { kind: 'shape'; shape: number; level: string };
const topicArb: fc.Arbitrary<TopicChoice> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'same' as const }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('level' as const), level: levelArb }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('shape' as const), shape: fc.nat({ max: 8 }), level: levelArb }), weight: 1 },
);

/** Topic shapes around aisle/v1/stores/{storeId}/{type}; every one names the store `s`. */
function shapedTopic(shape: number, s: string, level: string): string {
  switch (shape) {
    case 0: return `aisle/v1/stores/${s}`;
    case 1: return `aisle/v1/stores/${s}/${level}/x`;
    case 2: return `aisle/v2/stores/${s}/${level}`;
    case 3: return `Aisle/v1/stores/${s}/${level}`;
    case 4: return `/aisle/v1/stores/${s}/${level}`;
    case 5: return `aisle/v1/stores/${s}//${level}`;
    case 6: return `aisle//v1/stores/${s}/${level}`;
    case 7: return `aisle/v1/store/${s}/${level}`;
    default: return `aisle/v1/stores/${s}/`;
  }
}

/**
 * MQTT publish topics may not hold wildcards and must be valid UTF-8 without NUL; Mosquitto also refuses
 * control characters (U+0001–U+001F, U+007F–U+009F) and noncharacters, and drops the publisher for a
 * "malformed packet". Such topics never reach the engine, so they are replaced here.
 */
export const mqttSafeTopic = (t: string): string => {
  const s = toWellFormed(t).replace(/[+#\u0000-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g, '_')
    .replace(/[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g, '_');
  return s.length ? s : '_';
};

export type InboundMessage = { topic: string; payload: Buffer; note: string };

/**
 * One inbound MQTT message: a canonical event of one of `stores` (mutated, padded, replaced by
 * hostile JSON, text, bytes or deep nesting; text-level damage on top), on its own topic or a near
 * miss; or, one time in ten, a frame of "another engine instance" on the engines-only
 * `…/frames` topic. Every topic names one of `stores`.
 */
export function inboundMessage(stores: readonly string[], o: { mqtt?: boolean } = {}): fc.Arbitrary<InboundMessage> {
  const event = fc.record({ ev: validEvent(stores), body: bodyArb, topic: topicArb, dmg: textDamage }).map(({ ev, body, topic, dmg }) => {
    const s = ev.storeId as string;
    const t = topic.kind === 'same' ? `aisle/v1/stores/${s}/${ev.type as string}`
      : topic.kind === 'level' ? `aisle/v1/stores/${s}/${topic.level}` : shapedTopic(topic.shape, s, topic.level);
    return { topic: o.mqtt ? mqttSafeTopic(t) : t, payload: readable(payloadOf(ev, body, dmg)), note: `${body.kind}/${topic.kind}/${dmg.kind}` };
  });
  const frame = fc.record({ store: fc.constantFrom(...stores), doc: fc.oneof({ arbitrary: remoteFrameArb(stores), weight: 3 }, { arbitrary: remoteLabelArb(stores), weight: 1 }), m: fc.option(mutationArb(FRAME_KEYS), { nil: undefined }), dmg: textDamage })
    .map(({ store, doc, m, dmg }) => ({ topic: `aisle/v1/stores/${store}/frames`, payload: damage(toJsonText(m ? mutate(fromPlain(doc), m) : fromPlain(doc)), dmg),
      note: `frame/${m ? m.kind : 'valid'}/${dmg.kind}` }));
  return fc.oneof({ arbitrary: event, weight: 9 }, { arbitrary: frame, weight: 1 });
}

const FRAME_KEYS = ['origin', 'storeId', 'frame', 'type', 'screenId', 'zoneId', 'decisionId', 'reason', 'template', 'greeting', 'headline',
  'ttlMs', 'items', 'currency', 'locale', 'createdAt', 'eventTs', 'sku', 'name', 'price', 'note', 'badge', 'seq',
  'label', 'labelId', 'memberPrice', 'promo', 'flash', 'mode', 'updatedAt'];

/** A RemoteLabel (engine/contracts/decision.ts): a shelf label's content from the instance that decides its store. */
export function remoteLabelArb(stores: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    origin: fc.constantFrom('engine-b-1a2b3c', 'x'),
    storeId: fc.constantFrom(...stores),
    label: fc.record({
      type: fc.constant('label.update'), labelId: pick(['L-kitchen-1', 'L-x-0', 'L-x-1'], idArb), sku: pick(SKUS, idArb),
      name: fc.string({ maxLength: 120 }), price: money, memberPrice: opt(money), promo: opt(fc.string({ maxLength: 40 })),
      mode: opt(fc.constantFrom('base', 'personal')), currency: opt(fc.constantFrom('GBP', 'EUR')),
    }),
  }).map((f) => JSON.parse(JSON.stringify(f)) as Record<string, unknown>);
}

/** A RemoteFrame (engine/contracts/decision.ts): a screen frame another instance made, for a screen of one of `stores`. */
export function remoteFrameArb(stores: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const item = fc.record({ sku: pick(SKUS, idArb), name: fc.string({ maxLength: 120 }), price: money, note: opt(fc.string({ maxLength: 60 })), badge: opt(fc.string({ maxLength: 24 })) });
  return fc.record({
    origin: fc.constantFrom('engine-b-1a2b3c', 'x', 'A'.repeat(128)),
    storeId: fc.constantFrom(...stores),
    frame: fc.record({
      type: fc.constant('screen.content'), screenId: pick(['scr-entrance-1', 'scr-kitchen-1', 'scr-candles-1'], idArb), storeId: opt(fc.constantFrom(...stores)),
      zoneId: opt(pick(ZONES, idArb)), decisionId: idArb, reason: fc.constantFrom('shopper', 'audience', 'idle'), template: fc.constantFrom('hero', 'grid'),
      headline: opt(fc.string({ maxLength: 80 })), ttlMs: fc.integer({ min: 1, max: 120_000 }), items: fc.array(item, { maxLength: 4 }),
      currency: opt(fc.constantFrom('GBP', 'EUR')), createdAt: opt(fc.nat()),
    }),
  }).map((f) => JSON.parse(JSON.stringify(f)) as Record<string, unknown>);
}

function payloadOf(ev: Record<string, unknown>, body: Body, dmg: TextDamage): Buffer {
  switch (body.kind) {
    case 'valid': return damage(JSON.stringify(ev), dmg);
    case 'mutated': return damage(toJsonText(mutate(fromPlain(ev), body.m)), dmg);
    case 'json': return damage(toJsonText(body.v), dmg);
    case 'text': return damage(body.s, dmg);
    case 'bytes': return Buffer.from(body.b);
    case 'sized': {
      const head = toJsonText(new Obj([...(fromPlain(ev) as Obj).entries, ['pad', '']]));
      const fill = Math.max(0, body.n - Buffer.byteLength(head));
      return Buffer.from(head.slice(0, -2) + 'A'.repeat(fill) + '"}');
    }
    case 'deep': return Buffer.from(body.s);
  }
}
