import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LabelUpdate, parseUntrusted } from '#contracts';
import { LAYOUTS } from '../../engine/labels/layouts.js';
import { carriesPersonalId } from '../kit/scrub.js';
import { normalizeTagMac, OeplConfig, tagDirectory, tagDisplay, wsUrlOf } from './config.js';
import { parseApMessage, tapAction, WAKE } from './frames.js';
import { AP_FONT, AP_FONT_ASCENT, labelCommands, type DrawCommand } from './layout.js';
import { LED_COLORS, ledPattern, ROUND_MS } from './led.js';
import { createPressDetector, pressId } from './presses.js';

const KEY = 'k'.repeat(32);
const base = { gatewayId: 'oepl-1', storeId: 's-1', mqtt: { url: 'mqtt://127.0.0.1:1883' }, pseudonymKey: KEY };
const oepl = (o: Record<string, unknown> = {}) => ({ engineUrl: 'http://127.0.0.1:8080', token: 'tok-x', accessPoint: 'http://192.168.1.40', tags: { '0000021EDE3B3B15': 'L-1' }, ...o });

describe('configuration', () => {
  it('fills the defaults, normalizes tag MACs whatever their spelling, maps tags both ways', () => {
    const cfg = OeplConfig.parse({ ...base, oepl: oepl({ tags: { '00:00:02:1e:de:3b:3b:15': 'L-1', 'aabbccddeeff': { labelId: 'L-2', hwType: 2 } } }) });
    expect(cfg.oepl).toMatchObject({ mode: 'json', debounceMs: 1500, retry: { attempts: 5, backoffMs: 1000 } });
    const { byMac, byLabel } = tagDirectory(cfg.oepl);
    expect([...byMac.keys()]).toEqual(['0000021EDE3B3B15', '0000AABBCCDDEEFF']);
    expect(byLabel.get('L-2')).toEqual({ mac: '0000AABBCCDDEEFF', labelId: 'L-2', hwType: 2 });
    expect(normalizeTagMac('0000-021e-de3b-3b15')).toBe('0000021EDE3B3B15');
    expect(normalizeTagMac('not a mac')).toBeUndefined();
    expect(normalizeTagMac(42)).toBeUndefined();
  });

  it('refuses a key that is no MAC, a tag listed twice, a label on two tags, a MAC-shaped labelId, a non-http address, unknown fields', () => {
    const bad = (o: Record<string, unknown>) => OeplConfig.safeParse({ ...base, oepl: oepl(o) });
    expect(bad({ tags: { 'shelf-1': 'L-1' } }).error?.issues[0]?.path).toEqual(['oepl', 'tags', 'shelf-1']);
    expect(bad({ tags: { '0000021EDE3B3B15': 'L-1', '00:00:02:1E:DE:3B:3B:15': 'L-2' } }).success).toBe(false);
    expect(bad({ tags: { '0000021EDE3B3B15': 'L-1', '0000021EDE3B3B16': 'L-1' } }).success).toBe(false);
    expect(bad({ tags: { '0000021EDE3B3B15': 'aa:bb:cc:dd:ee:ff' } }).success).toBe(false);
    expect(bad({ tags: { '0000021EDE3B3B15': '0000021EDE3B3B15' } }).success).toBe(false);
    expect(bad({ accessPoint: '192.168.1.40' }).success).toBe(false);
    expect(bad({ engineUrl: 'ws://x' }).success).toBe(false);
    expect(bad({ mode: 'bmp' }).success).toBe(false);
    expect(bad({ extra: 1 }).success).toBe(false);
    expect(bad({ tags: { '0000021EDE3B3B15': { labelId: 'L-1', display: 'bwr-999' } } }).success).toBe(false);
  });

  it('example.json is a valid configuration (its secrets from the environment)', () => {
    process.env.AISLE_PSEUDONYM_KEY = KEY;
    process.env.AISLE_LABEL_GATEWAY_TOKEN = 'lgw_example_token';
    try {
      const text = readFileSync(fileURLToPath(new URL('./example.json', import.meta.url)), 'utf8');
      const r = OeplConfig.safeParse(JSON.parse(text));
      expect(r.error?.issues).toBeUndefined();
      expect(r.data?.oepl.token).toBe('lgw_example_token');
    } finally {
      delete process.env.AISLE_PSEUDONYM_KEY;
      delete process.env.AISLE_LABEL_GATEWAY_TOKEN;
    }
  });

  it('a tag\'s panel: configured display, then configured hwType, then the hwType the AP reported, then the frame\'s', () => {
    const t = { mac: 'M', labelId: 'L' };
    expect(tagDisplay({ ...t, display: 'bwr-296x128', hwType: 2 }, 2, 'bwr-400x300')).toBe('bwr-296x128');
    expect(tagDisplay({ ...t, hwType: 2 }, 1, undefined)).toBe('bwr-400x300');
    expect(tagDisplay(t, 0x11, 'bwr-400x300')).toBe('bwr-296x128');
    expect(tagDisplay(t, 0x33, 'bwr-400x300')).toBe('bwr-400x300');
    expect(tagDisplay(t, undefined, undefined)).toBeUndefined();
    expect(wsUrlOf('https://engine.example.net/aisle/')).toBe('wss://engine.example.net/aisle/ws');
    expect(wsUrlOf('http://192.168.1.40')).toBe('ws://192.168.1.40/ws');
  });
});

