import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../shared/tokens.css';
import { FakeSocket, deepQueryAll, deepTexts } from '../shared/testing.js';
import type { AisleAssociateApp } from './associate-app.js';
import { SESSION, claimed, connect, memoryStorage, mountApp, stubStoreApi, until, vip, welcome } from './test-fakes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settle = async (el: AisleAssociateApp) => {
  for (let i = 0; i < 3; i++) {
    await el.updateComplete;
    for (const c of deepQueryAll<HTMLElement & { updateComplete?: Promise<unknown> }>(el, 'aisle-alert-list, aisle-alert-card, aisle-associate-sign-in')) await c.updateComplete;
    await sleep(0);
  }
};
const items = (el: AisleAssociateApp) => deepQueryAll(el, '.alert[data-alert-id]');
const itemText = (el: AisleAssociateApp, alertId: string) =>
  (deepQueryAll(el, `.alert[data-alert-id="${alertId}"]`)[0]?.textContent ?? '').replace(/\s+/g, ' ').trim();
const claimButton = (el: AisleAssociateApp) => deepQueryAll<HTMLButtonElement>(el, 'button.claim')[0]!;
async function openCard(el: AisleAssociateApp, alertId = 'al-1') {
  deepQueryAll<HTMLButtonElement>(el, `.alert[data-alert-id="${alertId}"]`)[0]!.click();
  await settle(el);
  expect(el.dataset['view']).toBe('card');
}

beforeEach(() => { FakeSocket.reset(); stubStoreApi(); history.replaceState(null, '', location.pathname + location.search); });
afterEach(() => { document.body.replaceChildren(); vi.unstubAllGlobals(); history.replaceState(null, '', location.pathname + location.search); });

describe('aisle-associate-app: the list', () => {
  it('says hello as the associate, shows it is connected and an empty state', async () => {
    const { el } = await mountApp();
    const ws = FakeSocket.last;
    expect(ws.url).toBe(`ws://${location.host}/ws`);
    expect(el.dataset['connection']).toBe('connecting');
    ws.open();
    expect(ws.sent[0]).toEqual({ type: 'hello', role: 'associate', token: SESSION.token, storeId: 's-001', associateId: 'ann' });
    ws.message(welcome());
    await settle(el);
    expect(el.dataset).toMatchObject({ view: 'list', connection: 'online', alerts: '0' });
    expect(deepTexts(el, '.conn')).toEqual(['Connected']);
    expect(deepTexts(el, '.empty strong')).toEqual(['No VIPs in the store right now']);
    await until(() => deepTexts(el, '.store-name')[0] === 'Shoreditch'); // store name from GET /api/v1/stores
  });

  it('shows a new alert with name, tier, zone, time since and state, and rings once', async () => {
    const { el, notifier } = await mountApp();
    const seen: unknown[] = [];
    el.addEventListener('aisle-new-alert', (e) => seen.push((e as CustomEvent).detail));
    connect().message(vip());
    await settle(el);
    expect(items(el)).toHaveLength(1);
    expect(deepTexts(el, '.alert .name')).toEqual(['Mia']);
    expect(deepTexts(el, '.alert .tier')).toEqual(['Gold']);
    expect(deepTexts(el, '.alert .zone')).toEqual(['Kitchen']); // the configuration is 403 for associates: named from the id
    expect(deepTexts(el, '.alert .since')[0]).toMatch(/1 min/);
    expect(deepTexts(el, '.alert .state')).toEqual(['New']);
    expect(deepQueryAll(el, '.alert')[0]!.dataset['state']).toBe('new');
    expect(notifier.alerts).toBe(1);
    expect(seen).toEqual([{ alertId: 'al-1', fresh: true }]);
    expect(deepQueryAll(el, '.empty')).toHaveLength(0);
  });

  it('lists newest first and shows "VIP member" with the tier, never a name or id, without displayName', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1, createdAt: Date.now() - 5 * 60_000 }));
    ws.message(vip({ seq: 2, alertId: 'al-2', zoneId: 'z-home', createdAt: Date.now() - 30_000 }, { displayName: undefined, customerId: 'c-99871', tier: 'platinum' }));
    await settle(el);
    expect(items(el).map((i) => i.dataset['alertId'])).toEqual(['al-2', 'al-1']);
    expect(deepTexts(el, '.alert .name')).toEqual(['VIP member', 'Mia']);
    expect(deepTexts(el, '.alert .tier')).toEqual(['Platinum', 'Gold']);
    expect(itemText(el, 'al-2')).not.toContain('c-99871');
    await openCard(el, 'al-2');
    expect(deepTexts(el, 'h1.name')).toEqual(['VIP member']);
    const card = deepQueryAll(el, 'aisle-alert-card')[0]!;
    expect(card.shadowRoot!.textContent).not.toContain('c-99871');
    expect(card.shadowRoot!.textContent).not.toContain('Mia');
  });

  it('updates an alert in place when the same alertId comes again, and ignores a stale copy', async () => {
    const { el, notifier } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1 }));
    ws.message(vip({ seq: 3, reason: 'lingering', zoneId: 'z-home', updatedAt: Date.now(), talkingPoints: ['She tapped the shelf label of the Oak Serving Board'] },
      { browsed: [{ sku: 'SKU-9', name: 'Oak Serving Board' }] }));
    ws.message(vip({ seq: 2, talkingPoints: ['stale'] }));
    await settle(el);
    expect(items(el)).toHaveLength(1);
    expect(itemText(el, 'al-1')).toContain('Home · Lingering');
    expect(deepQueryAll(el, '.alert .zone').length).toBe(1);
    expect(notifier.alerts).toBe(1);
    await openCard(el);
    expect(deepTexts(el, '.talking li')).toEqual(['She tapped the shelf label of the Oak Serving Board']);
    expect(deepTexts(el, '.browsed li')).toEqual(['Oak Serving Board']);
    expect(deepTexts(el, '.updated')[0]).toMatch(/^Updated/);
  });

  it('shows both alerts when the hub delivers a newer frame of one before an older frame of another', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 6, alertId: 'al-2' }));
    ws.message(vip({ seq: 5, alertId: 'al-1' }));
    await settle(el);
    expect(items(el)).toHaveLength(2);
  });
});

