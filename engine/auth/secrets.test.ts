import { describe, expect, it } from 'vitest';
import { secretProblems } from './secrets.js';

const good = { token: 'q8ZfV2mKx9Lp4Rt7Wy3N', role: 'screen' as const, storeId: 's-001', subject: 'scr-1' };

describe('secretProblems', () => {
  it('accepts random tokens and passwords', () => {
    expect(secretProblems({ tokens: [good], urls: { MQTT_URL: 'mqtt://engine:Zx81kQ0pLm2@broker:1883' }, opsToken: 'a'.repeat(32) })).toEqual([]);
  });
  it('refuses the shipped example tokens and passwords, short tokens and shared tokens, naming the variable but not the secret', () => {
    const tokens = [{ ...good, token: 'EXAMPLE-replace-me-screen-entrance-1-7Qm2' }, { ...good, token: 'short' },
      { ...good, subject: 'scr-2' }, { ...good, subject: 'scr-3' }];
    const p = secretProblems({ tokens, urls: { MQTT_URL: 'mqtt://engine:change-me-engine@mosquitto:1883', REDIS_URL: undefined }, opsToken: 'x' });
    expect(p).toHaveLength(5);
    expect(p.join('\n')).toMatch(/example token/);
    expect(p.join('\n')).toMatch(/MQTT_URL: the password is an example/);
    expect(p.join('\n')).toMatch(/more than one entry/);
    expect(p.join('\n')).not.toMatch(/EXAMPLE-replace|change-me-engine|q8ZfV2/);
  });
});
