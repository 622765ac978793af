import { describe, expect, it } from 'vitest';
import { secretProblems } from '../auth/secrets.js';
import { loadConfig } from '../config.js';
import { redisSeedUrls } from './redis-url.js';

describe('REDIS_URL with REDIS_CLUSTER=1 (docs/deploy.md)', () => {
  it('splits the seed nodes, each with the same user, password, scheme and path', () => {
    expect(redisSeedUrls('redis://r:6379/0')).toEqual(['redis://r:6379/0']);
    expect(redisSeedUrls('redis://127.0.0.1:7000,127.0.0.1:7001, h3:7002')).toEqual(['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001', 'redis://h3:7002']);
    expect(redisSeedUrls('rediss://engine:p%40ss@h1:7000,h2:7001/0')).toEqual(['rediss://engine:p%40ss@h1:7000/0', 'rediss://engine:p%40ss@h2:7001/0']);
    expect(redisSeedUrls('redis://:pw@[::1]:7000,[::1]:7001')).toEqual(['redis://:pw@[::1]:7000', 'redis://:pw@[::1]:7001']);
  });

  it('takes several seeds only with REDIS_CLUSTER=1, and checks every one', () => {
    const base = { MQTT_URL: 'mqtt://b:1883', MQTT_CLIENT_ID: 'e-1' };
    expect(loadConfig({ ...base, REDIS_URL: 'redis://r:6379' }).redisCluster).toBe(false);
    const c = loadConfig({ ...base, REDIS_URL: 'redis://u:pw@h1:7000,h2:7001', REDIS_CLUSTER: '1' });
    expect(c).toMatchObject({ redisUrl: 'redis://u:pw@h1:7000,h2:7001', redisCluster: true });
    expect(loadConfig({ ...base, REDIS_URL: 'redis://h1:7000', REDIS_CLUSTER: 'true' }).redisCluster).toBe(true);
    expect(() => loadConfig({ ...base, REDIS_URL: 'redis://h1:7000,h2:7001' })).toThrow(/REDIS_URL: .*REDIS_CLUSTER=1/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'redis://h1:7000,h2:port', REDIS_CLUSTER: '1' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'redis://h1:7000', REDIS_CLUSTER: 'yes' })).toThrow(/REDIS_CLUSTER/);
  });

  it('still refuses an example password in a cluster URL', () => {
    const problems = secretProblems({ tokens: [], urls: { REDIS_URL: 'redis://engine:change-me@h1:7000,h2:7001' } });
    expect(problems.join('\n')).toMatch(/REDIS_URL: the password is an example password/);
  });
});