describe('aisle-associate-app: claiming', () => {
  it('sends claim, shows "Claiming…", then "Claimed by you" and Release after alert.claimed', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip());
    await settle(el);
    await openCard(el);
    expect(claimButton(el).textContent!.trim()).toBe('Claim');
    expect(claimButton(el).dataset['action']).toBe('claim');
    claimButton(el).click();
    await settle(el);
    expect(ws.sentOfType('claim')).toEqual([{ type: 'claim', alertId: 'al-1' }]);
    expect(claimButton(el).textContent!.trim()).toBe('Claiming…');
    expect(claimButton(el).disabled).toBe(true);
    ws.message(claimed('al-1', 'ann', 2));
    await settle(el);
    expect(deepTexts(el, '.hero .state')).toEqual(['Claimed by you']);
    expect(claimButton(el).dataset['action']).toBe('release');
    expect(claimButton(el).textContent!.trim()).toBe('Release');
    // the list says so too
    deepQueryAll<HTMLButtonElement>(el, 'button.back')[0]!.click();
    await settle(el);
    expect(el.dataset['view']).toBe('list');
    expect(deepTexts(el, '.alert .state')).toEqual(['Claimed by you']);
    expect(deepQueryAll(el, '.alert')[0]!.dataset['state']).toBe('mine');
  });

  it('releases: sends release, and shows Released with Claim again after alert.claimed null', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1, claimedBy: { associateId: 'ann', claimedAt: Date.now() } }));
    await settle(el);
    await openCard(el);
    expect(claimButton(el).dataset['action']).toBe('release');
    claimButton(el).click();
    await settle(el);
    expect(ws.sentOfType('release')).toEqual([{ type: 'release', alertId: 'al-1' }]);
    expect(claimButton(el).textContent!.trim()).toBe('Releasing…');
    ws.message(claimed('al-1', null, 2));
    await settle(el);
    expect(deepTexts(el, '.hero .state')).toEqual(['Released']);
    expect(claimButton(el).dataset['action']).toBe('claim');
    expect(claimButton(el).disabled).toBe(false);
  });

  it('shows someone else\'s claim with their id, and no Claim button to take it', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip());
    ws.message(claimed('al-1', 'bob', 2));
    await settle(el);
    expect(deepTexts(el, '.alert .state')).toEqual(['Claimed by bob']);
    await openCard(el);
    expect(claimButton(el).dataset['action']).toBe('other');
    expect(claimButton(el).textContent!.trim()).toBe('Claimed by bob');
    expect(claimButton(el).disabled).toBe(true);
  });

  it('says so when the engine never answers a claim', async () => {
    const { el } = await mountApp({ session: SESSION, answerTimeoutMs: 50 });
    const ws = connect();
    ws.message(vip());
    await settle(el);
    await openCard(el);
    claimButton(el).click();
    await sleep(80);
    (el as unknown as { _onTick(): void })._onTick();
    await settle(el);
    expect(deepTexts(el, '.notice span')).toEqual(['No answer from the engine. Try again.']);
    expect(claimButton(el).dataset['action']).toBe('claim');
  });
});

