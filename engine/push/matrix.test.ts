import { afterEach, describe, expect, it } from 'vitest';
import type { AlertVip, Role } from '#contracts';
import type { Hub } from './types.js';
import { startHub, T0, TestClient, type AnyFrame, type Harness } from './testing.js';

/**
 * Role × frame matrix (docs/contracts.md §WebSocket protocol, §Security and privacy): real ws clients against a real
 * hub. Every role connects to its own store s-001; s-002 is the other store. A cell is what that role gets.
 */
const ROLES = ['screen', 'label-gateway', 'associate', 'console', 'merchandiser'] as const satisfies readonly Role[];
type R = (typeof ROLES)[number];
type Row<T> = readonly [name: string, what: T, expect: Record<R, string>];
const every = (v: string): Record<R, string> => ({ screen: v, 'label-gateway': v, associate: v, console: v, merchandiser: v });
const only = (roles: R[], yes: string, no: string): Record<R, string> =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r) ? yes : no])) as Record<R, string>;

/** Each role's hello for its own store, with the subject field its role needs (screenId, gatewayId, associateId). */
const HELLO: Record<R, Record<string, unknown>> = {
  screen: { role: 'screen', token: 'screen-coffee-1-token', storeId: 's-001', screenId: 'scr-coffee-1' },
  'label-gateway': { role: 'label-gateway', token: 'gateway-s001-token-', storeId: 's-001', gatewayId: 'gw-1' },
  associate: { role: 'associate', token: 'associate-ann-token-', storeId: 's-001', associateId: 'ann' },
  console: { role: 'console', token: 'console-s001-only-token', storeId: 's-001' },
  merchandiser: { role: 'merchandiser', token: 'merchandiser-s001-token', storeId: 's-001' },
};
/** A `*` token of each role, saying hello in the other store (a screen must name one of that store's screens). */
const STAR: Record<R, Record<string, unknown>> = {
  screen: { role: 'screen', token: 'screen-every-store-token', storeId: 's-002', screenId: 'scr-tea-1' },
  'label-gateway': { role: 'label-gateway', token: 'gateway-every-store-token', storeId: 's-002', gatewayId: 'gw-9' },
  associate: { role: 'associate', token: 'associate-every-store-token', storeId: 's-002', associateId: 'bob' },
  console: { role: 'console', token: 'console-everywhere-token', storeId: 's-002' },
  merchandiser: { role: 'merchandiser', token: 'merchandiser-every-store-token', storeId: 's-002' },
};
const otherRole = (r: R): R => ROLES[(ROLES.indexOf(r) + 1) % ROLES.length]!;
const otherSubject = { screenId: 'scr-coffee-2', gatewayId: 'gw-2', associateId: 'eve' };
const noSubject = (h: Record<string, unknown>) => { const { screenId: _s, gatewayId: _g, associateId: _a, ...rest } = h; return rest; };

/** `welcome`, or `code/closeCode` of the refusal. */
const HELLOS: Row<(r: R) => Record<string, unknown>>[] = [
  ['own store', (r) => HELLO[r], every('welcome')],
  ['unknown token', (r) => ({ ...HELLO[r], token: 'no-such-token-anywhere' }), every('ws.unauthorized/4401')],
  ['other store', (r) => ({ ...HELLO[r], storeId: 's-002' }), every('ws.forbidden/4403')],
  ['other store, with a `*` token', (r) => STAR[r], every('welcome')],
  ['unknown store, with a `*` token', (r) => ({ ...STAR[r], storeId: 's-404' }), every('ws.unknown_store/4404')],
  ['another role with this token', (r) => ({ ...HELLO[r], role: otherRole(r) }), every('ws.forbidden/4403')],
  // Store views have no subject: the fields are ignored.
  ['another screen / gateway / associate', (r) => ({ ...HELLO[r], ...otherSubject }), only(['console', 'merchandiser'], 'welcome', 'ws.forbidden/4403')],
  // The token names the subject: screens, gateways and associates may leave it out.
  ['subject left to the token', (r) => noSubject(HELLO[r]), every('welcome')],
];

const impression = (screenId: string) => ({ type: 'impression', screenId, decisionId: 'dec-1', skus: ['SKU-1'], renderedAt: T0 });
/** After hello: `ok` (handled, no answer), `pong`, or the error code; the socket stays open in every case. */
const CLIENT_FRAMES: Row<unknown>[] = [
  ['impression, own screen', impression('scr-coffee-1'), only(['screen'], 'ok', 'ws.forbidden')],
  ['impression, another screen of the store', impression('scr-coffee-2'), every('ws.forbidden')],
  ['impression, a screen of the other store', impression('scr-tea-1'), every('ws.forbidden')],
  ['claim', { type: 'claim', alertId: 'al-1' }, only(['associate'], 'ok', 'ws.forbidden')],
  ['release', { type: 'release', alertId: 'al-1' }, only(['associate'], 'ok', 'ws.forbidden')],
  ['ping', { type: 'ping', t: 1 }, every('pong')],
  ['hello again', { type: 'hello', role: 'console', token: 'console-everywhere-token', storeId: 's-001' }, every('ws.already_hello')],
  ['hello again, other store', { type: 'hello', role: 'console', token: 'console-everywhere-token', storeId: 's-002' }, every('ws.already_hello')],
];

