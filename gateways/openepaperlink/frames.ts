/**
 * What the OpenEPaperLink access point says on its WebSocket (`/ws`), read defensively: a text message is one JSON
 * object; `{ "tags": [ … ] }` carries tag records (one per tag that changed: it checked in, got new content, …), other
 * keys are the AP's own news (`sys`, `logMsg`, `errMsg`, `console`, `apitem`, `upload`). Pure.
 */
import { z } from 'zod';
import { parseUntrusted } from '#contracts';
import { normalizeTagMac } from './config.js';

/** The tag firmware's wake-up reasons, as the AP reports them in `wakeupReason`. */
export const WAKE = {
  timed: 0, boot: 1, gpio: 2, nfc: 3, button1: 4, button2: 5,
  failedOta: 0xe0, firstBoot: 0xfc, networkScan: 0xfd, watchdogReset: 0xfe,
} as const;

/** The wake-up reasons that are a shopper's tap, and the `esl` action each becomes. Everything else is no tap. */
export function tapAction(wakeupReason: number): 'button' | 'nfc' | undefined {
  if (wakeupReason === WAKE.button1 || wakeupReason === WAKE.button2) return 'button';
  if (wakeupReason === WAKE.nfc) return 'nfc';
  return undefined;
}

/** The most a tag frame may hold; the AP pages its answers at about 5 KB, so real frames are far below. */
export const MAX_AP_MESSAGE_BYTES = 64 * 1024;
export const MAX_TAGS_PER_MESSAGE = 200;

const uint = (max: number) => z.number().int().min(0).max(max);
/** A field the bridge reads only when it is sound: a wrong type is dropped, not the record. */
const lenient = <T extends z.ZodType>(t: T) => t.optional().catch(undefined);

/** One tag record (`fillNode` on the AP); the fields the bridge uses, the rest passes through unread. */
const TagRecordSchema = z.object({
  mac: z.string().max(40),
  wakeupReason: uint(255),
  /** AP clock, seconds since the epoch: when the tag last checked in (the check-in that reported `wakeupReason`). */
  lastseen: lenient(uint(2 ** 32)),
  nextupdate: lenient(uint(2 ** 32)),
  nextcheckin: lenient(uint(2 ** 32)),
  pending: lenient(uint(2 ** 16)),
  hwType: lenient(uint(255)),
  capabilities: lenient(uint(2 ** 16)),
});

export type TagRecord = { mac: string; wakeupReason: number; lastseen?: number; hwType?: number };

export type ParsedRecord = { ok: true; record: TagRecord } | { ok: false; reason: 'invalid_tag'; detail: string };

export type ApMessage =
  | { kind: 'tags'; records: ParsedRecord[] }
  /** The AP's clock, from its periodic `sys` message (`currtime`, seconds). */
  | { kind: 'sys'; apTime?: number }
  | { kind: 'error'; message: string }
  | { kind: 'other' }
  | { kind: 'invalid'; reason: 'invalid_json' | 'invalid_frame' | 'too_large'; detail: string };

function parseRecord(raw: unknown): ParsedRecord {
  const r = parseUntrusted(TagRecordSchema, raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, reason: 'invalid_tag', detail: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}` };
  }
  const mac = normalizeTagMac(r.data.mac);
  if (!mac) return { ok: false, reason: 'invalid_tag', detail: 'mac: not a tag MAC' };
  const record: TagRecord = { mac, wakeupReason: r.data.wakeupReason };
  if (r.data.lastseen !== undefined) record.lastseen = r.data.lastseen;
  if (r.data.hwType !== undefined) record.hwType = r.data.hwType;
  return { ok: true, record };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One WebSocket text message of the AP, classified. Never throws. */
export function parseApMessage(text: string): ApMessage {
  if (typeof text !== 'string') return { kind: 'invalid', reason: 'invalid_frame', detail: 'not a text message' };
  if (Buffer.byteLength(text) > MAX_AP_MESSAGE_BYTES) return { kind: 'invalid', reason: 'too_large', detail: `over ${MAX_AP_MESSAGE_BYTES} bytes` };
  let json: unknown;
  try { json = JSON.parse(text); } catch { return { kind: 'invalid', reason: 'invalid_json', detail: 'not JSON' }; }
  if (!isObject(json)) return { kind: 'invalid', reason: 'invalid_frame', detail: 'not a JSON object' };
  if (Object.hasOwn(json, 'tags')) {
    const tags = json.tags;
    if (!Array.isArray(tags)) return { kind: 'invalid', reason: 'invalid_frame', detail: 'tags: not an array' };
    if (tags.length > MAX_TAGS_PER_MESSAGE) return { kind: 'invalid', reason: 'too_large', detail: `tags: over ${MAX_TAGS_PER_MESSAGE} records` };
    return { kind: 'tags', records: tags.map(parseRecord) };
  }
  if (isObject(json.sys)) {
    const t = json.sys.currtime;
    return typeof t === 'number' && Number.isInteger(t) && t > 0 ? { kind: 'sys', apTime: t } : { kind: 'sys' };
  }
  if (typeof json.errMsg === 'string') return { kind: 'error', message: json.errMsg.slice(0, 200) };
  return { kind: 'other' };
}