describe('aisle-associate-app: network drops', () => {
  it('reconnects with resumeSeq and de-duplicates the replay of open alerts', async () => {
    const { el, notifier } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1 }));
    ws.message(vip({ seq: 2, alertId: 'al-2' }));
    ws.message(claimed('al-1', 'bob', 3));
    ws.message(vip({ seq: 4, alertId: 'al-2', talkingPoints: ['updated'] }));
    await settle(el);
    expect(items(el)).toHaveLength(2);
    ws.serverClose();
    await settle(el);
    expect(el.dataset['connection']).toBe('offline');
    expect(deepTexts(el, '.conn')).toEqual(['Reconnecting…']);
    expect(deepTexts(el, '.offline-banner')[0]).toContain('Offline');
    expect(items(el)).toHaveLength(2); // kept while offline

    await until(() => FakeSocket.instances.length === 2);
    const ws2 = FakeSocket.last;
    ws2.open();
    expect(ws2.sent[0]).toMatchObject({ type: 'hello', role: 'associate', resumeSeq: 4 });
    ws2.message(welcome(5));
    // the server replays each open alert's latest alert.vip, and alert.claimed for claimed ones
    ws2.message(vip({ seq: 1 }));
    ws2.message(claimed('al-1', 'bob', 3));
    ws2.message(vip({ seq: 4, alertId: 'al-2', talkingPoints: ['updated'] }));
    ws2.message(vip({ seq: 5, alertId: 'al-3', zoneId: 'z-bags' })); // new while we were away
    await settle(el);
    expect(el.dataset['connection']).toBe('online');
    expect(deepQueryAll(el, '.offline-banner')).toHaveLength(0);
    expect(items(el).map((i) => i.dataset['alertId'])).toEqual(['al-3', 'al-2', 'al-1']);
    expect(deepTexts(el, `.alert[data-alert-id="al-1"] .state`)).toEqual(['Claimed by bob']);
    expect(notifier.alerts).toBe(3); // one per new alert, none for the replayed ones
  });

  it('queues a claim made offline, says so, and sends it after the reconnect', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1 }));
    await settle(el);
    await openCard(el);
    ws.serverClose();
    await settle(el);
    claimButton(el).click();
    await settle(el);
    expect(ws.sentOfType('claim')).toHaveLength(0);
    expect(deepTexts(el, '.queued span')).toEqual(['Offline: your claim is sent when the connection is back.']);
    expect(deepQueryAll(el, '.queued button.cancel')).toHaveLength(1);
    expect(claimButton(el).disabled).toBe(true);

    await until(() => FakeSocket.instances.length === 2);
    const ws2 = FakeSocket.last;
    ws2.open();
    ws2.message(welcome(1));
    ws2.message(vip({ seq: 1 })); // replay: still nobody's
    await until(() => ws2.sentOfType('claim').length === 1);
    expect(ws2.sentOfType('claim')).toEqual([{ type: 'claim', alertId: 'al-1' }]);
    await settle(el);
    expect(deepQueryAll(el, '.queued')).toHaveLength(0);
    expect(claimButton(el).textContent!.trim()).toBe('Claiming…');
    ws2.message(claimed('al-1', 'ann', 2));
    await settle(el);
    expect(deepTexts(el, '.hero .state')).toEqual(['Claimed by you']);
  });

  it('drops a queued claim when the replay shows someone else took the alert, with a notice', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1 }));
    await settle(el);
    await openCard(el);
    ws.serverClose();
    await settle(el);
    claimButton(el).click();
    await until(() => FakeSocket.instances.length === 2);
    const ws2 = FakeSocket.last;
    ws2.open();
    ws2.message(welcome(2));
    ws2.message(vip({ seq: 1 }));
    ws2.message(claimed('al-1', 'bob', 2));
    await sleep(80); // past the replay wait
    await settle(el);
    expect(ws2.sentOfType('claim')).toHaveLength(0);
    expect(deepTexts(el, '.notice span')).toEqual(['bob claimed this VIP first.']);
    expect(claimButton(el).textContent!.trim()).toBe('Claimed by bob');
  });

  it('re-sends a claim that was on the wire when the connection dropped', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1 }));
    await settle(el);
    await openCard(el);
    claimButton(el).click();
    expect(ws.sentOfType('claim')).toHaveLength(1);
    ws.serverClose();
    await until(() => FakeSocket.instances.length === 2);
    const ws2 = FakeSocket.last;
    ws2.open();
    ws2.message(welcome(1));
    await until(() => ws2.sentOfType('claim').length === 1);
  });

  it('lets a queued claim be cancelled', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 1 }));
    await settle(el);
    await openCard(el);
    ws.serverClose();
    await settle(el);
    claimButton(el).click();
    await settle(el);
    deepQueryAll<HTMLButtonElement>(el, '.queued button.cancel')[0]!.click();
    await settle(el);
    expect(claimButton(el).dataset['action']).toBe('claim');
    await until(() => FakeSocket.instances.length === 2);
    const ws2 = FakeSocket.last;
    ws2.open();
    ws2.message(welcome(1));
    await sleep(80);
    expect(ws2.sentOfType('claim')).toHaveLength(0);
  });

  it('takes a restarted server\'s lower seqs as new', async () => {
    const { el } = await mountApp();
    const ws = connect();
    ws.message(vip({ seq: 40 }));
    await settle(el);
    ws.serverClose();
    await until(() => FakeSocket.instances.length === 2);
    const ws2 = FakeSocket.last;
    ws2.open();
    ws2.message(welcome(0)); // the server lost its state
    ws2.message(claimed('al-1', 'bob', 1));
    await settle(el);
    expect(deepTexts(el, '.alert .state')).toEqual(['Claimed by bob']);
  });

  it('shows a refused sign-in with a way to sign out', async () => {
    const { el, storage } = await mountApp();
    FakeSocket.last.open();
    FakeSocket.last.message({ type: 'error', code: 'ws.forbidden', message: 'token is bound to another associate' });
    await settle(el);
    expect(el.dataset['connection']).toBe('rejected');
    expect(deepTexts(el, '.rejected span')[0]).toContain('token is bound to another associate');
    deepQueryAll<HTMLButtonElement>(el, '.rejected button.sign-out')[0]!.click();
    await settle(el);
    expect(el.dataset['view']).toBe('sign-in');
    expect(storage.getItem('aislecast.associate.session')).toBeNull();
  });
});

