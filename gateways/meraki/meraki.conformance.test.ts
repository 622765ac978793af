import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConformance, type ConformanceAdapter } from '../kit/conformance.js';
import { startGateway } from '../kit/runtime.js';
import { createRecordingClient } from '../kit/testing.js';
import { definition } from './gateway.js';
import { AP, postBody, TEST_SECRET, testConfig } from './testing.js';

/** One POST: its body exactly as sent, and the raw identifiers in it (client MACs, e-mail user ids). */
type Post = { body: string; personal: string[] };
type Doc = { doc: Record<string, unknown>; personal: string[] };

// Bare tokens Meraki writes that JSON cannot hold: generated as markers, written bare by `serialize`.
const NAN = '\u0000nan-token';
const NEG_INF = '\u0000neg-infinity-token';
const serialize = (doc: unknown): string =>
  (JSON.stringify(doc) ?? 'null').replaceAll(JSON.stringify(NAN), 'NaN').replaceAll(JSON.stringify(NEG_INF), '-Infinity');

const config = testConfig();
const FLOORS = [['g_100', 'Ground Floor'], ['g_200', 'First Floor'], ['g_300', 'Warehouse']] as const;
const TAGS = ['entrance', 'checkout', 'office', 'stock'];

const octets = fc.array(fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0')), { minLength: 6, maxLength: 6 });
const clientMac = fc.tuple(octets, fc.constantFrom(':', '-'), fc.boolean()).map(([o, sep, upper]) => (upper ? o.join(sep).toUpperCase() : o.join(sep)));
const apMac = fc.oneof(fc.constantFrom(...Object.values(AP), AP.b2.toUpperCase().replaceAll(':', '-')), clientMac);
const text = fc.constantFrom<string | null>('Store Guest', 'NaN Wi-Fi', 'say "Infinity" -NaN', 'Café ☕', '', null);
/** A number as Meraki may write it: a number, a numeric string, or (for coordinates) a bare NaN. */
const numberLike = (arb: fc.Arbitrary<number>, nan = false) =>
  fc.oneof(arb, arb.map(String), ...(nan ? [fc.constant(NAN)] : []));
/** An observation time, seconds ago, in one of Meraki's spellings. */
const time = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.constantFrom('iso', 'iso-local', 'epoch', 'epoch-ms', 'epoch-string')).map(([ago, form]) => {
  const ms = Date.now() - ago * 1000;
  const iso = new Date(ms).toISOString();
  return form === 'iso' ? iso : form === 'iso-local' ? iso.slice(0, 19) : form === 'epoch' ? Math.floor(ms / 1000) : form === 'epoch-ms' ? ms : String(Math.floor(ms / 1000));
});
const rssi = fc.oneof(fc.integer({ min: -95, max: -30 }), fc.integer({ min: -95, max: -30 }).map(String), fc.constant(NEG_INF));
const tags = fc.subarray(TAGS).chain((t) => fc.constantFrom<unknown>(t, t.join(' ')));

const location = fc.record({
  time, floor: fc.constantFrom(...FLOORS), nested: fc.boolean(), tags,
  x: numberLike(fc.double({ min: 0, max: 40, noNaN: true }), true), y: numberLike(fc.double({ min: 0, max: 25, noNaN: true }), true),
  records: fc.array(fc.record({ apMac, rssi }), { maxLength: 3 }),
}).map(({ time: t, floor: [id, name], nested, tags: nearestApTags, x, y, records }) => ({
  time: t, lat: 51.5355, lng: -0.0699, variance: 2.5, nearestApTags, rssiRecords: records,
  ...(nested ? { floorPlan: { id, name, x, y } } : { floorPlanId: id, floorPlanName: name, x, y }),
}));

const v3Observation = fc.record({
  clientMac, ssid: text, os: text, manufacturer: text,
  ipv4: fc.option(fc.ipV4(), { nil: null }),
  userId: fc.option(fc.emailAddress(), { nil: null }),
  locations: fc.array(location, { maxLength: 3 }),
  latestRecord: fc.option(fc.record({ time, nearestApMac: apMac, nearestApRssi: rssi }), { nil: undefined }),
  bleBeacons: fc.option(fc.constant([{ bleType: 'iBeacon', uuid: 'fda50693-a4e2-4fb1-afcf-c6eb07647825', major: 1, minor: 2 }]), { nil: undefined }),
});

const v2Observation = fc.record({
  clientMac, ssid: text, os: text, manufacturer: text,
  ipv4: fc.option(fc.ipV4().map((ip) => `/${ip}`), { nil: null }),
  seen: fc.integer({ min: 0, max: 100 }),
  rssi: fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }).map(String), fc.integer({ min: -95, max: -30 })),
  x: fc.oneof(fc.constant([]), fc.double({ min: 0, max: 40, noNaN: true }).map((v) => [v]), fc.double({ min: 0, max: 40, noNaN: true })),
}).map(({ seen, x, ...o }) => {
  const ms = Date.now() - seen * 1000;
  return { ...o, seenEpoch: Math.floor(ms / 1000), seenTime: new Date(ms).toISOString().slice(0, 19) + 'Z', location: { lat: 51.5, lng: -0.07, unc: 1.2, x, y: x } };
});

const personalOf = (observations: { clientMac: string; userId?: string | null }[]) =>
  observations.flatMap((o) => [o.clientMac, ...(o.userId ? [o.userId] : [])]);