const content = (screenId: string, storeId?: string) => ({
  type: 'screen.content' as const, screenId, decisionId: `dec-${screenId}`, reason: 'idle' as const, template: 'grid' as const,
  ttlMs: 30_000, items: [], ...(storeId ? { storeId } : {}),
});
const alert = (alertId: string, storeId: string): Omit<AlertVip, 'seq'> => ({
  type: 'alert.vip', alertId, storeId, zoneId: 'z-entrance',
  customer: { tier: 'gold', points: 1, lifecycle: 'active', tags: [], lastPurchases: [], browsed: [] },
  suggestions: [], talkingPoints: [], createdAt: T0,
});
const label = (labelId: string) => ({ type: 'label.update' as const, labelId, sku: 'SKU-1', name: 'Item', price: 2 });
const claimed = (alertId: string) => ({ type: 'alert.claimed' as const, alertId, associateId: 'ann', claimedAt: T0 });
const views: R[] = ['console', 'merchandiser'];

/** Server frames: `got` if the role's socket receives it (exactly once), `-` if it never does. Refused sends return 0. */
type Send = { send(hub: Hub): unknown; frame: string };
const SERVER_FRAMES: Row<Send>[] = [
  ['screen.content, s-001/scr-coffee-1', { send: (hub) => hub.sendScreen('s-001', content('scr-coffee-1')), frame: 'screen.content:scr-coffee-1' },
    only(['screen', ...views], 'got', '-')],
  ['screen.content, s-001/scr-coffee-2', { send: (hub) => hub.sendScreen('s-001', content('scr-coffee-2')), frame: 'screen.content:scr-coffee-2' },
    only(views, 'got', '-')],
  ['screen.content, s-002/scr-tea-1', { send: (hub) => hub.sendScreen('s-002', content('scr-tea-1')), frame: 'screen.content:scr-tea-1' }, every('-')],
  ['screen.content, s-001 with a screen of s-002 (refused)', { send: (hub) => hub.sendScreen('s-001', content('scr-tea-1')), frame: '' }, every('-')],
  ['screen.content, s-001 naming storeId s-002 (refused)', { send: (hub) => hub.sendScreen('s-001', content('scr-coffee-1', 's-002')), frame: '' }, every('-')],
  ['label.update, s-001/L-1', { send: (hub) => hub.sendLabel('s-001', label('L-1')), frame: 'label.update:L-1' }, only(['label-gateway', 'console', 'merchandiser'], 'got', '-')],
  ['label.update, s-002/L-9', { send: (hub) => hub.sendLabel('s-002', label('L-9')), frame: 'label.update:L-9' }, every('-')],
  ['label.update, s-001 with a label of s-002 (refused)', { send: (hub) => hub.sendLabel('s-001', label('L-9')), frame: '' }, every('-')],
  ['alert.vip, s-001', { send: (hub) => hub.sendAlert('s-001', alert('al-1', 's-001')), frame: 'alert.vip:al-1' }, only(['associate'], 'got', '-')],
  ['alert.vip, s-002', { send: (hub) => hub.sendAlert('s-002', alert('al-2', 's-002')), frame: 'alert.vip:al-2' }, every('-')],
  ['alert.vip, s-001 naming storeId s-002 (refused)', { send: (hub) => hub.sendAlert('s-001', alert('al-3', 's-002')), frame: '' }, every('-')],
  ['alert.claimed, s-001', { send: (hub) => hub.sendClaimed('s-001', claimed('al-1')), frame: 'alert.claimed:al-1' }, only(['associate'], 'got', '-')],
  ['alert.claimed, s-002', { send: (hub) => hub.sendClaimed('s-002', claimed('al-2')), frame: 'alert.claimed:al-2' }, every('-')],
];

let h: Harness | undefined;
afterEach(async () => { await h?.stop(); h = undefined; });

async function helloOutcome(url: string, hello: Record<string, unknown>): Promise<string> {
  const c = await TestClient.open(url);
  c.send({ type: 'hello', ...hello });
  const first = await c.next();
  if (first.type === 'welcome') { c.close(); return 'welcome'; }
  return `${first.code}/${(await c.closed).code}`;
}

const describeFrame = (f: AnyFrame): string => `${f.type}:${f.screenId ?? f.labelId ?? f.alertId ?? ''}`;

describe('role × frame matrix', () => {
  it.each(ROLES)('%s', async (role) => {
    const impressions: string[] = [];
    const claims: string[] = [];
    h = await startHub({ onImpression: (s, f) => impressions.push(`${s}/${f.screenId}`), onClaim: (ctx, f) => claims.push(`${f.type}:${ctx.storeId}/${ctx.associateId}/${f.alertId}`) });

    const hellos: Record<string, string> = {};
    for (const [name, make, want] of HELLOS) {
      hellos[name] = await helloOutcome(h.url, make(role));
      expect.soft(hellos[name], `hello: ${name}`).toBe(want[role]);
    }

    const { c } = await TestClient.hello(h.url, HELLO[role]);
    for (const [name, frame, want] of CLIENT_FRAMES) {
      h.clock.advance(1_000); // a well-behaved client: the frame limit plays no part here
      const got = await c.exchange(frame); // resolves only if the socket is still open
      const outcome = got.length === 0 ? 'ok' : got.map((f) => (f.type === 'error' ? f.code : f.type)).join(',');
      expect.soft(outcome, `client frame: ${name}`).toBe(want[role]);
    }
    expect(impressions).toEqual(role === 'screen' ? ['s-001/scr-coffee-1'] : []);
    expect(claims).toEqual(role === 'associate' ? ['claim:s-001/ann/al-1', 'release:s-001/ann/al-1'] : []);

    for (const [name, { send, frame }, want] of SERVER_FRAMES) {
      const result = send(h.hub);
      if (name.endsWith('(refused)')) expect.soft(result ?? 0, `${name} returns 0`).toBe(0);
      h.clock.advance(1_000);
      const got = (await c.exchange()).map(describeFrame).join(',');
      expect.soft(got || '-', `server frame: ${name}`).toBe(want[role] === 'got' ? frame : '-');
    }
    expect(h.hub.current('s-001', 'scr-tea-1')).toBeUndefined(); // a refused frame is not remembered either
  });
});
