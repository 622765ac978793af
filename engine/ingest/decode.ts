import {
  DEAD_LETTER_PAYLOAD_BYTES, InboundEvent, MAX_EVENT_BYTES, parseTopic,
  type DeadLetter, type DeadLetterReason, type ParsedTopic, parseUntrusted,
} from '#contracts';

export type Decoded =
  | { ok: true; event: InboundEvent }
  | { ok: false; code: DeadLetterReason; reason: string }
  /** Our own outbound topics (decisions, alerts) share the subscription: not events, not errors. */
  | { ok: 'outbound'; storeId: string; kind: 'decisions' | 'alerts' | 'frames' };

const fail = (code: DeadLetterReason, detail: string): Decoded => ({ ok: false, code, reason: `${code}: ${detail}` });

/**
 * Turns one MQTT message into a canonical event or a reason to dead-letter it (docs/contracts.md §Dead letters).
 * Pure: never throws, whatever the bytes.
 */
/** What a store has: events naming a zone or a label it does not have are refused (bounded state, clear reasons). */
export type StoreRefs = { hasZone(storeId: string, zoneId: string): boolean; hasLabel(storeId: string, labelId: string): boolean };

export function decode(topic: string, payload: Uint8Array, isKnownStore: (storeId: string) => boolean, refs?: StoreRefs,
  parsed: ParsedTopic = parseTopic(topic)): Decoded {
  const t = parsed;
  if (t.kind === 'outbound') return { ok: 'outbound', storeId: t.storeId, kind: t.type };
  if (t.kind === 'unknown') {
    return t.type ? fail('unknown_type', `topic type "${t.type}" is not one of presence, esl, pos, identity`)
      : fail('bad_topic', 'expected aisle/v1/stores/{storeId}/{type}');
  }
  if (payload.byteLength > MAX_EVENT_BYTES) return fail('too_large', `${payload.byteLength} bytes > ${MAX_EVENT_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (err) {
    return fail('invalid_json', (err as Error).message.slice(0, 200));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('invalid_shape', 'payload must be a JSON object');
  const declared = (json as { type?: unknown }).type;
  if (declared !== undefined && declared !== t.type) {
    // Never String() a value from outside (an object whose toString is not a function throws); say what it is, shortly.
    const said = typeof declared === 'string' ? `"${declared.slice(0, 32)}"` : `a ${declared === null ? 'null' : Array.isArray(declared) ? 'array' : typeof declared}`;
    return fail('type_mismatch', `payload type ${said} on a ${t.type} topic`);
  }
  const r = parseUntrusted(InboundEvent, json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return fail('invalid_shape', `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (r.data.storeId !== t.storeId) return fail('store_mismatch', `payload storeId "${r.data.storeId}" on topic store "${t.storeId}"`);
  if (!isKnownStore(t.storeId)) return fail('unknown_store', `store "${t.storeId}" is not configured`);
  const ev = r.data;
  if (refs) {
    if (ev.type === 'presence' && ev.zoneId !== null && !refs.hasZone(ev.storeId, ev.zoneId)) return fail('unknown_zone', `zoneId: "${ev.zoneId}" is not a zone of store "${ev.storeId}"`);
    if (ev.type === 'esl' && !refs.hasLabel(ev.storeId, ev.labelId)) return fail('unknown_label', `labelId: "${ev.labelId}" is not a label of store "${ev.storeId}"`);
  }
  return { ok: true, event: ev };
}

/** Builds the dead-letter record; the payload is cut to 4 KiB on a UTF-8 character boundary. */
export function deadLetter(topic: string, payload: Uint8Array, code: DeadLetterReason, reason: string, receivedAt: number): DeadLetter {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  let text = bytes.length <= DEAD_LETTER_PAYLOAD_BYTES ? bytes.toString('utf8') : cutUtf8(bytes, DEAD_LETTER_PAYLOAD_BYTES);
  // Invalid bytes decode to U+FFFD (3 bytes each) and may push the text past the cut: drop whole code points until it fits.
  while (Buffer.byteLength(text) > DEAD_LETTER_PAYLOAD_BYTES) text = dropLastCodePoint(text);
  return { topic: topic.slice(0, 512), reason: reason.slice(0, 512), code, receivedAt, payload: text };
}

/** The longest prefix of `bytes` of at most `max` bytes that ends on a character boundary, decoded. */
function cutUtf8(bytes: Buffer, max: number): string {
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // never start a cut inside a multi-byte sequence
  return bytes.subarray(0, end).toString('utf8');
}

const dropLastCodePoint = (s: string): string => {
  const last = s.charCodeAt(s.length - 1);
  return s.slice(0, last >= 0xdc00 && last <= 0xdfff && s.length > 1 ? -2 : -1);
};
