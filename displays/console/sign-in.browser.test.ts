import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deepQueryAll } from '../shared/testing.js';
import { loadSession } from './session.js';
import type { AisleSignIn } from './sign-in.js';
import { CONSOLE_TOKEN, MERCH_TOKEN, STORE_ID, apiError, engineSocket, json, storeRoutes, stubApi, testStoreConfig, until } from './test-fakes.js';
import './console-app.js';

const q = <E extends Element = HTMLElement>(sel: string) => deepQueryAll<E>(document.body, sel);

async function mountSignIn(socket = engineSocket('console')) {
  const app = document.createElement('aisle-console');
  app.probe = { WebSocket: socket.WebSocket, url: 'ws://test/ws' };
  document.body.append(app);
  await app.updateComplete;
  const form = await until(() => q<AisleSignIn>('aisle-sign-in')[0]);
  await form.updateComplete;
  return { app, form };
}

async function typeToken(token: string): Promise<void> {
  const input = q<HTMLInputElement>('input.token')[0]!;
  input.focus();
  input.value = token;
  input.dispatchEvent(new Event('input'));
  await q<AisleSignIn>('aisle-sign-in')[0]!.updateComplete;
}

const pressEnter = (el: HTMLElement) => {
  // Implicit submission, as the browser does for Enter in a form's text field.
  (el.closest('form') ?? (el.getRootNode() as ShadowRoot).querySelector('form'))!.requestSubmit();
};

beforeEach(() => { sessionStorage.clear(); location.hash = ''; });
afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); sessionStorage.clear(); });

describe('sign in', () => {
  it('explains a token the engine does not know (401)', async () => {
    const api = stubApi(({ path }) => (path.startsWith('/api/') ? apiError(401, 'auth.invalid', 'unknown token') : undefined));
    await mountSignIn();
    await typeToken('not-a-real-token');
    pressEnter(q('input.token')[0]!);
    const err = await until(() => q('#token-error').find((e) => e.textContent?.trim()));
    expect(err.textContent).toContain('does not know this token');
    expect(q('input.token')[0]!.getAttribute('aria-invalid')).toBe('true');
    expect(api.calls[0]!.auth).toBe('Bearer not-a-real-token');
    expect(loadSession()).toBeUndefined();
  });

  it('explains a token of the wrong kind (403 on the rules)', async () => {
    stubApi(storeRoutes(), ({ path }) => (path === '/api/v1/rules' ? apiError(403, 'auth.forbidden', 'role screen may not do this') : undefined));
    await mountSignIn();
    await typeToken('tok-screen-0123456789');
    pressEnter(q('input.token')[0]!);
    const err = await until(() => q('#token-error').find((e) => e.textContent?.trim()));
    expect(err.textContent).toContain('needs a console or merchandiser token');
  });

  it('keeps the token, the store and the role in sessionStorage and opens the live store', async () => {
    stubApi(storeRoutes(), ({ path }) => (path === '/api/v1/rules' ? json([]) : undefined));
    const socket = engineSocket('merchandiser');
    await mountSignIn(socket);
    await typeToken(`  ${MERCH_TOKEN} `);
    pressEnter(q('input.token')[0]!);
    await until(() => loadSession());
    expect(loadSession()).toEqual({ token: MERCH_TOKEN, storeId: STORE_ID, role: 'merchandiser' });
    // The probe said hello as console (refused), then as merchandiser (welcomed).
    expect(socket.sockets.flatMap((s) => s.sentOfType('hello').map((h) => h['role']))).toEqual(expect.arrayContaining(['console', 'merchandiser']));
    await until(() => q('aisle-live-page')[0]);
    expect(location.hash).toBe('#/live');
    expect(q('.role')[0]!.textContent).toContain('Merchandiser');
  });

  it('lets a token for several stores pick one', async () => {
    const two = [{ storeId: STORE_ID, name: 'Markthalle Mitte', zones: 3, screens: 4 }, { storeId: 's-2', name: 'Hafen', zones: 1, screens: 1 }];
    stubApi(({ path }) => (path === '/api/v1/stores' ? json(two) : undefined), storeRoutes(testStoreConfig()),
      ({ path }) => (path === '/api/v1/rules' ? json([]) : undefined));
    await mountSignIn();
    await typeToken(CONSOLE_TOKEN);
    pressEnter(q('input.token')[0]!);
    const choice = await until(() => q('.store-choice').find((b) => b.dataset['storeId'] === STORE_ID));
    expect(q('.store-choice').map((b) => b.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Markthalle Mitte 3 zones · 4 screens', 'Hafen 1 zones · 1 screens']);
    choice.click();
    await until(() => loadSession()?.storeId === STORE_ID);
    expect(loadSession()!.role).toBe('console');
  });

  it('signs out: the token leaves sessionStorage', async () => {
    stubApi(storeRoutes(), ({ path }) => (path === '/api/v1/rules' ? json([]) : undefined));
    sessionStorage.setItem('aislecast.console.session', JSON.stringify({ token: CONSOLE_TOKEN, storeId: STORE_ID, role: 'console' }));
    location.hash = '#/rules';
    const app = document.createElement('aisle-console');
    document.body.append(app);
    await until(() => q('aisle-rules-page')[0]);
    expect(q('nav a[aria-current=page]')[0]!.textContent).toBe('Rules');
    q('.sign-out')[0]!.click();
    await until(() => q('aisle-sign-in')[0]);
    expect(loadSession()).toBeUndefined();
  });
});