describe('aisle-associate-app: the card', () => {
  it('shows the profile, 3 suggestions with their why, talking points, purchases and browsed', async () => {
    const { el } = await mountApp();
    connect().message(vip());
    await settle(el);
    await openCard(el);
    expect(deepTexts(el, 'h1.name')).toEqual(['Mia']);
    expect(deepTexts(el, '.hero .tier')).toEqual(['Gold']);
    expect(deepTexts(el, '.facts li')).toEqual(['1,240 points', 'Active', '14 visits this year', 'Birthday in 3 days']);
    expect(deepTexts(el, '.tags li')).toEqual(['coffee lover', 'hosts dinners']);
    expect(deepTexts(el, '.suggestions .item')).toEqual(['Stoneware Serving Bowl', 'Sage Tea Towels', 'Espresso Cups, Set of 2']);
    expect(deepTexts(el, '.suggestions .why')[1]).toBe('Goes with her teapot');
    expect(deepTexts(el, '.talking li')).toHaveLength(2);
    expect(deepTexts(el, '.purchases li')).toEqual(['Enamel Teapot, Sage', 'Linen Napkins, Set of 4']);
    expect(deepTexts(el, '.browsed li')).toEqual(['Stoneware Serving Bowl']);
    expect(location.hash).toBe('#/alert/al-1');
  });

  it('goes back with Escape and focuses the alert it came from', async () => {
    const { el } = await mountApp();
    connect().message(vip());
    await settle(el);
    await openCard(el);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle(el);
    await until(() => el.dataset['view'] === 'list');
    const list = deepQueryAll(el, 'aisle-alert-list')[0]!;
    await until(() => (list.shadowRoot!.activeElement as HTMLElement | null)?.dataset['alertId'] === 'al-1');
  });

  it('speaks German for a de-DE alert', async () => {
    const { el } = await mountApp();
    connect().message(vip({ locale: 'de-DE', currency: 'EUR' }, { displayName: undefined, visitsThisYear: 1, birthdayInDays: 0 }));
    await settle(el);
    expect(deepTexts(el, '.alert .name')).toEqual(['VIP-Mitglied']);
    expect(deepTexts(el, '.alert .state')).toEqual(['Neu']);
    expect(deepTexts(el, '.alert .since')[0]).toMatch(/^vor 1 Min/);
    expect(deepTexts(el, '.head h1')[0]).toMatch(/^VIPs im Laden/); // the app's own words follow the latest alert
    await openCard(el);
    expect(deepTexts(el, '.facts li')).toEqual(['1.240 Punkte', 'Aktiv', '1 Besuch dieses Jahr', 'Hat heute Geburtstag']);
    expect(deepTexts(el, 'h2')).toEqual(['Profil', 'Gesprächsthemen', 'Vorschläge', 'Zuletzt gekauft', 'Angesehen, nicht gekauft']);
    expect(claimButton(el).textContent!.trim()).toBe('Übernehmen');
    expect(deepQueryAll(el, 'article.card')[0]!.getAttribute('lang')).toBe('de-DE');
    FakeSocket.last.message(claimed('al-1', 'ann', 2));
    await settle(el);
    expect(deepTexts(el, '.hero .state')).toEqual(['Von dir übernommen']);
    expect(claimButton(el).textContent!.trim()).toBe('Freigeben');
  });

  it('speaks Simplified Chinese for a zh-CN alert', async () => {
    const { el } = await mountApp();
    connect().message(vip({ locale: 'zh-CN', currency: 'CNY' }));
    await settle(el);
    expect(deepTexts(el, '.alert .tier')).toEqual(['金卡']);
    await openCard(el);
    expect(claimButton(el).textContent!.trim()).toBe('认领');
  });
});

