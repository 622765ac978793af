/**
 * @module associate/test-fakes
 * Browser tests only (never imported by app code): sample alert frames, an in-page fake of the engine's side of
 * the associate socket (shared/testing.ts `FakeSocket`), a stubbed `fetch` for the store API (an associate
 * token reads the store list but gets 403 on the configuration, as from the real engine), a memory `Storage`
 * and a recording notifier. Browser tests cannot start the engine.
 */
import { vi } from 'vitest';
import { FakeSocket, FakeWebSocket } from '../shared/testing.js';
import type { AisleAssociateApp } from './associate-app.js';
import type { Notifier } from './notifier.js';
import type { AssociateSession } from './session.js';
import './associate-app.js';
import { until, memoryStorage } from '../shared/testing.js';
export { until, memoryStorage };

export const STORE_ID = 's-001';
export const SESSION: AssociateSession = { token: 'asc-token-0123456789', storeId: STORE_ID, associateId: 'ann' };

export const welcome = (seq = 0, target = 'ann') =>
  ({ type: 'welcome', role: 'associate', storeId: STORE_ID, target, seq, heartbeatMs: 15_000, serverTime: Date.now() });

export function vip(over: Record<string, unknown> = {}, customer: Record<string, unknown> = {}) {
  return {
    type: 'alert.vip', seq: 1, alertId: 'al-1', storeId: STORE_ID, zoneId: 'z-kitchen', reason: 'arrived',
    customer: {
      customerId: 'c-10231', displayName: 'Mia', tier: 'gold', points: 1240, lifecycle: 'active',
      tags: ['coffee lover', 'hosts dinners'],
      lastPurchases: [{ sku: 'SKU-1', name: 'Enamel Teapot, Sage' }, { sku: 'SKU-2', name: 'Linen Napkins, Set of 4' }],
      browsed: [{ sku: 'SKU-3', name: 'Stoneware Serving Bowl' }],
      visitsThisYear: 14, birthdayInDays: 3, ...customer,
    },
    suggestions: [
      { sku: 'SKU-3', name: 'Stoneware Serving Bowl', why: 'Looked at it twice, not bought' },
      { sku: 'SKU-4', name: 'Sage Tea Towels', why: 'Goes with her teapot' },
      { sku: 'SKU-5', name: 'Espresso Cups, Set of 2', why: 'Popular with coffee lovers' },
      { sku: 'SKU-6', name: 'Fourth suggestion', why: 'never shown' },
    ],
    talkingPoints: ['Birthday in 3 days: the birthday voucher applies', 'Asked about the autumn table range'],
    locale: 'en-GB', currency: 'GBP', createdAt: Date.now() - 60_000, ...over,
  };
}

export const claimed = (alertId: string, associateId: string | null, seq: number) =>
  ({ type: 'alert.claimed', seq, alertId, associateId, claimedAt: Date.now() });


export function fakeNotifier(): Notifier & { alerts: number } {
  let enabled = true;
  let locked = true;
  return {
    alerts: 0,
    get enabled() { return enabled; },
    get locked() { return locked; },
    setEnabled(on) { enabled = on; },
    unlock() { locked = false; },
    alert() { this.alerts++; },
  };
}

/** Stubs `fetch` like the engine answers an associate token. */
export function stubStoreApi(name = 'Shoreditch') {
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const path = new URL(String(input), location.origin).pathname;
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (path === '/api/v1/stores') return json([{ storeId: STORE_ID, name, zones: 6, screens: 8 }]);
    if (path === `/api/v1/stores/${STORE_ID}`) return json({ error: { code: 'auth.forbidden', message: 'role associate may not do this' } }, 403);
    return json({ error: { code: 'not_found', message: 'no route' } }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

export interface Mounted {
  el: AisleAssociateApp;
  notifier: ReturnType<typeof fakeNotifier>;
  storage: Storage;
}

/** Mounts the app signed in (unless `session: undefined`), with fast reconnects and a short replay wait. */
export async function mountApp(opts: { session?: AssociateSession | undefined; storage?: Storage; answerTimeoutMs?: number } = { session: SESSION }): Promise<Mounted> {
  const el = document.createElement('aisle-associate-app');
  const notifier = fakeNotifier();
  const storage = opts.storage ?? memoryStorage();
  el.storage = storage;
  el.notifier = notifier;
  el.webSocketImpl = FakeWebSocket;
  el.backoff = { baseMs: 20, capMs: 40, jitter: 0 };
  el.replaySettleMs = 30;
  if (opts.answerTimeoutMs) el.answerTimeoutMs = opts.answerTimeoutMs;
  el.session = 'session' in opts ? opts.session : SESSION;
  document.body.append(el);
  await el.updateComplete;
  return { el, notifier, storage };
}

/** Opens the socket and says welcome, as the engine would. */
export function connect(seq = 0): FakeSocket {
  const ws = FakeSocket.last;
  ws.open();
  ws.message(welcome(seq));
  return ws;
}