describe('tag frames', () => {
  const record = (o: Record<string, unknown> = {}) => ({ mac: '0000021EDE3B3B15', hash: '00', lastseen: 1_760_000_000, nextupdate: 0, nextcheckin: 1_760_000_040,
    pending: 0, alias: '', contentMode: 24, LQI: 99, RSSI: -60, temperature: 21, batteryMv: 2900, hwType: 1, wakeupReason: 4, capabilities: 43, ...o });

  it('reads tag records: MAC normalized, wake reason, check-in time, hardware type; a bad record does not spoil the others', () => {
    const m = parseApMessage(JSON.stringify({ tags: [record(), record({ mac: 'zz', wakeupReason: 3 }), record({ mac: 'aabbccddeeff', lastseen: 'soon', hwType: -1 })] }));
    expect(m.kind).toBe('tags');
    if (m.kind !== 'tags') return;
    expect(m.records[0]).toEqual({ ok: true, record: { mac: '0000021EDE3B3B15', wakeupReason: 4, lastseen: 1_760_000_000, hwType: 1 } });
    expect(m.records[1]).toMatchObject({ ok: false, reason: 'invalid_tag' });
    // Fields the bridge only reads when they are sound are dropped, not the record.
    expect(m.records[2]).toEqual({ ok: true, record: { mac: '0000AABBCCDDEEFF', wakeupReason: 4 } });
    expect(parseApMessage(JSON.stringify({ tags: [record({ wakeupReason: 'button' })] }))).toMatchObject({ records: [{ ok: false }] });
  });

  it('tells the AP\'s other messages from garbage', () => {
    expect(parseApMessage('{"sys":{"currtime":1760000000,"heap":1}}')).toEqual({ kind: 'sys', apTime: 1_760_000_000 });
    expect(parseApMessage('{"errMsg":"invalid jpg"}')).toEqual({ kind: 'error', message: 'invalid jpg' });
    expect(parseApMessage('{"logMsg":"hello"}')).toEqual({ kind: 'other' });
    expect(parseApMessage('{"tags":{}}')).toMatchObject({ kind: 'invalid', reason: 'invalid_frame' });
    expect(parseApMessage('[1,2]')).toMatchObject({ kind: 'invalid', reason: 'invalid_frame' });
    expect(parseApMessage('{"tags":[')).toMatchObject({ kind: 'invalid', reason: 'invalid_json' });
    expect(parseApMessage('x'.repeat(70_000))).toMatchObject({ kind: 'invalid', reason: 'too_large' });
    expect(parseApMessage(JSON.stringify({ tags: Array.from({ length: 201 }, () => record()) }))).toMatchObject({ reason: 'too_large' });
  });

  it('wake reasons: buttons 1 and 2 are a button tap, NFC an nfc tap, nothing else is a tap', () => {
    expect(tapAction(WAKE.button1)).toBe('button');
    expect(tapAction(WAKE.button2)).toBe('button');
    expect(tapAction(WAKE.nfc)).toBe('nfc');
    for (const r of [WAKE.timed, WAKE.boot, WAKE.gpio, WAKE.firstBoot, WAKE.networkScan, WAKE.watchdogReset, WAKE.failedOta, 6, 255]) expect(tapAction(r)).toBeUndefined();
  });
});