const v3Doc: fc.Arbitrary<Doc> = fc.record({
  version: fc.constantFrom<unknown>('3.0', '3.1', '3', 3, '3.x'), type: fc.constantFrom('WiFi', 'BLE', 'wifi'),
  observations: fc.array(v3Observation, { maxLength: 20 }),
}).map(({ version, type, observations }) => ({
  doc: { version, secret: TEST_SECRET, type, data: { networkId: 'N_24329156', observations } },
  personal: personalOf(observations),
}));

const v2Doc: fc.Arbitrary<Doc> = fc.record({
  version: fc.constantFrom('2.0', '2.1'), type: fc.constantFrom('DevicesSeen', 'BluetoothDevicesSeen'),
  apMac, apTags: tags, apFloors: fc.subarray(['Ground Floor', 'First Floor']),
  observations: fc.array(v2Observation, { maxLength: 20 }),
}).map(({ version, type, observations, ...ap }) => ({
  doc: { version, secret: TEST_SECRET, type, data: { ...ap, observations } },
  personal: personalOf(observations),
}));

const validDoc = fc.oneof(v3Doc, v2Doc);
const valid: fc.Arbitrary<Post> = validDoc.map(({ doc, personal }) => ({ body: serialize(doc), personal }));

/** Places a hostile value may land: the envelope, and the fields of the first observation. */
const PATHS: (string | number)[][] = [
  ['secret'], ['version'], ['type'], ['data'], ['data', 'observations'], ['data', 'observations', 0],
  ['data', 'apMac'], ['data', 'apTags'], ['data', 'apFloors'],
  ...['clientMac', 'locations', 'latestRecord', 'seenEpoch', 'seenTime', 'rssi', 'location'].map((k) => ['data', 'observations', 0, k]),
  ...['time', 'x', 'y', 'floorPlanId', 'floorPlanName', 'nearestApTags', 'rssiRecords', 'floorPlan'].map((k) => ['data', 'observations', 0, 'locations', 0, k]),
  ['data', 'observations', 0, 'locations', 0, 'rssiRecords', 0, 'rssi'], ['data', 'observations', 0, 'latestRecord', 'time'],
];
const junk = fc.oneof(
  fc.constantFrom<unknown>(null, true, '', ' ', '-0', '1e999', '0x1f', 'NaN', NAN, NEG_INF, -1, 2 ** 53, -1e308, 'wrong-secret', '4.0', 'yesterday'),
  fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.object({ maxDepth: 2 }), fc.constant(undefined),
);

function setPath(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) {
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  if (typeof node === 'object' && node !== null) (node as Record<string | number, unknown>)[path.at(-1)!] = value;
  return copy;
}

const docMutation: fc.Arbitrary<Post> = fc.tuple(validDoc, fc.array(fc.tuple(fc.constantFrom(...PATHS), junk), { minLength: 1, maxLength: 3 }))
  .map(([{ doc, personal }, changes]) => ({ body: serialize(changes.reduce<unknown>((d, [p, v]) => setPath(d, p, v), doc)), personal }));

const textMutation: fc.Arbitrary<Post> = fc.tuple(valid, fc.nat(), fc.constantFrom('truncate', 'insert', 'wrap', 'double', 'proto', 'trailing'), fc.string({ minLength: 1, maxLength: 3 }))
  .map(([{ body, personal }, n, kind, s]) => {
    const at = n % (body.length + 1);
    const out = kind === 'truncate' ? body.slice(0, at)
      : kind === 'insert' ? body.slice(0, at) + s + body.slice(at)
        : kind === 'wrap' ? `[${body}]`
          : kind === 'double' ? body + body
            : kind === 'proto' ? body.replace('"secret"', `"__proto__":{"secret":"${TEST_SECRET}"},"x"`)
              : `${body} NaN`;
    return { body: out, personal };
  });

const hostile: fc.Arbitrary<Post> = fc.oneof(
  { arbitrary: docMutation, weight: 4 },
  { arbitrary: textMutation, weight: 3 },
  fc.string({ maxLength: 300 }).map((body) => ({ body, personal: [] })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: JSON.stringify(v), personal: [] })),
  fc.integer({ min: 1, max: 20_000 }).map((n) => ({ body: `${'['.repeat(n)}${']'.repeat(n)}`, personal: [] })),
  fc.integer({ min: 0, max: 5_000 }).map((n) => ({ body: serialize({ version: '3.0', secret: TEST_SECRET, type: 'WiFi', data: { observations: Array(n).fill({}) } }), personal: [] })),
);

describeConformance<Post>('meraki', (): ConformanceAdapter<Post> => ({
  definition,
  config,
  async feed(gw, input) {
    const r = await postBody(gw, config.meraki.path, input.body);
    return { accepted: r.status === 200, ...(r.reason ? { reason: r.reason } : {}) };
  },
  valid,
  hostile,
  personal: (input) => input.personal,
  again: (input) => input,
}));

describe('meraki generators', () => {
  it('well-formed input is always accepted, and most of it becomes events', async () => {
    const rec = createRecordingClient();
    const gw = await startGateway(config, (rt) => definition.setup(rt, config), { publisherClient: rec.client });
    try {
      const posts = fc.sample(valid, { numRuns: 200, seed: 42 });
      const statuses = await Promise.all(posts.map(async (p) => (await postBody(gw, config.meraki.path, p.body)).status));
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(rec.sent.length).toBeGreaterThan(posts.length);
    } finally {
      await gw.close();
    }
  });
});
