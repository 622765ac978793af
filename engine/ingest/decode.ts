import {
  DEAD_LETTER_PAYLOAD_BYTES, InboundEvent, MAX_EVENT_BYTES, parseTopic,
  type DeadLetter, type DeadLetterReason,
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

export function decode(topic: string, payload: Uint8Array, isKnownStore: (storeId: string) => boolean, refs?: StoreRefs): Decoded {
  const t = parseTopic(topic);
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
  if (declared !== undefined && declared !== t.type) return fail('type_mismatch', `payload type "${String(declared)}" on a ${t.type} topic`);
  const r = InboundEvent.safeParse(json);
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

/** Builds the dead-letter record; the payload is cut to 4 KiB on a UTF-8 boundary. */
export function deadLetter(topic: string, payload: Uint8Array, code: DeadLetterReason, reason: string, receivedAt: number): DeadLetter {
  let text = Buffer.from(payload.buffer, payload.byteOffset, Math.min(payload.byteLength, DEAD_LETTER_PAYLOAD_BYTES)).toString('utf8');
  while (Buffer.byteLength(text) > DEAD_LETTER_PAYLOAD_BYTES || text.endsWith('\uFFFD')) text = text.slice(0, -1);
  return { topic: topic.slice(0, 512), reason, code, receivedAt, payload: text };
}
