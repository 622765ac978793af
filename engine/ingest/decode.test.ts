import { describe, expect, it } from 'vitest';
import { DeadLetter } from '#contracts';
import { deadLetter, decode } from './decode.js';
import { createDedupe } from './dedupe.js';

const known = (s: string) => s === 's-001';
const enc = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));
const presence = { type: 'presence', id: 'p-1', ts: 1763856000123, storeId: 's-001', deviceId: 'd-4be1', zoneId: 'z-coffee', rssi: -61, source: 'wifi' };

describe('decode', () => {
  it('accepts a valid presence event', () => {
    const r = decode('aisle/v1/stores/s-001/presence', enc(presence), known);
    expect(r.ok).toBe(true);
    if (r.ok === true) expect(r.event).toMatchObject({ type: 'presence', zoneId: 'z-coffee' });
  });
  it('accepts a presence leaving the store (zoneId null) and decimal POS quantities', () => {
    expect(decode('aisle/v1/stores/s-001/presence', enc({ ...presence, zoneId: null }), known).ok).toBe(true);
    const pos = { type: 'pos', id: 't-1', ts: 1, storeId: 's-001', transactionId: 'T-1', currency: 'EUR', total: 1.26,
      lines: [{ sku: 'SKU-3310', qty: 0.42, unitPrice: 3 }] };
    expect(decode('aisle/v1/stores/s-001/pos', enc(pos), known).ok).toBe(true);
  });
  it.each([
    ['not json{', 'invalid_json'],
    ['[1,2]', 'invalid_shape'],
    ['"str"', 'invalid_shape'],
    ['null', 'invalid_shape'],
  ])('dead-letters %s as %s', (raw, code) => {
    const r = decode('aisle/v1/stores/s-001/presence', enc(raw), known);
    expect(r).toMatchObject({ ok: false, code });
  });
  it('names the field of a wrong type', () => {
    const r = decode('aisle/v1/stores/s-001/presence', enc({ ...presence, ts: 'yesterday' }), known);
    expect(r).toMatchObject({ ok: false, code: 'invalid_shape' });
    if (r.ok === false) expect(r.reason).toContain('ts');
  });
  it('rejects bad identifiers', () => {
    const r = decode('aisle/v1/stores/s-001/presence', enc({ ...presence, deviceId: 'aa:bb cc' }), known);
    expect(r).toMatchObject({ ok: false, code: 'invalid_shape' });
  });
  it('refuses device ids shaped like a raw MAC address (privacy by construction)', () => {
    for (const mac of ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aabbccddeeff', 'aabb.ccdd.eeff']) {
      const r = decode('aisle/v1/stores/s-001/presence', enc({ ...presence, deviceId: mac }), known);
      expect(r).toMatchObject({ ok: false, code: 'invalid_shape' });
      if (r.ok === false) expect(r.reason).toMatch(/deviceId: looks like a raw MAC address/);
    }
    for (const inside of ['dev-aa:bb:cc:dd:ee:ff', 'x.AA-BB-CC-DD-EE-FF.y', 'ble:aabb.ccdd.eeff', 'aa:bb:cc:dd:ee:ff-2']) {
      const r = decode('aisle/v1/stores/s-001/presence', enc({ ...presence, deviceId: inside }), known);
      expect(r, inside).toMatchObject({ ok: false, code: 'invalid_shape' });
    }
    // Pseudonyms (hex without separators) and ids with fewer or mixed separators pass.
    for (const ok of ['d-9f86d081884c7d65', 'd-9f86d081884c7d65aabbccddeeff', 'aa:bb:cc:dd:ee', 'p-2026:11']) {
      expect(decode('aisle/v1/stores/s-001/presence', enc({ ...presence, deviceId: ok }), known).ok, ok).toBe(true);
    }
  });
  it('rejects a store mismatch between topic and payload', () => {
    expect(decode('aisle/v1/stores/s-002/presence', enc(presence), () => true)).toMatchObject({ ok: false, code: 'store_mismatch' });
  });
  it('rejects a type mismatch between topic and payload', () => {
    expect(decode('aisle/v1/stores/s-001/pos', enc(presence), known)).toMatchObject({ ok: false, code: 'type_mismatch' });
  });
  it('refuses zones and labels the store does not have', () => {
    const refs = { hasZone: (_s: string, z: string) => z === 'z-coffee', hasLabel: (_s: string, l: string) => l === 'L-1' };
    expect(decode('aisle/v1/stores/s-001/presence', enc(presence), known, refs).ok).toBe(true);
    expect(decode('aisle/v1/stores/s-001/presence', enc({ ...presence, zoneId: null }), known, refs).ok).toBe(true);
    const z = decode('aisle/v1/stores/s-001/presence', enc({ ...presence, zoneId: 'z-nowhere' }), known, refs);
    expect(z).toMatchObject({ ok: false, code: 'unknown_zone' });
    if (z.ok === false) expect(z.reason).toContain('zoneId');
    const esl = { type: 'esl', id: 'e-1', ts: 1, storeId: 's-001', labelId: 'L-9', action: 'nfc' };
    expect(decode('aisle/v1/stores/s-001/esl', enc(esl), known, refs)).toMatchObject({ ok: false, code: 'unknown_label' });
    expect(decode('aisle/v1/stores/s-001/esl', enc({ ...esl, labelId: 'L-1' }), known, refs).ok).toBe(true);
  });
  it('rejects unknown types and stores, and bad topics', () => {
    expect(decode('aisle/v1/stores/s-001/weather', enc(presence), known)).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(decode('aisle/v1/stores/s-009/presence', enc({ ...presence, storeId: 's-009' }), known)).toMatchObject({ ok: false, code: 'unknown_store' });
    expect(decode('foo/bar', enc(presence), known)).toMatchObject({ ok: false, code: 'bad_topic' });
  });
  it('rejects oversized payloads before parsing', () => {
    const big = Buffer.alloc(64 * 1024 + 1, 0x20);
    expect(decode('aisle/v1/stores/s-001/presence', big, known)).toMatchObject({ ok: false, code: 'too_large' });
  });
  it('passes outbound topics through untouched', () => {
    expect(decode('aisle/v1/stores/s-001/decisions', enc({}), known)).toEqual({ ok: 'outbound', storeId: 's-001', kind: 'decisions' });
  });
  it('never throws on random bytes', () => {
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(Array.from({ length: i * 3 }, (_, j) => (j * 7919 + i) % 256));
      expect(() => decode('aisle/v1/stores/s-001/esl', bytes, known)).not.toThrow();
    }
  });
});

describe('deadLetter', () => {
  it('cuts the payload to 4 KiB without splitting a character and matches the schema', () => {
    const dl = deadLetter('t', Buffer.from('é'.repeat(5000)), 'too_large', 'too_large: x', 5);
    expect(Buffer.byteLength(dl.payload)).toBeLessThanOrEqual(4096);
    expect(dl.payload.endsWith('é')).toBe(true);
    expect(DeadLetter.parse(dl)).toEqual(dl);
  });
});

describe('dedupe', () => {
  it('sees an id once per store, and forgets the oldest beyond capacity', () => {
    const d = createDedupe(2);
    expect(d.first('s', 'a')).toBe(true);
    expect(d.first('s', 'a')).toBe(false);
    expect(d.first('t', 'a')).toBe(true);
    d.first('s', 'b');
    expect(d.first('s', 'a')).toBe(true);
  });
});
