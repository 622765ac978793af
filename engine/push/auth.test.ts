import { describe, expect, it } from 'vitest';
import type { Hello, TokenEntry } from '#contracts';
import { authorizeHello, createTokenAuth } from './auth.js';

const stores = { has: (s: string) => s === 's-001', hasScreen: (s: string, id: string) => s === 's-001' && id === 'scr-1' };
const entry = (e: Partial<TokenEntry>): TokenEntry => ({ token: 'x'.repeat(16), role: 'screen', storeId: 's-001', ...e });
const hello = (h: Partial<Hello>): Hello => ({ type: 'hello', role: 'screen', token: 'x'.repeat(16), storeId: 's-001', ...h });

describe('createTokenAuth', () => {
  it('finds tokens by value and nothing else', () => {
    const auth = createTokenAuth([entry({ token: 'a-valid-token-123' })]);
    expect(auth.verify('a-valid-token-123')?.role).toBe('screen');
    expect(auth.verify('a-valid-token-12')).toBeUndefined();
    expect(auth.verify('')).toBeUndefined();
  });
});

describe('authorizeHello', () => {
  it('binds a screen to its screen', () => {
    expect(authorizeHello(entry({ subject: 'scr-1' }), hello({ screenId: 'scr-1' }), stores))
      .toEqual({ ok: true, binding: { role: 'screen', storeId: 's-001', target: 'scr-1' } });
    // a bound token may leave screenId out
    expect(authorizeHello(entry({ subject: 'scr-1' }), hello({}), stores)).toMatchObject({ ok: true, binding: { target: 'scr-1' } });
  });

  it.each([
    ['no token', undefined, hello({ screenId: 'scr-1' }), 'ws.unauthorized'],
    ['other role', entry({ role: 'console' }), hello({ screenId: 'scr-1' }), 'ws.forbidden'],
    ['other store', entry({ storeId: 's-002' }), hello({ screenId: 'scr-1' }), 'ws.forbidden'],
    ['other screen', entry({ subject: 'scr-2' }), hello({ screenId: 'scr-1' }), 'ws.forbidden'],
    ['other associate', entry({ role: 'associate', subject: 'ann' }), hello({ role: 'associate', associateId: 'bob' }), 'ws.forbidden'],
    ['nameless associate', entry({ role: 'associate' }), hello({ role: 'associate' }), 'ws.invalid_frame'],
    ['other gateway', entry({ role: 'label-gateway', subject: 'gw-1' }), hello({ role: 'label-gateway', gatewayId: 'gw-2' }), 'ws.forbidden'],
    ['unknown store', entry({ storeId: '*', role: 'console' }), hello({ role: 'console', storeId: 's-404' }), 'ws.unknown_store'],
    ['unknown screen', entry({}), hello({ screenId: 'scr-9' }), 'ws.unknown_target'],
    ['screen without id', entry({}), hello({}), 'ws.unknown_target'],
  ] as const)('refuses %s', (_name, e, h, code) => {
    expect(authorizeHello(e, h, stores)).toMatchObject({ ok: false, code });
  });

  it('checks rights before existence, so unknown stores stay hidden from other stores\' tokens', () => {
    expect(authorizeHello(entry({ storeId: 's-001' }), hello({ storeId: 's-404', screenId: 'scr-1' }), stores))
      .toMatchObject({ ok: false, code: 'ws.forbidden' });
  });

  it('lets a wildcard console view any known store, with no target', () => {
    expect(authorizeHello(entry({ role: 'console', storeId: '*' }), hello({ role: 'console' }), stores))
      .toEqual({ ok: true, binding: { role: 'console', storeId: 's-001' } });
  });
});
