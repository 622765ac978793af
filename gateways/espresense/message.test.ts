import { describe, expect, it } from 'vitest';
import { canonicalId, createDeviceResolver } from './ids.js';
import { classify, MAX_PAYLOAD_BYTES } from './message.js';
import { loadFixture, type DeviceFixtures, type RoomFixtures } from './testing.js';

const devices = loadFixture<DeviceFixtures>('devices');
const rooms = loadFixture<RoomFixtures>('rooms');
const P = 'espresense';

describe('classify: device reports', () => {
  it.each(devices.messages.map((m) => [m.kind, m] as const))('reads the documented %s report', (_kind, m) => {
    const c = classify(P, m.topic, m.payload);
    const [, , id, room] = m.topic.split('/');
    expect(c).toMatchObject({ kind: 'reading', rawId: id, room });
    const payload = JSON.parse(m.payload) as { distance: number; rssi: number };
    expect(c).toMatchObject({ distance: payload.distance, rssi: payload.rssi });
  });

  it('reads numbers written as strings, minimal reports, and raw when distance is missing', () => {
    const q = Object.fromEntries(devices.quirks.map((m) => [m.kind, m]));
    expect(classify(P, q['numbers-as-strings']!.topic, q['numbers-as-strings']!.payload)).toMatchObject({ kind: 'reading', distance: 1.75, rssi: -72 });
    expect(classify(P, q.minimal!.topic, q.minimal!.payload)).toEqual({ kind: 'reading', rawId: 'apple:1005:9-12', room: 'entrance', distance: 0.84 });
    expect(classify(P, q['raw-only']!.topic, q['raw-only']!.payload)).toMatchObject({ kind: 'reading', distance: 2.2, rssi: -75 });
    expect(classify(P, q['too-far']!.topic, q['too-far']!.payload)).toMatchObject({ kind: 'reading', distance: 13.4 });
  });

  it('reads ArduinoJson\'s bare nan as null: a report without a distance is refused', () => {
    const nan = devices.quirks.find((m) => m.kind === 'nan')!;
    expect(classify(P, nan.topic, nan.payload)).toEqual({ kind: 'rejected', code: 'invalid_shape', detail: 'distance: missing' });
    expect(classify(P, 'espresense/devices/x1/entrance', '{"distance":inf,"raw":1.5}')).toMatchObject({ kind: 'reading', distance: 1.5 });
  });

  it('ignores an unreadable RSSI but refuses an unreadable distance', () => {
    expect(classify(P, 'espresense/devices/x1/hall', '{"distance":1,"rssi":"strong"}')).toEqual({ kind: 'reading', rawId: 'x1', room: 'hall', distance: 1 });
    expect(classify(P, 'espresense/devices/x1/hall', '{"distance":1,"rssi":-300}')).toEqual({ kind: 'reading', rawId: 'x1', room: 'hall', distance: 1 });
    expect(classify(P, 'espresense/devices/x1/hall', '{"distance":"near"}')).toMatchObject({ kind: 'rejected', code: 'invalid_shape', detail: 'distance: unreadable' });
    expect(classify(P, 'espresense/devices/x1/hall', '{"distance":-1}')).toMatchObject({ kind: 'rejected', code: 'invalid_shape' });
    expect(classify(P, 'espresense/devices/x1/hall', '{"rssi":-60}')).toMatchObject({ kind: 'rejected', code: 'invalid_shape', detail: 'distance: missing' });
  });

  it('refuses garbage with a stable code, without echoing the input', () => {
    const cases: [string, string, string][] = [
      ['espresense/devices/x1/hall', 'not json', 'invalid_json'],
      ['espresense/devices/x1/hall', '[1,2]', 'invalid_shape'],
      ['espresense/devices/x1/hall', '"online"', 'invalid_shape'],
      ['espresense/devices/x1/hall', '{"id":42,"distance":1}', 'invalid_shape'],
      ['espresense/devices/x1/hall', '{"id":"x2","distance":1}', 'id_mismatch'],
      ['espresense/devices/x1/hall', 'x'.repeat(MAX_PAYLOAD_BYTES + 1), 'too_large'],
      ['espresense/devices/a b/hall', '{"distance":1}', 'bad_topic'],
      ['espresense/devices/x1/h+', '{"distance":1}', 'bad_topic'],
      ['espresense/devices/' + 'x'.repeat(200) + '/hall', '{"distance":1}', 'bad_topic'],
      ['espresense/rooms/hall/status', 'maybe', 'bad_status'],
    ];
    for (const [topic, payload, code] of cases) {
      const c = classify(P, topic, payload);
      expect(c, `${topic} ${payload.slice(0, 40)}`).toMatchObject({ kind: 'rejected', code });
      if (c.kind === 'rejected') expect(c.detail).not.toContain('x2');
    }
  });

  it('ignores retained device reports (stale, replayed on subscribe) and empty payloads (a retained message cleared)', () => {
    const m = devices.messages[0]!;
    expect(classify(P, m.topic, m.payload, true)).toEqual({ kind: 'ignored', code: 'retained' });
    expect(classify(P, m.topic, '')).toEqual({ kind: 'ignored', code: 'empty' });
    expect(classify(P, 'espresense/rooms/hall/status', '')).toEqual({ kind: 'ignored', code: 'empty' });
  });
});