describe('aisle-associate-app: sign-in and sound', () => {
  it('signs in with token and associate id, finds the token\'s store, remembers it and connects', async () => {
    const storage = memoryStorage();
    const { el } = await mountApp({ session: undefined, storage });
    expect(el.dataset['view']).toBe('sign-in');
    expect(FakeSocket.instances).toHaveLength(0);
    const type = (sel: string, v: string) => {
      const input = deepQueryAll<HTMLInputElement>(el, sel)[0]!;
      input.value = v;
      input.dispatchEvent(new Event('input'));
    };
    type('input.token', 'asc-token-0123456789');
    await settle(el);
    deepQueryAll<HTMLButtonElement>(el, 'button[type=submit]')[0]!.click();
    await settle(el);
    expect(deepTexts(el, '.error')).toEqual(['Enter your associate id.']);
    type('input.associate', 'ann');
    deepQueryAll<HTMLButtonElement>(el, 'button[type=submit]')[0]!.click();
    await until(() => el.dataset['view'] === 'list');
    expect(JSON.parse(storage.getItem('aislecast.associate.session')!)).toEqual(SESSION);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent[0]).toMatchObject({ type: 'hello', role: 'associate', storeId: 's-001', associateId: 'ann' });
  });

  it('asks for a first tap to allow sound below the list, so the tap that removes the hint moves nothing above it', async () => {
    const { el } = await mountApp();
    connect().message(vip());
    await settle(el);
    const main = el.shadowRoot!.querySelector('main')!;
    const order = [...main.children].map((c) => c.localName + (c.classList.contains('sound-hint') ? '.sound-hint' : ''));
    expect(order.indexOf('p.sound-hint')).toBeGreaterThan(order.indexOf('aisle-alert-list'));
    document.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    await settle(el);
    expect(deepQueryAll(el, '.sound-hint')).toHaveLength(0);
  });

  it('remembers the sound choice', async () => {
    const { el, notifier } = await mountApp();
    connect();
    await settle(el);
    const toggle = () => deepQueryAll<HTMLButtonElement>(el, 'button.sound')[0]!;
    expect(toggle().getAttribute('aria-checked')).toBe('true');
    toggle().click();
    await settle(el);
    expect(notifier.enabled).toBe(false);
    expect(toggle().getAttribute('aria-checked')).toBe('false');
  });
});
