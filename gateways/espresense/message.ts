import { z } from 'zod';
import { parseUntrusted } from '#contracts';

/** Device messages are a few hundred bytes; anything past this is not ESPresense. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/** Why a message was refused: a bounded set, so it can label a metric (docs/contracts.md §Security and privacy). */
export type RejectCode = 'bad_topic' | 'too_large' | 'invalid_json' | 'invalid_shape' | 'id_mismatch' | 'bad_status';
/** Why a well-formed message changes nothing. */
export type IgnoreCode = 'not_consumed' | 'retained' | 'empty';

/** What one MQTT message from the ESPresense broker is. `rawId` is personal: it must go no further than the resolver. */
export type Classified =
  | { kind: 'reading'; rawId: string; room: string; distance: number; rssi?: number }
  | { kind: 'status'; room: string; online: boolean }
  | { kind: 'ignored'; code: IgnoreCode }
  | { kind: 'rejected'; code: RejectCode; detail: string };

/** A device id or room as one topic level: printable ASCII, no wildcards (a broker never delivers those, a test might). */
const DEVICE_LEVEL = /^[\x21-\x22\x24-\x2a\x2c-\x2e\x30-\x7e]{1,128}$/;
const ROOM_LEVEL = /^[\x21-\x22\x24-\x2a\x2c-\x2e\x30-\x7e]{1,64}$/;
const NUMBER_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
/** ArduinoJson writes a non-finite float as a bare `nan`/`inf`, which is not JSON: read as null (then refused or ignored). */
const NON_FINITE = /([:,[]\s*)[-+]?(?:nan|inf(?:inity)?)(?=\s*[,}\]])/gi;

/** Numbers as ESPresense versions and bridges write them: JSON numbers, or the same as strings. */
const lenient = <T extends z.ZodType>(inner: T) => z.preprocess((v) => (typeof v === 'string' && NUMBER_TEXT.test(v) ? Number(v) : v === null ? undefined : v), inner);
const Metres = lenient(z.number().nonnegative().max(1e6).optional());

/**
 * The fields of `espresense/devices/{id}/{room}` this gateway uses (docs/gateways/espresense.md §Messages).
 * Everything else (`name`, `mac`, `idType`, `rssi@1m`, `speed`, `interval`/`int`, `var`, `channel`…) is
 * dropped unread; `rssi` is optional and ignored when unreadable.
 */
export const DevicePayload = z.object({
  id: z.string().max(256).optional(),
  distance: Metres,
  /** The unfiltered distance: used when a version sends no `distance`. */
  raw: Metres.catch(undefined),
  rssi: lenient(z.number().min(-150).max(20).optional()).catch(undefined),
});
export type DevicePayload = z.infer<typeof DevicePayload>;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try { return { ok: true, value: JSON.parse(text) }; } catch { /* maybe the nan quirk */ }
  const fixed = text.replace(NON_FINITE, '$1null');
  if (fixed === text) return { ok: false };
  try { return { ok: true, value: JSON.parse(fixed) }; } catch { return { ok: false }; }
}

const reject = (code: RejectCode, detail: string): Classified => ({ kind: 'rejected', code, detail });

function classifyDevice(rawId: string, room: string, payload: Buffer, retained: boolean): Classified {
  if (!DEVICE_LEVEL.test(rawId) || !ROOM_LEVEL.test(room)) return reject('bad_topic', 'device id or room is not one printable topic level');
  // Device reports are never retained by the firmware; a retained one is an old reading replayed on subscribe.
  if (retained) return { kind: 'ignored', code: 'retained' };
  if (payload.length > MAX_PAYLOAD_BYTES) return reject('too_large', `payload over ${MAX_PAYLOAD_BYTES} bytes`);
  if (payload.length === 0) return { kind: 'ignored', code: 'empty' };
  const json = parseJson(payload.toString('utf8'));
  if (!json.ok) return reject('invalid_json', 'payload is not JSON');
  const r = parseUntrusted(DevicePayload, json.value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'payload';
    return reject('invalid_shape', `${field}: ${field === 'payload' ? 'not an object' : 'unreadable'}`);
  }
  const p = r.data;
  if (p.id !== undefined && p.id !== rawId) return reject('id_mismatch', 'payload id differs from the topic');
  const distance = p.distance ?? p.raw;
  if (distance === undefined) return reject('invalid_shape', 'distance: missing');
  return { kind: 'reading', rawId, room, distance, ...(p.rssi !== undefined ? { rssi: p.rssi } : {}) };
}

function classifyStatus(room: string, payload: Buffer): Classified {
  if (!ROOM_LEVEL.test(room)) return reject('bad_topic', 'room is not one printable topic level');
  if (payload.length === 0) return { kind: 'ignored', code: 'empty' }; // a retained status being cleared
  const text = payload.length <= 16 ? payload.toString('utf8').trim().toLowerCase() : '';
  if (text === 'online' || text === 'offline') return { kind: 'status', room, online: text === 'online' };
  return reject('bad_status', 'status is neither online nor offline');
}

/**
 * Sorts one message of the ESPresense broker (docs/gateways/espresense.md §Messages): a device reading
 * (`{prefix}/devices/{id}/{room}`), a node's status (`{prefix}/rooms/{room}/status`, its LWT), or something
 * this gateway does not consume (telemetry, settings, sub-reports, the Companion's topics). Pure.
 */
export function classify(prefix: string, topic: string, payload: Buffer | string, retained = false): Classified {
  if (!topic.startsWith(`${prefix}/`)) return { kind: 'ignored', code: 'not_consumed' };
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const levels = topic.slice(prefix.length + 1).split('/');
  if (levels[0] === 'devices' && levels.length === 3) return classifyDevice(levels[1]!, levels[2]!, body, retained);
  if (levels[0] === 'rooms' && levels.length === 3 && levels[2] === 'status') return classifyStatus(levels[1]!, body);
  return { kind: 'ignored', code: 'not_consumed' };
}
