import fc from 'fast-check';
import { ROLES } from '#contracts';
import { fromPlain, hostileBytes, hostileJson, hostileString, idArb, mutate, mutationArb, toJsonText } from './arbitraries.js';

/** One client WebSocket message: its bytes and whether it goes out as a binary or a text frame. */
export type WsMessage = { data: Buffer; binary: boolean; note: string; [k: symbol]: unknown };

/** The tokens of test/helpers/fixtures.ts testTokens(storeId). */
export type TokenInfo = { token: string; role: string; storeId: string; subject?: string };

const SCREENS = ['scr-entrance-1', 'scr-kitchen-1', 'scr-candles-1'];
const FRAME_KEYS = ['type', 'role', 'token', 'storeId', 'screenId', 'associateId', 'gatewayId', 'resumeSeq', 'decisionId', 'skus', 'renderedAt',
  'alertId', 't'];

/** Client frames of the right shape (docs/contracts.md §WebSocket protocol), with wrong roles, stores, tokens and targets mixed in. */
export function clientFrameArb(storeId: string, tokens: readonly TokenInfo[]): fc.Arbitrary<Record<string, unknown>> {
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const screenId = fc.oneof(fc.constantFrom(...SCREENS), idArb);
  const token = fc.oneof({ arbitrary: fc.constantFrom(...tokens.map((x) => x.token)), weight: 4 }, { arbitrary: fc.constantFrom('x', 'tok-unknown-xxxxxxxxxxxx', 'A'.repeat(256)), weight: 1 });
  const hello = fc.record({
    type: fc.constant('hello'), role: fc.constantFrom(...ROLES), token, storeId: fc.oneof({ arbitrary: fc.constant(storeId), weight: 4 }, { arbitrary: fc.constantFrom('s-other', `${storeId}x`), weight: 1 }),
    screenId: opt(screenId), associateId: opt(fc.constantFrom('assoc-1', 'assoc-2')), gatewayId: opt(fc.constantFrom('labels-1', 'gw')),
    resumeSeq: opt(fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))),
  });
  const impression = fc.record({ type: fc.constant('impression'), screenId, decisionId: idArb, skus: fc.array(fc.constantFrom('SKU-00', 'SKU-14', 'x'), { maxLength: 25 }),
    renderedAt: fc.oneof(fc.constant(1_700_000_000_000), fc.nat()) });
  const claim = fc.record({ type: fc.constant('claim'), alertId: idArb });
  const release = fc.record({ type: fc.constant('release'), alertId: idArb });
  const ping = fc.record({ type: fc.constant('ping'), t: opt(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat())) });
  return fc.oneof(hello, impression, claim, release, ping).map((f) => JSON.parse(JSON.stringify(f)) as Record<string, unknown>);
}

/** The hello that binds a connection as `role`, with that role's fixture token. */
export function validHello(storeId: string, tokens: readonly TokenInfo[], role: 'screen' | 'console' | 'merchandiser' | 'associate', screenId = 'scr-kitchen-1') {
  const t = tokens.find((x) => x.role === role && (role !== 'screen' || x.subject === screenId))!;
  return { type: 'hello', role, token: t.token, storeId, ...(role === 'screen' ? { screenId } : {}) };
}

/** A message: a good frame, one with a field changed, hostile JSON, text, binary, invalid UTF-8 as text, or one around the 64 KiB limit. */
export function wsMessageArb(storeId: string, tokens: readonly TokenInfo[]): fc.Arbitrary<WsMessage> {
  const frame = clientFrameArb(storeId, tokens);
  const text = (s: string, note: string): WsMessage => ({ data: Buffer.from(s), binary: false, note });
  return fc.oneof(
    { arbitrary: frame.map((f) => text(JSON.stringify(f), `frame ${String(f.type)}`)), weight: 5 },
    { arbitrary: fc.tuple(frame, mutationArb(FRAME_KEYS)).map(([f, m]) => text(toJsonText(mutate(fromPlain(f), m)), `mutated ${String(f.type)} (${m.kind})`)), weight: 6 },
    { arbitrary: hostileJson.map((v) => text(toJsonText(v), 'json')), weight: 2 },
    { arbitrary: hostileString.map((s) => text(s, 'text')), weight: 1 },
    { arbitrary: fc.tuple(frame, fc.boolean()).map(([f, asText]) => ({ data: Buffer.from(JSON.stringify(f)), binary: !asText, note: asText ? 'frame' : 'binary frame' })), weight: 1 },
    { arbitrary: hostileBytes.map((b) => ({ data: Buffer.from(b), binary: false, note: 'bytes as text' })), weight: 1 },
    // A ping padded to an exact size around the 64 KiB frame limit.
    { arbitrary: fc.oneof(fc.constantFrom(65_535, 65_536, 65_537), fc.integer({ min: 60_000, max: 300_000 })).map((n) => {
      const head = '{"type":"ping","pad":"';
      return text(head + 'A'.repeat(Math.max(0, n - head.length - 2)) + '"}', `ping of ${n} bytes`);
    }), weight: 1 },
  ).map((m) => Object.assign(m, { [fc.toStringMethod]: () => `${m.binary ? 'binary' : 'text'}(${m.note}: ${JSON.stringify(m.data.toString('utf8').slice(0, 300))}${m.data.length > 300 ? `… ${m.data.length} bytes` : ''})` }));
}