describe('presses', () => {
  const mac = '0000021EDE3B3B15';
  const clock = () => { let t = 1_000_000; return { now: () => t, tick: (ms: number) => { t += ms; } }; };

  it('several records of one press are one tap; a record of it that comes back later is recognised; a new check-in is a new press', () => {
    const c = clock();
    const d = createPressDetector({ storeId: 's-1', debounceMs: 1500, now: c.now });
    const first = d.offer({ mac, wakeupReason: 4, lastseen: 100 });
    expect(first).toMatchObject({ kind: 'press', action: 'button' });
    c.tick(300);
    expect(d.offer({ mac, wakeupReason: 4, lastseen: 100 })).toEqual({ kind: 'debounced' });
    c.tick(1000);
    expect(d.offer({ mac, wakeupReason: 4, lastseen: 101 })).toEqual({ kind: 'debounced' });
    // Ten seconds on, the AP re-sends the tag's record (new content was queued): the same check-in, not a press.
    c.tick(10_000);
    expect(d.offer({ mac, wakeupReason: 4, lastseen: 100 })).toEqual({ kind: 'repeat' });
    // The tag checks in on its timer, then is pressed again.
    expect(d.offer({ mac, wakeupReason: 0, lastseen: 140 })).toEqual({ kind: 'none' });
    const second = d.offer({ mac, wakeupReason: 4, lastseen: 150 });
    expect(second).toMatchObject({ kind: 'press' });
    expect(second.kind === 'press' && first.kind === 'press' && second.id !== first.id).toBe(true);
    // NFC right after the button is another press.
    expect(d.offer({ mac, wakeupReason: 3, lastseen: 150 })).toMatchObject({ kind: 'press', action: 'nfc' });
  });

  it('a check-in taken while a press was debounced is not a press when its record comes back', () => {
    const c = clock();
    const d = createPressDetector({ storeId: 's-1', debounceMs: 1500, now: c.now });
    expect(d.offer({ mac, wakeupReason: 3, lastseen: 10 }).kind).toBe('press');
    expect(d.offer({ mac, wakeupReason: 3, lastseen: 11 }).kind).toBe('debounced');
    expect(d.offer({ mac, wakeupReason: 5, lastseen: 12 }).kind).toBe('press');
    // The AP re-sends the NFC check-in's record: it was part of the first press.
    expect(d.offer({ mac, wakeupReason: 3, lastseen: 11 }).kind).toBe('repeat');
  });

  it('ids are deterministic per press, differ per store, tag, reason and check-in, and are never MAC-shaped', () => {
    const id = pressId('s-1', mac, 4, 's100');
    expect(id).toBe(pressId('s-1', mac, 4, 's100'));
    expect(new Set([id, pressId('s-2', mac, 4, 's100'), pressId('s-1', '0000021EDE3B3B16', 4, 's100'), pressId('s-1', mac, 5, 's100'), pressId('s-1', mac, 4, 's101')]).size).toBe(5);
    expect(id).toMatch(/^oepl-[0-9a-f]{32}$/);
    expect(carriesPersonalId(id)).toBe(false);
    // Two detectors (a restarted bridge) give the same press the same id: the engine drops the repeat.
    const a = createPressDetector({ storeId: 's-1', debounceMs: 1500 }).offer({ mac, wakeupReason: 5, lastseen: 7 });
    const b = createPressDetector({ storeId: 's-1', debounceMs: 1500 }).offer({ mac, wakeupReason: 5, lastseen: 7 });
    expect(a).toEqual(b);
  });

  it('a press the AP\'s clock says is long over is not taken; one that could not be published may be taken again', () => {
    const d = createPressDetector({ storeId: 's-1', debounceMs: 0 });
    expect(d.offer({ mac, wakeupReason: 4, lastseen: 1000 }, 1000 + 600)).toEqual({ kind: 'stale' });
    const p = d.offer({ mac, wakeupReason: 4, lastseen: 2000 }, 2001);
    expect(p.kind).toBe('press');
    if (p.kind === 'press') d.forget(p.id);
    expect(d.offer({ mac, wakeupReason: 0 }).kind).toBe('none');
    expect(d.offer({ mac, wakeupReason: 4, lastseen: 2000 }, 2002).kind).toBe('press');
  });
});

