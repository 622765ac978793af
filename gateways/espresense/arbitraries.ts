/**
 * fast-check generators of what an ESPresense broker carries (docs/gateways/espresense.md §Messages): device
 * reports of every id kind, node status, telemetry and settings, and hostile variants. Tests only.
 */
import fc from 'fast-check';
import type { EspMessage } from './testing.js';

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const mac = hex(12);

/** Every documented id form. */
export const espresenseId: fc.Arbitrary<string> = fc.oneof(
  hex(32).map((k) => `irk:${k}`),
  fc.tuple(fc.uuid(), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([u, a, b]) => `iBeacon:${u}-${a}-${b}`),
  fc.tuple(fc.constantFrom('1005', '1006', '1007', '0c0e', '0a01', '1002'), fc.integer({ min: 4, max: 29 }), fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }))
    .map(([t, len, tx]) => `apple:${t}:${len}${tx === undefined ? '' : `-${tx}`}`),
  hex(4).map((h) => `msft:cdp:${h}`),
  mac,
  fc.tuple(fc.constantFrom('known', 'mac', 'tile', 'sonos', 'flora', 'garmin', 'itag'), mac).map(([p, m]) => `${p}:${m}`),
  fc.tuple(fc.constantFrom('whoop', 'mi-band', 'amazfit-bip', 'fitbit-charge'), hex(6)).map(([n, h]) => `name:${n}-${h}`),
);

/** A few fixed devices, so that generated reports also move the same device between nodes. */
export const POOL = ['iBeacon:e5b9e3a6-27e2-4c36-a257-7698da5fc140-100-42', 'irk:4f2a9c1e7b3d5a608e1f2c3b4d5e6f70', 'apple:1005:9-12',
  'msft:cdp:0a12', 'known:c8d9e0f1a2b3', 'f0d1e2c3b4a5', 'name:whoop-4a7c1d'] as const;

const deviceIdArb = fc.oneof(espresenseId, fc.constantFrom(...POOL));
const num = (v: number, asString: boolean, digits = 2) => (asString ? v.toFixed(digits) : Number(v.toFixed(digits)));

/** A device report as some firmware version would write it: v3 (speed, interval) or v4 (int, var, channel), numbers maybe as strings. */
export function deviceReport(prefix: string, rooms: readonly string[]): fc.Arbitrary<EspMessage & { payload: string }> {
  return fc.record({
    id: deviceIdArb, room: fc.constantFrom(...rooms), withId: fc.boolean(), strings: fc.boolean(), v4: fc.boolean(),
    name: fc.option(fc.tuple(fc.constantFrom('Phone', 'Watch', 'Band', 'Tag'), hex(4)).map(([w, h]) => `Demo ${w} ${h}`), { nil: undefined }),
    mac: fc.option(mac, { nil: undefined }),
    idType: fc.option(fc.constantFrom(35, 40, 55, 135, 150, 180, 200, 210), { nil: undefined }),
    rssi1m: fc.integer({ min: -80, max: -50 }), rssi: fc.integer({ min: -105, max: -30 }),
    distance: fc.double({ min: 0, max: 14, noNaN: true }), raw: fc.double({ min: 0, max: 14, noNaN: true }),
    extra: fc.integer({ min: 0, max: 5000 }),
  }).map((r) => {
    const body: Record<string, unknown> = {
      ...(r.mac ? { mac: r.mac } : {}), ...(r.withId ? { id: r.id } : {}), ...(r.name ? { name: r.name } : {}), ...(r.idType ? { idType: r.idType } : {}),
      'rssi@1m': r.strings ? String(r.rssi1m) : r.rssi1m, rssi: r.strings ? String(r.rssi) : r.rssi, raw: num(r.raw, r.strings),
      distance: num(r.distance, r.strings),
      ...(r.v4 ? { channel: 37 + (r.extra % 3), var: 0.05, int: r.extra } : { speed: num(r.extra / 1e4, false), interval: r.extra }),
    };
    return { topic: `${prefix}/devices/${r.id}/${r.room}`, payload: JSON.stringify(body) };
  });
}

const telemetry = fc.record({ uptime: fc.nat(), freeHeap: fc.nat(), adverts: fc.nat(), seen: fc.nat(), reported: fc.nat(), rssi: fc.integer({ min: -90, max: -30 }) })
  .map((t) => JSON.stringify({ ip: '192.168.20.31', firm: 'esp32', ver: 'v4.0.6', ...t }));

