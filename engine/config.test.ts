import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

it('runs the demo with nothing set', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 8080, demo: true, simulate: true, redisPrefix: 'aisle:', mqttUrl: undefined, redisUrl: undefined,
    portsExplicit: { http: false, mqtt: false } });
  expect(Object.isFrozen(c)).toBe(true);
});

it('is production when a broker and Redis are configured; the simulator is then off unless asked for', () => {
  const c = loadConfig({ MQTT_URL: 'mqtt://u:p@broker:1883', MQTT_CLIENT_ID: 'aisle-engine-1', REDIS_URL: 'redis://r:6379/0', PORT: '9000' });
  expect(c).toMatchObject({ demo: false, simulate: false, port: 9000, portsExplicit: { http: true, mqtt: false } });
  expect(loadConfig({ MQTT_URL: 'mqtt://b', MQTT_CLIENT_ID: 'e-1', AISLE_SIMULATE: '1' }).simulate).toBe(true);
});

it.each([
  ['PORT', 'eighty'], ['PORT', '70000'], ['MQTT_URL', 'http://broker'], ['REDIS_URL', 'not a url'],
  ['AISLE_SIMULATE', 'yes'], ['LOG_LEVEL', 'loud'], ['AISLE_REDIS_PREFIX', 'has space'],
])('names the variable when %s=%s is invalid', (name, value) => {
  try {
    loadConfig({ [name]: value });
    expect.unreachable();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(name);
  }
});

describe('secure defaults in the configuration', () => {
  it('requires MQTT_URL outside the demo, and checks the trusted proxies list', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://r:6379' })).toThrow(/MQTT_URL: required outside the demo/);
    // Every instance names its sessions, journal and registry entry; no shared default (docs/scale.md).
    expect(() => loadConfig({ REDIS_URL: 'redis://r:6379', MQTT_URL: 'mqtt://b:1883' })).toThrow(/MQTT_CLIENT_ID: required with MQTT_URL/);
    expect(() => loadConfig({ MQTT_URL: 'mqtt://b:1883', MQTT_CLIENT_ID: 'e-1', AISLE_PARTITIONS: '8' })).toThrow(/AISLE_PARTITIONS: needs REDIS_URL/);
    const c = loadConfig({ REDIS_URL: 'redis://r:6379', MQTT_URL: 'mqtt://b:1883', MQTT_CLIENT_ID: 'e-1', AISLE_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1' });
    expect(c.ws.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16', '::1']);
    expect(() => loadConfig({ AISLE_TRUSTED_PROXIES: '10.0.0.1,not-an-ip' })).toThrow(/AISLE_TRUSTED_PROXIES/);
    expect(() => loadConfig({ AISLE_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/AISLE_TRUSTED_PROXIES/);
  });
});
