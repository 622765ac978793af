/**
 * Privacy on public screens: whoever stands in front of a screen may read an item's name, prices, badge
 * and note (plus the frame's greeting and headline) — never a score, a reason code, a category or a
 * purchase history. The player validates frames with the strict wire schema and refuses any other item field.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../shared/tokens.css';
import { ContentItem, ScreenContent, ServerFrame } from '../shared/contracts.js';
import { formatPrice, initials, pickLocale } from '../shared/format.js';
import { FakeSocket, FakeWebSocket, welcome } from '../shared/testing.js';
import { DEMO_CATEGORIES, DEMO_FRAMES, DEMO_GRID, DEMO_HERO } from './demo-frames.js';
import type { AisleScreenPlayer } from './player.js';
import './grid-template.js';
import './player.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settle = async (el: AisleScreenPlayer) => { await el.updateComplete; await sleep(0); await el.updateComplete; };

/** Calls `visit` for every node below `root`, shadow roots included. */
function walk(root: Node, visit: (n: Node) => void): void {
  visit(root);
  if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot, visit);
  for (const c of root.childNodes) walk(c, visit);
}

/** Each element's own text (its direct text nodes joined, whitespace collapsed), for every element that has some. */
function shownTexts(root: Node): string[] {
  const out: string[] = [];
  walk(root, (n) => {
    if (!(n instanceof Element) || n.tagName === 'STYLE') return;
    const own = [...n.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join('');
    const t = own.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
  });
  return out;
}

/** Every text and attribute value below `root` (shadow roots included), for "appears nowhere" checks. */
function everything(root: Node): string {
  const parts: string[] = [];
  walk(root, (n) => {
    if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
    if (n instanceof Element) for (const a of n.attributes) parts.push(`${a.name}=${a.value}`);
  });
  return parts.join('\n');
}

/** What a screen may print for `frame`: shopper-facing words of its items, the frame's own words, fixed labels. */
function allowedTexts(frame: ScreenContent, fallbackLocale: string): Set<string> {
  const locale = pickLocale(frame.locale, fallbackLocale);
  const price = (n: number) => formatPrice(n, frame.currency ?? 'GBP', locale).replace(/\s+/g, ' ');
  const ok = new Set(['Member price', 'Also picked for you', 'You may also like']);
  for (const s of [frame.greeting, frame.headline]) if (s) ok.add(s);
  for (const i of frame.items) {
    ok.add(i.name); ok.add(initials(i.name)); ok.add(price(i.price));
    if (i.memberPrice !== undefined) ok.add(price(i.memberPrice));
    if (i.badge) ok.add(i.badge);
    if (i.note) ok.add(i.note);
  }
  return ok;
}

/** Internal words that must never reach a public screen. */
const INTERNAL = /affinity|bought|\bscore\b|rule r-|\b0\.\d\d\b|category|christmas 0|\bwhy\b/i;

const SECRET_WHY = 'affinity christmas 0.18 · bought 4× before';
const leaky = (over: Record<string, unknown>) => ({
  ...DEMO_GRID, screenId: 'scr-1', seq: 20, decisionId: 'dec-leaky',
  items: DEMO_GRID.items.map((i, n) => (n === 2 ? { ...i, ...over } : i)),
});

async function mountPlayer() {
  const el = document.createElement('aisle-screen-player');
  el.setAttribute('store', 's-001'); el.setAttribute('screen', 'scr-1'); el.setAttribute('token', 'tok-123');
  el.setAttribute('locale', 'en-GB');
  el.storeName = 'Test Store';
  el.categories = DEMO_CATEGORIES;
  el.webSocketImpl = FakeWebSocket;
  document.body.append(el);
  await el.updateComplete;
  FakeSocket.last.open();
  FakeSocket.last.message(welcome());
  return el;
}
const activeLayer = (el: AisleScreenPlayer) => el.shadowRoot!.querySelector('.layer.active')!;

beforeEach(() => FakeSocket.reset());
afterEach(() => { document.body.replaceChildren(); });

describe('public screen privacy', () => {
  it('the demo frames conform to the strict wire schema (only shopper-facing item fields)', () => {
    const allowed = ['sku', 'name', 'price', 'memberPrice', 'image', 'badge', 'note'];
    for (const f of Object.values(DEMO_FRAMES)) {
      expect(ServerFrame.safeParse(f).success).toBe(true);
      for (const i of f.items) {
        expect(Object.keys(i).every((k) => allowed.includes(k))).toBe(true);
        expect(`${i.badge ?? ''} ${i.note ?? ''}`).not.toMatch(INTERNAL);
      }
    }
  });

  for (const name of ['hero', 'grid'] as const) {
    it(`prints nothing but names, prices, badges and notes (${name})`, async () => {
      const el = await mountPlayer();
      const frame = { ...DEMO_FRAMES[name], screenId: 'scr-1', seq: 7 };
      FakeSocket.last.message(frame);
      await settle(el);
      expect(el.dataset['decisionId']).toBe(frame.decisionId);
      const shown = shownTexts(activeLayer(el));
      expect(shown.length).toBeGreaterThan(frame.items.length);
      const ok = allowedTexts(frame, 'en-GB');
      expect(shown.filter((t) => !ok.has(t))).toEqual([]);
      expect(shown.join('\n')).not.toMatch(INTERNAL);
      // Every note is on screen, so the check above really saw them.
      for (const i of frame.items) if (i.note) expect(shown).toContain(i.note);
    });
  }

  it('refuses a frame whose items carry a reason, a category or a score, and renders none of it', async () => {
    const el = await mountPlayer();
    FakeSocket.last.message({ ...DEMO_HERO, screenId: 'scr-1', seq: 10 });
    await settle(el);
    expect(el.dataset['decisionId']).toBe('dec-demo-hero');
    const impressions = () => FakeSocket.last.sentOfType('impression').length;
    expect(impressions()).toBe(1);

    const bad = [
      leaky({ why: SECRET_WHY }),
      leaky({ category: 'christmas' }),
      leaky({ score: 0.93, reasons: ['bought 4× before'] }),
      leaky({ note: 'Because you bought this 4× before and more and more and more and more' }), // over 60
      leaky({ badge: 'bought 4× before · affinity 0.9' }), // over 24
    ];
    for (const [n, f] of bad.entries()) {
      expect(ScreenContent.safeParse(f).success).toBe(false);
      FakeSocket.last.message({ ...f, seq: 20 + n });
    }
    await settle(el);
    expect(el.dataset['decisionId']).toBe('dec-demo-hero'); // still the last valid frame
    expect(impressions()).toBe(1);
    const all = everything(el);
    expect(all).not.toContain(SECRET_WHY);
    expect(all).not.toMatch(/christmas|bought|0\.93|affinity/i);

    // The same frame without the extra field is fine.
    FakeSocket.last.message({ ...leaky({}), seq: 40 });
    await settle(el);
    expect(el.dataset['decisionId']).toBe('dec-leaky');
  });

  it('drops unknown top-level fields of a frame and renders the rest', async () => {
    const el = await mountPlayer();
    FakeSocket.last.message({ ...DEMO_GRID, screenId: 'scr-1', seq: 5, debug: SECRET_WHY,
      scores: { 'SKU-4101': 0.93 }, customerId: 'c-mia' });
    await settle(el);
    expect(el.dataset['decisionId']).toBe('dec-demo-grid');
    const all = everything(el);
    expect(all).not.toContain(SECRET_WHY);
    expect(all).not.toMatch(/0\.93|c-mia/);
  });

  it('templates print only the known item fields, even when handed a non-conforming item', async () => {
    const items = DEMO_GRID.items.slice(0, 2).map((i) =>
      ({ ...i, why: SECRET_WHY, category: 'christmas', score: 0.93 }) as unknown as ContentItem);
    const el = document.createElement('aisle-grid-template');
    el.content = { ...DEMO_GRID, items };
    el.locale = 'en-GB';
    document.body.append(el);
    await el.updateComplete;
    const all = everything(el);
    expect(all).not.toContain(SECRET_WHY);
    expect(all).not.toMatch(/christmas|0\.93/i);
    expect(shownTexts(el).filter((t) => !allowedTexts({ ...DEMO_GRID, items: DEMO_GRID.items.slice(0, 2) }, 'en-GB').has(t))).toEqual([]);
  });
});
