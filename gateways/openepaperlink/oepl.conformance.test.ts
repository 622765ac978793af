/**
 * The kit's conformance suite for the OpenEPaperLink bridge. The vendor input is one text message of the access point's
 * WebSocket, handed to the same handler the live socket feeds (`Bridge.handleApMessage`); the engine link and the AP
 * socket are left out (nothing to connect to), the AP's HTTP side is a stub that accepts everything.
 */
import fc from 'fast-check';
import { describeConformance } from '../kit/conformance.js';
import type { ApClient } from './ap-client.js';
import type { Bridge } from './bridge.js';
import { OeplConfig } from './config.js';
import { createDefinition } from './gateway.js';

const KNOWN = ['0000021EDE3B3B15', '0000021EDE3B3B16', '00000000AABBCC01'];
const config = OeplConfig.parse({
  gatewayId: 'oepl-conf', storeId: 's-conf', mqtt: { url: 'mqtt://127.0.0.1:1' }, http: { host: '127.0.0.1', port: 0 },
  pseudonymKey: 'k'.repeat(32), logLevel: 'debug',
  oepl: { engineUrl: 'http://127.0.0.1:1', token: 'tok-conf', accessPoint: 'http://127.0.0.1:1', tags: { [KNOWN[0]!]: 'L-1', [KNOWN[1]!]: { labelId: 'L-2', hwType: 2 }, [KNOWN[2]!]: 'shelf.7:left' } },
});

const ok = async () => ({ outcome: 'ok' as const });
const stubAp: ApClient = { uploadImage: ok, uploadJson: ok, flashLed: ok, tagTypes: async () => new Map() };

const hex = (n: number) => fc.array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** A tag MAC as the AP writes it (16 upper-case hex digits): mostly configured tags, sometimes others in the store. */
const mac = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN) }, { weight: 1, arbitrary: hex(16) }, { weight: 1, arbitrary: fc.constantFrom(...KNOWN).map((m) => m.toLowerCase()) });
const wake = fc.constantFrom(0, 1, 2, 3, 4, 5, 0xe0, 0xfc, 0xfd, 0xfe);
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });

/** One tag record as the AP's fillNode writes it. */
const record = fc.record({
  mac, hash: hex(32).map((h) => h.toLowerCase()), lastseen: fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), nextupdate: u32, nextcheckin: u32,
  pending: fc.integer({ min: 0, max: 20 }), alias: fc.string({ maxLength: 20 }), contentMode: fc.integer({ min: 0, max: 30 }),
  LQI: fc.integer({ min: 0, max: 255 }), RSSI: fc.integer({ min: -100, max: 0 }), temperature: fc.integer({ min: -20, max: 60 }),
  batteryMv: fc.integer({ min: 0, max: 3300 }), hwType: fc.constantFrom(0, 1, 2, 3, 0x11, 0x33, 0xf0), wakeupReason: wake,
  capabilities: fc.integer({ min: 0, max: 255 }), modecfgjson: fc.constant(''), isexternal: fc.boolean(), apip: fc.constant('0.0.0.0'),
  rotate: fc.integer({ min: 0, max: 3 }), lut: fc.integer({ min: 0, max: 3 }), invert: fc.integer({ min: 0, max: 1 }),
  updatecount: fc.nat(), updatelast: u32, ch: fc.constantFrom(11, 15, 20, 25, 26), ver: fc.nat({ max: 0xffff }),
});

/** Well-formed AP messages: tag frames (one record usually, a page of several sometimes, `continu` included), and its other news. */
const valid: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(record, { minLength: 1, maxLength: 4 }).map((tags) => JSON.stringify({ tags })) },
  { weight: 1, arbitrary: fc.tuple(fc.array(record, { minLength: 1, maxLength: 3 }), fc.nat({ max: 50 })).map(([tags, continu]) => JSON.stringify({ tags, continu })) },
  { weight: 1, arbitrary: fc.record({ currtime: fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), heap: fc.nat(), apstate: fc.nat({ max: 9 }) }).map((sys) => JSON.stringify({ sys })) },
  { weight: 1, arbitrary: fc.constantFrom('{"logMsg":"tag update"}', '{"errMsg":"invalid jpg"}', '{"console":"hello","color":"red"}', '{"upload":{"src":"0000021EDE3B3B15","current":3,"total":9}}', '{"apitem":{"ip":"10.0.0.2","alias":"AP2","count":3,"channel":11,"version":"0026"}}') },
);

/** Everything else: damaged records, wrong types, garbage, hostile shapes. */
const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.array(fc.record({ mac: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('aa:bb:cc:dd:ee:ff'), fc.integer(), fc.constant(null)), wakeupReason: fc.oneof(wake, fc.integer(), fc.string(), fc.double()), lastseen: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), hwType: fc.anything() }, { requiredKeys: [] }), { maxLength: 5 })
    .map((tags) => JSON.stringify({ tags })),
  fc.anything().map((x) => { try { return JSON.stringify({ tags: x }) ?? 'undefined'; } catch { return '{'; } }),
  fc.constantFrom('{"tags":null}', '{"__proto__":{"tags":[1]}}', '{"tags":[{"__proto__":{"mac":"0000021EDE3B3B15"},"wakeupReason":4}]}', '[]', 'null', '"tags"', '{"sys":"x"}', '{"tags":[' + '{"mac":"0000021EDE3B3B15","wakeupReason":4},'.repeat(300) + '{}]}', '\u0000\u0001', '{"tags":[{"mac":"0000021EDE3B3B15","wakeupReason":1e400}]}'),
);

describeConformance<string>('openepaperlink', () => {
  let bridge: Bridge | undefined;
  const definition = createDefinition({ engine: false, apStream: false, ap: stubAp, onBridge: (b) => { bridge = b; } });
  return {
    definition,
    config,
    feed: async (_gw, input) => bridge!.handleApMessage(input),
    valid,
    hostile,
    // Tag MACs are labels' hardware ids, not a shopper's: they may be logged, and no event carries one (the suite
    // checks every output for MAC-shaped text). No input carries a shopper's identifier.
    personal: () => [],
    again: (input) => input,
  };
});