describe('JSON drawing commands', () => {
  const label = (o: Partial<LabelUpdate> = {}): LabelUpdate => ({ type: 'label.update', seq: 1, labelId: 'L-1', sku: 'SKU-14',
    name: 'Beeswax candle {ap_ip} with a very long name that wraps onto more lines than fit', price: 12.75, currency: 'GBP', locale: 'en-GB', ...o });
  const texts = (cmds: DrawCommand[]) => cmds.flatMap((c) => ('text' in c ? [c.text] : []));

  it('lays a label out on the panel\'s pixels, in the three panel colours, with the AP\'s TrueType font', () => {
    for (const display of ['bwr-296x128', 'bwr-400x300'] as const) {
      const L = LAYOUTS[display];
      const cmds = labelCommands(label({ memberPrice: 9.99, promo: 'Only this week' }), display);
      for (const c of cmds) {
        const [x, y, a, b, color] = 'box' in c ? c.box : [c.text[0], c.text[1], 0, 0, c.text[4]];
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(x + a).toBeLessThanOrEqual(L.width);
        expect(y + b).toBeLessThanOrEqual(L.height);
        expect([0, 1, 2]).toContain(color);
      }
      const t = texts(cmds);
      expect(t.every((x) => x[3] === AP_FONT)).toBe(true);
      // The name in the layout's lines, then the prices, the promo and the SKU: every text of the layout.
      expect(t.filter((x) => x[6] === L.name.size).length).toBe(L.name.maxLines);
      expect(t.find((x) => x[2] === '£12.75')).toMatchObject([L.pad, expect.any(Number), '£12.75', AP_FONT, 1, 0, L.regular.size]);
      const member = t.find((x) => x[2] === '£9.99')!;
      expect(member[4]).toBe(2); // red
      expect(member[5]).toBe(2); // right-aligned at the right margin
      expect(member[0]).toBe(L.width - L.pad);
      // The baseline is the layout's: top + ascent × size.
      expect(Math.abs(member[1] + AP_FONT_ASCENT * member[6] - L.price.baseline)).toBeLessThanOrEqual(1);
      expect(cmds).toContainEqual({ box: [0, L.height - L.footer.height, L.width, L.footer.height, 2] });
      expect(t.find((x) => x[2] === 'Member price')?.[4]).toBe(2); // the caption, red
      expect(t.find((x) => x[2] === 'Only this week')?.[4]).toBe(0); // white on the red band
      expect(t.find((x) => x[2] === 'SKU-14')).toBeDefined();
    }
  });

  it('no braces reach the AP (it would replace them with its own variables); entities are unescaped', () => {
    const t = texts(labelCommands(label({ name: 'Fish & chips <large> {.a.b}', promo: '{ap_ip}' })));
    expect(t.some((x) => x[2].includes('Fish & chips <large> (.a.b)'))).toBe(true);
    expect(t.some((x) => x[2] === '(ap_ip)')).toBe(true);
    expect(JSON.stringify(t)).not.toMatch(/[{}]/);
  });

  it('without a member price or promo: one black price, right-aligned, the SKU alone in the footer', () => {
    const cmds = labelCommands(label({ name: 'Tea' }), 'bwr-296x128');
    expect(cmds.filter((c) => 'box' in c)).toEqual([]);
    const price = texts(cmds).find((x) => x[2] === '£12.75')!;
    expect(price.slice(3, 6)).toEqual([AP_FONT, 1, 2]);
    expect(LabelUpdate.safeParse(label()).success).toBe(true);
    expect(parseUntrusted(LabelUpdate, label({ promo: 'x'.repeat(41) })).success).toBe(false);
  });
});

describe('LED flash', () => {
  it('maps each colour to RGB332 and the duration to whole rounds of three blinks', () => {
    const p = ledPattern('green', 5000);
    expect(p).toMatch(/^[0-9A-F]{24}$/);
    const bytes = Buffer.from(p, 'hex');
    expect(bytes[0]! & 0x0f).toBe(1); // mode: flash
    expect(bytes[1]).toBe(0x1c);
    expect(bytes[2]).toBe(0x53); // 3 blinks, 500 ms apart
    expect(bytes[3]).toBe(5); // a 500 ms pause
    expect(bytes[10]).toBe(Math.ceil(5000 / ROUND_MS) - 1);
    expect([...bytes.subarray(4, 10), bytes[11]]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Object.entries(LED_COLORS).map(([c]) => Buffer.from(ledPattern(c as 'red', 1000), 'hex')[1])).toEqual([0x1c, 0xe0, 0x03, 0xfc, 0xff]);
    expect(Buffer.from(ledPattern('red', 1), 'hex')[10]).toBe(0);
    expect(Buffer.from(ledPattern('red', 60_000), 'hex')[10]).toBe(29);
  });
});
