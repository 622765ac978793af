import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceId } from '#contracts';
import { silentLogger } from '../../engine/platform/log.js';
import { GatewayBase, loadGatewayConfig } from './config.js';
import { createGatewayMetrics } from './metrics.js';
import { normalizeMac, PSEUDONYM_PATTERN, pseudonymize } from './pseudonym.js';
import { BufferFullError, createPublisher, InvalidEventError } from './publisher.js';
import { carriesPersonalId, scrub } from './scrub.js';
import { createRecordingClient } from './testing.js';

const KEY = 'k'.repeat(32);
const hex = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')));

describe('pseudonyms', () => {
  it('one device, one pseudonym, whatever the MAC spelling; keyed; never mistaken for a MAC by the engine', () => {
    fc.assert(fc.property(hex, fc.constantFrom(':', '-', '', '.'), fc.boolean(), (octets, sep, upper) => {
      const mac = sep === '.' ? [octets.slice(0, 2), octets.slice(2, 4), octets.slice(4)].map((p) => p.join('')).join('.') : octets.join(sep);
      const p = pseudonymize(KEY, upper ? mac.toUpperCase() : mac);
      expect(p).toMatch(PSEUDONYM_PATTERN);
      expect(p).toBe(pseudonymize(KEY, octets.join(':')));
      expect(p).not.toBe(pseudonymize('x'.repeat(32), octets.join(':')));
      expect(DeviceId.safeParse(p).success).toBe(true);
      expect(carriesPersonalId(p)).toBe(false);
    }));
    expect(normalizeMac('AA:BB:CC:DD:EE:FF')).toBe('aabbccddeeff');
    expect(normalizeMac('irk:1234')).toBeUndefined();
    expect(pseudonymize(KEY, 'irk:0123456789abcdef')).toMatch(PSEUDONYM_PATTERN);
  });
  it('scrubs MAC- and e-mail-shaped text from log lines', () => {
    expect(scrub('device aa:bb:cc:dd:ee:ff and AABBCCDDEEFF, aabb.ccdd.eeff; mail ann@example.com')).toBe('device [mac] and [mac], [mac]; mail [email]');
    expect(carriesPersonalId('hm1-abcdefghijklmnopqrstuvwxyz and 2026-11-29T12:00:00Z')).toBe(false);
    // Twelve decimal digits are a barcode or a loyalty number far more often than a MAC.
    expect(carriesPersonalId('sku 400638133393, card 123456789012')).toBe(false);
    expect(carriesPersonalId('00:11:22:33:44:55')).toBe(true);
  });
});

describe('publisher', () => {
  const presence = (i: number) => ({ type: 'presence', id: `p-${i}`, ts: 1, storeId: 's-1', deviceId: `hm1-${'a'.repeat(26)}`, zoneId: 'z-1', source: 'wifi' });
  it('publishes valid events at QoS 1 on their topic; refuses an invalid one, naming the field', async () => {
    const rec = createRecordingClient();
    const p = createPublisher({ url: 'mqtt://x', clientId: 'c', log: silentLogger(), metrics: createGatewayMetrics('t'), client: rec.client });
    await p.publish(presence(1));
    expect(rec.sent).toEqual([{ topic: 'aisle/v1/stores/s-1/presence', payload: expect.stringContaining('"p-1"'), qos: 1 }]);
    await expect(p.publish({ ...presence(2), deviceId: 'aa:bb:cc:dd:ee:ff' })).rejects.toThrow(InvalidEventError);
    await expect(p.publish({ ...presence(2), deviceId: 'aa:bb:cc:dd:ee:ff' })).rejects.toThrow(/^deviceId: /);
  });
  it('holds events while the broker is away, in order, bounded; sends them when it is back', async () => {
    const rec = createRecordingClient();
    const metrics = createGatewayMetrics('t');
    const p = createPublisher({ url: 'mqtt://x', clientId: 'c', log: silentLogger(), metrics, client: rec.client, maxBuffered: 3 });
    rec.setConnected(false);
    const acks = [1, 2, 3].map((i) => p.publish(presence(i)));
    await expect(p.publish(presence(4))).rejects.toBeInstanceOf(BufferFullError);
    expect((await metrics.overflow.get()).values[0]!.value).toBe(1);
    expect(p.waiting()).toBe(3);
    rec.setConnected(true);
    await Promise.all(acks);
    expect(rec.sent.map((m) => JSON.parse(m.payload).id)).toEqual(['p-1', 'p-2', 'p-3']);
    expect(p.waiting()).toBe(0);
  });
});

describe('configuration', () => {
  it('names the file and the field; reads secrets from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-cfg-'));
    const file = join(dir, 'g.json');
    const ok = { gatewayId: 'gw-1', storeId: 's-1', mqtt: { url: 'mqtt://127.0.0.1:1883' }, pseudonymKey: 'env:TEST_GW_KEY' };
    writeFileSync(file, JSON.stringify(ok));
    process.env.TEST_GW_KEY = KEY;
    expect(loadGatewayConfig(file, GatewayBase)).toMatchObject({ pseudonymKey: KEY, http: { port: 8090 }, mqtt: { maxBuffered: 10_000 } });
    delete process.env.TEST_GW_KEY;
    expect(() => loadGatewayConfig(file, GatewayBase)).toThrow(/pseudonymKey: environment variable TEST_GW_KEY is not set/);
    writeFileSync(file, JSON.stringify({ ...ok, pseudonymKey: 'short', mqtt: { url: 'http://x' } }));
    expect(() => loadGatewayConfig(file, GatewayBase)).toThrow(new RegExp(`${file}: invalid gateway configuration[\\s\\S]*mqtt.url`));
    writeFileSync(file, '{');
    expect(() => loadGatewayConfig(file, GatewayBase)).toThrow(/not JSON/);
  });
});
