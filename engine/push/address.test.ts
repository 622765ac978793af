import { describe, expect, it } from 'vitest';
import { clientAddress, createAddressMatcher, normalizeAddress } from './address.js';

describe('createAddressMatcher', () => {
  it('matches addresses and CIDR ranges, IPv4-mapped IPv6 as IPv4', () => {
    const m = createAddressMatcher(['127.0.0.0/8', '::1', '10.1.2.3', 'fd00::/8']);
    for (const a of ['127.0.0.1', '127.9.9.9', '::ffff:127.0.0.1', '::1', '10.1.2.3', 'fd12::5']) expect(m(a), a).toBe(true);
    for (const a of ['10.1.2.4', '192.168.0.1', '::2', 'unknown', '', 'fe80::1%eth0']) expect(m(a), a).toBe(false);
  });

  it('matches nothing when empty', () => {
    expect(createAddressMatcher([])('127.0.0.1')).toBe(false);
  });

  it.each(['localhost', '10.0.0.0/33', '::/129', '10.0.0.1/8/1', '10.0.0.0/', '10.0.0.0/x', ''])('refuses the entry %j at start-up', (e) => {
    expect(() => createAddressMatcher([e])).toThrow(TypeError);
  });
});

describe('clientAddress', () => {
  const trusted = createAddressMatcher(['10.0.0.0/8']);

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy (the default: none is)', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '198.51.100.1', createAddressMatcher([]))).toBe('10.0.0.2');
    expect(clientAddress('::ffff:203.0.113.9', undefined, trusted)).toBe('203.0.113.9');
    expect(clientAddress(undefined, undefined, trusted)).toBe('unknown');
  });

  it('takes the first untrusted hop from the right behind trusted proxies', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // a client cannot pick its address by prepending one: the proxy appends what it saw
    expect(clientAddress('10.0.0.2', '1.1.1.1, 198.51.100.1, 10.0.0.7', trusted)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', ['1.1.1.1', '198.51.100.1'], trusted)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', '10.0.0.5, 10.0.0.6', trusted)).toBe('10.0.0.5');
  });

  it('stops at the last believable hop when an entry is not a bare address', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1:4431', trusted)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'x'.repeat(5_000) + ', 10.0.0.9', trusted)).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.2', '', trusted)).toBe('10.0.0.2');
  });

  it('normalizes', () => {
    expect(normalizeAddress(' ::FFFF:10.0.0.1 ')).toBe('10.0.0.1');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
  });
});