/** Well-formed traffic: mostly device reports, and node status, telemetry, settings and Companion configs. */
export function validMessage(prefix: string, rooms: readonly string[]): fc.Arbitrary<EspMessage> {
  const room = fc.constantFrom(...rooms);
  return fc.oneof(
    { weight: 8, arbitrary: deviceReport(prefix, rooms) },
    { weight: 2, arbitrary: fc.tuple(room, fc.constantFrom('online', 'offline'), fc.boolean()).map(([r, s, retained]) => ({ topic: `${prefix}/rooms/${r}/status`, payload: s, retained })) },
    { weight: 1, arbitrary: fc.tuple(room, telemetry).map(([r, t]) => ({ topic: `${prefix}/rooms/${r}/telemetry`, payload: t })) },
    { weight: 1, arbitrary: fc.tuple(room, fc.constantFrom(['max_distance', '16.00'], ['absorption', '2.70'], ['include', 'apple: iBeacon:'], ['auto_update', 'OFF']))
      .map(([r, [k, v]]) => ({ topic: `${prefix}/rooms/${r}/${k}`, payload: v, retained: true })) },
    { weight: 1, arbitrary: espresenseId.map((id) => ({ topic: `${prefix}/settings/${id}/config`, payload: JSON.stringify({ id: 'demo-device', name: 'Demo' }) })) },
  );
}

/** Text that is no JSON, JSON of the wrong shape, and ESPresense-like objects with wrong or missing values. */
const badPayload: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 300 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ distance: fc.oneof(fc.string(), fc.constant(null), fc.double(), fc.integer({ min: -1e9, max: -1 }), fc.boolean(), fc.array(fc.nat())),
    rssi: fc.oneof(fc.string(), fc.double()), id: fc.oneof(fc.string(), fc.nat(), fc.constant(null)) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.constantFrom('{"distance":nan}', '{"distance":-inf,"raw":inf}', '{"distance":1e999}', '{"__proto__":{"distance":1},"constructor":{}}',
    '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]', `{"distance":1,"pad":"${'x'.repeat(20_000)}"}`, '{"distance":1', 'null', '""', '0'),
);

/** Damaged and hostile traffic: bad payloads on real topics, topics that are not ESPresense's, and damaged valid reports. */
export function hostileMessage(prefix: string, rooms: readonly string[]): fc.Arbitrary<EspMessage> {
  const room = fc.constantFrom(...rooms);
  const level = fc.oneof(espresenseId, fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('+', '#', 'a b', '', 'x'.repeat(300), 'zoë'));
  return fc.oneof(
    fc.tuple(deviceIdArb, room, badPayload, fc.boolean()).map(([id, r, payload, retained]) => ({ topic: `${prefix}/devices/${id}/${r}`, payload, retained })),
    fc.tuple(room, badPayload).map(([r, payload]) => ({ topic: `${prefix}/rooms/${r}/status`, payload })),
    fc.tuple(level, fc.oneof(room, level), deviceReport(prefix, rooms)).map(([id, r, m]) => ({ topic: `${prefix}/devices/${id}/${r}`, payload: m.payload })),
    fc.tuple(deviceReport(prefix, rooms), espresenseId).map(([m, other]) => ({ topic: m.topic, payload: m.payload.replace(/^\{/, `{"id":${JSON.stringify(other)},`) })),
    fc.tuple(deviceReport(prefix, rooms), fc.nat(), fc.nat()).map(([m, cut, at]) => ({ topic: m.topic,
      payload: m.payload.slice(0, cut % (m.payload.length + 1)) + (at % 2 ? '}' : '') })),
    fc.tuple(fc.string({ maxLength: 80 }), badPayload).map(([topic, payload]) => ({ topic, payload })),
    fc.tuple(fc.array(level, { maxLength: 5 }), badPayload).map(([levels, payload]) => ({ topic: [prefix, ...levels].join('/'), payload })),
  );
}

/** The raw identifiers in a message: the device id of its topic, and the payload's id, MAC and name. */
export function personalIds(m: EspMessage): string[] {
  const out: string[] = [];
  const levels = m.topic.split('/');
  for (const key of ['devices', 'settings']) {
    const at = levels.indexOf(key);
    if (at >= 0 && levels[at + 1]) out.push(levels[at + 1]!);
  }
  try {
    const body = JSON.parse(typeof m.payload === 'string' ? m.payload : Buffer.from(m.payload).toString('utf8')) as Record<string, unknown>;
    if (body && typeof body === 'object') for (const k of ['id', 'mac', 'name']) if (typeof body[k] === 'string') out.push(body[k]);
  } catch { /* not JSON: only the topic's id */ }
  return out;
}