describe('classify: nodes', () => {
  it('reads status (LWT) as online or offline', () => {
    expect(rooms.status.map((m) => classify(P, m.topic, m.payload))).toEqual([
      { kind: 'status', room: 'entrance', online: true }, { kind: 'status', room: 'entrance', online: false }]);
    expect(classify(P, 'espresense/rooms/hall/status', ' OFFLINE\n')).toEqual({ kind: 'status', room: 'hall', online: false });
  });

  it('ignores telemetry, settings, sub-reports, the Companion\'s topics and other prefixes', () => {
    for (const m of rooms.ignored) expect(classify(P, m.topic, m.payload), m.topic).toEqual({ kind: 'ignored', code: 'not_consumed' });
    expect(classify(P, 'espresense/devices/x1/hall/miflora', '{}')).toEqual({ kind: 'ignored', code: 'not_consumed' });
    expect(classify(P, 'espresense/devices/x1', '{"distance":1}')).toEqual({ kind: 'ignored', code: 'not_consumed' });
    expect(classify(P, 'other/devices/x1/hall', '{"distance":1}')).toEqual({ kind: 'ignored', code: 'not_consumed' });
    expect(classify(P, 'espresensex/devices/x1/hall', '{"distance":1}')).toEqual({ kind: 'ignored', code: 'not_consumed' });
  });

  it('honours a multi-level prefix', () => {
    expect(classify('site/7/esp', 'site/7/esp/devices/x1/hall', '{"distance":1}')).toMatchObject({ kind: 'reading', rawId: 'x1' });
    expect(classify('site/7/esp', 'site/7/esp/rooms/hall/status', 'online')).toMatchObject({ kind: 'status' });
  });
});

describe('device ids', () => {
  it('spells a MAC one way, bare or behind a one-word prefix; lower-cases the rest', () => {
    expect(canonicalId('F0D1E2C3B4A5')).toBe('f0d1e2c3b4a5');
    expect(canonicalId('known:c8d9e0f1a2b3')).toBe('c8d9e0f1a2b3');
    expect(canonicalId('mac:C8:D9:E0:F1:A2:B3')).toBe('c8d9e0f1a2b3');
    expect(canonicalId('tile:c8d9e0f1a2b3')).toBe('c8d9e0f1a2b3');
    expect(canonicalId('iBeacon:E5B9E3A6-27E2-4C36-A257-7698DA5FC140-100-42')).toBe('ibeacon:e5b9e3a6-27e2-4c36-a257-7698da5fc140-100-42');
    expect(canonicalId('msft:cdp:0a12')).toBe('msft:cdp:0a12');
    expect(canonicalId('apple:1005:9-12')).toBe('apple:1005:9-12');
  });

  it('resolves to a keyed pseudonym and, for configured ids, the member', () => {
    const key = 'k'.repeat(32);
    const resolve = createDeviceResolver(key, { 'iBeacon:E5B9E3A6-27E2-4C36-A257-7698DA5FC140-100-42': 'c-1', 'known:c8d9e0f1a2b3': 'c-2' });
    expect(resolve('iBeacon:e5b9e3a6-27e2-4c36-a257-7698da5fc140-100-42')).toMatchObject({ customerId: 'c-1' });
    expect(resolve('c8d9e0f1a2b3').customerId).toBe('c-2'); // the same MAC before it was added to known_macs
    expect(resolve('c8d9e0f1a2b3').deviceId).toBe(resolve('known:c8d9e0f1a2b3').deviceId);
    expect(resolve('apple:1005:9-12')).toEqual({ deviceId: expect.stringMatching(/^hm1-[a-z2-7]{26}$/) });
    expect(resolve('apple:1005:9-12').deviceId).not.toBe(createDeviceResolver('x'.repeat(32), {})('apple:1005:9-12').deviceId);
  });
});
